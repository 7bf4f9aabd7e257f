//! The smallest vocabulary of s3sim: storage classes, units and time. Imports nothing else of the crate.

mod class;
pub mod limits;
pub mod rules;
pub mod time;
pub mod units;

pub use class::{BillClass, BillRow, ClassRow, StorageClass};
pub use time::Micros;

/// A restore (retrieval) tier for archived objects.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RestoreTier {
    Expedited = 0,
    Standard = 1,
    Bulk = 2,
}

impl RestoreTier {
    pub const ALL: [RestoreTier; 3] = [
        RestoreTier::Expedited,
        RestoreTier::Standard,
        RestoreTier::Bulk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RestoreTier::Expedited => "expedited",
            RestoreTier::Standard => "standard",
            RestoreTier::Bulk => "bulk",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// An object key or LIST prefix operation kind, as read from a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Op {
    Put,
    Copy,
    Post,
    Get,
    Head,
    Delete,
    List,
    /// An object that exists when the simulation starts (from an S3 Inventory): no request.
    Initial,
}

impl Op {
    /// Parses `PUT`, `get`, ... and the server-access-log style `REST.GET.OBJECT`.
    pub fn parse(s: &str) -> Option<Op> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix("REST.").or_else(|| s.strip_prefix("rest.")) {
            let mut parts = rest.split('.');
            let method = parts.next()?;
            let resource = parts.next().unwrap_or("");
            let op = Op::parse_plain(method)?;
            // Only requests on objects (and a GET of the bucket, a LIST) change what is stored:
            // REST.PUT.ACL, REST.DELETE.UPLOAD, REST.POST.RESTORE ... are other resources.
            return match (op, resource.to_ascii_uppercase().as_str()) {
                (Op::Get, "BUCKET") => Some(Op::List),
                (op, "OBJECT") => Some(op),
                _ => None,
            };
        }
        Op::parse_plain(s)
    }

    fn parse_plain(s: &str) -> Option<Op> {
        const NAMES: [(&str, Op); 7] = [
            ("PUT", Op::Put),
            ("COPY", Op::Copy),
            ("POST", Op::Post),
            ("GET", Op::Get),
            ("HEAD", Op::Head),
            ("DELETE", Op::Delete),
            ("LIST", Op::List),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|&(_, op)| op)
    }

    /// PUT, COPY and POST create (or replace) an object.
    pub fn creates(self) -> bool {
        matches!(self, Op::Put | Op::Copy | Op::Post)
    }

    /// Write-type requests for the request-rate limits: PUT, COPY, POST, DELETE.
    pub fn is_write(self) -> bool {
        matches!(self, Op::Put | Op::Copy | Op::Post | Op::Delete)
    }

    pub fn name(self) -> &'static str {
        match self {
            Op::Put => "PUT",
            Op::Copy => "COPY",
            Op::Post => "POST",
            Op::Get => "GET",
            Op::Head => "HEAD",
            Op::Delete => "DELETE",
            Op::List => "LIST",
            Op::Initial => "INITIAL",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ops_in_both_spellings() {
        assert_eq!(Op::parse("put"), Some(Op::Put));
        assert_eq!(Op::parse("Head"), Some(Op::Head));
        assert_eq!(Op::parse("REST.GET.OBJECT"), Some(Op::Get));
        assert_eq!(Op::parse("REST.GET.BUCKET"), Some(Op::List));
        assert_eq!(Op::parse("REST.DELETE.OBJECT"), Some(Op::Delete));
        assert_eq!(Op::parse("REST.COPY.OBJECT"), Some(Op::Copy));
        assert_eq!(Op::parse("FETCH"), None);
        assert_eq!(Op::parse("REST.PUT.ACL"), None);
        assert_eq!(Op::parse("REST.DELETE.UPLOAD"), None);
        assert_eq!(Op::parse("REST.COPY.OBJECT_GET"), None);
        assert_eq!(Op::parse(""), None);
    }
}
