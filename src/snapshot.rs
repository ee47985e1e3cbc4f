//! The records as they were at any commit, read from git's object database without a
//! checkout. Consecutive revisions share most files, so each version of a file (each blob)
//! is read and parsed once while it lasts, however many revisions it appears in.

use git2::{Oid, Repository};
use std::collections::HashMap;

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
            parsed: HashMap::new(),
            parses: 0,
        }
    }

    /// The records at `commit`; `None` when the records folder did not exist there.
    pub fn at(&mut self, commit: Oid) -> Result<Option<Loaded>> {
        let Some(listed) = git::list(self.repo, commit, &self.dir, &mut self.trees)? else {
            return Ok(None);
        };
        // project.yaml first: its classification limit applies to the rest.
        let project = listed
            .iter()
            .find(|l| Kind::for_place(&l.relative) == Some(Kind::Project));
        let max = match project {
            Some(l) => self.parse(commit, std::slice::from_ref(l), Classification::Official)?[0]
                .max_classification(),
            None => Classification::Official,
        }
        .min(self.limit);
        let files = self.parse(commit, &listed, max)?;
        // Keep only this revision's files: a later revision reuses most of them, and
        // memory stays flat however long the history.
        let current: std::collections::HashSet<(&str, Oid)> =
            listed.iter().map(|l| (l.path.as_str(), l.id)).collect();
        self.parsed
            .retain(|(path, id, _), _| current.contains(&(path.as_str(), *id)));
        Ok(Some(load::assemble(&self.dir, files)))
    }

    /// The parsed files of `listed`, parsing (in parallel) only blobs not seen before.
    fn parse(
        &mut self,
        commit: Oid,
        listed: &[git::Listed],
        max: Classification,
    ) -> Result<Vec<ParsedFile>> {
        let mut missing = Vec::new();
        let mut ids = Vec::new();
        for l in listed {
            if !self.parsed.contains_key(&(l.path.clone(), l.id, max)) {
                missing.push(Entry {
                    path: l.path.clone(),
                    relative: l.relative.clone(),
                    content: git::content(self.repo, commit, l)?,
                });
                ids.push(l.id);
            }
        }
        self.parses += missing.len();
        let fresh = parallel_map(&missing, |entry| load::parse_file(entry, max));
        for ((entry, id), parsed) in missing.into_iter().zip(ids).zip(fresh) {
            self.parsed.insert((entry.path, id, max), parsed);
        }
        Ok(listed
            .iter()
            .filter_map(|l| self.parsed.get(&(l.path.clone(), l.id, max)).cloned())
            .collect())
    }
}
