//! Bounds on what s3sim reads: S3's own limits, and s3sim's input sanity bounds (each with its
//! reason), so that no input can take unbounded memory or time, and no error message repeats a
//! huge value.

use std::io::Read;
use std::path::Path;

/// The longest version id or upload id s3sim reads [bytes]. S3's ids are much shorter (version
/// ids are 32 characters, upload ids a few hundred); the bound keeps a hostile input's id table
/// small.
pub const MAX_ID_BYTES: usize = 1024;

/// The longest key S3 accepts [bytes of UTF-8].
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
pub const S3_MAX_KEY_BYTES: usize = 1024;

/// The largest object S3 stores [bytes]: 48.8 TiB, i.e. 10,000 parts of 5 GiB (older AWS pages
/// say 5 TiB).
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
pub const S3_MAX_OBJECT_BYTES: u64 = 10_000 * (5 << 30);

/// The most tags one object can have.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-managing.html
pub const S3_MAX_TAGS: usize = 10;

/// The longest input line s3sim reads [bytes]. An access-log line holds a key (at most 1 KiB,
/// three times that URL-encoded), a request URI and a user agent: a few KiB. 1 MiB leaves room for
/// any real line and bounds what a line can cost (a file of NUL bytes is one endless line).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The largest lifecycle policy s3sim reads [bytes].
/// S3 takes at most 1,000 lifecycle rules of at most a few KiB each; 16 MiB holds that easily.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
pub const MAX_DOCUMENT_BYTES: u64 = 16 << 20;

/// The largest price file s3sim reads [bytes]: the bundled one is about 10 KiB.
pub const MAX_PRICE_FILE_BYTES: u64 = 4 << 20;

/// The largest file s3sim reads whole rather than streaming (an inventory CSV) [bytes]: about
/// 20 million objects at 100 bytes a row.
pub const MAX_WHOLE_FILE_BYTES: u64 = 2 << 30;

/// How much of a bad value an error message quotes [characters].
pub const EXCERPT_CHARS: usize = 60;

/// `s`, or its first [`EXCERPT_CHARS`] characters and how long it was, for an error message.
pub fn excerpt(s: &str) -> String {
    match s.char_indices().nth(EXCERPT_CHARS) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}... ({} bytes in all)", &s[..cut], s.len()),
    }
}

/// `s` quoted (as `{:?}` would) and cut to an excerpt.
pub fn quoted(s: &str) -> String {
    match s.char_indices().nth(EXCERPT_CHARS) {
        None => format!("{s:?}"),
        Some((cut, _)) => format!("{:?}... ({} bytes in all)", &s[..cut], s.len()),
    }
}

/// The longest error message s3sim prints for one problem [bytes]: a safety net behind the
/// excerpts (a parser's own message may quote a whole bad value).
pub const MAX_MESSAGE_BYTES: usize = 500;

/// `s` cut to [`MAX_MESSAGE_BYTES`] at a character boundary.
pub fn cut_message(s: &str) -> String {
    if s.len() <= MAX_MESSAGE_BYTES {
        return s.to_string();
    }
    let mut cut = MAX_MESSAGE_BYTES;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}... (message cut; {} bytes in all)", &s[..cut], s.len())
}

/// The text of `path`, refusing more than `max` bytes (a FIFO or `/dev/zero` is refused too,
/// after `max` bytes) and text that is not UTF-8.
pub fn read_bounded(path: &Path, max: u64) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "larger than {} MiB, the most s3sim reads from such a file",
                max >> 20
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_say_the_length() {
        assert_eq!(excerpt("abc"), "abc");
        let long = "é".repeat(10_000);
        let e = excerpt(&long);
        assert!(e.len() < 200, "{e}");
        assert!(e.ends_with("(20000 bytes in all)"), "{e}");
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
        assert!(quoted(&"x".repeat(1 << 20)).len() < 200);
    }

    #[test]
    fn s3_limits_are_the_documented_ones() {
        assert_eq!(S3_MAX_OBJECT_BYTES, 53_687_091_200_000); // 48.8 TiB
        assert_eq!(S3_MAX_KEY_BYTES, 1024);
    }
}
