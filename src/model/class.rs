//! Storage classes (AWS API names) and the billing classes that carry a storage rate, each one row
//! of data.
//!
//! Adding a storage class is one row in [`StorageClass`]'s table (and, if it bills its bytes under a
//! new name, one in [`BillClass`]'s) plus its entries in the price file. The enum, `ALL`, `COUNT`
//! and the price file's key lists follow from the tables; the compiler names every `match` that
//! must learn the new class, and the price loader names every price it lacks.

use std::fmt;

use super::RestoreTier;
use super::time::{DAY, Micros};
use super::units::KB;

/// Declares a class enum from its table of rows: the enum (variants numbered from 0 in table
/// order), `ALL` and `COUNT` in that order, `index()` and `row()`.
macro_rules! class_table {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $row:ty {
            $( $(#[$vmeta:meta])* $variant:ident => $value:expr, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in table order (the order of reports and of [`Self::index`]).
            pub const ALL: [$name; [$($name::$variant),+].len()] = [$($name::$variant),+];
            pub const COUNT: usize = $name::ALL.len();
            const ROWS: [$row; $name::COUNT] = [$($value),+];

            /// The variant's position in [`Self::ALL`]: the index of per-class arrays.
            pub const fn index(self) -> usize {
                self as usize
            }

            /// The variant's row of the table.
            pub const fn row(self) -> $row {
                Self::ROWS[self as usize]
            }
        }
    };
}

/// What s3sim knows of a storage class apart from its prices. The price file holds those: one
/// entry per class in `[requests.put]` and `[requests.get]`, and in each section the row calls
/// for (`[storage]` by [`BillClass`], `[transitions]`, `[retrieval]`, `[restore]`,
/// `[restore_latency]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassRow {
    /// AWS API name, as lifecycle JSON, workloads, reports and the price file spell it.
    pub api_name: &'static str,
    /// What its stored bytes are billed as (INTELLIGENT_TIERING: its frequent access tier; the
    /// simulator moves an object between the tiers).
    pub bill: BillClass,
    /// Minimum storage duration [µs]: an object that leaves earlier is charged the remainder.
    pub min_storage_duration: Micros,
    /// Minimum billable object size [bytes]: a smaller object is billed as this size.
    pub min_billable_size: u64,
    /// Whether a GET pays a retrieval fee per GB read (the class has a `[retrieval]` price).
    pub retrieval_fee: bool,
    /// The restore tiers of an archive class, whose objects must be restored before a GET (each
    /// has a `[restore]` price and a `[restore_latency]`); empty for the other classes.
    pub restore_tiers: &'static [RestoreTier],
}

const ALL_TIERS: &[RestoreTier] = &[
    RestoreTier::Expedited,
    RestoreTier::Standard,
    RestoreTier::Bulk,
];

class_table! {
    /// A storage class of a general purpose bucket, by its AWS API name.
    /// Minimum durations and billable sizes:
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html
    /// Archive classes and their restore tiers (DEEP_ARCHIVE has no expedited tier):
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html
    /// Retrieval fees per GB:
    /// See: https://aws.amazon.com/s3/pricing/
    pub enum StorageClass: ClassRow {
        Standard => ClassRow {
            api_name: "STANDARD",
            bill: BillClass::Standard,
            min_storage_duration: 0,
            min_billable_size: 0,
            retrieval_fee: false,
            restore_tiers: &[],
        },
        StandardIa => ClassRow {
            api_name: "STANDARD_IA",
            bill: BillClass::StandardIa,
            min_storage_duration: 30 * DAY,
            min_billable_size: 128 * KB,
            retrieval_fee: true,
            restore_tiers: &[],
        },
        OnezoneIa => ClassRow {
            api_name: "ONEZONE_IA",
            bill: BillClass::OnezoneIa,
            min_storage_duration: 30 * DAY,
            min_billable_size: 128 * KB,
            retrieval_fee: true,
            restore_tiers: &[],
        },
        IntelligentTiering => ClassRow {
            api_name: "INTELLIGENT_TIERING",
            bill: BillClass::ItFrequent,
            min_storage_duration: 0,
            min_billable_size: 0,
            retrieval_fee: false,
            restore_tiers: &[],
        },
        GlacierIr => ClassRow {
            api_name: "GLACIER_IR",
            bill: BillClass::GlacierIr,
            min_storage_duration: 90 * DAY,
            min_billable_size: 128 * KB,
            retrieval_fee: true,
            restore_tiers: &[],
        },
        Glacier => ClassRow {
            api_name: "GLACIER",
            bill: BillClass::Glacier,
            min_storage_duration: 90 * DAY,
            min_billable_size: 0,
            retrieval_fee: false,
            restore_tiers: ALL_TIERS,
        },
        DeepArchive => ClassRow {
            api_name: "DEEP_ARCHIVE",
            bill: BillClass::DeepArchive,
            min_storage_duration: 180 * DAY,
            min_billable_size: 0,
            retrieval_fee: false,
            restore_tiers: &[RestoreTier::Standard, RestoreTier::Bulk],
        },
    }
}

impl StorageClass {
    pub fn api_name(self) -> &'static str {
        self.row().api_name
    }

    /// Parses an AWS API name (case-insensitive, surrounding blanks ignored).
    pub fn parse(s: &str) -> Option<StorageClass> {
        let s = s.trim();
        StorageClass::ALL
            .into_iter()
            .find(|c| c.api_name().eq_ignore_ascii_case(s))
    }

    /// The API names of `classes` for a message: `A, B or C`.
    pub fn names_or(classes: impl IntoIterator<Item = StorageClass>) -> String {
        let names: Vec<&str> = classes.into_iter().map(StorageClass::api_name).collect();
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        }
    }

    /// The API names of every class for a message: `STANDARD, STANDARD_IA, ... or DEEP_ARCHIVE`.
    pub fn api_names() -> String {
        StorageClass::names_or(StorageClass::ALL)
    }

    /// GLACIER and DEEP_ARCHIVE objects must be restored before a GET: the classes with restore
    /// tiers.
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/archived-objects.html
    pub fn is_archive(self) -> bool {
        !self.row().restore_tiers.is_empty()
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

    /// Whether some class transitions to this one (every class but STANDARD): a lifecycle
    /// `Transition` may name it, and the price file's `[transitions]` has its price.
    pub fn is_transition_target(self) -> bool {
        StorageClass::ALL
            .into_iter()
            .any(|from| from.can_transition_to(self))
    }

    /// The classes a lifecycle `Transition` may name, in table order.
    pub fn transition_targets() -> impl Iterator<Item = StorageClass> {
        StorageClass::ALL
            .into_iter()
            .filter(|c| c.is_transition_target())
    }

    /// The waterfall for a message, from [`Self::can_transition_to`]: the classes from the one
    /// that reaches most, each followed by the classes it cannot reach that stand below it, as
    /// `STANDARD > ... > DEEP_ARCHIVE (ONEZONE_IA goes only to GLACIER or DEEP_ARCHIVE)`.
    pub fn waterfall() -> String {
        let reach = |c: StorageClass| {
            StorageClass::ALL
                .into_iter()
                .filter(|&to| c.can_transition_to(to))
                .count()
        };
        let mut order = StorageClass::ALL;
        // Stable: classes that reach as many keep table order.
        order.sort_by_key(|&c| std::cmp::Reverse(reach(c)));
        let mut out = order.map(StorageClass::api_name).join(" > ");
        for (i, &c) in order.iter().enumerate() {
            let below = &order[i + 1..];
            if below.iter().any(|&to| !c.can_transition_to(to)) {
                let only = below.iter().copied().filter(|&to| c.can_transition_to(to));
                out.push_str(&format!(
                    " ({c} goes only to {})",
                    StorageClass::names_or(only)
                ));
            }
        }
        out
    }
}

impl fmt::Display for StorageClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// What s3sim knows of a billing class apart from its storage price (the price file's
/// `[storage]` entry of its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BillRow {
    /// The name in `monthly.csv` and in the price file's `[storage]`.
    pub name: &'static str,
}

class_table! {
    /// What a byte-hour is billed as: a storage class, or an Intelligent-Tiering access tier.
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intelligent-tiering-overview.html
    pub enum BillClass: BillRow {
        Standard => BillRow { name: "STANDARD" },
        StandardIa => BillRow { name: "STANDARD_IA" },
        OnezoneIa => BillRow { name: "ONEZONE_IA" },
        ItFrequent => BillRow { name: "INTELLIGENT_TIERING_FREQUENT" },
        ItInfrequent => BillRow { name: "INTELLIGENT_TIERING_INFREQUENT" },
        ItArchiveInstant => BillRow { name: "INTELLIGENT_TIERING_ARCHIVE_INSTANT" },
        ItArchiveAccess => BillRow { name: "INTELLIGENT_TIERING_ARCHIVE_ACCESS" },
        ItDeepArchiveAccess => BillRow { name: "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS" },
        GlacierIr => BillRow { name: "GLACIER_IR" },
        Glacier => BillRow { name: "GLACIER" },
        DeepArchive => BillRow { name: "DEEP_ARCHIVE" },
    }
}

impl BillClass {
    /// The name used in `monthly.csv` and the pricing file.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The billing class of a storage class's stored bytes (Intelligent-Tiering: its frequent
    /// tier).
    pub fn of(class: StorageClass) -> BillClass {
        class.row().bill
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
    fn tables_are_in_enum_order_with_distinct_names() {
        let distinct = |names: Vec<&str>| {
            let n = names.len();
            names
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len()
                == n
        };
        assert!(distinct(
            StorageClass::ALL.map(StorageClass::api_name).to_vec()
        ));
        assert!(distinct(BillClass::ALL.map(BillClass::name).to_vec()));
        assert!(
            StorageClass::ALL
                .into_iter()
                .enumerate()
                .all(|(i, c)| c.index() == i)
        );
        assert!(
            BillClass::ALL
                .into_iter()
                .enumerate()
                .all(|(i, c)| c.index() == i)
        );
        // A storage class billed under its own name has the same name.
        for c in StorageClass::ALL {
            if c != StorageClass::IntelligentTiering {
                assert_eq!(BillClass::of(c).name(), c.api_name());
            }
        }
    }

    #[test]
    fn class_lists_for_messages() {
        assert_eq!(
            StorageClass::api_names(),
            "STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER or DEEP_ARCHIVE"
        );
        assert_eq!(
            StorageClass::names_or(StorageClass::transition_targets()),
            "STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER or DEEP_ARCHIVE"
        );
        assert_eq!(
            StorageClass::waterfall(),
            "STANDARD > STANDARD_IA > INTELLIGENT_TIERING > ONEZONE_IA > GLACIER_IR > GLACIER > \
             DEEP_ARCHIVE (ONEZONE_IA goes only to GLACIER or DEEP_ARCHIVE)"
        );
        assert!(StorageClass::Glacier.is_archive() && StorageClass::DeepArchive.is_archive());
        assert!(!StorageClass::GlacierIr.is_archive());
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
