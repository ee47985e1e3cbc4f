//! What outputs that leave the team (the pull-request comment, the job summary, annotations,
//! SARIF) withhold. A record carrying a handling marking (OFFICIAL-SENSITIVE) has its text
//! kept out of them unless `policy.public_outputs: show`: the finding, change or deadline
//! still appears, by rule, record and place, with a note of where to see it in full.

use std::collections::BTreeMap;

use crate::board::Deadline;
use crate::changes::Change;
use crate::evaluate::Evaluated;
use crate::finding::Finding;
use crate::records::{Marking, PublicOutputs, RecordSet};

/// Which files' text is withheld, and what each is marked.
#[derive(Debug, Default)]
pub struct Withholding {
    files: BTreeMap<String, Marking>,
}

/// How to see what was withheld.
pub const SEE_LOCALLY: &str = "run `assure status` locally to see it";

impl Withholding {
    /// What to withhold of `set` in outputs that leave the team.
    pub fn of(set: &RecordSet) -> Withholding {
        if set.policy.public_outputs == PublicOutputs::Show {
            return Withholding::default();
        }
        Withholding {
            files: set
                .handling_marked()
                .into_iter()
                .map(|(file, marking)| (file.to_owned(), marking))
                .collect(),
        }
    }

    fn marking(&self, file: Option<&str>) -> Option<&Marking> {
        self.files.get(file?)
    }

    /// The protective marking of an output of `set` that withholds this: a withheld
    /// record's handling marking does not mark it.
    pub fn output_marking(&self, set: &RecordSet) -> Marking {
        set.marking_without(|file| self.files.contains_key(file))
    }

    /// `findings` as they may leave the team, and how many were withheld.
    pub fn findings(&self, findings: &[Finding]) -> (Vec<Finding>, usize) {
        let mut withheld = 0;
        let out = findings
            .iter()
            .map(|f| match self.marking(f.location.file.as_deref()) {
                None => f.clone(),
                Some(marking) => {
                    withheld += 1;
                    let about = f
                        .record
                        .as_ref()
                        .map_or_else(|| "a record".to_owned(), ToString::to_string);
                    Finding {
                        message: format!("withheld: {about} is marked {marking}"),
                        hint: Some(SEE_LOCALLY.to_owned()),
                        ..f.clone()
                    }
                }
            })
            .collect();
        (out, withheld)
    }

    /// Withhold, in place, the text of `evaluated`'s findings. The verdict is unchanged.
    pub fn apply(&self, evaluated: &mut Evaluated) {
        if let Some(status) = &mut evaluated.status {
            status.findings = self.findings(&status.findings).0;
        }
    }

    /// `changes` as they may leave the team, and how many were withheld.
    pub fn changes(&self, changes: &[Change]) -> (Vec<Change>, usize) {
        let mut withheld = 0;
        let out = changes
            .iter()
            .map(|c| match self.marking(Some(&c.file)) {
                None => c.clone(),
                Some(marking) => {
                    withheld += 1;
                    Change {
                        title: String::new(),
                        text: format!("{}: {} (withheld: marked {marking})", c.what.label(1), c.id),
                        from: None,
                        to: None,
                        ..c.clone()
                    }
                }
            })
            .collect();
        (out, withheld)
    }

    /// `deadlines` as they may leave the team, and how many were withheld.
    pub fn deadlines(&self, deadlines: &[Deadline]) -> (Vec<Deadline>, usize) {
        let mut withheld = 0;
        let out = deadlines
            .iter()
            .map(|d| match self.marking(d.file.as_deref()) {
                None => d.clone(),
                Some(marking) => {
                    withheld += 1;
                    Deadline {
                        what: format!("withheld: a record marked {marking}"),
                        ..d.clone()
                    }
                }
            })
            .collect();
        (out, withheld)
    }
}
