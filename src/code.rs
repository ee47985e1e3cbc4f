//! The stable codes of everything `assure` reports: rule ids (ASSESS-2, SIGN-1) and record
//! error codes (`unknown-field`). Each is declared once, here, with what every output says of
//! it; the README's tables and the SARIF rule list are made from these declarations (a test
//! keeps the README in step). Never rename or renumber one: CI scripts match on them.

use serde::{Serialize, Serializer};
use std::fmt;

named! {
    /// The status areas a rule belongs to, as JSON and flags name them. Overall status is
    /// the worst area.
    #[derive(PartialOrd, Ord)]
    pub enum Area {
        Governance = "governance",
        Assessments = "assessments",
        Risks = "risks",
        Actions = "actions",
        Signoffs = "signoffs",
        Reporting = "reporting",
    }
}

impl Area {
    /// The area's name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Area::Governance => "Governance",
            Area::Assessments => "Assessments",
            Area::Risks => "Risks",
            Area::Actions => "Actions",
            Area::Signoffs => "Sign-offs",
            Area::Reporting => "Reporting",
        }
    }
}

/// The severities a rule can raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Raises {
    Amber,
    Red,
    AmberOrRed,
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $area:ident, $raises:ident, $summary:literal, $detail:literal, $guidance:expr;)*) => {
        /// A rule of the catalogue (product.md).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable id: `ASSESS-2`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            pub fn area(self) -> Area {
                match self {
                    $(Rule::$variant => Area::$area,)*
                }
            }

            /// The severities it can raise.
            pub fn raises(self) -> Raises {
                match self {
                    $(Rule::$variant => Raises::$raises,)*
                }
            }

            /// What it checks, in one line.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Rule::$variant => $summary,)*
                }
            }

            /// What it raises and when, as the README's rule table says.
            pub fn detail(self) -> &'static str {
                match self {
                    $(Rule::$variant => $detail,)*
                }
            }

            /// The guidance it implements, as Markdown links.
            pub fn guidance(self) -> &'static [&'static str] {
                match self {
                    $(Rule::$variant => $guidance,)*
                }
            }
        }
    };
}

// The guidance the rules implement: MOD Secure by Design's live pages, and the Defence Service
// Manual's source where a page has no live address.
const DRA: &str = "[Do regular assessments](https://digital.mod.uk/secure-by-design/assess-your-risk/do-regular-assessments)";
const RA: &str = "[Defining your risk appetite](https://digital.mod.uk/secure-by-design/defining-your-risk-appetite)";
const AYA: &str = "[Agree your approach](https://digital.mod.uk/secure-by-design/get-the-basics-right/agree-your-approach)";
const TECH: &str = "[Make your technical solution secure](https://digital.mod.uk/service-manual/architecture/defence-technology-principles/make-your-technical-solution-secure)";
macro_rules! manual {
    ($title:literal, $page:literal) => {
        concat!(
            "[",
            $title,
            "](https://github.com/defencedigital/moduk-service-manual/blob/prototype/src/secure-by-design/",
            $page,
            ")"
        )
    };
}

const CMR: &str = manual!("Continuously manage risk", "continuously-manage-risk.njk");
const HAW: &str = manual!("How assurance works", "how-assurance-works.md");
const WHO: &str = manual!("Who needs to do this", "who-needs-to-do-this.md");
const DYC: &str = manual!("Define your context", "define-your-context.njk");
const APPLY: &str = "[Applying Secure by Design](https://digital.mod.uk/secure-by-design/applying-secure-by-design)";
const CAAT: &str = "[CAAT maturity assessments](https://www.digital.mod.uk/secure-by-design/assess-your-risk/caat-maturity-assessments)";

rules! {
    Assess1 = "ASSESS-1", Assessments, Red,
        "there is a self-assessment of the whole service",
        "red: no self-assessment of the whole service recorded (an independent or a targeted assessment does not count)",
        &[DRA];
    Assess2 = "ASSESS-2", Assessments, AmberOrRed,
        "the latest self-assessment of the whole service is within assessment_interval",
        "the latest self-assessment of the whole service (`type: self`, `coverage: full`) is within `assessment_interval` (default P3M): amber when due soon, red when late. Independent and targeted assessments do not reset the clock",
        &[DRA];
    Assess3 = "ASSESS-3", Assessments, AmberOrRed,
        "an event is followed by an assessment within event_reassessment",
        "an event (change, new threat, breach) is followed by an assessment within `event_reassessment` (P30D; breach P14D): amber due soon, red late. An assessment on or after its day answers it if it names it in `trigger_ref` or covers the whole service (self or independent); one naming a change answers it even before it (a change is best assessed before it is made); a targeted assessment answers only the event it names",
        &[DRA, CMR];
    Assess4 = "ASSESS-4", Assessments, AmberOrRed,
        "the team's current self-assessment reports have a valid SRO report_approval",
        "the latest self-assessment of the whole service, and each targeted self-assessment since, has a valid SRO `report_approval`: amber for `due_soon` after the assessment, then red. An independent assessment's report is not the team's to approve",
        &[DRA];
    Assess5 = "ASSESS-5", Assessments, AmberOrRed,
        "a milestone within 60 days has its independent review decided; a requested one is done by the milestone",
        "a milestone within `milestone_horizon` (P60D) has `independent_review` decided (amber); a requested review is done by the milestone (amber due soon, red late)",
        &[HAW];
    Assess6 = "ASSESS-6", Assessments, Amber,
        "a high-criticality service has an independent assessment within independent_interval",
        "amber: a service of `criticality: high` has had no independent assessment (`type: independent`) within `independent_interval` (P1Y), or the next is due soon",
        &[HAW, DRA];
    Gov1 = "GOV-1", Governance, Red,
        "exactly one active SRO",
        "red: not exactly one active SRO on the day",
        &[WHO];
    Gov2 = "GOV-2", Governance, Amber,
        "an active Delivery Team Security Lead, and a Project Security Officer for SECRET and above",
        "amber: no active Delivery Team Security Lead (`security_lead`); or, for a service whose `max_classification` is SECRET or above, no active Project Security Officer (`project_security_officer`)",
        &[WHO, TECH];
    Gov3 = "GOV-3", Governance, Amber,
        "owners of open risks and actions are active people, and risk owners hold the risk_owner role",
        "amber: an open risk or open action is owned by someone not active on the day, or an open risk by someone without the `risk_owner` role",
        &[DYC, CMR];
    Gov4 = "GOV-4", Governance, AmberOrRed,
        "the risk appetite exists, is SRO-approved and reviewed within appetite_review",
        "red: no appetite, or no valid `appetite_approval`; the appetite reviewed within `appetite_review` (P1Y), and within `event_reassessment` of an event that names it in `affects`: amber due soon, red late",
        &[RA, AYA];
    Gov5 = "GOV-5", Governance, Amber,
        "the service's CAAT registration (DART S above OFFICIAL) is recorded",
        "amber: the project has no `caat_reference`: every programme registers on CAAT, or on DART S when it handles more than OFFICIAL",
        &[APPLY, CAAT];
    Gov6 = "GOV-6", Governance, Red,
        "no placeholder text left from `assure init`",
        "red: a name, e-mail, description, statement, title, control or action still holds the placeholder text `assure init` wrote (\"Replace with …\", an address at `replace-me.invalid`): the records do not yet describe the service",
        &[APPLY, WHO];
    Gov7 = "GOV-7", Governance, Amber,
        "every path a record covers names code in the repository",
        "amber: a glob in a risk's or assessment's `paths` matches no file in the repository (a typo, or code moved): a change to the code it meant would not list the record",
        &[CMR];
    Gov8 = "GOV-8", Governance, Red,
        "a change to covered code records an event, when the policy asks",
        "red: with `policy.covered_changes: event`, a pull request (or `check --baseline`) that changes code a risk or assessment covers (`paths`) adds or changes no event record (a change, a new threat)",
        &[CMR, DRA];
    Risk1 = "RISK-1", Risks, AmberOrRed,
        "each open risk is reviewed by its review date",
        "each open risk reviewed by `review_by`, else `last_reviewed` plus the interval for its residual band, and within `event_reassessment` of an event that names it in `affects`: amber due soon or late, red late for high bands",
        &[CMR];
    Risk2 = "RISK-2", Risks, Red,
        "a risk above tolerance has a valid SRO acceptance, or a credible plan to bring it within",
        "red: residual score above the appetite's tolerance (the category's own if set) with neither a valid risk acceptance nor a credible plan (a `target` within tolerance by a date not yet passed and at most `acceptance_max` away, and open actions due by then, not all of them overdue). Within tolerance the owner may tolerate a risk without a sign-off",
        &[RA, CMR];
    Risk3 = "RISK-3", Risks, Red,
        "a risk whose treatment's target date has passed while still above tolerance has a valid acceptance",
        "red: the `target` date of a risk's treatment has passed with its residual still above tolerance, and there is no valid risk acceptance: accept it, or re-plan",
        &[RA, CMR];
    Risk4 = "RISK-4", Risks, Red,
        "a risk above the appetite's ceiling is escalated",
        "red: residual score above the appetite's `ceiling` (the most the SRO may accept alone) without an `escalation` recorded on the risk, or with one made more than `acceptance_max` ago (it lapses as an acceptance would)",
        &[RA];
    Act1 = "ACT-1", Actions, AmberOrRed,
        "actions are not overdue",
        "open actions: amber due soon or late, red more than `action_red_after` (P30D) late or on a high-band risk",
        &[DRA, CMR];
    Act2 = "ACT-2", Actions, Amber,
        "a closed risk has no open actions",
        "amber: a closed risk still lists open actions: finish them (`status: done`, `done_on`) or cancel them, or reopen the risk",
        &[CMR];
    Sign1 = "SIGN-1", Signoffs, Red,
        "a sign-off's subject still has the digest that was signed",
        "red: the subject's digest no longer matches what was signed",
        &[DRA, CMR, RA];
    Sign2 = "SIGN-2", Signoffs, Red,
        "the signer held the SRO role (for a risk acceptance, or the policy's delegate role) on the date signed, a date not after the day judged",
        "red: the signer was not the SRO on the day signed (a risk acceptance may also be signed by a holder of `policy.signoff.acceptance_delegate`); `verify` also files here a sign-off dated after the day it judges, a decision not yet taken",
        &[DRA, CMR, RA];
    Sign3 = "SIGN-3", Signoffs, AmberOrRed,
        "a risk acceptance the risk still needs has not expired",
        "a risk acceptance of an open risk still above tolerance: amber when it expires soon, red once expired. One the risk no longer needs (closed, or within tolerance) lapses quietly",
        &[CMR];
    Sign4 = "SIGN-4", Signoffs, AmberOrRed,
        "in git: the sign-off was added by the signer, signed if required, and the signer did not author what is signed",
        "in git, as `policy.signoff` asks: the commit adding the sign-off is authored (and, if required, signed with their SSH key or for them by a platform key) by the signer, who did not author what is signed, and the file is unchanged since: amber while not yet committed, else red",
        &[DRA, CMR];
    Sign5 = "SIGN-5", Signoffs, Amber,
        "a risk acceptance signed by a previous SRO is reconfirmed by the SRO in post within sro_handover",
        "amber: a risk acceptance signed by a previous SRO, still needed, is not reconfirmed by the SRO in post within `sro_handover` (P90D) of the start of their role",
        &[CMR, RA];
    Report1 = "REPORT-1", Reporting, AmberOrRed,
        "a board security update within board_cadence",
        "no board security update within `board_cadence` (P6W) of the last: amber when due soon or late, red once `board_red_after` (P6W) late",
        &[AYA];
}

macro_rules! error_codes {
    ($($variant:ident = $id:literal, $summary:literal;)*) => {
        /// A record error: the records are not valid until it is fixed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            /// Every error code, in the README's order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The stable code: `unknown-field`.
            pub fn id(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $id,)*
                }
            }

            /// What it means, in one line.
            pub fn summary(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $summary,)*
                }
            }
        }
    };
}

error_codes! {
    YamlSyntax = "yaml-syntax", "the file is not well-formed YAML";
    DuplicateKey = "duplicate-key", "a field is written twice in one mapping";
    YamlLimit = "yaml-limit", "nesting deeper than 32 levels, or an alias bomb";
    YamlFeature = "yaml-feature", "a YAML feature records do not use: a tag (`!!binary`) or a merge key (`<<`)";
    MultipleDocuments = "multiple-documents", "more than one YAML document in a file";
    EmptyFile = "empty-file", "the file holds no record";
    FileTooLarge = "file-too-large", "the file is over 1 MiB";
    BinaryFile = "binary-file", "the file is not text";
    NotUtf8 = "not-utf8", "the file is not UTF-8";
    SymlinkOutside = "symlink-outside", "a link leaving the repository; never followed";
    Unreadable = "unreadable", "the file cannot be read";
    UnreadFile = "unread-file", "a file in the records folder that looks like a record but is not read (`R-004.YAML`, `R-004.yaml.bak`)";
    TooManyFiles = "too-many-files", "the records folder holds more files than any project could; the walk stopped";
    MissingKind = "missing-kind", "the record has no `kind`";
    UnknownKind = "unknown-kind", "`kind` names no kind of record";
    WrongPlace = "wrong-place", "the record is in another kind's folder";
    WrongType = "wrong-type", "a field has the wrong type of value";
    UnknownField = "unknown-field", "a field the schema does not know (often a misspelling)";
    MissingField = "missing-field", "a required field is missing";
    InvalidValue = "invalid-value", "a value is not one of those allowed";
    InvalidFormat = "invalid-format", "a value is not in the expected form (an id, a duration)";
    InvalidDate = "invalid-date", "not a real calendar date written YYYY-MM-DD";
    OutOfRange = "out-of-range", "a number is outside its range";
    Schema = "schema", "the record breaks its schema in another way";
    DuplicateId = "duplicate-id", "two records of a kind (or two actions) share an id";
    DuplicateRecord = "duplicate-record", "a second project, people or appetite record";
    IdMismatch = "id-mismatch", "the id does not match the file name";
    UnknownReference = "unknown-reference", "a reference to a person or record that does not exist";
    AboveClassification = "above-classification", "marked above the project's `max_classification`; refused and not shown";
    MissingRecord = "missing-record", "there is no project or people record";
    InvalidPolicy = "invalid-policy", "the policy in project.yaml is not sound";
    InconsistentDates = "inconsistent-dates", "dates that contradict each other";
    InconsistentScores = "inconsistent-scores", "a residual score above the inherent score: controls do not add risk";
}

/// The code of a finding: a rule id or a record error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    Error(ErrorCode),
    Rule(Rule),
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Rule(rule) => rule.id(),
            Code::Error(code) => code.id(),
        }
    }

    /// The rule, for a rule finding.
    pub fn rule(self) -> Option<Rule> {
        match self {
            Code::Rule(rule) => Some(rule),
            Code::Error(_) => None,
        }
    }

    /// Every code: the rules, then the error codes.
    pub fn all() -> impl Iterator<Item = Code> {
        Rule::ALL
            .iter()
            .map(|r| Code::Rule(*r))
            .chain(ErrorCode::ALL.iter().map(|c| Code::Error(*c)))
    }
}

impl From<Rule> for Code {
    fn from(rule: Rule) -> Code {
        Code::Rule(rule)
    }
}

impl From<ErrorCode> for Code {
    fn from(code: ErrorCode) -> Code {
        Code::Error(code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl Rule {
    /// The address of the first guidance page it implements.
    pub fn guidance_url(self) -> Option<&'static str> {
        let link = self.guidance().first()?;
        link.rsplit_once("](")?.1.strip_suffix(')')
    }
}

/// The README's rule table, as the README shows it.
pub fn rules_table() -> String {
    let mut out = String::from("| rule | area | raises | guidance |\n|---|---|---|---|\n");
    for rule in Rule::ALL {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            rule.id(),
            rule.area().label().to_lowercase(),
            rule.detail(),
            rule.guidance().join("; ")
        ));
    }
    out
}

/// The README's table of record error codes.
pub fn error_codes_table() -> String {
    let mut out = String::from("| code | what it means |\n|---|---|\n");
    for code in ErrorCode::ALL {
        out.push_str(&format!("| `{}` | {} |\n", code.id(), code.summary()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes are unique, rule ids well formed, and the two kinds never collide.
    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut all: Vec<&str> = Code::all().map(Code::as_str).collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count, "a code is used twice");
        for rule in Rule::ALL {
            let (prefix, n) = rule.id().split_once('-').unwrap();
            assert!(
                ["ASSESS", "GOV", "RISK", "ACT", "SIGN", "REPORT"].contains(&prefix),
                "{rule}"
            );
            assert!(n.parse::<u8>().is_ok(), "{rule}");
        }
        for rule in Rule::ALL {
            assert!(!rule.guidance().is_empty(), "{rule} cites no guidance");
            let url = rule.guidance_url().unwrap_or_default();
            assert!(url.starts_with("https://"), "{rule}: {url}");
        }
        for code in ErrorCode::ALL {
            assert!(
                code.id()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                code.id()
            );
        }
    }
}
