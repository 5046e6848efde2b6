//! Usage history: every sync records each account's traffic since the previous one, as one
//! compact point per panel ([`codec`]); old points are merged into hours and days and dropped
//! after the retention ([`settings`]). Read as series per panel, group, owner or account, top
//! movers, accounts heading for depletion, and reports.

pub mod codec;
pub mod read;
pub mod report;
pub mod report_csv;
pub mod settings;
pub mod types;
pub mod write;

pub use report_csv::{report_csv, REPORT_CSV_HEADER};
pub use types::{
    Depletion, HistoryRange, HistoryScope, Mover, PanelSeries, ReportBy, ReportRow, UsageOverview,
    UsagePoint,
};

use crate::{accounts::now_ms, error::Result, Paneldeck};

/// How many accounts the overview's lists show.
pub const OVERVIEW_LIST_LEN: usize = 10;
/// The overview lists accounts that run out within this many days.
pub const DEPLETION_HORIZON_DAYS: u32 = 30;

impl Paneldeck {
    /// Traffic of `scope` over `range`, up to now.
    pub fn usage_series(
        &self,
        scope: &HistoryScope,
        range: HistoryRange,
    ) -> Result<Vec<UsagePoint>> {
        self.store()
            .with(|c| read::series(c, scope, range, now_ms()))
    }

    /// The dashboard's charts: traffic per panel, top movers, heading for depletion.
    pub fn usage_overview(&self, range: HistoryRange) -> Result<UsageOverview> {
        let now = now_ms();
        let panels = self.list_panels()?;
        self.store().with(|c| {
            let mut series = Vec::with_capacity(panels.len());
            for p in panels {
                let scope = HistoryScope::Panel {
                    panel_id: p.id.clone(),
                };
                series.push(PanelSeries {
                    points: read::series(c, &scope, range, now)?,
                    panel_id: p.id,
                    panel_name: p.name,
                });
            }
            Ok(UsageOverview {
                range,
                panels: series,
                top_movers: read::top_movers(c, range, OVERVIEW_LIST_LEN, now)?,
                heading_for_depletion: read::heading_for_depletion(
                    c,
                    DEPLETION_HORIZON_DAYS,
                    OVERVIEW_LIST_LEN,
                    now,
                )?,
            })
        })
    }

    /// Usage per panel, group or owner over the last `days` days.
    pub fn usage_report(&self, by: ReportBy, days: u32) -> Result<Vec<ReportRow>> {
        self.store().with(|c| report::report(c, by, days, now_ms()))
    }

    /// Days of history kept; `None` = history off.
    pub fn history_retention_days(&self) -> Result<Option<u32>> {
        self.store().with(|c| settings::retention_days(c))
    }

    /// Sets the days of history kept (0 turns history off; what was kept stays until then).
    pub fn set_history_retention_days(&self, days: u32) -> Result<()> {
        self.store().with(|c| settings::set_retention_days(c, days))
    }
}
