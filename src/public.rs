//! What outputs that leave the team (the pull-request comment, the job summary, the CI log,
//! annotations, SARIF) withhold. A file marked above plain OFFICIAL (a handling marking such
//! as OFFICIAL-SENSITIVE, or a higher classification) has its text kept out of them unless
//! `policy.public_outputs: show`, whether its record is valid or not: the finding, problem,
//! change or deadline still appears, by rule, record and place, with a note of where to see it
//! in full.

use std::collections::BTreeMap;

use crate::board::Deadline;
use crate::changes::Change;
use crate::evaluate::Evaluated;
use crate::finding::{Finding, Severity};
use crate::ratchet::Effect;
use crate::records::load::Loaded;
use crate::records::{Marking, PublicOutputs};

/// Which files' text is withheld, and what each is marked.
#[derive(Debug, Default)]
pub struct Withholding {
    files: BTreeMap<String, Marking>,
    /// The marking of what is left.
    left: Marking,
}

/// How to see what was withheld.
pub const SEE_LOCALLY: &str = "run `assure status` locally to see it";

impl Withholding {
    /// What to withhold of `loaded` in outputs that leave the team.
    pub fn of(loaded: &Loaded) -> Withholding {
        if loaded.records.policy.public_outputs == PublicOutputs::Show {
            return Withholding::showing(loaded);
        }
        Withholding {
            files: loaded.marked.clone(),
            left: Marking::default(),
        }
    }

    /// Nothing withheld: for outputs that stay with the team.
    pub fn showing(loaded: &Loaded) -> Withholding {
        Withholding {
            files: BTreeMap::new(),
            left: loaded.marking(),
        }
    }

    pub fn marking(&self, file: Option<&str>) -> Option<&Marking> {
        self.files.get(file?)
    }

    /// The protective marking of an output that withholds this: what it withholds does not
    /// mark it.
    pub fn output_marking(&self) -> &Marking {
        &self.left
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
                    let message = match (&f.record, f.severity) {
                        (_, Severity::Error) => {
                            format!("withheld: a problem in a file marked {marking}")
                        }
                        (Some(about), _) => format!("withheld: {about} is marked {marking}"),
                        (None, _) => format!("withheld: a record marked {marking}"),
                    };
                    Finding {
                        message,
                        hint: Some(SEE_LOCALLY.to_owned()),
                        ..f.clone()
                    }
                }
            })
            .collect();
        (out, withheld)
    }

    /// Withhold, in place, the text of `evaluated`'s findings and problems, and the source
    /// lines a report would quote from withheld files. The verdict is unchanged.
    pub fn apply(&self, evaluated: &mut Evaluated) {
        if let Some(status) = &mut evaluated.status {
            status.findings = self.findings(&status.findings).0;
        }
        let loaded = &mut evaluated.loaded;
        loaded.problems = self.findings(&loaded.problems).0;
        for file in self.files.keys() {
            loaded.sources.remove(file);
            loaded.marked.remove(file);
        }
    }

    /// What a change did, as it may leave the team: a resolved finding is about the base's
    /// records, so it is held to the base's marking (`base`) too.
    pub fn effect(&self, effect: &Effect, base: Option<&Withholding>) -> Effect {
        let resolved = self.findings(&effect.resolved).0;
        Effect {
            introduced: self.findings(&effect.introduced).0,
            resolved: match base {
                Some(base) => base.findings(&resolved).0,
                None => resolved,
            },
            unchanged: effect.unchanged,
        }
    }

    /// Covered code a change touches, as it may leave the team: a marked record is named by
    /// its id only.
    pub fn covered(&self, touched: &[crate::covered::Touched]) -> Vec<crate::covered::Touched> {
        touched
            .iter()
            .map(|t| match self.marking(Some(&t.file)) {
                None => t.clone(),
                Some(marking) => crate::covered::Touched {
                    title: String::new(),
                    acceptance: None,
                    text: format!(
                        "changes {} covered by {} {} (withheld: marked {marking})",
                        t.paths.join(", "),
                        t.kind,
                        t.id
                    ),
                    ..t.clone()
                },
            })
            .collect()
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
