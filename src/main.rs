//! `s3sim`: parse, run, map errors to exit codes. Everything else lives in the library.

fn main() {
    if let Err(failure) = s3sim::cli::main_with_args() {
        let message = format!("{:#}", failure.error());
        // Each part is cut where it is made; this bounds a message made of many parts.
        let message = if message.len() > 64 << 10 {
            let mut cut = 64 << 10;
            while !message.is_char_boundary(cut) {
                cut -= 1;
            }
            format!("{}... (message cut)", &message[..cut])
        } else {
            message
        };
        eprintln!("error: {message}");
        std::process::exit(failure.exit_code());
    }
}
