//! Units. 1 KB = 1024 bytes, 1 GB = 2^30 bytes (SPEC §3; AWS's FAQ example converts byte-hours with
//! 1,073,741,824 bytes per GB).
//! See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/aws-usage-report-understand.html

/// Bytes in a KB.
pub const KB: u64 = 1024;
/// Bytes in a GB.
pub const GB: u64 = 1 << 30;
/// Bytes in a GB, as f64, for the final conversion to money.
pub const GB_F: f64 = GB as f64;
