//! The `assure` binary: parse the command line, run the library, map the outcome to an exit
//! status. Nothing else happens here.

use clap::{CommandFactory, FromArgMatches};
use std::io::Write;
use std::process::ExitCode;

// Loading records makes many small allocations on every thread; mimalloc makes them cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
            let _ = writeln!(stderr, "error: {error}");
            if let Some(hint) = error.hint() {
                let _ = writeln!(stderr, "hint: {hint}");
            }
            ExitCode::from(error.exit() as u8)
        }
    }
}
