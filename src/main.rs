//! The `assure` binary: parse the command line, run the library, map the outcome to an exit
//! status. Nothing else happens here.

use clap::{CommandFactory, FromArgMatches};
use std::io::Write;
use std::process::ExitCode;

// Loading records makes many small allocations on every thread; mimalloc makes them cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's own switches, in the library libmimalloc-sys links in.
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// `mi_option_purge_delay` in the mimalloc that libmimalloc-sys 0.1.49 vendors (the options
/// have no names in its Rust API; a test holds the number to the option).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// How long memory freed stays with the process before mimalloc gives it back, in
/// milliseconds. Its default, a second, kept what loading a hundred thousand records had freed
/// (the parse threads' work, the folder listing) resident while the findings were made: 415
/// MB at the peak instead of 367. Sooner than this costs time in system calls.
const PURGE_DELAY_MS: std::ffi::c_long = 50;

/// The largest tree libgit2 keeps once read, in bytes. Its default, 4 KB, is a folder of a
/// hundred files: the records folder of ten thousand risks (400 KB) was read again by every
/// walk of the history and by the witness after it. The cache as a whole stays within
/// libgit2's limit (256 MB); a board over 20,000 commits holds 11 MB more.
const TREE_CACHE_LIMIT: usize = 16 << 20;

fn main() -> ExitCode {
    // Before any thread starts: mimalloc's options are not set thread-safely.
    // SAFETY: a plain setter of the allocator's options, called before any other thread runs.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    // SAFETY: libgit2's settings are globals, set here before any thread uses libgit2.
    let _ = unsafe { git2::opts::set_cache_object_limit(git2::ObjectType::Tree, TREE_CACHE_LIMIT) };
    // The version names the commit built from (build.rs); only this file sees it, so a new
    // commit relinks the binary without rebuilding the library.
    let matches = assure::cli::Cli::command()
        .version(concat!(
            env!("CARGO_PKG_VERSION"),
            " (",
            env!("ASSURE_COMMIT"),
            ")"
        ))
        .get_matches();
    let cli = match assure::cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let env = assure::environment::Environment::from_process();
    // Into a pipe or a file, buffered: a report of thousands of findings is a few writes, not
    // one per line. On a terminal, line by line, so that it interleaves with standard error.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let mut stdout: Box<dyn Write> = if terminal {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stdout().lock(),
        ))
    };
    let result = assure::run(cli, env, &mut stdout);
    let _ = stdout.flush();
    match result {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            let mut stderr = std::io::stderr().lock();
            // The message may hold text from the records or the command line: nothing in it
            // may start a line, move the cursor or become a workflow command.
            let inert = assure::text::inert_line;
            let _ = writeln!(stderr, "error: {}", inert(&error.to_string()));
            if let Some(hint) = error.hint() {
                let _ = writeln!(stderr, "hint: {}", inert(&hint));
            }
            ExitCode::from(error.exit() as u8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Option 15 is still the purge delay: in the vendored mimalloc it is the only option
    /// whose default is 1000. (A new mimalloc that renumbers its options fails here.)
    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        // SAFETY: a plain getter; no other test in this binary sets options.
        assert_eq!(
            unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) },
            1000,
            "option {MI_OPTION_PURGE_DELAY} is not mimalloc's purge delay at its default (or MIMALLOC_PURGE_DELAY is set)"
        );
    }
}
