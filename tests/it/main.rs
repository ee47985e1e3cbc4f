//! The integration tests, in one binary: the real `assure` binary run in throwaway
//! repositories (`common`), and properties of the library.

mod action;
mod architecture;
mod check;
mod common;
mod contract;
mod docs;
mod export;
mod github;
mod history;
mod import;
mod init_schema;
mod platform;
mod print;
mod properties;
mod remind;
mod root;
mod sign;
mod status;
