//! Alert rules, their settings, and the alerts they raise, as they cross to the UI (typed:
//! a code and its parameters, worded by the UI's i18n or by [`super::text`] in English).

use serde::{Deserialize, Serialize};

use crate::{accounts::AccountKey, registry::PanelId};

/// The closed set of rules.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum RuleKind {
    Expiring,
    Depleted,
    UsageAbove,
    Unreachable,
    CertificateChanged,
    BulkDone,
}

impl RuleKind {
    pub const ALL: [RuleKind; 6] = [
        RuleKind::Expiring,
        RuleKind::Depleted,
        RuleKind::UsageAbove,
        RuleKind::Unreachable,
        RuleKind::CertificateChanged,
        RuleKind::BulkDone,
    ];

    /// The key its announced events are kept under in `alert_seen`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Expiring => "expiring",
            RuleKind::Depleted => "depleted",
            RuleKind::UsageAbove => "usage_above",
            RuleKind::Unreachable => "unreachable",
            RuleKind::CertificateChanged => "certificate_changed",
            RuleKind::BulkDone => "bulk_done",
        }
    }
}

/// Each rule on or off, with its threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct RuleSettings {
    pub expiring: bool,
    /// "Expiring" means within this many days.
    pub expiring_days: u32,
    pub depleted: bool,
    pub usage_above: bool,
    /// Percent of the quota.
    pub usage_percent: u32,
    pub unreachable: bool,
    pub unreachable_minutes: u32,
    pub certificate_changed: bool,
    pub bulk_done: bool,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            expiring: true,
            expiring_days: 3,
            depleted: true,
            usage_above: true,
            usage_percent: 90,
            unreachable: true,
            unreachable_minutes: 30,
            certificate_changed: true,
            bulk_done: true,
        }
    }
}

impl RuleSettings {
    pub fn enabled(&self, rule: RuleKind) -> bool {
        match rule {
            RuleKind::Expiring => self.expiring,
            RuleKind::Depleted => self.depleted,
            RuleKind::UsageAbove => self.usage_above,
            RuleKind::Unreachable => self.unreachable,
            RuleKind::CertificateChanged => self.certificate_changed,
            RuleKind::BulkDone => self.bulk_done,
        }
    }
}

/// Rules a panel is left out of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PanelMutes {
    pub panel_id: PanelId,
    pub muted: Vec<RuleKind>,
}

/// Alerts wait while the local time is within [from, to) (minutes after midnight; `to`
/// before `from` spans midnight). They are announced once the quiet hours end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuietHours {
    pub from_minute: u16,
    pub to_minute: u16,
    /// The user's offset from UTC, as the UI knows it.
    pub utc_offset_minutes: i16,
}

impl QuietHours {
    pub fn contains(&self, now_ms: i64) -> bool {
        let local = now_ms / 60_000 + i64::from(self.utc_offset_minutes);
        let minute = local.rem_euclid(24 * 60) as u16;
        let (from, to) = (self.from_minute % 1440, self.to_minute % 1440);
        if from <= to {
            (from..to).contains(&minute)
        } else {
            minute >= from || minute < to
        }
    }
}

/// Where alerts go besides the app's own list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ChannelSettings {
    /// The OS notification (app only).
    pub os: bool,
    /// Telegram chat id; the bot token is in the keyring (see `set_telegram_token`).
    pub telegram_chat_id: Option<String>,
    /// The Bot API's base URL; `None` = `https://api.telegram.org` (tests use a local fake).
    pub telegram_api_url: Option<String>,
    /// A URL each alert is POSTed to as JSON.
    pub webhook_url: Option<String>,
}

impl Default for ChannelSettings {
    fn default() -> Self {
        ChannelSettings {
            os: true,
            telegram_chat_id: None,
            telegram_api_url: None,
            webhook_url: None,
        }
    }
}

/// Every alert setting, stored as one JSON value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AlertSettings {
    pub rules: RuleSettings,
    pub panels: Vec<PanelMutes>,
    pub quiet_hours: Option<QuietHours>,
    pub channels: ChannelSettings,
    /// Alerts paused (from the tray) until then.
    #[specta(type = Option<specta_typescript::Number>)]
    pub paused_until_ms: Option<i64>,
}

impl AlertSettings {
    pub fn muted(&self, panel: &PanelId, rule: RuleKind) -> bool {
        self.panels
            .iter()
            .any(|p| &p.panel_id == panel && p.muted.contains(&rule))
    }

    /// Quiet hours or a pause hold alerts back at `now_ms`.
    pub fn holding(&self, now_ms: i64) -> bool {
        self.paused_until_ms.is_some_and(|t| now_ms < t)
            || self.quiet_hours.is_some_and(|q| q.contains(now_ms))
    }
}

/// What the table opens with when an alert is clicked (a subset of the accounts query).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertFilter {
    pub panel_ids: Vec<PanelId>,
    pub expiring_within_days: Option<u32>,
    pub depleted: bool,
}

/// What happened, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "code", rename_all = "camelCase")]
pub enum AlertKind {
    #[serde(rename_all = "camelCase")]
    AccountsExpiring {
        within_days: u32,
    },
    AccountsDepleted,
    #[serde(rename_all = "camelCase")]
    UsageAbove {
        percent: u32,
    },
    #[serde(rename_all = "camelCase")]
    PanelUnreachable {
        panel_id: PanelId,
        panel_name: String,
        minutes: u32,
    },
    #[serde(rename_all = "camelCase")]
    CertificateChanged {
        panel_id: PanelId,
        panel_name: String,
    },
    #[serde(rename_all = "camelCase")]
    BulkFinished {
        op_id: String,
        title: String,
        #[specta(type = specta_typescript::Number)]
        done: u64,
        #[specta(type = specta_typescript::Number)]
        failed: u64,
    },
}

impl AlertKind {
    pub fn rule(&self) -> RuleKind {
        match self {
            AlertKind::AccountsExpiring { .. } => RuleKind::Expiring,
            AlertKind::AccountsDepleted => RuleKind::Depleted,
            AlertKind::UsageAbove { .. } => RuleKind::UsageAbove,
            AlertKind::PanelUnreachable { .. } => RuleKind::Unreachable,
            AlertKind::CertificateChanged { .. } => RuleKind::CertificateChanged,
            AlertKind::BulkFinished { .. } => RuleKind::BulkDone,
        }
    }
}

/// One alert: an event, or many of one rule's at once ("37 accounts expire within 3 days").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub kind: AlertKind,
    #[specta(type = specta_typescript::Number)]
    pub at_ms: i64,
    /// Accounts it is about (0 for panel and bulk alerts).
    #[specta(type = specta_typescript::Number)]
    pub count: u64,
    /// The first few accounts' names, for the message.
    pub names: Vec<String>,
    pub accounts: Vec<AccountKey>,
    /// Opens the table on these accounts; `None` when no filter selects them.
    pub filter: Option<AlertFilter>,
}
