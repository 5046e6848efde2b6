//! What the history answers with, as it crosses to the UI and the CLI.

use serde::{Deserialize, Serialize};

use crate::{
    accounts::{model::DAY_MS, AccountKey},
    registry::PanelId,
};

/// Whose traffic a chart shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum HistoryScope {
    All,
    #[serde(rename_all = "camelCase")]
    Panel {
        panel_id: PanelId,
    },
    /// A 3x-ui group or Pterodactyl server (case-insensitive), across panels.
    Group {
        group: String,
    },
    /// A Marzban/PasarGuard admin, across panels.
    Owner {
        owner: String,
    },
    Account {
        key: AccountKey,
    },
}

/// The periods a chart shows, each with its bucket size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum HistoryRange {
    Day,
    Week,
    Month,
    Quarter,
}

impl HistoryRange {
    pub fn span_ms(self) -> i64 {
        DAY_MS
            * match self {
                HistoryRange::Day => 1,
                HistoryRange::Week => 7,
                HistoryRange::Month => 30,
                HistoryRange::Quarter => 90,
            }
    }

    /// Hours for a day, six hours for a week, days beyond (what the stored points resolve:
    /// sync points for two days, hours for thirty).
    pub fn bucket_ms(self) -> i64 {
        match self {
            HistoryRange::Day => DAY_MS / 24,
            HistoryRange::Week => DAY_MS / 4,
            HistoryRange::Month | HistoryRange::Quarter => DAY_MS,
        }
    }

    /// The range that covers `days` (7 → a week), for reports.
    pub fn covering(days: u32) -> Self {
        match days {
            0..=1 => HistoryRange::Day,
            2..=7 => HistoryRange::Week,
            8..=30 => HistoryRange::Month,
            _ => HistoryRange::Quarter,
        }
    }
}

/// Traffic used in the bucket ending at `at_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UsagePoint {
    #[specta(type = specta_typescript::Number)]
    pub at_ms: i64,
    #[specta(type = specta_typescript::Number)]
    pub bytes: u64,
}

/// An account that used much traffic over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Mover {
    pub key: AccountKey,
    pub name: String,
    pub panel_name: String,
    #[specta(type = specta_typescript::Number)]
    pub bytes: u64,
}

/// An account that will use up its quota soon at its recent rate.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Depletion {
    pub key: AccountKey,
    pub name: String,
    pub panel_name: String,
    #[specta(type = specta_typescript::Number)]
    pub used_bytes: u64,
    #[specta(type = specta_typescript::Number)]
    pub limit_bytes: u64,
    #[specta(type = specta_typescript::Number)]
    pub bytes_per_day: u64,
    pub days_left: f64,
}

/// What the dashboard's charts show at once.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageOverview {
    pub range: HistoryRange,
    /// One series per panel.
    pub panels: Vec<PanelSeries>,
    pub top_movers: Vec<Mover>,
    pub heading_for_depletion: Vec<Depletion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PanelSeries {
    pub panel_id: PanelId,
    pub panel_name: String,
    pub points: Vec<UsagePoint>,
}

/// How a report groups the accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ReportBy {
    Panel,
    Group,
    Owner,
}

/// One line of a usage report: a panel, group or owner over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow {
    /// The panel's name, the group or the owner; `None` = accounts without one.
    pub label: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub used_bytes: u64,
    #[specta(type = specta_typescript::Number)]
    pub accounts: u64,
    /// Created within the period.
    #[specta(type = specta_typescript::Number)]
    pub created: u64,
    /// Expired within the period.
    #[specta(type = specta_typescript::Number)]
    pub expired: u64,
    /// Depleted now.
    #[specta(type = specta_typescript::Number)]
    pub depleted: u64,
    /// Daily traffic (hourly for a one-day report).
    pub points: Vec<UsagePoint>,
}
