//! S3's billing rules that are not prices: minimum storage durations, minimum billable sizes, the
//! archive metadata overhead and the Intelligent-Tiering thresholds. Prices live in `pricing/`.

use super::StorageClass;
use super::time::{DAY, Micros};
use super::units::KB;

/// Minimum storage duration of a class [µs]; leaving earlier is charged the remainder (the class's
/// row).
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html
pub fn min_storage_duration(class: StorageClass) -> Micros {
    class.row().min_storage_duration
}

/// Minimum billable object size of a class [bytes]: smaller objects are billed as this size (the
/// class's row).
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html
pub fn min_billable_size(class: StorageClass) -> u64 {
    class.row().min_billable_size
}

/// Index and metadata stored per archived object (GLACIER, DEEP_ARCHIVE) at the class's rate [bytes].
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
pub const ARCHIVE_OVERHEAD_AT_CLASS_RATE: u64 = 32 * KB;
/// Name and metadata stored per archived object at the S3 Standard rate [bytes] (same page).
pub const ARCHIVE_OVERHEAD_AT_STANDARD_RATE: u64 = 8 * KB;

/// Intelligent-Tiering objects smaller than this [bytes] stay in the frequent tier and pay no
/// monitoring fee.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intelligent-tiering-overview.html
pub const IT_MIN_MONITORED_SIZE: u64 = 128 * KB;
/// Days without access after which an Intelligent-Tiering object moves to the infrequent tier [µs].
pub const IT_INFREQUENT_AFTER: Micros = 30 * DAY;
/// Days without access after which it moves to the archive instant access tier [µs].
pub const IT_ARCHIVE_INSTANT_AFTER: Micros = 90 * DAY;

/// The size billed at the class's own storage rate [bytes].
pub fn billable_size(class: StorageClass, size: u64) -> u64 {
    if class.is_archive() {
        size.saturating_add(ARCHIVE_OVERHEAD_AT_CLASS_RATE)
    } else {
        size.max(min_billable_size(class))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billable_sizes() {
        // S3 FAQ: a 6 KB object in STANDARD_IA is billed as 128 KB.
        assert_eq!(billable_size(StorageClass::StandardIa, 6 * KB), 128 * KB);
        assert_eq!(billable_size(StorageClass::Standard, 6 * KB), 6 * KB);
        assert_eq!(
            billable_size(StorageClass::Glacier, 1 << 30),
            (1 << 30) + 32 * KB
        );
        assert_eq!(billable_size(StorageClass::GlacierIr, 200 * KB), 200 * KB);
    }
}
