//! The records as they were at any commit, read from git's object database without a
//! checkout. Consecutive revisions share most files, so each version of a file (each blob)
//! is read and parsed once while it lasts, however many revisions it appears in.

use crate::hash::HashMap;
use git2::{ObjectType, Oid, Repository};

use crate::error::Result;
use crate::git::{self, TreeCache};
use crate::records::Classification;
use crate::records::Kind;
use crate::records::load::{self, Loaded, ParsedFile, parallel_map};
use crate::source::Entry;

/// Records at revisions of one repository.
pub struct Snapshots<'r> {
    repo: &'r Repository,
    dir: String,
    /// Today's classification limit: a revision's records are held to it, whatever the
    /// project allowed then.
    limit: Classification,
    trees: TreeCache,
    parsed: HashMap<(String, Oid, Classification), ParsedFile>,
    /// How many blobs were parsed (each once).
    pub parses: usize,
}

impl<'r> Snapshots<'r> {
    pub fn new(repo: &'r Repository, dir: &str, limit: Classification) -> Snapshots<'r> {
        Snapshots {
            repo,
            dir: dir.to_owned(),
            limit,
            trees: TreeCache::default(),
            parsed: HashMap::default(),
            parses: 0,
        }
    }

    /// The records at `commit`; `None` when the records folder did not exist there.
    pub fn at(&mut self, commit: Oid) -> Result<Option<Loaded>> {
        let Some(listed) = git::list(self.repo, commit, &self.dir, &mut self.trees)? else {
            return Ok(None);
        };
        // project.yaml first, held to OFFICIAL as `load` holds it: its classification limit
        // applies to the rest.
        let (project, rest): (Vec<&git::Listed>, Vec<&git::Listed>) = listed
            .iter()
            .partition(|l| Kind::for_place(&l.relative) == Some(Kind::Project));
        let mut files = self.parse(commit, &project, Classification::Official)?;
        let max = files
            .first()
            .map_or(Classification::Official, ParsedFile::max_classification)
            .min(self.limit);
        files.extend(self.parse(commit, &rest, max)?);
        // Keep only this revision's files: a later revision reuses most of them, and
        // memory stays flat however long the history.
        let current: crate::hash::HashSet<(&str, Oid)> =
            listed.iter().map(|l| (l.path.as_str(), l.id)).collect();
        self.parsed
            .retain(|(path, id, _), _| current.contains(&(path.as_str(), *id)));
        Ok(Some(load::assemble(&self.dir, files)))
    }

    /// Know the files of `kept`, parsed from the working tree, by the git blob id of their
    /// text: a revision that holds the same file, byte for byte, does not parse it again. A
    /// file without text (refused, not UTF-8) or whose text is not as written (line endings
    /// made LF) never matches a blob, and is read from git as any other.
    pub fn seed(&mut self, kept: load::Kept) {
        let ids = parallel_map(&kept.files, |(file, _)| {
            file.text()
                .and_then(|text| Oid::hash_object(ObjectType::Blob, text.as_bytes()).ok())
        });
        for ((file, max), id) in kept.files.into_iter().zip(ids) {
            if let Some(id) = id {
                self.parsed.insert((file.path().to_owned(), id, max), file);
            }
        }
    }

    /// The parsed files of `listed`, parsing (in parallel) only blobs not seen before. A
    /// symbolic link is parsed each time: what it reads is its target's blob, not its own.
    fn parse(
        &mut self,
        commit: Oid,
        listed: &[&git::Listed],
        max: Classification,
    ) -> Result<Vec<ParsedFile>> {
        // What each file is known by (none for a link), and whether it is new.
        let keys: Vec<_> = listed
            .iter()
            .map(|l| (!l.link).then(|| (l.path.clone(), l.id, max)))
            .collect();
        let new: Vec<bool> = keys
            .iter()
            .map(|key| {
                key.as_ref()
                    .is_none_or(|key| !self.parsed.contains_key(key))
            })
            .collect();
        let mut missing = Vec::new();
        for (&l, _) in listed.iter().zip(&new).filter(|(_, new)| **new) {
            missing.push(Entry {
                path: l.path.clone(),
                relative: l.relative.clone(),
                content: git::content(self.repo, commit, l)?,
            });
        }
        self.parses += missing.len();
        let mut fresh = parallel_map(&missing, |entry| load::parse_file(entry, max)).into_iter();
        let mut files = Vec::with_capacity(listed.len());
        for (key, new) in keys.into_iter().zip(new) {
            let parsed = if new {
                fresh.next()
            } else {
                key.as_ref().and_then(|key| self.parsed.get(key)).cloned()
            };
            if let (true, Some(key), Some(parsed)) = (new, key, &parsed) {
                self.parsed.insert(key, parsed.clone());
            }
            files.extend(parsed);
        }
        Ok(files)
    }
}
