//! The `assure` binary: parse the command line, run the library, map the outcome to an exit
//! status. Nothing else happens here.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = assure::cli::Cli::parse();
    let env = assure::environment::Environment::from_process();
    let mut stdout = std::io::stdout().lock();
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
