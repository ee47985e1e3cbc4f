//! Where records come from: the working tree, or a git revision (`--at REV`). Both list the
//! YAML files under the records folder; reading and parsing them is the loader's job.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::finding::{ErrorCode, Finding, Location, Position};

/// Largest record file we read. Real records are a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// One YAML file under the records folder.
#[derive(Debug)]
pub struct Entry {
    /// Path relative to the repository root, `/`-separated: `assurance/risks/R-001.yaml`.
    pub path: String,
    /// Path relative to the records folder: `risks/R-001.yaml`.
    pub relative: String,
    pub content: Content,
}

#[derive(Debug)]
pub enum Content {
    /// A file on disk, read on demand (the loader reads files in parallel).
    Disk(PathBuf),
    /// Bytes already in memory (a git blob).
    Bytes(Vec<u8>),
    /// The file cannot be read at all; this says why.
    Refused(Box<Finding>),
}

impl Entry {
    /// The records folder this entry is in, relative to the repository root.
    pub fn dir(&self) -> &str {
        match self.path.strip_suffix(&self.relative) {
            Some(dir) => dir.strip_suffix('/').unwrap_or(dir),
            None => &self.path,
        }
    }

    /// The file's bytes, or a finding saying why they cannot be used.
    pub fn read(&self) -> Result<std::borrow::Cow<'_, [u8]>, Box<Finding>> {
        match &self.content {
            Content::Bytes(bytes) => {
                check_size(&self.path, bytes.len() as u64)?;
                Ok(std::borrow::Cow::Borrowed(bytes))
            }
            Content::Refused(finding) => Err(finding.clone()),
            Content::Disk(disk) => read_limited(&self.path, disk).map(std::borrow::Cow::Owned),
        }
    }
}

/// A file of `len` bytes is acceptable, or this finding says why not.
pub fn check_size(path: &str, len: u64) -> Result<(), Box<Finding>> {
    if len > MAX_FILE_BYTES {
        return Err(Box::new(
            Finding::error(
                ErrorCode::FileTooLarge,
                Location::at(path, Position::START),
                format!(
                    "file is {:.1} MiB, over the {} MiB limit for one record",
                    len as f64 / (1024.0 * 1024.0),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
            .with_hint(
                "a record is a few kilobytes: keep documents elsewhere and link them as evidence",
            ),
        ));
    }
    Ok(())
}

fn unreadable(path: &str, why: impl std::fmt::Display) -> Finding {
    Finding::error(
        ErrorCode::Unreadable,
        Location::at(path, Position::START),
        format!("cannot read the file: {why}"),
    )
    .with_hint("check the file exists and you have permission to read it")
}

fn read_limited(path: &str, disk: &Path) -> Result<Vec<u8>, Box<Finding>> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    // Opened without waiting: a FIFO put in a file's place is never waited on.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options
        .open(disk)
        .map_err(|e| Box::new(unreadable(path, e)))?;
    // What the walk saw may have been replaced since: only a regular file is read.
    let metadata = file.metadata().map_err(|e| Box::new(unreadable(path, e)))?;
    if !metadata.is_file() {
        return Err(Box::new(unreadable(path, "it is not a regular file")));
    }
    check_size(path, metadata.len())?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // Never trust the length we were told: a file can grow while we read it.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Box::new(unreadable(path, e)))?;
    check_size(path, bytes.len() as u64)?;
    Ok(bytes)
}

/// Whether a file name is a YAML file's.
pub fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// The folders of the records folder that hold one record per file (`Kind::place`).
pub const RECORD_FOLDERS: [&str; 5] = ["risks", "assessments", "signoffs", "events", "boards"];
/// The records that are one file at the top of the records folder.
pub const RECORD_FILES: [&str; 3] = ["project", "people", "appetite"];

/// How a file that is not read (its name does not end `.yaml` or `.yml`) still looks like a
/// record.
enum Unread {
    /// A YAML extension in another case: `R-004.YAML`.
    OtherCase,
    /// A copy of YAML: `R-004.yaml.bak`, `R-004.yaml~`.
    Copy,
    /// In a folder of records (Markdown and READMEs excepted): `risks/R-004.txt`.
    InRecordFolder,
    /// Named as one of the single records: `people.json`.
    SingleRecord,
}

/// Whether, and how, the file at `relative` (under the records folder) looks like a record
/// that will not be read. Allocation-free for names that do not: history walks ask it of
/// every path they see.
fn classify(relative: &str) -> Option<Unread> {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    if is_yaml(name) || name.starts_with('.') {
        return None;
    }
    let lower = |suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let contains = |needle: &str| {
        name.as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    let stem = name.split('.').next().unwrap_or_default();
    let folder = relative.rsplit_once('/').map(|(f, _)| f);
    if lower(".yaml") || lower(".yml") {
        Some(Unread::OtherCase)
    } else if contains(".yaml") || contains(".yml") {
        Some(Unread::Copy)
    } else if folder.is_some_and(|f| RECORD_FOLDERS.contains(&f))
        && !lower(".md")
        && !stem.eq_ignore_ascii_case("readme")
    {
        Some(Unread::InRecordFolder)
    } else if folder.is_none() && RECORD_FILES.iter().any(|f| stem.eq_ignore_ascii_case(f)) {
        Some(Unread::SingleRecord)
    } else {
        None
    }
}

/// Whether a file that is not read still looks like a record (`unread` says why).
pub fn is_unread(relative: &str) -> bool {
    classify(relative).is_some()
}

/// Why a file that is not read should not pass unseen, as a refusal at `path`: a record the
/// tool does not read would be missing from every verdict.
pub fn unread(path: &str, relative: &str) -> Option<Finding> {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let (message, hint) = match classify(relative)? {
        Unread::OtherCase => {
            let ext_len = if name.to_ascii_lowercase().ends_with(".yaml") {
                5
            } else {
                4
            };
            let (base, ext) = name.split_at(name.len() - ext_len);
            let ext = ext.to_ascii_lowercase();
            (
                format!("not read: record files end in `{ext}` in lower case"),
                format!("rename it to {base}{ext}"),
            )
        }
        Unread::Copy => (
            "not read: a copy of a record (a backup or an editor's file) is not a record"
                .to_owned(),
            "delete it if it is a stray copy; if it is the record, rename it to end in .yaml"
                .to_owned(),
        ),
        Unread::InRecordFolder => (
            "not read: this folder holds records, and records are .yaml files".to_owned(),
            "rename it to end in .yaml if it is a record, or move it out of the records folder"
                .to_owned(),
        ),
        Unread::SingleRecord => {
            let stem = name
                .split('.')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            (
                format!("not read: the {stem} record is {stem}.yaml"),
                format!("write it as YAML in {stem}.yaml"),
            )
        }
    };
    Some(
        Finding::error(
            ErrorCode::UnreadFile,
            Location::at(path, Position::START),
            message,
        )
        .with_hint(hint),
    )
}

/// The records folder of a working tree.
#[derive(Debug, Clone)]
pub struct WorkTree {
    /// The folder holding the records (`…/assurance`).
    pub dir: PathBuf,
    /// The repository root: nothing outside it is read, even through a symlink.
    pub boundary: PathBuf,
    /// `dir` relative to `boundary`, `/`-separated (`assurance`).
    pub display: String,
}

impl WorkTree {
    pub fn new(dir: PathBuf, boundary: PathBuf) -> WorkTree {
        let display = dir
            .strip_prefix(&boundary)
            .map(slash_path)
            .unwrap_or_else(|_| slash_path(&dir));
        WorkTree {
            dir,
            boundary,
            display,
        }
    }

    /// The bytes of the file at `relative` under the folder: only a regular file (not a link)
    /// inside the repository, within the size limit; else why not.
    pub fn read_file(&self, relative: &str) -> Result<Vec<u8>, Box<Finding>> {
        let path = joined(&self.display, relative);
        let disk = self.dir.join(relative);
        // Git keeps a link as a link, so history would read the link, not the file.
        if fs::symlink_metadata(&disk).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Box::new(unreadable(
                &path,
                "it is a symbolic link: put the file itself there",
            )));
        }
        let real = fs::canonicalize(&disk).map_err(|e| Box::new(unreadable(&path, e)))?;
        let boundary = fs::canonicalize(&self.boundary).unwrap_or_else(|_| self.boundary.clone());
        if !real.starts_with(&boundary) {
            return Err(Box::new(unreadable(
                &path,
                "it is a link leaving the repository",
            )));
        }
        if !fs::metadata(&real).is_ok_and(|m| m.is_file()) {
            return Err(Box::new(not_regular(&path)));
        }
        read_limited(&path, &real)
    }

    /// Every YAML file under the folder, sorted by path. Hidden files and folders are
    /// skipped; symlinks are followed only while they stay inside the repository (the
    /// records folder itself included); anything that is not a regular file is refused
    /// without being opened; the walk is bounded in depth and size.
    pub fn entries(&self) -> Vec<Entry> {
        let mut out = Vec::new();
        let boundary = fs::canonicalize(&self.boundary).unwrap_or_else(|_| self.boundary.clone());
        let mut visited = HashSet::new();
        if let Ok(real) = fs::canonicalize(&self.dir) {
            if !real.starts_with(&boundary) {
                out.push(refused(
                    &self.display,
                    "",
                    ErrorCode::SymlinkOutside,
                    "the records folder is a link leaving the repository; not followed",
                    "keep the records inside the repository, or name the real folder with --dir",
                ));
                return out;
            }
            visited.insert(real);
        }
        let mut walk = Walk {
            boundary: &boundary,
            visited,
            seen: 0,
            out: &mut out,
        };
        self.walk(&self.dir, "", 0, &mut walk);
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    fn walk(&self, dir: &Path, relative: &str, depth: usize, walk: &mut Walk<'_>) {
        if walk.seen > MAX_WALK {
            return;
        }
        let Ok(read) = fs::read_dir(dir) else {
            return;
        };
        // Each name fetched once, not once per comparison, and compared by its first bytes
        // before it is compared whole.
        let mut children: Vec<_> = read
            .filter_map(Result::ok)
            .take(MAX_WALK + 1)
            .map(|e| {
                let name = e.file_name();
                (crate::text::sort_prefix(name.as_encoded_bytes()), name, e)
            })
            .collect();
        children.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (_, file_name, child) in children {
            walk.seen += 1;
            if walk.seen > MAX_WALK || depth > MAX_DEPTH {
                walk.out.push(refused(
                    &self.display,
                    "",
                    ErrorCode::TooManyFiles,
                    &format!(
                        "stopped reading after {} entries or {MAX_DEPTH} folders deep: no project has so many records",
                        MAX_WALK
                    ),
                    "check that --dir names the records folder (assurance/), not a folder above it",
                ));
                walk.seen = MAX_WALK + 1;
                return;
            }
            let Ok(name) = file_name.into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let rel = joined(relative, &name);
            if name.chars().any(char::is_control) {
                if is_yaml(&name) {
                    let shown = crate::text::inert(&rel).into_owned();
                    walk.out.push(refused(
                        &self.display,
                        &shown,
                        ErrorCode::Unreadable,
                        "the file name holds control characters; not read",
                        "rename the file: a record's name is its id, such as R-001.yaml",
                    ));
                }
                continue;
            }
            let path = joined(&self.display, &rel);
            let Ok(file_type) = child.file_type() else {
                continue;
            };
            let disk = child.path();
            let (boundary, out) = (walk.boundary, &mut *walk.out);
            if file_type.is_symlink() {
                let target = match fs::canonicalize(&disk) {
                    Ok(t) => t,
                    Err(_) => {
                        if is_yaml(&name) {
                            out.push(Entry {
                                path: path.clone(),
                                relative: rel,
                                content: Content::Refused(Box::new(unreadable(
                                    &path,
                                    "it is a symlink to nothing",
                                ))),
                            });
                        }
                        continue;
                    }
                };
                if !target.starts_with(boundary) {
                    out.push(Entry {
                        path: path.clone(),
                        relative: rel,
                        content: Content::Refused(Box::new(
                            Finding::error(
                                ErrorCode::SymlinkOutside,
                                Location::at(&path, Position::START),
                                "symlink points outside the repository; not followed",
                            )
                            .with_hint("keep records inside the repository: copy the file in, or remove the link"),
                        )),
                    });
                    continue;
                }
                if target.is_dir() {
                    if walk.visited.insert(target.clone()) {
                        self.walk(&target, &rel, depth + 1, walk);
                    }
                } else if let Some(finding) = unread(&path, &rel) {
                    out.push(Entry {
                        path,
                        relative: rel,
                        content: Content::Refused(Box::new(finding)),
                    });
                } else if is_yaml(&name) {
                    let regular = fs::metadata(&target).is_ok_and(|m| m.is_file());
                    out.push(Entry {
                        content: if regular {
                            Content::Disk(target)
                        } else {
                            Content::Refused(Box::new(not_regular(&path)))
                        },
                        path,
                        relative: rel,
                    });
                }
            } else if file_type.is_dir() {
                if let Ok(real) = fs::canonicalize(&disk)
                    && walk.visited.insert(real)
                {
                    self.walk(&disk, &rel, depth + 1, walk);
                }
            } else if is_yaml(&name) {
                // A FIFO, a device or a socket is never opened: opening one can hang.
                out.push(Entry {
                    content: if file_type.is_file() {
                        Content::Disk(disk)
                    } else {
                        Content::Refused(Box::new(not_regular(&path)))
                    },
                    path,
                    relative: rel,
                });
            } else if let Some(finding) = unread(&path, &rel) {
                // (A YAML file is never one of these.)
                out.push(Entry {
                    path,
                    relative: rel,
                    content: Content::Refused(Box::new(finding)),
                });
            }
        }
    }
}

/// The most entries (files and folders) one walk of the records folder reads: several times
/// the largest register a programme keeps (100,000 risks are about 114,000 files).
const MAX_WALK: usize = 500_000;
/// The deepest folder one walk of the records folder enters.
const MAX_DEPTH: usize = 16;

/// What one walk of the records folder has seen so far.
struct Walk<'a> {
    boundary: &'a Path,
    visited: HashSet<PathBuf>,
    seen: usize,
    out: &'a mut Vec<Entry>,
}

/// `dir/name`, in a string of its length: a path is kept for every file, and formatting
/// one (`format!`) guesses its length and grows it. `dir` is a folder as the repository
/// names it: empty for the repository's root, where `name` is the path.
pub fn joined(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        return name.to_owned();
    }
    let mut path = String::with_capacity(dir.len() + 1 + name.len());
    path.push_str(dir);
    path.push('/');
    path.push_str(name);
    path
}

/// The folder `dir` (as `joined` takes it) as a report names it: `assurance`, or `.` for the
/// repository's root.
pub fn folder_name(dir: &str) -> &str {
    if dir.is_empty() { "." } else { dir }
}

/// The folder `dir` (as `joined` takes it) as a person names it: `assurance/`, or `./` for
/// the repository's root.
pub fn folder(dir: &str) -> String {
    format!("{}/", folder_name(dir))
}

/// An entry refused before reading, located at `relative` under the folder `display`.
fn refused(display: &str, relative: &str, code: ErrorCode, message: &str, hint: &str) -> Entry {
    let path = if relative.is_empty() {
        // The folder itself.
        folder_name(display).to_owned()
    } else {
        joined(display, relative)
    };
    Entry {
        content: Content::Refused(Box::new(
            Finding::error(code, Location::at(&path, Position::START), message).with_hint(hint),
        )),
        relative: relative.to_owned(),
        path,
    }
}

fn not_regular(path: &str) -> Finding {
    unreadable(
        path,
        "it is not a regular file (a pipe, device or socket is never opened)",
    )
}

/// A path with `/` separators, as shown to users and to GitHub.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<Vec<u8>, Box<Finding>>) -> String {
        result.expect_err("refused").message
    }

    #[test]
    fn a_file_is_read_whole_whatever_its_size_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str, bytes: &[u8]| {
            let disk = dir.path().join(name);
            fs::write(&disk, bytes).unwrap();
            read_limited(name, &disk)
        };
        assert_eq!(at("empty.yaml", b"").unwrap(), b"");
        assert_eq!(at("small.yaml", b"kind: risk\n").unwrap(), b"kind: risk\n");
        // Larger than records run to, and then a small file again.
        let large: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        assert_eq!(at("large.yaml", &large).unwrap(), large);
        assert_eq!(at("small.yaml", b"id: R-1\n").unwrap(), b"id: R-1\n");
        let limit = vec![b'x'; MAX_FILE_BYTES as usize];
        assert_eq!(at("limit.yaml", &limit).unwrap().len(), limit.len());
        let over = vec![b'x'; MAX_FILE_BYTES as usize + 1];
        let refused = at("over.yaml", &over).expect_err("over the limit");
        assert_eq!(refused.code, ErrorCode::FileTooLarge.into());
        assert!(
            refused.message.starts_with("file is 1.0 MiB"),
            "{}",
            refused.message
        );
    }

    #[test]
    fn what_is_not_a_regular_file_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        assert!(message(read_limited("none", &dir.path().join("none"))).contains("cannot read"));
        // (Windows does not open a folder as a file at all.)
        let folder = message(read_limited("d", dir.path()));
        assert!(folder.starts_with("cannot read the file"), "{folder}");
        #[cfg(unix)]
        {
            assert!(folder.contains("not a regular file"), "{folder}");
            // A FIFO with no writer: opening it to read would wait for one.
            let fifo = dir.path().join("R-001.yaml");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
            assert!(message(read_limited("R-001.yaml", &fifo)).contains("not a regular file"));
        }
    }
}
