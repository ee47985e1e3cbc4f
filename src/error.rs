//! Errors that stop a command before it can report on records: bad command lines, a
//! missing records folder, unreadable git history. Problems *in* records are findings.

use std::path::PathBuf;

/// Process exit statuses: a contract with CI scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything is fine.
    Ok = 0,
    /// The status is at or past `--fail-on` (or `verify` found an invalid sign-off).
    Failed = 1,
    /// The records or the command line are invalid.
    Invalid = 2,
    /// The git history needed for the answer is missing (a shallow clone).
    HistoryMissing = 3,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
        /// What went wrong underneath, when something did.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    #[error("no records folder found (looked for {looked})")]
    NoRecords { looked: String },

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),

    /// The board pack's template could not be compiled or rendered.
    #[error("the template {name} failed{}: {}", line_of(.source), detail_of(.source))]
    Template {
        name: String,
        #[source]
        source: minijinja::Error,
    },

    /// Writing a sign-off as YAML failed.
    #[error("the sign-off could not be written as YAML: {0}")]
    Yaml(#[from] serde_saphyr::SerializeError),

    #[error("{message}")]
    HistoryMissing { message: String },

    /// GitHub would not take what a command writes there (reminder issues).
    #[error("{message}")]
    Github {
        message: String,
        hint: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Why something (a file at a revision, a key file, an output) cannot be used, in words for
/// the user, with what went wrong underneath when something did.
#[derive(Debug, thiserror::Error)]
#[error("{why}")]
pub struct Unusable {
    pub why: String,
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Unusable {
    pub fn new(why: impl Into<String>) -> Unusable {
        Unusable {
            why: why.into(),
            source: None,
        }
    }

    /// With the error underneath it, kept as its source.
    pub fn because(
        why: impl Into<String>,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Unusable {
        Unusable {
            why: why.into(),
            source: Some(Box::new(cause)),
        }
    }
}

impl Error {
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
            source: None,
        }
    }

    /// With the error underneath it, kept as its source.
    pub fn because(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Error {
        if let Error::Usage { source, .. } = &mut self {
            *source = Some(Box::new(cause));
        }
        self
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The reader of our output went away (`assure status | head`): not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    pub fn exit(&self) -> Exit {
        match self {
            Error::HistoryMissing { .. } => Exit::HistoryMissing,
            Error::Github { .. } => Exit::Failed,
            _ => Exit::Invalid,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Usage { hint, .. } => hint.clone(),
            Error::NoRecords { .. } => Some(
                "run `assure init` to create one; or name the folder that holds project.yaml with `--dir PATH`, or once for the repository in .assure.yaml (`dir: docs/security/assurance`)"
                    .to_owned(),
            ),
            Error::Io { .. } => Some("check the path exists and you may read and write it".to_owned()),
            Error::Git(_) => Some("check this is a git repository and the revision exists".to_owned()),
            Error::Template { .. } => Some(
                "the variables a template can use are listed under \"Board pack templates\" in the README".to_owned(),
            ),
            Error::Yaml(_) => None,
            Error::Github { hint, .. } => Some(hint.clone()),
            Error::HistoryMissing { .. } => Some(
                "fetch the full history: `git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout".to_owned(),
            ),
        }
    }
}

/// " at line 12", where a template error has a line.
fn line_of(e: &minijinja::Error) -> String {
    e.line()
        .map(|l| format!(" at line {l}"))
        .unwrap_or_default()
}

/// What went wrong in a template, without minijinja's own framing where it has a detail.
fn detail_of(e: &minijinja::Error) -> String {
    e.detail().map_or_else(|| e.to_string(), str::to_owned)
}

pub type Result<T> = std::result::Result<T, Error>;
