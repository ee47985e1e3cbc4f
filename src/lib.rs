//! assure: UK Defence Secure by Design assurance records kept as YAML in git, checked,
//! evaluated and reported.
//!
//! Data flows one way: records are loaded (`records`), evaluated, and rendered (`report`).
//! The binary (`main.rs`) only parses the command line and maps the outcome to an exit status.

pub mod board;
pub mod changes;
pub mod cli;
pub mod commands;
pub mod dates;
pub mod error;
pub mod finding;
pub mod fsutil;
pub mod git;
pub mod github;
pub mod history;
pub mod records;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod source;
pub mod suggest;
pub mod witness;
pub mod workspace;

pub use error::{Error, Exit, Result};
pub use finding::{Area, Finding, Severity};

/// Run one command, writing its report to `out`.
pub fn run(config: &cli::Config, out: &mut dyn std::io::Write) -> Result<Exit> {
    commands::run(config, out)
}
