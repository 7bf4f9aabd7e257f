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

/// A bucket's versioning state for a whole simulation.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Versioning {
    /// Never enabled: a write replaces the object, a DELETE removes it.
    #[default]
    Off,
    /// A write or DELETE keeps the version it replaces, as a noncurrent version.
    Enabled,
    /// Writes and DELETEs replace the `null` version; other versions stay.
    Suspended,
}

impl Versioning {
    pub fn name(self) -> &'static str {
        match self {
            Versioning::Off => "off",
            Versioning::Enabled => "enabled",
            Versioning::Suspended => "suspended",
        }
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
    /// A delete marker that exists when the simulation starts (an all-versions inventory).
    InitialMarker,
    /// CreateMultipartUpload (`REST.POST.UPLOADS`): opens an upload of the key.
    MpuCreate,
    /// UploadPart / UploadPartCopy (`REST.PUT.PART`): a part of `size` bytes.
    MpuPart,
    /// CompleteMultipartUpload (`REST.POST.UPLOAD`): the parts become the object.
    MpuComplete,
    /// AbortMultipartUpload (`REST.DELETE.UPLOAD`): the parts are deleted.
    MpuAbort,
}

impl Op {
    /// Parses `PUT`, `get`, ... and the server-access-log style `REST.GET.OBJECT`.
    pub fn parse(s: &str) -> Option<Op> {
        // The spellings workload CSVs use on nearly every row, without a search.
        match s {
            "GET" => return Some(Op::Get),
            "PUT" => return Some(Op::Put),
            "DELETE" => return Some(Op::Delete),
            "HEAD" => return Some(Op::Head),
            _ => {}
        }
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
                (Op::Post, "UPLOADS") => Some(Op::MpuCreate),
                (Op::Put, "PART") => Some(Op::MpuPart),
                (Op::Post, "UPLOAD") => Some(Op::MpuComplete),
                (Op::Delete, "UPLOAD") => Some(Op::MpuAbort),
                (op, "OBJECT") => Some(op),
                _ => None,
            };
        }
        Op::parse_plain(s)
    }

    fn parse_plain(s: &str) -> Option<Op> {
        const NAMES: [(&str, Op); 11] = [
            ("PUT", Op::Put),
            ("COPY", Op::Copy),
            ("POST", Op::Post),
            ("GET", Op::Get),
            ("HEAD", Op::Head),
            ("DELETE", Op::Delete),
            ("LIST", Op::List),
            ("CREATE_MULTIPART_UPLOAD", Op::MpuCreate),
            ("UPLOAD_PART", Op::MpuPart),
            ("COMPLETE_MULTIPART_UPLOAD", Op::MpuComplete),
            ("ABORT_MULTIPART_UPLOAD", Op::MpuAbort),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|&(_, op)| op)
    }

    /// PUT, COPY and POST create (or replace) an object; CreateMultipartUpload carries the
    /// class and tags of the object its completion creates.
    pub fn creates(self) -> bool {
        matches!(self, Op::Put | Op::Copy | Op::Post | Op::MpuCreate)
    }

    /// An object version or delete marker that exists at the start (no request).
    pub fn is_initial(self) -> bool {
        matches!(self, Op::Initial | Op::InitialMarker)
    }

    /// A multipart-upload request.
    pub fn is_multipart(self) -> bool {
        matches!(
            self,
            Op::MpuCreate | Op::MpuPart | Op::MpuComplete | Op::MpuAbort
        )
    }

    /// Write-type requests for the request-rate limits: PUT, COPY, POST, DELETE and the
    /// multipart-upload requests (each a PUT/POST/DELETE).
    pub fn is_write(self) -> bool {
        matches!(self, Op::Put | Op::Copy | Op::Post | Op::Delete) || self.is_multipart()
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
            Op::InitialMarker => "INITIAL_DELETE_MARKER",
            Op::MpuCreate => "CREATE_MULTIPART_UPLOAD",
            Op::MpuPart => "UPLOAD_PART",
            Op::MpuComplete => "COMPLETE_MULTIPART_UPLOAD",
            Op::MpuAbort => "ABORT_MULTIPART_UPLOAD",
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
        assert_eq!(Op::parse("REST.DELETE.UPLOAD"), Some(Op::MpuAbort));
        assert_eq!(Op::parse("REST.POST.UPLOADS"), Some(Op::MpuCreate));
        assert_eq!(Op::parse("REST.PUT.PART"), Some(Op::MpuPart));
        assert_eq!(Op::parse("REST.POST.UPLOAD"), Some(Op::MpuComplete));
        assert_eq!(Op::parse("upload_part"), Some(Op::MpuPart));
        assert_eq!(Op::parse("REST.GET.UPLOAD"), None);
        assert_eq!(Op::parse("REST.COPY.OBJECT_GET"), None);
        assert_eq!(Op::parse(""), None);
    }
}
