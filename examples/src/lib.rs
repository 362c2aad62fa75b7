//! Examples of tokio-linux-sctp: what the example programs share.

use std::error::Error;
use std::process::ExitCode;

/// An example's outcome as its exit status: on error, prints `NAME: ` and the error's
/// `Display` text (which says what went wrong and what to do, unlike the `Debug` struct that
/// `main() -> Result` prints) and fails.
pub fn exit_status(name: &str, outcome: Result<(), Box<dyn Error>>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::FAILURE
        }
    }
}
