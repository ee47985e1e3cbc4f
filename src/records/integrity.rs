//! Checks across records: every reference resolves, ids are unique where the schema cannot
//! see it, and dates and types agree with each other. Whether people are active on a date is
//! a status rule (GOV-1, GOV-3), not a validity error.

use crate::hash::{HashMap, HashSet};
use std::sync::Arc;

use crate::dates::Date;
use crate::finding::{ErrorCode, Finding, Location};
use crate::records::model::*;
use crate::records::{ActionStatus, Kind, Record, RecordSet};
use crate::suggest::did_you_mean;

/// Known ids per kind, including those of records that are otherwise invalid.
#[derive(Debug, Default)]
pub struct KnownIds {
    pub by_kind: HashMap<Kind, HashMap<String, Arc<str>>>,
    /// The records of files that could not be read, as their place and name say
    /// (`risks/R-001.yaml`: risk R-001): a reference to one is not reported as dangling on
    /// top of the file's own problem.
    unread: HashSet<(Kind, String)>,
}

impl KnownIds {
    pub fn contains(&self, kind: Kind, id: &str) -> bool {
        self.by_kind.get(&kind).is_some_and(|m| m.contains_key(id))
            || self.unread.contains(&(kind, id.to_owned()))
    }

    /// Room for `n` ids of `kind`.
    pub fn reserve(&mut self, kind: Kind, n: usize) {
        if n > 0 {
            self.by_kind.entry(kind).or_default().reserve(n);
        }
    }

    /// Note the file `path` under the records folder `dir` as unreadable.
    pub fn unread(&mut self, dir: &str, path: &str) {
        let relative = path
            .strip_prefix(dir)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(path);
        let Some(kind) = Kind::for_place(relative) else {
            return;
        };
        let name = relative.rsplit('/').next().unwrap_or(relative);
        let id = name.split_once('.').map_or(name, |(stem, _)| stem);
        self.unread.insert((kind, id.to_owned()));
    }

    /// Whether a file of this kind exists, valid or not (for the singletons).
    pub fn exists(&self, kind: Kind) -> bool {
        self.by_kind.contains_key(&kind) || self.unread.iter().any(|(k, _)| *k == kind)
    }

    pub fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.by_kind
            .get(&kind)
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
    }
}

struct Checker<'a> {
    set: &'a RecordSet,
    known: &'a KnownIds,
    /// Only check people references when people.yaml loaded: otherwise every owner would be
    /// reported as unknown on top of the real problem.
    check_people: bool,
    findings: Vec<Finding>,
}

pub fn check(set: &RecordSet, known: &KnownIds) -> Vec<Finding> {
    let checker = || Checker {
        set,
        known,
        check_people: set.people.is_some(),
        findings: Vec::new(),
    };
    // Every action id is looked up in a table of its own (the most of the work on a large
    // register) beside the rest; its findings come last, as ever.
    std::thread::scope(|scope| {
        let unique = scope.spawn(|| {
            let mut c = checker();
            c.unique_actions();
            c.findings
        });
        let mut c = checker();
        c.people();
        c.appetite();
        c.risks();
        c.assessments();
        c.signoffs();
        c.events();
        c.boards();
        c.project();
        let unique = unique
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        c.findings.extend(unique);
        c.findings
    })
}

impl Checker<'_> {
    fn unknown(
        &mut self,
        file: &str,
        pointer: String,
        record: (&'static str, Option<&str>),
        message: String,
        hint: String,
    ) {
        self.error(
            ErrorCode::UnknownReference,
            file,
            pointer,
            record,
            message,
            hint,
        );
    }

    /// `pointer` is made only for a finding: most people named are listed.
    fn person(
        &mut self,
        file: &str,
        pointer: impl FnOnce() -> String,
        record: (&'static str, Option<&str>),
        id: &str,
    ) {
        if !self.check_people || self.set.person(id).is_some() {
            return;
        }
        let people = self.set.all_people().iter().map(|p| p.id.as_str());
        let hint = match did_you_mean(id, people) {
            Some(best) => format!("did you mean `{best}`? People are listed in people.yaml"),
            None => format!("add `{id}` to people.yaml, or name someone who is listed there"),
        };
        self.unknown(
            file,
            pointer(),
            record,
            format!("unknown person `{id}`"),
            hint,
        );
    }

    fn reference(
        &mut self,
        file: &str,
        pointer: String,
        record: (&'static str, Option<&str>),
        kind: Kind,
        id: &str,
    ) {
        if self.known.contains(kind, id) {
            return;
        }
        let hint = match did_you_mean(id, self.known.ids(kind)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("there is no {} `{id}` in {}", kind.name(), kind.place()),
        };
        self.unknown(
            file,
            pointer,
            record,
            format!("unknown {} `{id}`", kind.name()),
            hint,
        );
    }

    fn inconsistent(
        &mut self,
        file: &str,
        pointer: String,
        record: (&'static str, Option<&str>),
        message: String,
        hint: &str,
    ) {
        self.error(
            ErrorCode::InconsistentDates,
            file,
            pointer,
            record,
            message,
            hint,
        );
    }

    /// A located error about a record, with what to do.
    fn error(
        &mut self,
        code: ErrorCode,
        file: &str,
        pointer: impl Into<String>,
        record: (&'static str, Option<&str>),
        message: String,
        hint: impl Into<String>,
    ) {
        self.findings.push(
            Finding::error(code, Location::field(file, pointer), message)
                .with_record(record.0, record.1)
                .with_hint(hint),
        );
    }

    fn inconsistent_scores(
        &mut self,
        file: &str,
        pointer: &str,
        record: (&'static str, Option<&str>),
        message: String,
        hint: &str,
    ) {
        self.error(
            ErrorCode::InconsistentScores,
            file,
            pointer,
            record,
            message,
            hint,
        );
    }

    /// The ceiling, if any, is at least every tolerance: the SRO may accept what it tolerates.
    fn appetite(&mut self) {
        let Some(appetite) = &self.set.appetite else {
            return;
        };
        let Some(ceiling) = appetite.ceiling else {
            return;
        };
        let highest = appetite
            .categories
            .iter()
            .filter_map(|c| c.tolerance)
            .chain([appetite.tolerance])
            .max()
            .unwrap_or(appetite.tolerance);
        if ceiling < highest {
            self.findings.push(
                Finding::error(
                    ErrorCode::InvalidValue,
                    Location::field(&*appetite.file, "/ceiling"),
                    format!("the ceiling ({ceiling}) is below a tolerance ({highest})"),
                )
                .with_record("appetite", None)
                .with_hint("the ceiling is the most the SRO may accept alone: set it at or above every tolerance"),
            );
        }
    }

    fn people(&mut self) {
        let Some(people) = &self.set.people else {
            return;
        };
        let mut seen: HashMap<&str, usize> = HashMap::default();
        for (i, p) in people.people.iter().enumerate() {
            let record = ("people", None);
            if let Some(first) = seen.insert(&p.id, i) {
                self.findings.push(
                    Finding::error(
                        ErrorCode::DuplicateId,
                        Location::field(&*people.file, format!("/people/{i}/id")),
                        format!(
                            "person id `{}` is already used by entry {}",
                            p.id,
                            first + 1
                        ),
                    )
                    .with_record(record.0, record.1)
                    .with_hint("give each person their own id"),
                );
            }
            if let (Some(from), Some(to)) = (p.from, p.to)
                && to < from
            {
                self.inconsistent(
                    &people.file,
                    format!("/people/{i}/to"),
                    record,
                    format!("`{}` leaves ({to}) before they join ({from})", p.id),
                    "check the `from` and `to` dates",
                );
            }
            for (j, grant) in p.roles.iter().enumerate() {
                if let RoleGrant::Dated {
                    from: Some(from),
                    to: Some(to),
                    ..
                } = grant
                    && to < from
                {
                    self.inconsistent(
                        &people.file,
                        format!("/people/{i}/roles/{j}/to"),
                        record,
                        format!(
                            "`{}` holds a role ending ({to}) before it starts ({from})",
                            p.id
                        ),
                        "check the role's `from` and `to` dates",
                    );
                }
            }
        }
    }

    /// A record's `paths`: each a glob of repository paths, relative, inside the repository.
    fn paths(&mut self, file: &str, record: (&'static str, Option<&str>), paths: &[String]) {
        for (i, path) in paths.iter().enumerate() {
            let why = if path.starts_with('/') || path.split('/').any(|part| part == "..") {
                Some("is not a path inside the repository".to_owned())
            } else {
                glob::Pattern::new(path)
                    .err()
                    .map(|e| format!("is not a glob: {}", e.msg))
            };
            if let Some(why) = why {
                self.findings.push(
                    Finding::error(
                        ErrorCode::InvalidFormat,
                        Location::field(file, format!("/paths/{i}")),
                        format!("`{path}` {why}"),
                    )
                    .with_record(record.0, record.1)
                    .with_hint("give a path relative to the repository root, such as `src/payments/**` (`*` within a folder, `**` across folders)"),
                );
            }
        }
    }

    /// The actions of a record raised on `raised` (a risk's identification, an assessment's
    /// date): owners are people, and none was done before it was raised.
    fn actions(
        &mut self,
        file: &str,
        record: (&'static str, Option<&str>),
        actions: &[Action],
        raised: Date,
    ) {
        for (i, a) in actions.iter().enumerate() {
            self.person(file, || format!("/actions/{i}/owner"), record, &a.owner);
            if let (Some(done), ActionStatus::Open) = (a.done_on, a.status) {
                self.inconsistent(
                    file,
                    format!("/actions/{i}/done_on"),
                    record,
                    format!("action {} is open, but says it was done on {done}", a.id),
                    "if it is done, set `status: done`; if not, remove `done_on`",
                );
                continue;
            }
            if let Some(done) = a.done_on
                && done < raised
            {
                self.inconsistent(
                    file,
                    format!("/actions/{i}/done_on"),
                    record,
                    if record.0 == "risk" {
                        format!(
                            "action {} is done on {done}, before its risk was identified on {raised}",
                            a.id
                        )
                    } else {
                        format!(
                            "action {} is done on {done}, before its assessment on {raised}",
                            a.id
                        )
                    },
                    "check the `done_on` date",
                );
            }
        }
    }

    fn risks(&mut self) {
        let set = self.set;
        let categories: Vec<&str> = set
            .appetite
            .as_ref()
            .map(|a| a.categories.iter().map(|c| c.name.as_str()).collect())
            .unwrap_or_default();
        for risk in &set.risks {
            let record = ("risk", Some(risk.id.as_str()));
            self.person(&risk.file, || "/owner".into(), record, &risk.owner);
            self.actions(&risk.file, record, &risk.actions, risk.identified);
            self.paths(&risk.file, record, &risk.paths);
            if let Some(closed) = &risk.closed
                && closed.date < risk.identified
            {
                self.inconsistent(
                    &risk.file,
                    "/closed/date".into(),
                    record,
                    format!(
                        "closed on {}, before it was identified on {}",
                        closed.date, risk.identified
                    ),
                    "check the `identified` and `closed.date` dates",
                );
            }
            let (inherent, residual) = (&risk.inherent, &risk.residual);
            if residual.likelihood > inherent.likelihood || residual.impact > inherent.impact {
                self.inconsistent_scores(
                    &risk.file,
                    "/residual",
                    record,
                    format!(
                        "the residual score (likelihood {}, impact {}) is above the inherent score (likelihood {}, impact {}): controls do not add risk",
                        residual.likelihood, residual.impact, inherent.likelihood, inherent.impact
                    ),
                    "if the risk has grown, raise the inherent score too; otherwise correct the residual",
                );
            }
            if let Some(target) = &risk.target
                && risk.is_open()
                && (target.likelihood > residual.likelihood || target.impact > residual.impact)
            {
                self.inconsistent_scores(
                    &risk.file,
                    "/target",
                    record,
                    format!(
                        "the target (likelihood {}, impact {}) is above the residual score (likelihood {}, impact {}): a target is where treatment brings the risk down to",
                        target.likelihood, target.impact, residual.likelihood, residual.impact
                    ),
                    "set the target at or below the residual score, or remove it if the risk is where it should be",
                );
            }
            if let Some(category) = &risk.category
                && !categories.is_empty()
                && !categories.contains(&category.as_str())
            {
                let hint = match did_you_mean(category, categories.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("the appetite's categories are: {}", categories.join(", ")),
                };
                self.unknown(
                    &risk.file,
                    "/category".into(),
                    record,
                    format!("unknown risk category `{category}`"),
                    hint,
                );
            }
            if let Some(escalation) = &risk.escalation
                && escalation.date < risk.identified
            {
                self.inconsistent(
                    &risk.file,
                    "/escalation/date".into(),
                    record,
                    format!(
                        "the escalation is dated {}, before the risk was identified on {}",
                        escalation.date, risk.identified
                    ),
                    "give the day the risk was escalated",
                );
            }
            let scale = &set.policy.scale;
            let (levels_l, levels_i) = (scale.likelihood.len() as u8, scale.impact.len() as u8);
            let scores = [
                (
                    "/inherent",
                    Some((risk.inherent.likelihood, risk.inherent.impact)),
                ),
                (
                    "/residual",
                    Some((risk.residual.likelihood, risk.residual.impact)),
                ),
                (
                    "/target",
                    risk.target.as_ref().map(|t| (t.likelihood, t.impact)),
                ),
            ];
            for (pointer, score) in scores {
                let Some((l, i)) = score else { continue };
                for (axis, value, levels) in [("likelihood", l, levels_l), ("impact", i, levels_i)]
                {
                    if value > levels {
                        self.findings.push(
                            Finding::error(
                                ErrorCode::OutOfRange,
                                Location::field(&*risk.file, format!("{pointer}/{axis}")),
                                format!(
                                    "{axis} {value} is beyond the policy's {levels}-level scale"
                                ),
                            )
                            .with_record(record.0, record.1)
                            .with_hint(format!(
                                "use 1 to {levels}, as set by policy.scale.{axis} in project.yaml"
                            )),
                        );
                    }
                }
            }
            if risk.last_reviewed < risk.identified {
                self.inconsistent(
                    &risk.file,
                    "/last_reviewed".into(),
                    record,
                    format!(
                        "last reviewed ({}) before it was identified ({})",
                        risk.last_reviewed, risk.identified
                    ),
                    "check the `identified` and `last_reviewed` dates",
                );
            }
            if risk.closed.is_some() && risk.is_open() {
                self.findings.push(
                    Finding::error(
                        ErrorCode::InvalidValue,
                        Location::field(&*risk.file, "/closed"),
                        "the risk is open but has a `closed` block",
                    )
                    .with_record(record.0, record.1)
                    .with_hint("set `status: closed`, or remove the `closed` block"),
                );
            }
        }
    }

    fn assessments(&mut self) {
        let set = self.set;
        for a in &set.assessments {
            let record = ("assessment", Some(a.id.as_str()));
            self.actions(&a.file, record, &a.actions, a.date);
            self.paths(&a.file, record, &a.paths);
            if a.kind == AssessmentType::SelfAssessment {
                for (i, who) in a.assessors.iter().enumerate() {
                    self.person(&a.file, || format!("/assessors/{i}"), record, who);
                }
            }
            let mut finding_ids: HashMap<&str, usize> = HashMap::default();
            for (i, f) in a.findings.iter().enumerate() {
                if finding_ids.insert(&f.id, i).is_some() {
                    self.findings.push(
                        Finding::error(
                            ErrorCode::DuplicateId,
                            Location::field(&*a.file, format!("/findings/{i}/id")),
                            format!("finding id `{}` is used twice in this assessment", f.id),
                        )
                        .with_record(record.0, record.1)
                        .with_hint("give each finding its own id"),
                    );
                }
                for (j, risk) in f.risks.iter().enumerate() {
                    self.reference(
                        &a.file,
                        format!("/findings/{i}/risks/{j}"),
                        record,
                        Kind::Risk,
                        risk,
                    );
                }
            }
            if let Some(reference) = &a.trigger_ref {
                self.trigger_ref(a, reference);
            }
        }
    }

    fn trigger_ref(&mut self, a: &Record<Assessment>, reference: &str) {
        let record = ("assessment", Some(a.id.as_str()));
        if reference.starts_with("E-") {
            self.reference(
                &a.file,
                "/trigger_ref".into(),
                record,
                Kind::Event,
                reference,
            );
        } else if reference.starts_with("M-") {
            if !self.set.milestones().iter().any(|m| m.id == reference) {
                let ids = self.set.milestones().iter().map(|m| m.id.as_str());
                let hint = match did_you_mean(reference, ids) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "milestones are listed in project.yaml".to_owned(),
                };
                self.unknown(
                    &a.file,
                    "/trigger_ref".into(),
                    record,
                    format!("unknown milestone `{reference}`"),
                    hint,
                );
            }
        } else {
            self.unknown(
                &a.file,
                "/trigger_ref".into(),
                record,
                format!("`{reference}` is neither an event nor a milestone"),
                "name the event (E-NNN) or milestone (M-NNN) that triggered the assessment".into(),
            );
        }
    }

    fn signoffs(&mut self) {
        let set = self.set;
        let policy = &set.policy;
        for s in &set.signoffs {
            let record = ("signoff", Some(s.id.as_str()));
            self.person(&s.file, || "/signed_by".into(), record, &s.signed_by);
            match &s.subject {
                Subject::Risk(id) => {
                    self.reference(&s.file, "/subject".into(), record, Kind::Risk, id)
                }
                Subject::Assessment(id) => {
                    self.reference(&s.file, "/subject".into(), record, Kind::Assessment, id)
                }
                Subject::Appetite => {
                    if !self.known.exists(Kind::Appetite) {
                        self.unknown(
                            &s.file,
                            "/subject".into(),
                            record,
                            "the subject is the appetite, but there is no appetite.yaml".into(),
                            "write appetite.yaml first, then sign it".into(),
                        );
                    }
                }
            }
            for problem in s.problems(policy.acceptance_max) {
                match problem {
                    SignOffProblem::WrongSubject => self.findings.push(
                        Finding::error(
                            ErrorCode::InvalidValue,
                            Location::field(&*s.file, "/subject"),
                            s.wrong_subject(),
                        )
                        .with_record(record.0, record.1)
                        .with_hint("correct the subject or the type"),
                    ),
                    SignOffProblem::ExpiresBeforeSigned { expires } => self.inconsistent(
                        &s.file,
                        "/expires".into(),
                        record,
                        format!(
                            "expires ({expires}) on or before the day it was signed ({})",
                            s.date
                        ),
                        "set `expires` after `date`",
                    ),
                    SignOffProblem::ExpiresPastMax { expires, latest } => self.inconsistent(
                        &s.file,
                        "/expires".into(),
                        record,
                        format!(
                            "expires {expires}, more than acceptance_max ({}) after it was signed; the latest allowed is {latest}",
                            policy.acceptance_max
                        ),
                        "a risk acceptance must be renewed at least every acceptance_max: shorten it and re-sign",
                    ),
                    // The schema requires both of a risk acceptance.
                    SignOffProblem::NoExpiry { .. } | SignOffProblem::NoRationale => {}
                }
            }
        }
    }

    fn events(&mut self) {
        let set = self.set;
        for e in &set.events {
            let record = ("event", Some(e.id.as_str()));
            for (i, target) in e.affects.iter().enumerate() {
                let pointer = format!("/affects/{i}");
                if let Some(("risk", id)) = target.split_once(':') {
                    self.reference(&e.file, pointer, record, Kind::Risk, id);
                }
            }
        }
    }

    fn boards(&mut self) {
        let set = self.set;
        for b in &set.boards {
            let record = ("board", Some(b.id.as_str()));
            if let Some(who) = &b.presented_by {
                self.person(&b.file, || "/presented_by".into(), record, who);
            }
            for (i, decision) in b.decisions.iter().enumerate() {
                self.reference(
                    &b.file,
                    format!("/decisions/{i}"),
                    record,
                    Kind::Signoff,
                    decision,
                );
            }
            if !b.id.starts_with(&b.date.to_string()) {
                self.inconsistent(
                    &b.file,
                    "/date".into(),
                    record,
                    format!("the board record `{}` is dated {}", b.id, b.date),
                    "name the file and id after the meeting date",
                );
            }
        }
    }

    fn project(&mut self) {
        let set = self.set;
        let Some(project) = &set.project else { return };
        let mut seen: HashMap<&str, usize> = HashMap::default();
        for (i, m) in project.milestones.iter().enumerate() {
            let record = ("project", None);
            if seen.insert(&m.id, i).is_some() {
                self.findings.push(
                    Finding::error(
                        ErrorCode::DuplicateId,
                        Location::field(&*project.file, format!("/milestones/{i}/id")),
                        format!("milestone id `{}` is used twice", m.id),
                    )
                    .with_record(record.0, record.1)
                    .with_hint("give each milestone its own id"),
                );
            }
            if let Some(a) = &m.assessment {
                self.reference(
                    &project.file,
                    format!("/milestones/{i}/assessment"),
                    record,
                    Kind::Assessment,
                    a,
                );
            }
        }
    }

    /// Action ids are unique across every risk and assessment.
    fn unique_actions(&mut self) {
        let set = self.set;
        let actions = set.risks.iter().map(|r| r.actions.len()).sum::<usize>()
            + set
                .assessments
                .iter()
                .map(|a| a.actions.len())
                .sum::<usize>();
        let mut seen: HashMap<&str, &str> =
            HashMap::with_capacity_and_hasher(actions, Default::default());
        let all = set
            .risks
            .iter()
            .map(|r| (&r.file, "risk", r.id.as_str(), &r.actions))
            .chain(
                set.assessments
                    .iter()
                    .map(|a| (&a.file, "assessment", a.id.as_str(), &a.actions)),
            );
        for (file, kind, id, actions) in all {
            for (i, action) in actions.iter().enumerate() {
                if let Some(first) = seen.insert(&action.id, file) {
                    self.findings.push(
                        Finding::error(
                            ErrorCode::DuplicateId,
                            Location::field(&**file, format!("/actions/{i}/id")),
                            format!("action id `{}` is already used in {first}", action.id),
                        )
                        .with_record(kind, Some(id))
                        .with_hint("give each action its own id, unique across the repository"),
                    );
                }
            }
        }
    }
}
