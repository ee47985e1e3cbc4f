//! The command line: clap's parsed flags, turned at once into a validated `Config`
//! (`config.rs`) so that nothing downstream sees raw flags.

pub mod config;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

use crate::dates::{Date, DateError, parse_date};
use crate::evaluate::FailOn;
use crate::records::{Kind, SignOffType, Subject};

#[derive(Debug, Parser)]
#[command(
    name = "assure",
    version,
    about = "Secure by Design assurance records as code: check them, know their status, prove sign-offs.",
    after_help = "Start with `assure init`, then `assure check`. Exit status: 0 fine, 1 status at or past \
                  --fail-on, 2 invalid records or command line, 3 git history missing."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// The records folder [default: the one .assure.yaml names, else the nearest assurance/ up to the repository root]
    #[arg(long, global = true, value_name = "PATH", env = "ASSURE_DIR")]
    pub dir: Option<PathBuf>,

    /// When to use colour in human output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create assurance/ with a commented, valid starting set of records (never overwrites)
    Init(InitArgs),
    /// Validate every record and evaluate the rules; the exit status gates CI
    Check(CheckArgs),
    /// Show the RAG status overall and per area, with every finding and its remedy
    Status(StatusArgs),
    /// Record an SRO sign-off of a risk, an assessment or the appetite, bound to its content
    Sign(SignArgs),
    /// Check every sign-off: content unchanged, signer was the SRO, not expired, and in git
    Verify(VerifyArgs),
    /// What changed in the records between two revisions (HEAD omitted: the working tree)
    Diff(DiffArgs),
    /// The records' history: who changed which record when, in the project's terms
    Log(LogArgs),
    /// The board pack for a period: status and trend, decisions, changes, top risks, pictures
    Board(BoardArgs),
    /// The risk register and action plan for a spreadsheet (CSV, XLSX), every due date for a
    /// calendar (ICS), or what to enter into CAAT for an assessment
    Export(ExportArgs),
    /// Turn an existing risk register (CSV or XLSX) into risk records: all or nothing
    Import(ImportArgs),
    /// What a rule or error code checks, the guidance behind it, and how to fix it, with
    /// examples; without a code, every code
    Explain(ExplainArgs),
    /// Print the JSON Schemas of the records, or write them to a folder
    Schema(SchemaArgs),
    /// Everything one CI step needs: the check, annotations, job summary, outputs and the
    /// pull-request comment (on GitHub Actions; elsewhere the same report and exit status)
    Ci(CiArgs),
    /// For a scheduled workflow: one GitHub issue per person who owes something (overdue or
    /// due soon), updated in place and closed when nothing is left
    Remind(RemindArgs),
    /// Print shell completions: `assure completions bash > ~/.local/share/bash-completion/completions/assure`
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one per command to a folder
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write assure.1 and a page for each command (assure-check.1, …) into this folder
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The command line's definition, as clap builds it.
fn definition() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Shell completions for `shell`, generated from the command line's definition. (Made in
/// memory first: the generator panics if it cannot write, as when `head` closes the pipe.)
pub fn completions(
    shell: clap_complete::Shell,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut definition(), "assure", &mut script);
    out.write_all(&script)
}

/// The manual page of `assure` (roff).
pub fn man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(definition()).render(out)
}

/// The manual pages of `assure` and each of its commands, named as `man` finds them
/// (`assure.1`, `assure-check.1`), with their text.
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    // Built, so that each command carries the global options (`--dir`, `--color`) too.
    let mut root = definition();
    root.build();
    let mut pages = Vec::new();
    let mut text = Vec::new();
    clap_mangen::Man::new(root.clone()).render(&mut text)?;
    pages.push(("assure.1".to_owned(), text));
    for sub in root.get_subcommands() {
        let name = format!("assure-{}", sub.get_name());
        let mut text = Vec::new();
        clap_mangen::Man::new(sub.clone().name(name.clone())).render(&mut text)?;
        pages.push((format!("{name}.1"), text));
    }
    Ok(pages)
}

#[derive(Debug, Args)]
pub struct CiArgs {
    /// Exit 1 when the status is at or past this level
    #[arg(long, value_enum, default_value_t = FailOn::Red, value_name = "LEVEL", env = "ASSURE_FAIL_ON")]
    pub fail_on: FailOn,

    /// On a pull request, post or update the governance comment
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set, env = "ASSURE_COMMENT")]
    pub comment: bool,

    /// Fail the step (exit 1) when the comment cannot be posted, rather than only warn
    #[arg(long, value_name = "BOOL", default_value_t = false, action = clap::ArgAction::Set, env = "ASSURE_REQUIRE_COMMENT")]
    pub require_comment: bool,

    /// Only a comment by this GitHub user is ever updated: the identity the token belongs to
    #[arg(
        long,
        value_name = "LOGIN",
        default_value = "github-actions[bot]",
        env = "ASSURE_COMMENT_AUTHOR"
    )]
    pub comment_author: String,

    /// Write the JSON report here [default: $RUNNER_TEMP/assure-report.json on GitHub Actions]
    #[arg(long, value_name = "FILE", env = "ASSURE_REPORT")]
    pub report: Option<PathBuf>,

    /// Evaluate dates as of this day [default: today in UTC]
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub as_of: Option<Date>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older revision (commit, branch, tag, or a date: the last commit of that day)
    #[arg(value_name = "BASE")]
    pub base: String,

    /// The newer revision [default: the working tree]
    #[arg(value_name = "HEAD")]
    pub head: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only changes committed on or after this day
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub since: Option<Date>,

    /// Only changes committed on or before this day
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub until: Option<Date>,

    /// Only this record (an id such as R-004, S-0001, A-017, or an assessment id) or file
    #[arg(value_name = "PATH or ID")]
    pub target: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BoardArgs {
    /// Start of the period: a date or a revision [default: the latest board record]
    #[arg(long, value_name = "DATE or REV")]
    pub since: Option<String>,

    /// End of the period: a date or a revision [default: the working tree, today]
    #[arg(long, value_name = "DATE or REV")]
    pub until: Option<String>,

    /// Evaluate the status as of this day [default: today, or the --until day]
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub as_of: Option<Date>,

    /// Output format: markdown, html (one self-contained file, A4 when printed), or json
    /// (the pack's data)
    #[arg(long, value_enum, default_value_t = PackFormat::Markdown)]
    pub format: PackFormat,

    /// Write the pack to this file (Markdown: the pictures are written beside it as SVG)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Use this minijinja template instead of the built-in one (.html or .md decides escaping)
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,

    /// How the template escapes record text, when its name does not say [.html, .md, .txt]
    #[arg(long, value_enum, value_name = "ESCAPE", requires = "template")]
    pub template_escape: Option<TemplateEscape>,
}

/// Output formats of a status report (`check`, `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    Markdown,
    /// GitHub Actions workflow commands: an annotation per finding
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

/// `check` or `status`: one report, two human forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Check,
    Status,
}

/// Output formats of the other reports (`verify`, `diff`, `log`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Markdown,
}

/// Formats of the board pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PackFormat {
    Markdown,
    Html,
    /// The pack's data: the templates' context, for other tools to build on.
    Json,
}

impl ValueEnum for FailOn {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            FailOn::Amber,
            FailOn::Red,
            FailOn::NewAmber,
            FailOn::NewRed,
            FailOn::Never,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            FailOn::Amber => "amber",
            FailOn::Red => "red",
            FailOn::NewAmber => "new-amber",
            FailOn::NewRed => "new-red",
            FailOn::Never => "never",
        }))
    }
}

impl ValueEnum for SignOffType {
    fn value_variants<'a>() -> &'a [Self] {
        SignOffType::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()))
    }
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// What is signed: risk:R-NNN, assessment:<id> or appetite
    #[arg(long, value_name = "SUBJECT", value_parser = subject_arg)]
    pub subject: Subject,

    /// The decision
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: SignOffType,

    /// The signer: the SRO's person id in people.yaml
    #[arg(long, value_name = "PERSON")]
    pub by: String,

    /// The date of the decision, no later than today [default: today]
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub date: Option<Date>,

    /// When the decision lapses (required for a risk acceptance)
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub expires: Option<Date>,

    /// Why the SRO decided this (required for a risk acceptance)
    #[arg(long, value_name = "TEXT")]
    pub rationale: Option<String>,

    /// A condition attached to the decision (repeat for more)
    #[arg(long = "condition", value_name = "TEXT")]
    pub conditions: Vec<String>,

    /// Write nothing: print a link that opens GitHub's new-file page on this branch with the
    /// sign-off filled in, for the SRO to commit in the browser
    #[arg(long)]
    pub web: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The service's name, written into project.yaml
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// The owning organisation or TLB
    #[arg(long, value_name = "ORG")]
    pub organisation: Option<String>,

    /// The date written into the starting records [default: today, UTC]
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub as_of: Option<Date>,
}

/// Which records, and which day.
#[derive(Debug, Args)]
pub struct EvaluationArgs {
    /// Evaluate dates as of this day [default: today in UTC; with --at, that revision's day]
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub as_of: Option<Date>,

    /// Read the records as they were at a git revision (commit, tag, branch, HEAD~3) or on a
    /// date (YYYY-MM-DD: the last commit of that day), without touching the working tree
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// Exit 1 when the status is at or past this level (new-red, new-amber: only what the
    /// records introduce since --baseline)
    #[arg(long, value_enum, default_value_t = FailOn::Red, value_name = "LEVEL")]
    pub fail_on: FailOn,

    /// Compare with the records at this revision, evaluated on the same day: say which
    /// findings are introduced and resolved, and let --fail-on new-red judge only those
    #[arg(long, value_name = "REV")]
    pub baseline: Option<String>,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// Exit 1 when the status is at or past this level
    #[arg(long, value_enum, default_value_t = FailOn::Never, value_name = "LEVEL")]
    pub fail_on: FailOn,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id (RISK-2) or an error code (unknown-field)
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The register: a .csv file, or an .xlsx workbook (risks on the first sheet, or --sheet;
    /// actions on a sheet named Actions)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The action plan, as a CSV file, for a CSV register
    #[arg(long, value_name = "FILE")]
    pub actions: Option<PathBuf>,

    /// The sheet of the workbook that holds the risks
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// A column by another name: FIELD=HEADER (owner="Risk owner"); repeat for each
    #[arg(long = "column", value_name = "FIELD=HEADER")]
    pub columns: Vec<String>,

    /// Words for likelihood and impact as numbers: "Low=2,Medium=3,High=4"
    #[arg(long, value_name = "WORD=N,…")]
    pub scale: Option<String>,

    /// A mapping file (YAML): `columns: {FIELD: HEADER}` and `scale: {WORD: N}`
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,

    /// Say what would be written; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Remind of what falls due within this many days (and everything overdue)
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub within: u32,

    /// Print the plan (the issues as they would be); change nothing on GitHub
    #[arg(long)]
    pub dry_run: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// The label reminder issues carry
    #[arg(long, value_name = "LABEL", default_value = "assure-reminder")]
    pub label: String,

    /// Only issues written by this GitHub user are touched: the identity the token belongs to
    #[arg(
        long,
        value_name = "LOGIN",
        default_value = "github-actions[bot]",
        env = "ASSURE_COMMENT_AUTHOR"
    )]
    pub author: String,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format: csv (one table), xlsx (both tables, needs --out) or ics (a calendar)
    /// [default: csv; Markdown for --caat]
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,

    /// Which table a CSV file holds
    #[arg(long, value_enum, default_value_t = Table::Risks)]
    pub table: Table,

    /// What a team enters into CAAT for this assessment (its id): Markdown, or CSV with --format csv
    #[arg(long, value_name = "ASSESSMENT")]
    pub caat: Option<String>,

    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Ics,
}

/// What `assure export` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportWhat {
    Csv(crate::export::Table),
    Xlsx,
    Ics,
    CaatMarkdown(String),
    CaatCsv(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Table {
    /// The risk register: one row per risk
    Risks,
    /// The action plan: one row per action, with the record it belongs to
    Actions,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which record kind's schema (project, people, appetite, risk, assessment, signoff, event, board)
    #[arg(value_name = "KIND", value_parser = kind_arg)]
    pub kind: Option<Kind>,

    /// Write the schemas into this folder instead of printing
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

fn date_arg(text: &str) -> Result<Date, DateError> {
    parse_date(text)
}

/// A `--subject` that is not one.
#[derive(Debug, thiserror::Error)]
#[error("write the subject as risk:R-NNN, assessment:<id> or appetite")]
pub struct SubjectError;

fn subject_arg(text: &str) -> Result<Subject, SubjectError> {
    Subject::parse(text).ok_or(SubjectError)
}

/// A record kind that is not one.
#[derive(Debug, thiserror::Error)]
#[error("unknown record kind; use one of {}", Kind::ALL.map(Kind::name).join(", "))]
pub struct KindError;

fn kind_arg(text: &str) -> Result<Kind, KindError> {
    Kind::from_name(text).ok_or(KindError)
}

impl Command {
    /// Whether this is `assure ci`, which reports even its own failure to start to GitHub.
    pub fn is_ci(&self) -> bool {
        matches!(self, Command::Ci(_))
    }
}

/// How a board template escapes record text (`--template-escape`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateEscape {
    Html,
    Markdown,
    None,
}

#[cfg(test)]
mod tests {
    /// A reader that goes away (`assure completions bash | head`) is an error to report,
    /// not a panic.
    #[test]
    fn completions_to_a_closed_pipe_fail_without_a_panic() {
        struct Closed;
        impl std::io::Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let result = super::completions(clap_complete::Shell::Bash, &mut Closed);
        assert_eq!(
            result.map_err(|e| e.kind()),
            Err(std::io::ErrorKind::BrokenPipe)
        );
    }
}
