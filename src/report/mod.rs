//! Rendering: one module per output format, and one per command with a report of its own.
//! Renderers never decide anything; they show what the library worked out.

pub mod board;
pub mod comment;
pub mod diff;
pub mod github;
pub mod human;
pub mod json;
pub mod log;
pub mod markdown;
pub mod messages;
pub mod progress;
pub mod sarif;
pub mod svg;
pub mod verify;

use clap::ValueEnum;

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
}
