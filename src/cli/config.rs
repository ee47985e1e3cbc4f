//! The command line resolved, up front, into what each command needs: the records folder
//! located and its repository opened once, revisions and dates resolved, the board template
//! read. Every mistake in the command line is reported here, before any work.

use git2::Oid;
use std::path::PathBuf;

use super::{Cli, Command as Args, EvaluationArgs};
use crate::board::Since;
use crate::cli::{Format, PackFormat, ReportFormat, TemplateEscape, Which};
use crate::dates::{self, Date, parse_date};
use crate::environment::Environment;
use crate::error::{Error, Result};
use crate::evaluate::FailOn;
use crate::git::{self, Revision};
use crate::log::Filter;
use crate::records::Kind;
use crate::report::board::{Escape, Template};
use crate::sign;
use crate::workspace::{self, Workspace};

/// A validated command line.
pub struct Config {
    /// Whether human output may use colour.
    pub color: bool,
    pub env: Environment,
    pub command: Command,
}

/// Which records to evaluate, on which day.
pub struct Evaluation {
    pub workspace: Workspace,
    /// With `--at`: the revision to read the records from.
    pub at: Option<Revision>,
    pub as_of: Date,
}

/// Each command with everything it needs, resolved.
pub enum Command {
    Completions {
        shell: clap_complete::Shell,
    },
    Man {
        out: Option<PathBuf>,
    },
    Init {
        workspace: Workspace,
        name: Option<String>,
        organisation: Option<String>,
        today: Date,
    },
    /// `check` or `status`.
    Report {
        which: Which,
        evaluation: Evaluation,
        format: ReportFormat,
        fail_on: FailOn,
        /// With `--baseline`: the revision whose findings this evaluation is compared with.
        baseline: Option<Revision>,
    },
    Sign {
        workspace: Workspace,
        request: sign::Request,
        /// `--web`: a link to commit the sign-off in GitHub's web editor, not a file.
        web: bool,
    },
    Verify {
        evaluation: Evaluation,
        format: Format,
    },
    Schema {
        kind: Option<Kind>,
        out: Option<PathBuf>,
    },
    Diff {
        workspace: Workspace,
        base: Revision,
        /// `None`: the working tree.
        head: Option<Revision>,
        format: Format,
    },
    Log {
        workspace: Workspace,
        /// The commit the history is read from.
        head: Oid,
        filter: Filter,
        format: Format,
    },
    Board(Board),
    Ci(Ci),
    Export(Export),
    Remind(Remind),
    Import(Import),
    Explain {
        code: Option<String>,
    },
}

/// A register to import.
pub struct Import {
    pub workspace: Workspace,
    pub file: PathBuf,
    pub actions: Option<PathBuf>,
    pub sheet: Option<String>,
    pub mapping: crate::import::Mapping,
    pub dry_run: bool,
}

/// Reminders to send.
pub struct Remind {
    pub evaluation: Evaluation,
    pub within: crate::dates::Duration,
    pub dry_run: bool,
    pub format: Format,
    pub label: String,
    pub author: String,
    /// Where the records are on the web, for links to their lines:
    /// `{server}/{owner/name}/blob/{branch or commit}`.
    pub link_base: Option<String>,
    /// Where the issues are written (`None` on a dry run, which writes nothing).
    pub target: Option<IssuesTarget>,
}

/// The repository whose issues `remind` keeps, and how to reach it.
pub struct IssuesTarget {
    pub api_url: String,
    pub token: String,
    pub repository: String,
    pub retry: crate::github::Retry,
}

/// An export to make.
pub struct Export {
    pub evaluation: Evaluation,
    pub what: crate::cli::ExportWhat,
    pub out: Option<PathBuf>,
}

/// A board pack to make.
pub struct Board {
    pub workspace: Workspace,
    pub since: Option<Since>,
    /// The end of the period (`None`: the working tree).
    pub until: Option<Revision>,
    pub as_of: Date,
    pub format: PackFormat,
    pub out: Option<PathBuf>,
    pub template: Template,
}

/// One CI step's work.
pub struct Ci {
    pub evaluation: Evaluation,
    pub fail_on: FailOn,
    pub comment: bool,
    pub require_comment: bool,
    /// The GitHub login whose comment is ours (`github-actions[bot]` for the workflow token).
    pub comment_author: String,
    /// Where to write the JSON report, if anywhere.
    pub report: Option<PathBuf>,
}

impl Cli {
    /// Resolve the command line in `env`.
    pub fn resolve(self, env: Environment) -> Result<Config> {
        let color = match self.color {
            super::ColorChoice::Always => true,
            super::ColorChoice::Never => false,
            super::ColorChoice::Auto => env.stdout_is_terminal && !env.no_color,
        };
        let dir = self.dir.as_deref();
        let command = match self.command {
            Args::Init(a) => Command::Init {
                workspace: workspace::locate(dir, false)?,
                name: a.name,
                organisation: a.organisation,
                today: a.as_of.unwrap_or_else(dates::today_utc),
            },
            Args::Check(a) => {
                let evaluation = evaluation(dir, a.evaluation)?;
                let baseline = match (&a.baseline, &evaluation.workspace.repo) {
                    (None, _) => None,
                    (Some(_), None) => {
                        return Err(Error::usage(
                            "--baseline needs a git repository",
                            "run assure inside the repository, or drop --baseline",
                        ));
                    }
                    (Some(spec), Some(repo)) => Some(git::resolve(repo, spec)?),
                };
                Command::Report {
                    which: Which::Check,
                    evaluation,
                    format: a.format,
                    fail_on: a.fail_on,
                    baseline,
                }
            }
            Args::Status(a) => Command::Report {
                which: Which::Status,
                evaluation: evaluation(dir, a.evaluation)?,
                format: a.format,
                fail_on: a.fail_on,
                baseline: None,
            },
            Args::Sign(a) => {
                let today = dates::today_local();
                Command::Sign {
                    workspace: workspace::locate(dir, true)?,
                    request: sign::Request {
                        subject: a.subject,
                        kind: a.kind,
                        by: a.by,
                        date: a.date.unwrap_or(today),
                        expires: a.expires,
                        rationale: a.rationale,
                        conditions: a.conditions,
                        today,
                    },
                    web: a.web,
                }
            }
            Args::Verify(a) => Command::Verify {
                evaluation: evaluation(dir, a.evaluation)?,
                format: a.format,
            },
            Args::Export(a) => {
                use crate::cli::{ExportFormat, ExportWhat};
                let what = match (a.caat, a.format) {
                    (Some(id), None) => ExportWhat::CaatMarkdown(id),
                    (Some(id), Some(ExportFormat::Csv)) => ExportWhat::CaatCsv(id),
                    (Some(id), Some(_)) => {
                        return Err(Error::usage(
                            format!(
                                "--caat {id} is written as Markdown, or as CSV with --format csv"
                            ),
                            "leave out --format, or use --format csv",
                        ));
                    }
                    (None, None | Some(ExportFormat::Csv)) => ExportWhat::Csv(match a.table {
                        crate::cli::Table::Risks => crate::export::Table::Risks,
                        crate::cli::Table::Actions => crate::export::Table::Actions,
                    }),
                    (None, Some(ExportFormat::Xlsx)) => ExportWhat::Xlsx,
                    (None, Some(ExportFormat::Ics)) => ExportWhat::Ics,
                };
                if what == ExportWhat::Xlsx && a.out.is_none() {
                    return Err(Error::usage(
                        "an XLSX workbook is written to a file",
                        "add --out register.xlsx",
                    ));
                }
                Command::Export(Export {
                    evaluation: evaluation(dir, a.evaluation)?,
                    what,
                    out: a.out,
                })
            }
            Args::Remind(a) => {
                let evaluation = evaluation(dir, a.evaluation)?;
                let github = &env.github;
                let target = if a.dry_run {
                    None
                } else {
                    Some(issues_target(&env)?)
                };
                // Links to the records on the branch the workflow runs on (so that an issue
                // changes only when what is owed does), else at its commit, else on the
                // origin remote's branch.
                let at = github.ref_name.as_ref().or(github.sha.as_ref());
                let link_base = match (&github.server_url, &github.repository, at) {
                    (Some(server), Some(repo), Some(at)) => Some(format!(
                        "{server}/{repo}/blob/{}",
                        git::percent_encode(at, true)
                    )),
                    _ => evaluation
                        .workspace
                        .repo
                        .as_ref()
                        .and_then(git::web_location)
                        .map(|w| format!("{}/{}/blob/{}", w.server, w.repository, w.branch)),
                };
                Command::Remind(Remind {
                    evaluation,
                    within: crate::dates::Duration::days(a.within),
                    dry_run: a.dry_run,
                    format: a.format,
                    label: a.label,
                    author: a.author,
                    link_base,
                    target,
                })
            }
            Args::Import(a) => Command::Import(Import {
                workspace: workspace::locate(dir, true)?,
                mapping: mapping(a.map.as_deref(), &a.columns, a.scale.as_deref())?,
                file: a.file,
                actions: a.actions,
                sheet: a.sheet,
                dry_run: a.dry_run,
            }),
            Args::Explain(a) => Command::Explain { code: a.code },
            Args::Completions(a) => Command::Completions { shell: a.shell },
            Args::Man(a) => Command::Man { out: a.out },
            Args::Schema(a) => Command::Schema {
                kind: a.kind,
                out: a.out,
            },
            Args::Diff(a) => {
                let workspace = workspace::locate(dir, a.head.is_none())?;
                let repo = workspace.repository()?;
                let base = git::resolve(repo, &a.base)?;
                let head = a.head.map(|h| git::resolve(repo, &h)).transpose()?;
                Command::Diff {
                    workspace,
                    base,
                    head,
                    format: a.format,
                }
            }
            Args::Log(a) => {
                let workspace = workspace::locate(dir, false)?;
                let head = git::head(workspace.repository()?).ok_or_else(|| {
                    Error::usage(
                        "the repository has no commits yet",
                        "commit the records first",
                    )
                })?;
                Command::Log {
                    workspace,
                    head,
                    filter: Filter {
                        since: a.since,
                        until: a.until,
                        target: a.target,
                    },
                    format: a.format,
                }
            }
            Args::Board(a) => {
                let workspace = workspace::locate(dir, a.until.is_none())?;
                let repo = workspace.repository()?;
                let until = a.until.map(|u| git::resolve(repo, &u)).transpose()?;
                let since = match a.since {
                    None => None,
                    Some(spec) => Some(match parse_date(&spec) {
                        Ok(day) => Since::Day(day),
                        Err(_) => Since::Revision(git::resolve(repo, &spec)?),
                    }),
                };
                if a.format == PackFormat::Json && a.template.is_some() {
                    return Err(Error::usage(
                        "--template shapes a Markdown or HTML pack; --format json writes the pack's data as it is",
                        "leave out --template, or choose --format markdown or html",
                    ));
                }
                let template = match a.template {
                    Some(path) => {
                        let name = path
                            .file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or("template")
                            .to_owned();
                        let escape = match a.template_escape {
                            Some(TemplateEscape::Html) => Escape::Html,
                            Some(TemplateEscape::Markdown) => Escape::Markdown,
                            Some(TemplateEscape::None) => Escape::None,
                            None => Escape::for_name(&name).ok_or_else(|| {
                                Error::usage(
                                    format!(
                                        "cannot tell from its name how the template {name} should escape what the records say"
                                    ),
                                    "name it .html, .md or .txt (optionally ending .j2), or say with --template-escape html|markdown|none",
                                )
                            })?,
                        };
                        Template {
                            name,
                            source: std::fs::read_to_string(&path)
                                .map_err(|e| Error::io(&path, e))?,
                            escape,
                        }
                    }
                    None => Template::builtin(a.format == PackFormat::Html),
                };
                Command::Board(Board {
                    as_of: as_of(a.as_of, until.as_ref()),
                    workspace,
                    since,
                    until,
                    format: a.format,
                    out: a.out,
                    template,
                })
            }
            Args::Ci(a) => Command::Ci(Ci {
                evaluation: evaluation(
                    dir,
                    EvaluationArgs {
                        as_of: a.as_of,
                        at: None,
                    },
                )?,
                fail_on: a.fail_on,
                comment: a.comment,
                require_comment: a.require_comment,
                comment_author: a.comment_author,
                report: a.report.or_else(|| {
                    env.github
                        .runner_temp
                        .as_ref()
                        .map(|t| t.join("assure-report.json"))
                }),
            }),
        };
        Ok(Config {
            color,
            env,
            command,
        })
    }
}

/// The evaluation day: `--as-of`, else the day of the revision read, else today (UTC).
fn as_of(flag: Option<Date>, at: Option<&Revision>) -> Date {
    flag.or(at.map(|r| r.day)).unwrap_or_else(dates::today_utc)
}

/// The records to evaluate: the working tree (which must exist), or a revision of the
/// repository they are in.
fn evaluation(dir: Option<&std::path::Path>, args: EvaluationArgs) -> Result<Evaluation> {
    let workspace = workspace::locate(dir, args.at.is_none())?;
    let at = match (&args.at, &workspace.repo) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(Error::usage(
                "--at needs a git repository",
                "run assure inside the repository, or drop --at",
            ));
        }
        (Some(spec), Some(repo)) => Some(git::resolve(repo, spec)?),
    };
    Ok(Evaluation {
        as_of: as_of(args.as_of, at.as_ref()),
        workspace,
        at,
    })
}

/// The mapping of an import: a mapping file, then `--column` and `--scale` over it.
fn mapping(
    file: Option<&std::path::Path>,
    columns: &[String],
    scale: Option<&str>,
) -> Result<crate::import::Mapping> {
    #[derive(serde::Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    struct MapFile {
        #[serde(default)]
        columns: std::collections::BTreeMap<String, String>,
        #[serde(default)]
        scale: std::collections::BTreeMap<String, u8>,
    }
    let mut mapping = crate::import::Mapping::default();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::usage(
                format!("cannot read the mapping file {}: {e}", path.display()),
                "give a YAML file with `columns:` and `scale:`",
            )
        })?;
        let parsed: MapFile = serde_saphyr::from_str(&text).map_err(|e| {
            Error::usage(
                format!("the mapping file {} is not a mapping: {e}", path.display()),
                "write `columns: {owner: Risk owner}` and `scale: {High: 4}`",
            )
        })?;
        mapping.columns = parsed.columns;
        mapping.scale = parsed.scale;
    }
    let known = |field: &str| {
        crate::import::RISK_FIELDS.contains(&field)
            || field
                .strip_prefix("actions.")
                .is_some_and(|f| crate::import::ACTION_FIELDS.contains(&f))
    };
    for column in columns {
        let Some((field, header)) = column.split_once('=') else {
            return Err(Error::usage(
                format!("--column {column} is not FIELD=HEADER"),
                "write --column owner=\"Risk owner\"",
            ));
        };
        mapping
            .columns
            .insert(field.trim().to_owned(), header.trim().to_owned());
    }
    if let Some(field) = mapping.columns.keys().find(|f| !known(f)) {
        return Err(Error::usage(
            format!("there is no field {field} to map a column to"),
            match crate::suggest::did_you_mean(field, crate::import::RISK_FIELDS.iter().copied()) {
                Some(best) => format!(
                    "did you mean {best}? (actions' fields are written actions.id, actions.owner, …)"
                ),
                None => format!(
                    "fields: {}; and for the action plan, actions.{}",
                    crate::import::RISK_FIELDS.join(", "),
                    crate::import::ACTION_FIELDS.join(", actions.")
                ),
            },
        ));
    }
    for pair in scale.into_iter().flat_map(|s| s.split(',')) {
        let parsed = pair
            .split_once('=')
            .and_then(|(w, n)| Some((w.trim().to_owned(), n.trim().parse::<u8>().ok()?)))
            .filter(|(_, n)| (1..=5).contains(n));
        let Some((word, n)) = parsed else {
            return Err(Error::usage(
                format!("--scale {pair} is not WORD=N with N from 1 to 5"),
                "write --scale \"Low=2,Medium=3,High=4\"",
            ));
        };
        mapping.scale.insert(word, n);
    }
    Ok(mapping)
}

/// Where `remind` writes its issues: what the workflow gives the step, else a usage error
/// before any work is done.
fn issues_target(env: &Environment) -> Result<IssuesTarget> {
    let github = &env.github;
    let hint = "in a workflow, pass `env: GITHUB_TOKEN: ${{ github.token }}` to the step; elsewhere, use --dry-run to see the plan";
    let Some(token) = github.token.clone() else {
        return Err(Error::usage(
            "GITHUB_TOKEN is not set, so no issue can be written",
            hint,
        ));
    };
    let Some(repository) = github.repository.clone() else {
        return Err(Error::usage(
            "GITHUB_REPOSITORY (owner/name) is not set, so there is no repository to write issues in",
            hint,
        ));
    };
    Ok(IssuesTarget {
        api_url: github.api_url.clone(),
        token,
        repository,
        retry: crate::github::Retry::with_base_ms(env.retry_base_ms),
    })
}
