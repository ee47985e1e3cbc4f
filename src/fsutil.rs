//! Writing files so that nothing is ever left half-written and nothing is overwritten by
//! accident: write a temporary file beside the target, then move it into place.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file");
    target.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_temp(target: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let temp = temp_path(target);
    let result = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(Error::io(target, e));
    }
    Ok(temp)
}

/// Write a new file. Returns `Ok(false)` without touching anything if it already exists.
pub fn write_new(target: &Path, bytes: &[u8]) -> Result<bool> {
    if target.symlink_metadata().is_ok() {
        return Ok(false);
    }
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let temp = write_temp(target, bytes)?;
    // A hard link fails if the target appeared meanwhile: never a silent overwrite.
    let linked = fs::hard_link(&temp, target);
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(_) => {
            // Some file systems cannot hard-link; fall back to an exclusive create.
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(target)
            {
                Ok(mut file) => {
                    file.write_all(bytes)
                        .and_then(|()| file.sync_all())
                        .map_err(|e| Error::io(target, e))?;
                    Ok(true)
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(Error::io(target, e)),
            }
        }
    }
}

/// Write a file, replacing an existing regular file atomically. Anything else at the path
/// (a link, a folder, a device, a pipe) is left alone and refused, and the folder must
/// exist: a mistyped path is not created.
pub fn write_replace(target: &Path, bytes: &[u8]) -> Result<()> {
    if let Ok(meta) = target.symlink_metadata()
        && !meta.is_file()
    {
        return Err(Error::usage(
            format!(
                "{} is not a regular file (a link, folder, device or pipe); it was not replaced",
                target.display()
            ),
            "give the path of a new file, or of a file to replace",
        ));
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(Error::usage(
            format!("the folder {} does not exist", parent.display()),
            "create it first, or give a path in a folder that exists",
        ));
    }
    let temp = write_temp(target, bytes)?;
    fs::rename(&temp, target).map_err(|e| {
        let _ = fs::remove_file(&temp);
        Error::io(target, e)
    })
}

/// Append `text` to a file, creating it if need be (the files GitHub gives a step).
pub fn append(path: &Path, text: &str) -> Result<()> {
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_new_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.yaml");
        assert!(write_new(&path, b"one").unwrap(), "its folder is made");
        assert!(!write_new(&path, b"two").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_replace(&path, b"three").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        // No temporary files are left behind.
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn write_replace_replaces_only_regular_files_in_folders_that_exist() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no/such/folder/pack.html");
        let error = write_replace(&missing, b"x").unwrap_err().to_string();
        assert!(error.starts_with("the folder "), "{error}");
        assert!(!dir.path().join("no").exists(), "nothing is created");
        // A folder, and a link, are left alone.
        let folder = dir.path().join("out");
        fs::create_dir(&folder).unwrap();
        let error = write_replace(&folder, b"x").unwrap_err().to_string();
        assert!(error.contains("is not a regular file"), "{error}");
        #[cfg(unix)]
        {
            let target = dir.path().join("target.txt");
            fs::write(&target, b"keep").unwrap();
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            assert!(write_replace(&link, b"x").is_err());
            assert_eq!(fs::read(&target).unwrap(), b"keep");
        }
    }
}
