//! `s3sim`: parse, run, map errors to exit codes. Everything else lives in the library.

fn main() {
    if let Err(failure) = s3sim::cli::main_with_args() {
        eprintln!("error: {:#}", failure.error());
        std::process::exit(failure.exit_code());
    }
}
