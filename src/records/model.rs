//! The record kinds of records.md as Rust types. The JSON Schemas in `schemas/` are the
//! contract users see; these types are what the rules read once a record has passed them.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use crate::dates::{Date, Duration};

named! {
    #[derive(PartialOrd, Ord)]
    pub enum Classification {
        Official = "OFFICIAL",
        Secret = "SECRET",
        TopSecret = "TOP SECRET",
    }
}

impl Classification {
    /// The classification a marking names: `SECRET UK EYES ONLY` names SECRET,
    /// `OFFICIAL-SENSITIVE` names OFFICIAL; `UK EYES ONLY` names none.
    pub fn named_in(marking: &str) -> Option<Classification> {
        Classification::ALL
            .iter()
            .copied()
            .filter(|c| marking.starts_with(c.as_str()))
            .max()
    }
}

named! {
    pub enum LifecycleStage {
        Concept = "concept",
        Assessment = "assessment",
        Demonstration = "demonstration",
        Manufacture = "manufacture",
        InService = "in_service",
        Disposal = "disposal",
    }
}

impl LifecycleStage {
    /// The CAAT question set a self-assessment at this stage answers: the Foundation set in
    /// the early stages, the In development and in-service set from Demonstration on.
    pub fn caat_question_set(self) -> &'static str {
        match self {
            LifecycleStage::Concept | LifecycleStage::Assessment => "Foundation",
            _ => "In development and in-service",
        }
    }
}

named! {
    pub enum Criticality {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Project {
    pub name: String,
    pub description: String,
    pub organisation: String,
    pub lifecycle_stage: LifecycleStage,
    pub criticality: Criticality,
    #[serde(default)]
    pub max_classification: Option<Classification>,
    #[serde(default)]
    pub caat_reference: Option<String>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    #[serde(default)]
    pub policy: RawPolicy,
}

impl Project {
    pub fn max_classification(&self) -> Classification {
        self.max_classification.unwrap_or(Classification::Official)
    }
}

named! {
    pub enum MilestoneType {
        InvestmentAppraisal = "investment_appraisal",
        Gate = "gate",
        GoLive = "go_live",
        MajorRelease = "major_release",
        Decommission = "decommission",
        Other = "other",
    }
}

named! {
    pub enum IndependentReview {
        Undecided = "undecided",
        Requested = "requested",
        NotNeeded = "not_needed",
        Done = "done",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Milestone {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: MilestoneType,
    pub date: Date,
    pub independent_review: IndependentReview,
    #[serde(default)]
    pub assessment: Option<String>,
}

/// The `policy` block as written: every key optional. `Policy` is the resolved form.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct RawPolicy {
    pub assessment_interval: Option<Duration>,
    pub due_soon: Option<Duration>,
    pub event_reassessment: Option<RawEventReassessment>,
    pub review_interval: Option<BTreeMap<String, Duration>>,
    pub acceptance_max: Option<Duration>,
    pub board_cadence: Option<Duration>,
    pub appetite_review: Option<Duration>,
    pub action_red_after: Option<Duration>,
    pub milestone_horizon: Option<Duration>,
    pub board_red_after: Option<Duration>,
    pub sro_handover: Option<Duration>,
    pub independent_interval: Option<Duration>,
    pub public_outputs: Option<PublicOutputs>,
    pub covered_changes: Option<CoveredChanges>,
    pub scale: Option<RawScale>,
    pub signoff: Option<RawSignoffPolicy>,
}

named! {
    /// What outputs that leave the team (the pull-request comment, the job summary,
    /// annotations, SARIF) show of records carrying a handling marking.
    pub enum PublicOutputs {
        /// Their ids only: their text is withheld.
        Withhold = "withhold",
        Show = "show",
    }
}

named! {
    /// What a change to the code a record covers (`paths`) asks of the pull request.
    pub enum CoveredChanges {
        /// It is listed.
        Note = "note",
        /// It must also add or change an event record (a change, a new threat).
        Event = "event",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RawEventReassessment {
    All(Duration),
    ByType {
        change: Option<Duration>,
        new_threat: Option<Duration>,
        breach: Option<Duration>,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct RawScale {
    pub likelihood: Option<Vec<String>>,
    pub impact: Option<Vec<String>>,
    pub bands: Option<Vec<Band>>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct RawSignoffPolicy {
    pub require_git_author: Option<bool>,
    pub require_signed_commits: Option<bool>,
    pub separation_of_duties: Option<bool>,
    pub appetite_separation: Option<bool>,
    pub acceptance_delegate: Option<Role>,
    pub platform_keys: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Band {
    pub name: String,
    #[serde(default)]
    pub label: Option<String>,
    pub min: u8,
    pub max: u8,
    #[serde(default)]
    pub high: Option<bool>,
}

impl Band {
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }

    /// Whether late reviews and actions on risks in this band are red.
    pub fn is_high(&self) -> bool {
        self.high
            .unwrap_or(matches!(self.name.as_str(), "high" | "very_high"))
    }
}

named! {
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Sro = "sro",
        SecurityLead = "security_lead",
        DeliveryLead = "delivery_lead",
        RiskOwner = "risk_owner",
        ProjectSecurityOfficer = "project_security_officer",
        Assessor = "assessor",
        InformationAssetOwner = "information_asset_owner",
        Other = "other",
    }
}

/// A role, held always or between two dates.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RoleGrant {
    Always(Role),
    Dated {
        role: Role,
        #[serde(default)]
        from: Option<Date>,
        #[serde(default)]
        to: Option<Date>,
    },
}

impl RoleGrant {
    pub fn role(&self) -> Role {
        match self {
            RoleGrant::Always(role) | RoleGrant::Dated { role, .. } => *role,
        }
    }

    fn covers(&self, date: Date) -> bool {
        match self {
            RoleGrant::Always(_) => true,
            RoleGrant::Dated { from, to, .. } => within(date, *from, *to),
        }
    }
}

fn within(date: Date, from: Option<Date>, to: Option<Date>) -> bool {
    from.is_none_or(|f| f <= date) && to.is_none_or(|t| date <= t)
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct People {
    pub people: Vec<Person>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub github: Option<String>,
    pub roles: Vec<RoleGrant>,
    #[serde(default)]
    pub from: Option<Date>,
    #[serde(default)]
    pub to: Option<Date>,
    #[serde(default)]
    pub signing_keys: Vec<String>,
}

impl Person {
    /// Whether the person is active (has joined and not left) on `date`.
    pub fn is_active(&self, date: Date) -> bool {
        within(date, self.from, self.to)
    }

    /// Whether the person held `role` once and, by `date`, no longer does: the role (or
    /// the person's time on the service) ended before it. A role not yet begun has not ended.
    pub fn role_ended(&self, role: Role, date: Date) -> bool {
        if self.holds(role, date) {
            return false;
        }
        let grants: Vec<&RoleGrant> = self.roles.iter().filter(|g| g.role() == role).collect();
        !grants.is_empty()
            && (self.to.is_some_and(|to| to < date)
                || grants.iter().all(|g| match g {
                    RoleGrant::Always(_) => false,
                    RoleGrant::Dated { to, .. } => to.is_some_and(|to| to < date),
                }))
    }

    /// Whether the person is active and holds `role` on `date`.
    pub fn holds(&self, role: Role, date: Date) -> bool {
        self.role_since(role, date).is_some()
    }

    /// Since when the person has held `role`, if they hold it on `date`: `Some(None)` when
    /// people.yaml gives no start.
    pub fn role_since(&self, role: Role, date: Date) -> Option<Option<Date>> {
        if !self.is_active(date) {
            return None;
        }
        self.roles
            .iter()
            .filter(|grant| grant.role() == role && grant.covers(date))
            .map(|grant| match grant {
                RoleGrant::Dated {
                    from: Some(from), ..
                } => Some(*from),
                _ => self.from,
            })
            .next()
    }
}

named! {
    pub enum AppetiteLevel {
        Averse = "averse",
        Minimal = "minimal",
        Cautious = "cautious",
        Open = "open",
        Eager = "eager",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Appetite {
    pub statement: String,
    pub tolerance: u8,
    /// The largest residual score the SRO may accept alone.
    #[serde(default)]
    pub ceiling: Option<u8>,
    #[serde(default)]
    pub categories: Vec<AppetiteCategory>,
    #[serde(default)]
    pub parents: Vec<Evidence>,
    pub agreed_on: Date,
    pub last_reviewed: Date,
    #[serde(default)]
    pub classification: Option<Classification>,
    #[serde(default)]
    pub handling: Option<String>,
}

impl Appetite {
    /// Whom a risk above the ceiling goes to, in words: the owner of the parent appetite
    /// the record names ("the owner of the Army Cyber Risk Appetite Statement"), else of
    /// the parent appetite (TLB or Defence).
    pub fn escalate_to(&self) -> String {
        match self.parents.first() {
            Some(parent) => format!("the owner of the {}", parent.title.trim()),
            None => "the owner of the parent appetite (TLB or Defence)".to_owned(),
        }
    }

    /// The tolerance for a risk in `category`: the category's own, else the overall one.
    pub fn tolerance_for(&self, category: Option<&str>) -> u8 {
        category
            .and_then(|c| self.categories.iter().find(|cat| cat.name == c))
            .and_then(|cat| cat.tolerance)
            .unwrap_or(self.tolerance)
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct AppetiteCategory {
    pub name: String,
    #[serde(default)]
    pub level: Option<AppetiteLevel>,
    #[serde(default)]
    pub tolerance: Option<u8>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Evidence {
    pub title: String,
    pub version: String,
    pub date: Date,
    pub location: String,
    #[serde(default)]
    pub section: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub struct Score {
    pub likelihood: u8,
    pub impact: u8,
}

impl Score {
    pub fn value(self) -> u8 {
        self.likelihood * self.impact
    }
}

named! {
    pub enum RiskStatus {
        Open = "open",
        Closed = "closed",
    }
}

named! {
    pub enum Response {
        Treat = "treat",
        Tolerate = "tolerate",
        Transfer = "transfer",
        Terminate = "terminate",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct TargetScore {
    pub likelihood: u8,
    pub impact: u8,
    pub by: Date,
}

named! {
    pub enum ActionStatus {
        Open = "open",
        Done = "done",
        Cancelled = "cancelled",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Action {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: Date,
    pub status: ActionStatus,
    #[serde(default)]
    pub done_on: Option<Date>,
}

/// A risk escalated beyond the project: above the appetite's ceiling, the SRO cannot
/// accept it alone.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Escalation {
    pub to: String,
    pub date: Date,
    pub reference: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Closure {
    pub date: Date,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Risk {
    pub id: String,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub category: Option<String>,
    pub owner: String,
    pub status: RiskStatus,
    pub response: Response,
    pub inherent: Score,
    pub residual: Score,
    #[serde(default)]
    pub target: Option<TargetScore>,
    /// The code the risk is about: globs of repository paths.
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub controls: Vec<String>,
    #[serde(default)]
    pub actions: Vec<Action>,
    pub identified: Date,
    pub last_reviewed: Date,
    #[serde(default)]
    pub review_by: Option<Date>,
    #[serde(default)]
    pub escalation: Option<Escalation>,
    #[serde(default)]
    pub closed: Option<Closure>,
    #[serde(default)]
    pub classification: Option<Classification>,
    #[serde(default)]
    pub handling: Option<String>,
}

impl Assessment {
    pub fn coverage(&self) -> Coverage {
        self.coverage.unwrap_or(Coverage::Full)
    }

    /// A self-assessment of the whole service: what the three-monthly cycle asks for.
    pub fn is_full_self_assessment(&self) -> bool {
        self.kind == AssessmentType::SelfAssessment && self.coverage() == Coverage::Full
    }
}

impl Risk {
    pub fn is_open(&self) -> bool {
        self.status == RiskStatus::Open
    }
}

named! {
    pub enum AssessmentType {
        SelfAssessment = "self",
        Independent = "independent",
    }
}

named! {
    /// How much of the service an assessment covers.
    pub enum Coverage {
        Full = "full",
        Targeted = "targeted",
    }
}

named! {
    pub enum Trigger {
        Scheduled = "scheduled",
        Change = "change",
        NewThreat = "new_threat",
        Breach = "breach",
        Milestone = "milestone",
        Selected = "selected",
        Requested = "requested",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Maturity {
    pub identify: u8,
    pub protect: u8,
    pub detect: u8,
    pub respond: u8,
    pub recover: u8,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Outcome {
    #[serde(default)]
    pub maturity: Option<Maturity>,
    pub summary: String,
}

named! {
    #[derive(PartialOrd, Ord)]
    pub enum FindingSeverity {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct AssessmentFinding {
    pub id: String,
    pub title: String,
    pub severity: FindingSeverity,
    #[serde(default)]
    pub risks: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Assessment {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: AssessmentType,
    pub trigger: Trigger,
    /// `full` when not written.
    #[serde(default)]
    pub coverage: Option<Coverage>,
    #[serde(default)]
    pub trigger_ref: Option<String>,
    pub date: Date,
    pub assessors: Vec<String>,
    pub scope: String,
    /// The code the assessment is about: globs of repository paths.
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub tool_reference: Option<String>,
    pub outcome: Outcome,
    #[serde(default)]
    pub findings: Vec<AssessmentFinding>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub classification: Option<Classification>,
    #[serde(default)]
    pub handling: Option<String>,
}

named! {
    pub enum SignOffType {
        ReportApproval = "report_approval",
        RiskAcceptance = "risk_acceptance",
        AppetiteApproval = "appetite_approval",
        Other = "other",
    }
}

/// What a sign-off is about: `risk:R-004`, `assessment:<id>` or `appetite`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    Risk(String),
    Assessment(String),
    Appetite,
}

impl Subject {
    pub fn parse(text: &str) -> Option<Subject> {
        if text == "appetite" {
            return Some(Subject::Appetite);
        }
        let (kind, id) = text.split_once(':')?;
        if id.is_empty() {
            return None;
        }
        match kind {
            "risk" => Some(Subject::Risk(id.to_owned())),
            "assessment" => Some(Subject::Assessment(id.to_owned())),
            _ => None,
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Risk(id) => write!(f, "risk:{id}"),
            Subject::Assessment(id) => write!(f, "assessment:{id}"),
            Subject::Appetite => f.write_str("appetite"),
        }
    }
}

impl<'de> Deserialize<'de> for Subject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Subject::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a sign-off subject")))
    }
}

impl Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct SignOff {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: SignOffType,
    pub subject: Subject,
    pub subject_digest: String,
    pub signed_by: String,
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// Free text is written double-quoted, so YAML never reads it as anything else.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "quoted"
    )]
    pub rationale: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "quoted_each"
    )]
    pub conditions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling: Option<String>,
}

fn quoted<S: serde::Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    text.as_deref().map(serde_saphyr::DoubleQuoted).serialize(s)
}

fn quoted_each<S: serde::Serializer>(texts: &[String], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(texts.iter().map(|t| serde_saphyr::DoubleQuoted(t.as_str())))
}

impl SignOffType {
    /// Whether a decision of this type can be about `subject`.
    pub fn fits(self, subject: &Subject) -> bool {
        match self {
            SignOffType::ReportApproval => matches!(subject, Subject::Assessment(_)),
            SignOffType::RiskAcceptance => matches!(subject, Subject::Risk(_)),
            SignOffType::AppetiteApproval => *subject == Subject::Appetite,
            SignOffType::Other => true,
        }
    }

    /// What a decision of this type is about, in words.
    pub fn subject_wanted(self) -> &'static str {
        match self {
            SignOffType::ReportApproval => "an assessment (`assessment:<id>`)",
            SignOffType::RiskAcceptance => "a risk (`risk:R-NNN`)",
            SignOffType::AppetiteApproval => "the appetite (`appetite`)",
            SignOffType::Other => "a risk, an assessment or the appetite",
        }
    }

    /// In words: "report approval", "risk acceptance", "appetite approval", "other decision".
    pub fn words(self) -> &'static str {
        match self {
            SignOffType::ReportApproval => "report approval",
            SignOffType::RiskAcceptance => "risk acceptance",
            SignOffType::AppetiteApproval => "appetite approval",
            SignOffType::Other => "other decision",
        }
    }

    /// "a report approval", "an appetite approval": the type in words, with its article.
    pub fn with_article(self) -> String {
        let words = self.words();
        let article = if words.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {words}")
    }
}

/// What is wrong with a sign-off in itself, as `check` and `assure sign` both find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOffProblem {
    /// Its type does not fit its subject.
    WrongSubject,
    /// It expires on or before the day it was signed.
    ExpiresBeforeSigned { expires: Date },
    /// A risk acceptance without an expiry; `latest` is the latest allowed.
    NoExpiry { latest: Date },
    /// A risk acceptance that runs past `acceptance_max`.
    ExpiresPastMax { expires: Date, latest: Date },
    /// A risk acceptance that does not say why.
    NoRationale,
}

impl SignOff {
    /// Why its type does not fit its subject, in words.
    pub fn wrong_subject(&self) -> String {
        format!(
            "{} must be about {}, not `{}`",
            self.kind.with_article(),
            self.kind.subject_wanted(),
            self.subject
        )
    }

    /// Everything wrong with this sign-off in itself, in the order a signer would fix it.
    pub fn problems(&self, acceptance_max: Duration) -> Vec<SignOffProblem> {
        let mut out = Vec::new();
        if !self.kind.fits(&self.subject) {
            out.push(SignOffProblem::WrongSubject);
        }
        let acceptance = self.kind == SignOffType::RiskAcceptance;
        let latest = acceptance_max.after(self.date);
        match self.expires {
            Some(expires) if expires <= self.date => {
                out.push(SignOffProblem::ExpiresBeforeSigned { expires })
            }
            Some(expires) if acceptance && expires > latest => {
                out.push(SignOffProblem::ExpiresPastMax { expires, latest })
            }
            None if acceptance => out.push(SignOffProblem::NoExpiry { latest }),
            _ => {}
        }
        if acceptance
            && self
                .rationale
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            out.push(SignOffProblem::NoRationale);
        }
        out
    }
}

named! {
    pub enum EventType {
        Change = "change",
        NewThreat = "new_threat",
        Breach = "breach",
    }
}

impl EventType {
    /// In words: "new threat".
    pub fn words(self) -> &'static str {
        match self {
            EventType::Change => "change",
            EventType::NewThreat => "new threat",
            EventType::Breach => "breach",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub date: Date,
    pub summary: String,
    #[serde(default)]
    pub affects: Vec<String>,
    #[serde(default)]
    pub classification: Option<Classification>,
    #[serde(default)]
    pub handling: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Board {
    pub id: String,
    pub date: Date,
    pub board: String,
    #[serde(default)]
    pub presented_by: Option<String>,
    #[serde(default)]
    pub decisions: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub classification: Option<Classification>,
    #[serde(default)]
    pub handling: Option<String>,
}

macro_rules! dated {
    ($($ty:ty),*) => {
        $(impl crate::records::Dated for $ty {
            fn date(&self) -> Date {
                self.date
            }
            fn id(&self) -> &str {
                &self.id
            }
        })*
    };
}

dated!(Assessment, SignOff, Event, Board);

/// Records that may carry a protective marking of their own.
pub trait Marked {
    fn classification(&self) -> Option<Classification>;
    fn handling(&self) -> Option<&str>;
}

macro_rules! marked {
    ($($ty:ty),*) => {
        $(impl Marked for $ty {
            fn classification(&self) -> Option<Classification> {
                self.classification
            }
            fn handling(&self) -> Option<&str> {
                self.handling.as_deref()
            }
        })*
    };
}

marked!(Appetite, Risk, Assessment, SignOff, Event, Board);

/// The protective marking of what an output contains: the highest classification, and any
/// handling markings (OFFICIAL-SENSITIVE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    pub classification: Classification,
    pub handling: std::collections::BTreeSet<String>,
}

impl Default for Marking {
    fn default() -> Self {
        Marking {
            classification: Classification::Official,
            handling: Default::default(),
        }
    }
}

impl Marking {
    /// Raise it to cover a record marked `classification` and `handling`.
    pub fn include(&mut self, classification: Option<Classification>, handling: Option<&str>) {
        if let Some(c) = classification {
            self.classification = self.classification.max(c);
        }
        if let Some(h) = handling {
            if let Some(c) = Classification::named_in(h) {
                self.classification = self.classification.max(c);
            }
            self.handling.insert(h.to_owned());
        }
    }

    /// Raise it to cover `other` too.
    pub fn merge(&mut self, other: &Marking) {
        self.classification = self.classification.max(other.classification);
        self.handling.extend(other.handling.iter().cloned());
    }
}

impl fmt::Display for Marking {
    /// `OFFICIAL`, `OFFICIAL-SENSITIVE`, `SECRET UK EYES ONLY`. A handling marking that names
    /// the classification (OFFICIAL-SENSITIVE) stands for both, and one that names a lower
    /// classification is covered by the higher; any other (a caveat or descriptor, such as
    /// UK EYES ONLY) follows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut head = Vec::new();
        let mut caveats = Vec::new();
        for h in &self.handling {
            match Classification::named_in(h) {
                Some(c) if c < self.classification => {}
                Some(_) => head.push(h.as_str()),
                None => caveats.push(h.as_str()),
            }
        }
        if head.is_empty() {
            head.push(self.classification.as_str());
        }
        f.write_str(&head.join(" / "))?;
        for caveat in caveats {
            write!(f, " {caveat}")?;
        }
        Ok(())
    }
}

impl Serialize for Marking {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marking(classifications: &[Classification], handling: &[&str]) -> String {
        let mut marking = Marking::default();
        for c in classifications {
            marking.include(Some(*c), None);
        }
        for h in handling {
            marking.include(None, Some(h));
        }
        marking.to_string()
    }

    #[test]
    fn a_marking_reads_as_the_government_security_classifications_write_it() {
        use Classification::*;
        assert_eq!(marking(&[], &[]), "OFFICIAL");
        assert_eq!(
            marking(&[Official], &["OFFICIAL-SENSITIVE"]),
            "OFFICIAL-SENSITIVE"
        );
        assert_eq!(
            marking(&[], &["OFFICIAL-SENSITIVE", "UK EYES ONLY"]),
            "OFFICIAL-SENSITIVE UK EYES ONLY"
        );
        assert_eq!(marking(&[Secret], &["UK EYES ONLY"]), "SECRET UK EYES ONLY");
        // The higher classification covers OFFICIAL-SENSITIVE.
        assert_eq!(marking(&[Secret], &["OFFICIAL-SENSITIVE"]), "SECRET");
        assert_eq!(marking(&[Secret, TopSecret], &[]), "TOP SECRET");
    }
}
