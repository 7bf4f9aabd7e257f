//! Errors from loading a lifecycle configuration, each naming the file, the rule and the field.

use std::fmt;
use std::path::PathBuf;

/// The error code S3 answers a PutBucketLifecycleConfiguration with (all are HTTP 400).
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S3Code {
    InvalidArgument,
    InvalidRequest,
    MalformedXML,
}

impl S3Code {
    pub fn name(self) -> &'static str {
        match self {
            S3Code::InvalidArgument => "InvalidArgument",
            S3Code::InvalidRequest => "InvalidRequest",
            S3Code::MalformedXML => "MalformedXML",
        }
    }
}

impl fmt::Display for S3Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which rule an error is about: its position in `Rules` and its `ID`, if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    /// Position in `Rules` [0-based]; shown 1-based as `#n`.
    pub index: usize,
    pub id: Option<String>,
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(
                f,
                "rule {} (#{})",
                crate::model::limits::quoted(id),
                self.index + 1
            ),
            None => write!(f, "rule #{}", self.index + 1),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("{}: cannot read lifecycle configuration: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Not JSON, or JSON not of the lifecycle shape (unknown field, wrong type).
    #[error("{origin}:{line}:{column}: {}{message}", if *.syntax { "" } else { "MalformedXML: " })]
    Json {
        origin: String,
        line: usize,
        column: usize,
        /// True for a JSON syntax error, false for a shape error (what S3 calls MalformedXML).
        syntax: bool,
        message: String,
    },
    /// Well-formed JSON that S3 would reject.
    #[error("{origin}: {}{field}: {code}: {message}", rule.as_ref().map(|r| format!("{r}, ")).unwrap_or_default())]
    Invalid {
        origin: String,
        /// None for an error about the whole configuration.
        rule: Option<RuleRef>,
        /// Path of the offending field within the rule (or the configuration), e.g. `Transitions[1].Days`.
        field: String,
        code: S3Code,
        message: String,
    },
}

impl PolicyError {
    /// The S3 error code of an `Invalid` error (MalformedXML for a shape error).
    pub fn code(&self) -> Option<S3Code> {
        match self {
            PolicyError::Invalid { code, .. } => Some(*code),
            PolicyError::Json { syntax: false, .. } => Some(S3Code::MalformedXML),
            _ => None,
        }
    }

    pub(super) fn from_json(origin: &str, e: serde_json::Error) -> PolicyError {
        let (line, column) = (e.line(), e.column());
        let full = e.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message =
            crate::model::limits::cut_message(full.strip_suffix(&suffix).unwrap_or(&full));
        PolicyError::Json {
            origin: origin.to_string(),
            line,
            column,
            syntax: !matches!(e.classify(), serde_json::error::Category::Data),
            message,
        }
    }
}
