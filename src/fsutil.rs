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
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
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

/// Write a file, replacing any existing one atomically.
pub fn write_replace(target: &Path, bytes: &[u8]) -> Result<()> {
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
        assert!(write_new(&path, b"one").unwrap());
        assert!(!write_new(&path, b"two").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_replace(&path, b"three").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        // No temporary files are left behind.
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }
}
