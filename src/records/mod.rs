//! The records of records.md: their kinds, the typed model, and a loaded set of them.

pub mod digest;
pub mod integrity;
pub mod load;
pub mod model;
pub mod policy;
pub mod schema;
pub mod signed;
mod simple_yaml;
pub mod yaml;

use crate::hash::{HashMap, Ids};
use std::sync::Arc;

use crate::dates::Date;
pub use model::*;
pub use policy::Policy;

/// The kinds of record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Project,
    People,
    Appetite,
    Risk,
    Assessment,
    Signoff,
    Event,
    Board,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Project,
        Kind::People,
        Kind::Appetite,
        Kind::Risk,
        Kind::Assessment,
        Kind::Signoff,
        Kind::Event,
        Kind::Board,
    ];

    /// The name written after `kind:`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Project => "project",
            Kind::People => "people",
            Kind::Appetite => "appetite",
            Kind::Risk => "risk",
            Kind::Assessment => "assessment",
            Kind::Signoff => "signoff",
            Kind::Event => "event",
            Kind::Board => "board",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Plural for counts in reports ("3 risks").
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Project => "project",
            Kind::People => "people",
            Kind::Appetite => "appetite",
            Kind::Risk => "risks",
            Kind::Assessment => "assessments",
            Kind::Signoff => "sign-offs",
            Kind::Event => "events",
            Kind::Board => "boards",
        }
    }

    /// Whether the repository holds one record of this kind, in a fixed file.
    pub fn is_singleton(self) -> bool {
        matches!(self, Kind::Project | Kind::People | Kind::Appetite)
    }

    /// Where records of this kind live, relative to the records folder: a file name for
    /// singletons, a folder (with trailing `/`) for the rest.
    pub fn place(self) -> &'static str {
        match self {
            Kind::Project => "project.yaml",
            Kind::People => "people.yaml",
            Kind::Appetite => "appetite.yaml",
            Kind::Risk => "risks/",
            Kind::Assessment => "assessments/",
            Kind::Signoff => "signoffs/",
            Kind::Event => "events/",
            Kind::Board => "boards/",
        }
    }

    /// The kind a file's place in the records folder says it should be.
    pub fn for_place(relative: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| {
            let place = k.place();
            if k.is_singleton() {
                relative == place || relative.strip_suffix(".yml") == place.strip_suffix(".yaml")
            } else {
                relative.starts_with(place)
            }
        })
    }
}

/// A record and the file it came from. The record itself is shared: snapshots of history
/// reuse one parsed record in every revision it appears in.
#[derive(Clone, Debug)]
pub struct Record<T> {
    pub value: Arc<T>,
    /// Path relative to the repository root, `/`-separated.
    pub file: Arc<str>,
    /// sha256 of the canonical form of the record's signed view (see `signed` and
    /// `digest`), for the kinds a sign-off can be about.
    pub digest: signed::Digested,
}

impl<T> std::ops::Deref for Record<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Records that happen on a day and have an id: assessments, sign-offs, events, boards.
pub trait Dated {
    fn date(&self) -> Date;
    fn id(&self) -> &str;
}

/// The latest record dated on or before `day` (the greatest id breaks a tie): what had
/// happened by then. Records dated later had not happened yet.
pub fn latest<T: Dated>(records: &[Record<T>], day: Date) -> Option<&Record<T>> {
    latest_where(records, day, |_| true)
}

/// The latest record dated on or before `day` of those that `keep` keeps.
pub fn latest_where<T: Dated>(
    records: &[Record<T>],
    day: Date,
    keep: impl Fn(&T) -> bool,
) -> Option<&Record<T>> {
    records
        .iter()
        .filter(|r| r.date() <= day && keep(r))
        .max_by(|a, b| (a.date(), a.id()).cmp(&(b.date(), b.id())))
}

/// Every record of one repository (or one revision of it), loaded and typed.
#[derive(Clone, Debug, Default)]
pub struct RecordSet {
    pub project: Option<Record<Project>>,
    pub people: Option<Record<People>>,
    pub appetite: Option<Record<Appetite>>,
    pub risks: Vec<Record<Risk>>,
    pub assessments: Vec<Record<Assessment>>,
    pub signoffs: Vec<Record<SignOff>>,
    pub events: Vec<Record<Event>>,
    pub boards: Vec<Record<Board>>,
    /// The project's policy with defaults applied (all defaults without a valid project).
    pub policy: Policy,
    index: Index,
}

#[derive(Clone, Debug, Default)]
struct Index {
    people: Ids,
    risks: Ids,
    assessments: Ids,
    signoffs: Ids,
    events: Ids,
    /// The events naming each target in `affects` (`risk:R-001`), in order.
    affecting: HashMap<String, Vec<usize>>,
}

impl RecordSet {
    /// Make room for `counts` records of each kind (by `Kind as usize`).
    pub(crate) fn reserve_for(&mut self, counts: &[usize; Kind::ALL.len()]) {
        self.risks.reserve(counts[Kind::Risk as usize]);
        self.assessments.reserve(counts[Kind::Assessment as usize]);
        self.signoffs.reserve(counts[Kind::Signoff as usize]);
        self.events.reserve(counts[Kind::Event as usize]);
        self.boards.reserve(counts[Kind::Board as usize]);
    }

    /// Build the id lookups. Called once loading is finished; with duplicate ids the first wins.
    pub(crate) fn build_index(&mut self) {
        self.index = Index {
            people: Ids::of(self.all_people().iter().map(|p| p.id.as_str())),
            risks: Ids::of(self.risks.iter().map(|r| r.id.as_str())),
            assessments: Ids::of(self.assessments.iter().map(|a| a.id.as_str())),
            signoffs: Ids::of(self.signoffs.iter().map(|s| s.id.as_str())),
            events: Ids::of(self.events.iter().map(|e| e.id.as_str())),
            affecting: HashMap::default(),
        };
        for (i, event) in self.events.iter().enumerate() {
            for target in &event.affects {
                let list = self.index.affecting.entry(target.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        let people = self.all_people();
        let i = self.index.people.find(id, |i| &people[i].id)?;
        Some(&people[i])
    }

    /// The tolerance and ceiling that apply to a risk: its category's tolerance if the
    /// appetite sets one, else the appetite's. `None` without an appetite.
    pub fn limits(&self, risk: &Risk) -> Option<(u8, Option<u8>)> {
        let appetite = self.appetite.as_ref()?;
        Some((
            appetite.tolerance_for(risk.category.as_deref()),
            appetite.ceiling,
        ))
    }

    /// The people who hold the SRO role on `day`.
    pub fn sros(&self, day: Date) -> impl Iterator<Item = &Person> {
        self.all_people()
            .iter()
            .filter(move |p| p.holds(Role::Sro, day))
    }

    /// The SRO on `day`, when there is exactly one.
    pub fn sro(&self, day: Date) -> Option<&Person> {
        let mut sros = self.sros(day);
        let first = sros.next()?;
        sros.next().is_none().then_some(first)
    }

    pub fn all_people(&self) -> &[Person] {
        self.people.as_ref().map_or(&[], |p| &p.people)
    }

    /// Whether any risk or assessment lists the code it is about (`paths`): only then is the
    /// repository beyond the records read.
    pub fn covers_code(&self) -> bool {
        self.risks.iter().any(|r| !r.paths.is_empty())
            || self.assessments.iter().any(|a| !a.paths.is_empty())
    }

    pub fn risk(&self, id: &str) -> Option<&Record<Risk>> {
        let i = self.index.risks.find(id, |i| &self.risks[i].id)?;
        Some(&self.risks[i])
    }

    pub fn assessment(&self, id: &str) -> Option<&Record<Assessment>> {
        let i = self
            .index
            .assessments
            .find(id, |i| &self.assessments[i].id)?;
        Some(&self.assessments[i])
    }

    pub fn signoff(&self, id: &str) -> Option<&Record<SignOff>> {
        let i = self.index.signoffs.find(id, |i| &self.signoffs[i].id)?;
        Some(&self.signoffs[i])
    }

    /// The earliest review that events ask of `target` (`risk:R-001`, `appetite`), last
    /// reviewed on `last_reviewed`: each event up to `as_of` that names it in `affects`, dated
    /// after that review, asks for one within the policy's `event_reassessment` of its date.
    pub fn event_review(
        &self,
        target: &str,
        last_reviewed: Date,
        as_of: Date,
    ) -> Option<(Date, &Record<Event>)> {
        let affecting = self.index.affecting.get(target).into_iter().flatten();
        affecting
            .map(|&i| &self.events[i])
            .filter(|e| e.date > last_reviewed && e.date <= as_of)
            .map(|e| {
                (
                    self.policy.event_reassessment.within(e.kind).after(e.date),
                    e,
                )
            })
            .min_by_key(|(due, e)| (*due, e.date))
    }

    /// Why `event` asks for a review of `what` ("a risk", "the appetite"), in words.
    pub fn event_asks(&self, event: &Event, what: &str) -> String {
        format!(
            "event {}, a {} on {}, affects it; {what} is reviewed within {} of a {}",
            event.id,
            event.kind.words(),
            event.date,
            self.policy.event_reassessment.within(event.kind),
            event.kind.words()
        )
    }

    pub fn event(&self, id: &str) -> Option<&Record<Event>> {
        let i = self.index.events.find(id, |i| &self.events[i].id)?;
        Some(&self.events[i])
    }

    pub fn milestones(&self) -> &[Milestone] {
        self.project.as_ref().map_or(&[], |p| &p.milestones)
    }

    /// The file a sign-off subject is in and the digest it has now, or `None` if the
    /// subject does not exist.
    pub fn subject(&self, subject: &Subject) -> Option<(&str, digest::Digest)> {
        match subject {
            Subject::Risk(id) => self
                .risk(id)
                .and_then(|r| Some((&*r.file, r.digest.get()?))),
            Subject::Assessment(id) => self
                .assessment(id)
                .and_then(|a| Some((&*a.file, a.digest.get()?))),
            Subject::Appetite => self
                .appetite
                .as_ref()
                .and_then(|a| Some((&*a.file, a.digest.get()?))),
        }
    }

    /// The digest a sign-off subject has now, or `None` if the subject does not exist.
    pub fn subject_digest(&self, subject: &Subject) -> Option<digest::Digest> {
        self.subject(subject).map(|(_, digest)| digest)
    }

    /// The marking of everything here: the highest classification and every handling
    /// marking any record carries.
    pub fn marking(&self) -> Marking {
        self.marking_without(|_| false)
    }

    /// The marking of these records with the handling markings of the files `withheld`
    /// left out: what an output that withholds those files' text contains.
    pub fn marking_without(&self, withheld: impl Fn(&str) -> bool) -> Marking {
        let mut marking = Marking::default();
        for (classification, handling, file) in self.marked() {
            marking.include(classification, handling.filter(|_| !withheld(file)));
        }
        marking
    }

    /// Every record's own classification and handling, with its file.
    fn marked(&self) -> impl Iterator<Item = (Option<Classification>, Option<&str>, &str)> {
        fn each<T: Marked>(r: &Record<T>) -> (Option<Classification>, Option<&str>, &str) {
            (r.classification(), r.handling(), &r.file)
        }
        self.appetite
            .iter()
            .map(each)
            .chain(self.risks.iter().map(each))
            .chain(self.assessments.iter().map(each))
            .chain(self.signoffs.iter().map(each))
            .chain(self.events.iter().map(each))
            .chain(self.boards.iter().map(each))
    }

    /// How many records of each kind, in `Kind::ALL` order.
    pub fn counts(&self) -> Vec<(Kind, usize)> {
        Kind::ALL
            .into_iter()
            .map(|k| {
                let n = match k {
                    Kind::Project => usize::from(self.project.is_some()),
                    Kind::People => usize::from(self.people.is_some()),
                    Kind::Appetite => usize::from(self.appetite.is_some()),
                    Kind::Risk => self.risks.len(),
                    Kind::Assessment => self.assessments.len(),
                    Kind::Signoff => self.signoffs.len(),
                    Kind::Event => self.events.len(),
                    Kind::Board => self.boards.len(),
                };
                (k, n)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;
    use crate::source::{RECORD_FILES, RECORD_FOLDERS};

    #[test]
    fn the_source_knows_every_place_a_record_lives() {
        let mut folders = Vec::new();
        let mut files = Vec::new();
        for kind in Kind::ALL {
            match kind.place().strip_suffix('/') {
                Some(folder) => folders.push(folder),
                None => files.push(kind.place().trim_end_matches(".yaml")),
            }
        }
        assert_eq!(folders, RECORD_FOLDERS);
        assert_eq!(files, RECORD_FILES);
    }

    #[test]
    fn a_place_names_its_kind_with_either_extension() {
        assert_eq!(Kind::for_place("project.yaml"), Some(Kind::Project));
        assert_eq!(Kind::for_place("people.yml"), Some(Kind::People));
        assert_eq!(Kind::for_place("risks/R-001.yaml"), Some(Kind::Risk));
        assert_eq!(Kind::for_place("project.json"), None);
        assert_eq!(Kind::for_place("projects.yaml"), None);
        assert_eq!(Kind::for_place("notes/project.yml"), None);
    }
}
