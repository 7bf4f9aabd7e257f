//! Storage classes (AWS API names) and the billing classes that carry a storage rate.

use std::fmt;

/// A storage class of a general purpose bucket, by its AWS API name.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum StorageClass {
    Standard = 0,
    StandardIa = 1,
    OnezoneIa = 2,
    IntelligentTiering = 3,
    GlacierIr = 4,
    Glacier = 5,
    DeepArchive = 6,
}

impl StorageClass {
    pub const COUNT: usize = 7;
    pub const ALL: [StorageClass; 7] = [
        StorageClass::Standard,
        StorageClass::StandardIa,
        StorageClass::OnezoneIa,
        StorageClass::IntelligentTiering,
        StorageClass::GlacierIr,
        StorageClass::Glacier,
        StorageClass::DeepArchive,
    ];

    pub fn api_name(self) -> &'static str {
        match self {
            StorageClass::Standard => "STANDARD",
            StorageClass::StandardIa => "STANDARD_IA",
            StorageClass::OnezoneIa => "ONEZONE_IA",
            StorageClass::IntelligentTiering => "INTELLIGENT_TIERING",
            StorageClass::GlacierIr => "GLACIER_IR",
            StorageClass::Glacier => "GLACIER",
            StorageClass::DeepArchive => "DEEP_ARCHIVE",
        }
    }

    /// Parses an AWS API name (case-insensitive, surrounding blanks ignored).
    pub fn parse(s: &str) -> Option<StorageClass> {
        let s = s.trim();
        StorageClass::ALL
            .into_iter()
            .find(|c| c.api_name().eq_ignore_ascii_case(s))
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// GLACIER and DEEP_ARCHIVE objects must be restored before a GET.
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/archived-objects.html
    pub fn is_archive(self) -> bool {
        matches!(self, StorageClass::Glacier | StorageClass::DeepArchive)
    }

    /// Whether a lifecycle transition from `self` to `to` is supported (the waterfall).
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
    pub fn can_transition_to(self, to: StorageClass) -> bool {
        use StorageClass::*;
        match self {
            Standard => to != Standard,
            StandardIa => matches!(
                to,
                IntelligentTiering | OnezoneIa | GlacierIr | Glacier | DeepArchive
            ),
            IntelligentTiering => matches!(to, OnezoneIa | GlacierIr | Glacier | DeepArchive),
            OnezoneIa | GlacierIr => matches!(to, Glacier | DeepArchive),
            Glacier => to == DeepArchive,
            DeepArchive => false,
        }
    }
}

impl fmt::Display for StorageClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// What a byte-hour is billed as: a storage class, or an Intelligent-Tiering access tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum BillClass {
    Standard = 0,
    StandardIa = 1,
    OnezoneIa = 2,
    ItFrequent = 3,
    ItInfrequent = 4,
    ItArchiveInstant = 5,
    GlacierIr = 6,
    Glacier = 7,
    DeepArchive = 8,
}

impl BillClass {
    pub const COUNT: usize = 9;
    pub const ALL: [BillClass; 9] = [
        BillClass::Standard,
        BillClass::StandardIa,
        BillClass::OnezoneIa,
        BillClass::ItFrequent,
        BillClass::ItInfrequent,
        BillClass::ItArchiveInstant,
        BillClass::GlacierIr,
        BillClass::Glacier,
        BillClass::DeepArchive,
    ];

    /// The name used in `monthly.csv` and the pricing file.
    pub fn name(self) -> &'static str {
        match self {
            BillClass::Standard => "STANDARD",
            BillClass::StandardIa => "STANDARD_IA",
            BillClass::OnezoneIa => "ONEZONE_IA",
            BillClass::ItFrequent => "INTELLIGENT_TIERING_FREQUENT",
            BillClass::ItInfrequent => "INTELLIGENT_TIERING_INFREQUENT",
            BillClass::ItArchiveInstant => "INTELLIGENT_TIERING_ARCHIVE_INSTANT",
            BillClass::GlacierIr => "GLACIER_IR",
            BillClass::Glacier => "GLACIER",
            BillClass::DeepArchive => "DEEP_ARCHIVE",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The billing class of a storage class that is not Intelligent-Tiering
    /// (Intelligent-Tiering maps to its frequent tier).
    pub fn of(class: StorageClass) -> BillClass {
        match class {
            StorageClass::Standard => BillClass::Standard,
            StorageClass::StandardIa => BillClass::StandardIa,
            StorageClass::OnezoneIa => BillClass::OnezoneIa,
            StorageClass::IntelligentTiering => BillClass::ItFrequent,
            StorageClass::GlacierIr => BillClass::GlacierIr,
            StorageClass::Glacier => BillClass::Glacier,
            StorageClass::DeepArchive => BillClass::DeepArchive,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names_round_trip() {
        for c in StorageClass::ALL {
            assert_eq!(StorageClass::parse(c.api_name()), Some(c));
        }
        assert_eq!(
            StorageClass::parse(" glacier_ir "),
            Some(StorageClass::GlacierIr)
        );
        assert_eq!(StorageClass::parse("EXPRESS_ONEZONE"), None);
    }

    #[test]
    fn waterfall_only_moves_down() {
        use StorageClass::*;
        assert!(Standard.can_transition_to(StandardIa));
        assert!(StandardIa.can_transition_to(IntelligentTiering));
        assert!(!IntelligentTiering.can_transition_to(StandardIa));
        assert!(!OnezoneIa.can_transition_to(GlacierIr));
        assert!(!OnezoneIa.can_transition_to(StandardIa));
        assert!(Glacier.can_transition_to(DeepArchive));
        for c in StorageClass::ALL {
            assert!(!c.can_transition_to(Standard));
            assert!(!DeepArchive.can_transition_to(c));
        }
    }
}
