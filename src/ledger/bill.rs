//! Usage x prices = money. The only place prices meet quantities.

use super::{Months, Usage};
use crate::model::time::HOUR;
use crate::model::units::GB_F;
use crate::model::{BillClass, RestoreTier, StorageClass};
use crate::pricing::PriceTable;

/// A cost component (the `component` column of `monthly.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    Storage,
    EarlyDelete,
    RequestsPut,
    RequestsGet,
    Transition,
    Retrieval,
    RestoreRequests,
    RestoredCopy,
    Monitoring,
    Egress,
    NoncurrentStorage,
    DeleteMarkers,
    MpuStorage,
}

impl Component {
    pub const ALL: [Component; 13] = [
        Component::Storage,
        Component::EarlyDelete,
        Component::RequestsPut,
        Component::RequestsGet,
        Component::Transition,
        Component::Retrieval,
        Component::RestoreRequests,
        Component::RestoredCopy,
        Component::Monitoring,
        Component::Egress,
        Component::NoncurrentStorage,
        Component::DeleteMarkers,
        Component::MpuStorage,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Component::Storage => "storage",
            Component::EarlyDelete => "early_delete",
            Component::RequestsPut => "requests_put",
            Component::RequestsGet => "requests_get",
            Component::Transition => "transition",
            Component::Retrieval => "retrieval",
            Component::RestoreRequests => "restore_requests",
            Component::RestoredCopy => "restored_copy",
            Component::Monitoring => "monitoring",
            Component::Egress => "egress",
            Component::NoncurrentStorage => "noncurrent_storage",
            Component::DeleteMarkers => "delete_markers",
            Component::MpuStorage => "mpu_storage",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Component::Storage
            | Component::EarlyDelete
            | Component::RestoredCopy
            | Component::NoncurrentStorage
            | Component::DeleteMarkers
            | Component::MpuStorage => "GB-month",
            Component::RequestsPut
            | Component::RequestsGet
            | Component::Transition
            | Component::RestoreRequests => "requests",
            Component::Retrieval | Component::Egress => "GB",
            Component::Monitoring => "object-month",
        }
    }
}

/// One priced line: a month, a storage class, a component.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub month: usize,
    /// Storage class or billing class name (`INTELLIGENT_TIERING_FREQUENT`, ...); `-` for egress.
    pub class: &'static str,
    pub component: Component,
    pub quantity: f64,
    pub usd: f64,
}

/// The priced usage of one simulation, lines in a fixed order (month, then class, then component).
#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    pub lines: Vec<Line>,
    /// Usage beyond the last volume band of a price table that ends its bands (a region whose
    /// higher bands could not be sourced), one message per month and price: a bill with any is
    /// not to be reported.
    pub beyond_prices: Vec<String>,
}

impl Bill {
    pub fn total(&self) -> f64 {
        self.lines.iter().map(|l| l.usd).fold(0.0, |a, b| a + b)
    }

    pub fn component_total(&self, c: Component) -> f64 {
        self.lines
            .iter()
            .filter(|l| l.component == c)
            .map(|l| l.usd)
            .fold(0.0, |a, b| a + b)
    }

    /// The quantity of one month, class and component (0 when absent).
    pub fn quantity(&self, month: usize, class: &str, c: Component) -> f64 {
        self.lines
            .iter()
            .filter(|l| l.month == month && l.class == class && l.component == c)
            .map(|l| l.quantity)
            .fold(0.0, |a, b| a + b)
    }

    /// The cost of one month, class and component (0 when absent).
    pub fn usd(&self, month: usize, class: &str, c: Component) -> f64 {
        self.lines
            .iter()
            .filter(|l| l.month == month && l.class == class && l.component == c)
            .map(|l| l.usd)
            .fold(0.0, |a, b| a + b)
    }
}

/// Prices `usage`. Volume bands apply to each month's total of a band-priced class: for STANDARD, the
/// stored bytes, the archive's 8 KB overheads and the restored copies together, the band cost being
/// shared between them in proportion to their GB-months.
pub fn bill(usage: &Usage, months: &Months, prices: &PriceTable) -> Bill {
    let mut lines = Vec::new();
    let mut beyond_prices = Vec::new();
    let mut check = |m: usize, what: &str, quantity: f64, unit: &str, limit: Option<f64>| {
        if let Some(l) = limit
            && quantity > l
        {
            beyond_prices.push(format!(
                "{}: {quantity:.1} {unit} of {what}, beyond the {l} {unit} a month that the price table {} prices (its higher bands could not be sourced)",
                months.label(m),
                prices.origin
            ));
        }
    };
    for (m, u) in usage.months.iter().enumerate() {
        let hour_us = (months.hours(m) as f64) * HOUR as f64;
        let gb_months = |byte_us: u128| byte_us as f64 / GB_F / hour_us;
        let mut push = |class: &'static str, component: Component, quantity: f64, usd: f64| {
            if quantity > 0.0 {
                lines.push(Line {
                    month: m,
                    class,
                    component,
                    quantity,
                    usd,
                });
            }
        };
        // Storage, by billing class. A class's volume bands apply to everything billed at its
        // rate (current and noncurrent versions, upload parts; for STANDARD also restored copies
        // and delete markers), the band cost shared in proportion to GB-months.
        for bc in BillClass::ALL {
            let i = bc.index();
            let q = gb_months(u.storage[i]);
            let mut parts = [
                (Component::Storage, q),
                (Component::NoncurrentStorage, gb_months(u.noncurrent[i])),
                (Component::MpuStorage, gb_months(u.mpu[i])),
                (Component::RestoredCopy, 0.0),
                (Component::DeleteMarkers, 0.0),
            ];
            if bc == BillClass::Standard {
                parts[3].1 = gb_months(u.restored_copy);
                parts[4].1 = gb_months(u.delete_markers);
            }
            let total: f64 = parts.iter().map(|p| p.1).sum();
            let bands = prices.storage_bands(bc);
            check(m, bc.name(), total, "GB-months", bands.limit());
            let cost = bands.cost(total);
            // Only current storage (every unversioned run): priced as one quantity, to the same
            // bits as before parts were split out. STANDARD always shares (restored copies).
            if bc != BillClass::Standard && total == q {
                push(bc.name(), Component::Storage, q, cost);
                continue;
            }
            let rate = if total > 0.0 { cost / total } else { 0.0 };
            for (component, quantity) in parts {
                push(bc.name(), component, quantity, quantity * rate);
            }
        }
        for bc in BillClass::ALL {
            let q = gb_months(u.early_delete[bc.index()]);
            push(
                bc.name(),
                Component::EarlyDelete,
                q,
                prices.storage_bands(bc).cost(q),
            );
        }
        for c in StorageClass::ALL {
            let i = c.index();
            let n = u.requests_put[i] as f64;
            push(
                c.api_name(),
                Component::RequestsPut,
                n,
                n / 1000.0 * prices.put[i],
            );
            let n = u.requests_get[i] as f64;
            push(
                c.api_name(),
                Component::RequestsGet,
                n,
                n / 1000.0 * prices.get[i],
            );
            let n = u.transitions[i] as f64;
            push(
                c.api_name(),
                Component::Transition,
                n,
                n / 1000.0 * prices.transition[i].unwrap_or(0.0),
            );
            let gb = u.retrieval[i] as f64 / GB_F;
            push(
                c.api_name(),
                Component::Retrieval,
                gb,
                gb * prices.retrieval[i],
            );
            for tier in RestoreTier::ALL {
                let t = tier.index();
                // The engine only restores at tiers the class has; a missing price cannot be reached.
                let p = prices.restore[i][t];
                let n = u.restore_requests[i][t] as f64;
                let gb = u.restore_bytes[i][t] as f64 / GB_F;
                let (per_req, per_gb) =
                    p.map_or((0.0, 0.0), |p| (p.usd_per_1000_requests, p.usd_per_gb));
                push(
                    c.api_name(),
                    Component::RestoreRequests,
                    n,
                    n / 1000.0 * per_req,
                );
                push(c.api_name(), Component::Retrieval, gb, gb * per_gb);
            }
        }
        let objects = u.monitoring as f64 / hour_us;
        push(
            StorageClass::IntelligentTiering.api_name(),
            Component::Monitoring,
            objects,
            objects / 1000.0 * prices.monitoring_per_1000,
        );
        let gb = u.egress as f64 / GB_F;
        push("-", Component::Egress, gb, prices.egress.cost(gb));
        check(
            m,
            "data transfer out to the internet",
            gb,
            "GB",
            prices.egress.limit(),
        );
    }
    Bill {
        lines,
        beyond_prices,
    }
}
