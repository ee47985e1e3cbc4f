//! Rendering: one module per output format, and one per command with a report of its own.
//! Renderers never decide anything; they show what the library worked out.

pub mod board;
pub mod comment;
pub mod diff;
pub mod export;
pub mod github;
pub mod human;
pub mod json;
pub mod log;
pub mod markdown;
pub mod messages;
pub mod progress;
pub mod remind;
pub mod sarif;
pub mod svg;
pub mod verify;
