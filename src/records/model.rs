//! The record kinds of records.md as Rust types. The JSON Schemas in `schemas/` are the
//! contract users see; these types are what the rules read once a record has passed them.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use crate::dates::{Date, Duration};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Classification {
    #[serde(rename = "OFFICIAL")]
    Official,
    #[serde(rename = "SECRET")]
    Secret,
    #[serde(rename = "TOP SECRET")]
    TopSecret,
}

impl Classification {
    pub fn parse(text: &str) -> Option<Classification> {
        match text {
            "OFFICIAL" => Some(Classification::Official),
            "SECRET" => Some(Classification::Secret),
            "TOP SECRET" => Some(Classification::TopSecret),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Official => "OFFICIAL",
            Classification::Secret => "SECRET",
            Classification::TopSecret => "TOP SECRET",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    Concept,
    Assessment,
    Demonstration,
    Manufacture,
    InService,
    Disposal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Project {
    pub name: String,
    pub description: String,
    pub organisation: String,
    pub lifecycle_stage: LifecycleStage,
    pub risk_level: RiskLevel,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneType {
    InvestmentAppraisal,
    Gate,
    GoLive,
    MajorRelease,
    Decommission,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndependentReview {
    Undecided,
    Requested,
    NotNeeded,
    Done,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
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
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct RawPolicy {
    pub assessment_interval: Option<Duration>,
    pub due_soon: Option<Duration>,
    pub event_reassessment: Option<RawEventReassessment>,
    pub review_interval: Option<BTreeMap<String, Duration>>,
    pub acceptance_max: Option<Duration>,
    pub board_cadence: Option<Duration>,
    pub appetite_review: Option<Duration>,
    pub scale: Option<RawScale>,
    pub signoff: Option<RawSignoffPolicy>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RawEventReassessment {
    All(Duration),
    ByType {
        change: Option<Duration>,
        new_threat: Option<Duration>,
        breach: Option<Duration>,
    },
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct RawScale {
    pub likelihood: Option<Vec<String>>,
    pub impact: Option<Vec<String>>,
    pub bands: Option<Vec<Band>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct RawSignoffPolicy {
    pub require_git_author: Option<bool>,
    pub require_signed_commits: Option<bool>,
    pub separation_of_duties: Option<bool>,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Sro,
    SecurityLead,
    DeliveryLead,
    RiskOwner,
    Assessor,
    InformationAssetOwner,
    Other,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Sro => "sro",
            Role::SecurityLead => "security_lead",
            Role::DeliveryLead => "delivery_lead",
            Role::RiskOwner => "risk_owner",
            Role::Assessor => "assessor",
            Role::InformationAssetOwner => "information_asset_owner",
            Role::Other => "other",
        }
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

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct People {
    pub people: Vec<Person>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
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

    /// Whether the person is active and holds `role` on `date`.
    pub fn holds(&self, role: Role, date: Date) -> bool {
        self.is_active(date)
            && self
                .roles
                .iter()
                .any(|grant| grant.role() == role && grant.covers(date))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppetiteLevel {
    Averse,
    Minimal,
    Cautious,
    Open,
    Eager,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Appetite {
    pub statement: String,
    pub tolerance: u8,
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
    /// The tolerance for a risk in `category`: the category's own, else the overall one.
    pub fn tolerance_for(&self, category: Option<&str>) -> u8 {
        category
            .and_then(|c| self.categories.iter().find(|cat| cat.name == c))
            .and_then(|cat| cat.tolerance)
            .unwrap_or(self.tolerance)
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Open,
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    Treat,
    Tolerate,
    Transfer,
    Terminate,
}

impl Response {
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Treat => "treat",
            Response::Tolerate => "tolerate",
            Response::Transfer => "transfer",
            Response::Terminate => "terminate",
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct TargetScore {
    pub likelihood: u8,
    pub impact: u8,
    pub by: Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    Done,
    Cancelled,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Action {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: Date,
    pub status: ActionStatus,
    #[serde(default)]
    pub done_on: Option<Date>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Closure {
    pub date: Date,
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
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
    #[serde(default)]
    pub controls: Vec<String>,
    #[serde(default)]
    pub actions: Vec<Action>,
    pub identified: Date,
    pub last_reviewed: Date,
    #[serde(default)]
    pub review_by: Option<Date>,
    #[serde(default)]
    pub escalate: Option<bool>,
    #[serde(default)]
    pub closed: Option<Closure>,
    #[serde(default)]
    pub classification: Option<Classification>,
    #[serde(default)]
    pub handling: Option<String>,
}

impl Risk {
    pub fn is_open(&self) -> bool {
        self.status == RiskStatus::Open
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentType {
    #[serde(rename = "self")]
    SelfAssessment,
    Independent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Scheduled,
    Change,
    NewThreat,
    Breach,
    Milestone,
    Selected,
    Requested,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Maturity {
    pub identify: u8,
    pub protect: u8,
    pub detect: u8,
    pub respond: u8,
    pub recover: u8,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Outcome {
    #[serde(default)]
    pub maturity: Option<Maturity>,
    pub summary: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSeverity {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct AssessmentFinding {
    pub id: String,
    pub title: String,
    pub severity: FindingSeverity,
    #[serde(default)]
    pub risks: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Assessment {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: AssessmentType,
    pub trigger: Trigger,
    #[serde(default)]
    pub trigger_ref: Option<String>,
    pub date: Date,
    pub assessors: Vec<String>,
    pub scope: String,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOffType {
    ReportApproval,
    RiskAcceptance,
    AppetiteApproval,
    Other,
}

impl SignOffType {
    pub fn as_str(self) -> &'static str {
        match self {
            SignOffType::ReportApproval => "report_approval",
            SignOffType::RiskAcceptance => "risk_acceptance",
            SignOffType::AppetiteApproval => "appetite_approval",
            SignOffType::Other => "other",
        }
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

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SignOff {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: SignOffType,
    pub subject: Subject,
    pub subject_digest: String,
    pub signed_by: String,
    pub date: Date,
    #[serde(default)]
    pub expires: Option<Date>,
    #[serde(default)]
    pub rationale: Option<String>,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub classification: Option<Classification>,
    #[serde(default)]
    pub handling: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    Change,
    NewThreat,
    Breach,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Change => "change",
            EventType::NewThreat => "new threat",
            EventType::Breach => "breach",
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
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

#[derive(Clone, Debug, Deserialize, Serialize)]
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
