//! Rendering: one module per output format. Renderers never decide anything; they show
//! findings and status exactly as the library computed them.

pub mod board;
pub mod comment;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod svg;
