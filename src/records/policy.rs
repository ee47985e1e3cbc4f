//! The assurance policy with every default of records.md applied, and the checks a
//! policy must pass before any rule can trust it.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::dates::Duration;
use crate::finding::{ErrorCode, Finding, Location};
use crate::records::model::{
    Band, CoveredChanges, EventType, PublicOutputs, RawEventReassessment, RawPolicy, Role,
    SignOffType,
};

/// MOD Secure by Design: assess "at least every 3 months".
pub const MAX_ASSESSMENT_INTERVAL: Duration = Duration::months(3);

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub assessment_interval: Duration,
    pub due_soon: Duration,
    pub event_reassessment: EventReassessment,
    pub review_interval: BTreeMap<String, Duration>,
    pub acceptance_max: Duration,
    pub board_cadence: Duration,
    pub appetite_review: Duration,
    /// An open action this long overdue is red (ACT-1).
    pub action_red_after: Duration,
    /// How far ahead ASSESS-5 looks for milestones.
    pub milestone_horizon: Duration,
    /// A board security update this long overdue is red (REPORT-1).
    pub board_red_after: Duration,
    /// How long a new SRO has to reconfirm the acceptances their predecessor signed (SIGN-5).
    pub sro_handover: Duration,
    /// How often a high-criticality service has an independent assessment (ASSESS-6).
    pub independent_interval: Duration,
    /// What leaves the team of records with a handling marking.
    pub public_outputs: PublicOutputs,
    /// `covered_changes`: note (default) or event.
    pub covered_changes: CoveredChanges,
    pub scale: Scale,
    pub signoff: SignoffPolicy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EventReassessment {
    pub change: Duration,
    pub new_threat: Duration,
    pub breach: Duration,
}

impl EventReassessment {
    /// How long after an event of `kind` what it affects must be looked at again.
    pub fn within(&self, kind: EventType) -> Duration {
        match kind {
            EventType::Change => self.change,
            EventType::NewThreat => self.new_threat,
            EventType::Breach => self.breach,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignoffPolicy {
    pub require_git_author: bool,
    pub require_signed_commits: bool,
    pub separation_of_duties: bool,
    /// Separation of duties for appetite approvals too: off by default, as the SRO defines
    /// the appetite they approve.
    pub appetite_separation: bool,
    /// A role that may sign risk acceptances besides the SRO.
    pub acceptance_delegate: Option<Role>,
    /// Files of OpenPGP keys (relative to the records folder) trusted to say that a platform
    /// authenticated a commit's author (GitHub's web-flow key): see `witness::platform`.
    pub platform_keys: Vec<String>,
}

impl SignoffPolicy {
    /// Whether separation of duties applies to a sign-off of `kind`: the SRO defines the
    /// appetite they approve, so it applies to an appetite approval only when asked.
    pub fn separates(&self, kind: SignOffType) -> bool {
        self.separation_of_duties
            && (kind != SignOffType::AppetiteApproval || self.appetite_separation)
    }

    /// Whether git is asked to witness sign-offs at all.
    pub fn any(&self) -> bool {
        self.require_git_author || self.require_signed_commits || self.separation_of_duties
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scale {
    pub likelihood: Vec<String>,
    pub impact: Vec<String>,
    pub bands: Vec<Band>,
}

impl Scale {
    /// The band a score falls in. Bands are validated to cover every possible score;
    /// a score outside them (a policy error already reported) falls in the last band.
    pub fn band(&self, score: u8) -> &Band {
        &self.bands[self.band_index(score)]
    }

    /// Which band, lowest first, a score is in (the highest, should bands leave a gap:
    /// the policy check refuses that).
    pub fn band_index(&self, score: u8) -> usize {
        self.bands
            .iter()
            .position(|b| b.min <= score && score <= b.max)
            .unwrap_or(self.bands.len().saturating_sub(1))
    }

    pub fn max_score(&self) -> u8 {
        // At most 5 × 5: the schema caps both label lists at five.
        (self.likelihood.len() * self.impact.len()) as u8
    }
}

/// Whether `name` is a path that stays inside the folder it is relative to.
pub fn is_inside(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

fn labels(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

fn band(name: &str, label: &str, min: u8, max: u8) -> Band {
    Band {
        name: name.to_owned(),
        label: Some(label.to_owned()),
        min,
        max,
        high: None,
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            assessment_interval: MAX_ASSESSMENT_INTERVAL,
            due_soon: Duration::days(14),
            event_reassessment: EventReassessment {
                change: Duration::days(30),
                new_threat: Duration::days(30),
                breach: Duration::days(14),
            },
            review_interval: [
                ("low", Duration::months(6)),
                ("medium", Duration::months(3)),
                ("high", Duration::months(1)),
                ("very_high", Duration::months(1)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
            acceptance_max: Duration::years(1),
            board_cadence: Duration::weeks(6),
            appetite_review: Duration::years(1),
            action_red_after: Duration::days(30),
            milestone_horizon: Duration::days(60),
            board_red_after: Duration::weeks(6),
            sro_handover: Duration::days(90),
            independent_interval: Duration::years(1),
            public_outputs: PublicOutputs::Withhold,
            covered_changes: CoveredChanges::Note,
            scale: Scale {
                likelihood: labels(&["rare", "unlikely", "possible", "likely", "almost_certain"]),
                impact: labels(&["negligible", "minor", "moderate", "major", "severe"]),
                bands: vec![
                    band("low", "Low", 1, 4),
                    band("medium", "Medium", 5, 9),
                    band("high", "High", 10, 15),
                    band("very_high", "Very high", 16, 25),
                ],
            },
            signoff: SignoffPolicy {
                require_git_author: true,
                require_signed_commits: false,
                separation_of_duties: true,
                appetite_separation: false,
                acceptance_delegate: None,
                platform_keys: Vec::new(),
            },
        }
    }
}

impl Policy {
    /// Apply defaults to the policy as written in `file`, reporting anything a rule could not
    /// trust. On error the default for that key is kept so evaluation can still proceed.
    pub fn resolve(raw: &RawPolicy, file: &str) -> (Policy, Vec<Finding>) {
        let mut policy = Policy::default();
        let mut problems = Vec::new();
        let mut problem = |pointer: &str, message: String, hint: &str| {
            problems.push(
                Finding::error(
                    ErrorCode::InvalidPolicy,
                    Location::field(file, pointer),
                    message,
                )
                .with_record("project", None)
                .with_hint(hint),
            );
        };

        if let Some(interval) = raw.assessment_interval {
            if let Some(start) = interval.can_exceed(MAX_ASSESSMENT_INTERVAL) {
                problem(
                    "/policy/assessment_interval",
                    format!(
                        "assessment_interval {interval} can be longer than 3 months \
                         (from {start} it runs to {}, three months run to {})",
                        interval.after(start),
                        MAX_ASSESSMENT_INTERVAL.after(start)
                    ),
                    "MOD Secure by Design requires an assessment at least every 3 months; \
                     use P3M or shorter, such as P12W",
                );
            } else {
                policy.assessment_interval = interval;
            }
        }
        if let Some(d) = raw.due_soon {
            policy.due_soon = d;
        }
        match &raw.event_reassessment {
            Some(RawEventReassessment::All(d)) => {
                policy.event_reassessment = EventReassessment {
                    change: *d,
                    new_threat: *d,
                    breach: *d,
                }
            }
            Some(RawEventReassessment::ByType {
                change,
                new_threat,
                breach,
            }) => {
                let e = &mut policy.event_reassessment;
                e.change = change.unwrap_or(e.change);
                e.new_threat = new_threat.unwrap_or(e.new_threat);
                e.breach = breach.unwrap_or(e.breach);
            }
            None => {}
        }
        if let Some(d) = raw.acceptance_max {
            policy.acceptance_max = d;
        }
        if let Some(d) = raw.board_cadence {
            policy.board_cadence = d;
        }
        if let Some(d) = raw.appetite_review {
            policy.appetite_review = d;
        }
        for (value, slot) in [
            (raw.action_red_after, &mut policy.action_red_after),
            (raw.milestone_horizon, &mut policy.milestone_horizon),
            (raw.board_red_after, &mut policy.board_red_after),
            (raw.sro_handover, &mut policy.sro_handover),
            (raw.independent_interval, &mut policy.independent_interval),
        ] {
            if let Some(d) = value {
                *slot = d;
            }
        }
        if let Some(c) = raw.covered_changes {
            policy.covered_changes = c;
        }
        if let Some(p) = raw.public_outputs {
            policy.public_outputs = p;
        }
        if let Some(signoff) = &raw.signoff {
            let s = &mut policy.signoff;
            s.require_git_author = signoff.require_git_author.unwrap_or(s.require_git_author);
            s.require_signed_commits = signoff
                .require_signed_commits
                .unwrap_or(s.require_signed_commits);
            s.separation_of_duties = signoff
                .separation_of_duties
                .unwrap_or(s.separation_of_duties);
            s.appetite_separation = signoff.appetite_separation.unwrap_or(s.appetite_separation);
            s.acceptance_delegate = signoff.acceptance_delegate.or(s.acceptance_delegate);
            for (i, name) in signoff.platform_keys.iter().flatten().enumerate() {
                if is_inside(name) {
                    s.platform_keys.push(name.clone());
                } else {
                    problem(
                        &format!("/policy/signoff/platform_keys/{i}"),
                        format!("`{name}` is not a file inside the records folder"),
                        "name the key file relative to the records folder, such as keys/github-web-flow.asc",
                    );
                }
            }
        }

        if let Some(scale) = &raw.scale {
            let mut candidate = policy.scale.clone();
            if let Some(l) = &scale.likelihood {
                candidate.likelihood = l.clone();
            }
            if let Some(i) = &scale.impact {
                candidate.impact = i.clone();
            }
            if let Some(b) = &scale.bands {
                candidate.bands = b.clone();
            }
            match check_bands(&candidate) {
                Ok(()) => policy.scale = candidate,
                Err((pointer, message)) => problem(
                    &pointer,
                    message,
                    "list bands from lowest to highest so that every score from 1 to \
                     likelihood × impact falls in exactly one",
                ),
            }
        }

        let bands: Vec<&str> = policy.scale.bands.iter().map(|b| b.name.as_str()).collect();
        match &raw.review_interval {
            Some(written) => {
                for name in written.keys() {
                    if !bands.contains(&name.as_str()) {
                        problem(
                            &format!(
                                "/policy/review_interval/{}",
                                crate::records::yaml::escape(name)
                            ),
                            format!("review_interval names `{name}`, which is not a score band"),
                            &format!("use the band names: {}", bands.join(", ")),
                        );
                    }
                }
                let mut intervals = BTreeMap::new();
                for name in &bands {
                    let default = policy.review_interval.get(*name).copied();
                    match written.get(*name).copied().or(default) {
                        Some(d) => {
                            intervals.insert((*name).to_owned(), d);
                        }
                        None => problem(
                            "/policy/review_interval",
                            format!("review_interval gives no interval for band `{name}`"),
                            &format!("add `{name}: P3M` (or the cadence you review such risks at)"),
                        ),
                    }
                }
                policy.review_interval = intervals;
            }
            None => {
                if let Some(name) = bands
                    .iter()
                    .find(|b| !policy.review_interval.contains_key(**b))
                {
                    problem(
                        "/policy/scale/bands",
                        format!("band `{name}` has no review interval"),
                        &format!("add `review_interval: {{{name}: P3M}}` to the policy"),
                    );
                }
            }
        }
        (policy, problems)
    }
}

fn check_bands(scale: &Scale) -> Result<(), (String, String)> {
    let max = scale.max_score();
    let mut next = 1u8;
    for (i, band) in scale.bands.iter().enumerate() {
        let pointer = format!("/policy/scale/bands/{i}");
        if band.min > band.max {
            return Err((
                pointer,
                format!(
                    "band `{}` has min {} above max {}",
                    band.name, band.min, band.max
                ),
            ));
        }
        if band.min != next {
            return Err((
                pointer,
                format!(
                    "band `{}` starts at {}, but the previous band ends at {}",
                    band.name,
                    band.min,
                    next - 1
                ),
            ));
        }
        if scale.bands[..i].iter().any(|b| b.name == band.name) {
            return Err((pointer, format!("band name `{}` is used twice", band.name)));
        }
        next = band.max.saturating_add(1);
    }
    if next != max.saturating_add(1) {
        return Err((
            "/policy/scale/bands".to_owned(),
            format!(
                "the bands end at {}, but the highest possible score is {max}",
                next - 1
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(yaml: &str) -> RawPolicy {
        let value = crate::records::yaml::parse_value(yaml).unwrap();
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn defaults_match_records_md() {
        let (p, problems) = Policy::resolve(&RawPolicy::default(), "p.yaml");
        assert!(problems.is_empty());
        assert_eq!(p.assessment_interval.to_string(), "P3M");
        assert_eq!(p.due_soon.to_string(), "P14D");
        assert_eq!(p.event_reassessment.breach.to_string(), "P14D");
        assert_eq!(p.event_reassessment.change.to_string(), "P30D");
        assert_eq!(p.review_interval["low"].to_string(), "P6M");
        assert_eq!(p.review_interval["very_high"].to_string(), "P1M");
        assert_eq!(p.acceptance_max.to_string(), "P1Y");
        assert_eq!(p.board_cadence.to_string(), "P6W");
        assert_eq!(p.scale.band(9).name, "medium");
        assert_eq!(p.scale.band(10).name, "high");
        assert!(p.scale.band(16).is_high() && !p.scale.band(9).is_high());
        assert!(p.signoff.require_git_author && !p.signoff.require_signed_commits);
    }

    #[test]
    fn assessment_interval_may_be_shorter_never_longer() {
        let (p, problems) = Policy::resolve(&raw("assessment_interval: P2M\n"), "p.yaml");
        assert!(problems.is_empty());
        assert_eq!(p.assessment_interval, Duration::months(2));
        let (p, problems) = Policy::resolve(&raw("assessment_interval: P90D\n"), "p.yaml");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.contains("can be longer than 3 months"),
            "{}",
            problems[0].message
        );
        assert_eq!(p.assessment_interval, MAX_ASSESSMENT_INTERVAL);
    }

    #[test]
    fn bands_must_cover_every_score() {
        let (_, problems) = Policy::resolve(
            &raw(
                "scale:\n  bands:\n    - {name: low, min: 1, max: 4}\n    - {name: high, min: 6, max: 25}\n",
            ),
            "p.yaml",
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("starts at 6"));
        let (p, problems) = Policy::resolve(
            &raw(
                "scale:\n  likelihood: [low, high]\n  impact: [low, high]\n  bands:\n    - {name: low, min: 1, max: 2}\n    - {name: high, min: 3, max: 4}\nreview_interval: {low: P6M, high: P1M}\n",
            ),
            "p.yaml",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(p.scale.band(4).name, "high");
    }

    #[test]
    fn review_intervals_must_name_bands() {
        let (_, problems) = Policy::resolve(&raw("review_interval: {hihg: P1M}\n"), "p.yaml");
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].location.pointer.as_deref(),
            Some("/policy/review_interval/hihg")
        );
    }

    #[test]
    fn event_reassessment_accepts_one_or_per_type() {
        let (p, _) = Policy::resolve(&raw("event_reassessment: P10D\n"), "p.yaml");
        assert_eq!(p.event_reassessment.breach, Duration::days(10));
        let (p, _) = Policy::resolve(&raw("event_reassessment: {breach: P7D}\n"), "p.yaml");
        assert_eq!(p.event_reassessment.breach, Duration::days(7));
        assert_eq!(p.event_reassessment.change, Duration::days(30));
    }
}
