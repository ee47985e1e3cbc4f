//! assure: UK Defence Secure by Design assurance records kept as YAML in git, checked,
//! evaluated and reported.
//!
//! Data flows one way: records are loaded (`records`, `source`, `git`, `snapshot`),
//! witnessed (`witness`) and evaluated (`rules`, `evaluate`); the library works out what the
//! commands report (`verify`, `changes`, `history`, `board`, `sign`, `scaffold`), and
//! `report` renders it. `cli` turns the command line into a validated configuration and
//! `commands` wires each command together; nothing below them imports them.

#[macro_use]
mod names;

pub mod board;
pub mod changes;
pub mod cli;
pub mod code;
pub mod commands;
pub mod covered;
pub mod dates;
pub mod environment;
pub mod error;
pub mod evaluate;
pub mod explain;
pub mod export;
pub mod finding;
pub mod fsutil;
pub mod git;
pub mod github;
pub mod hash;
pub mod history;
pub mod import;
pub mod log;
pub mod parallel;
pub mod plain;
pub mod public;
pub mod ratchet;
pub mod records;
pub mod remind;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod sign;
pub mod snapshot;
pub mod source;
pub mod suggest;
pub mod text;
pub mod verify;
pub mod witness;
pub mod workspace;

pub use error::{Error, Exit, Result};
pub use finding::{Area, Finding, Severity};

/// Run the command line `cli` in the environment `env`, writing its report to `out`.
pub fn run(
    cli: cli::Cli,
    env: environment::Environment,
    out: &mut dyn std::io::Write,
) -> Result<Exit> {
    commands::main(cli, env, out)
}
