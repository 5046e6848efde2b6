//! The unified account: one shape for a 3x-ui client, a Marzban user, a proxy sub-user and a
//! Pterodactyl subuser, with what each kind lets Paneldeck read and change.

use paneldeck_panels::PanelKind;
use serde::{Deserialize, Serialize};

use crate::registry::PanelId;

/// Which account of which panel: the panel's id plus the account's id on that panel.
///
/// `native_id` per kind: 3x-ui the client's email; Marzban the username; user-pass the
/// numeric sub-user id; Pterodactyl `{server identifier}/{user uuid}` (see
/// [`crate::kinds::pterodactyl::ids`]).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub struct AccountKey {
    pub panel_id: PanelId,
    pub native_id: String,
}

impl AccountKey {
    pub fn new(panel_id: PanelId, native_id: impl Into<String>) -> Self {
        AccountKey {
            panel_id,
            native_id: native_id.into(),
        }
    }
}

impl std::fmt::Display for AccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.panel_id, self.native_id)
    }
}

/// What state an account is in, derived from its fields relative to a moment.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Disabled,
    Expired,
    /// Its traffic quota is used up.
    Depleted,
    /// Waiting for first use before its time starts (Marzban on_hold, 3x-ui negative expiry).
    OnHold,
    /// Restricted by the provider for another reason (user-pass "blocked").
    Limited,
}

impl AccountStatus {
    pub const ALL: [AccountStatus; 6] = [
        AccountStatus::Active,
        AccountStatus::Disabled,
        AccountStatus::Expired,
        AccountStatus::Depleted,
        AccountStatus::OnHold,
        AccountStatus::Limited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
            AccountStatus::Expired => "expired",
            AccountStatus::Depleted => "depleted",
            AccountStatus::OnHold => "on_hold",
            AccountStatus::Limited => "limited",
        }
    }

    /// Any case, `-` for `_` (without allocating: imports parse one per row).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().as_bytes();
        let same = |name: &str| {
            name.len() == s.len()
                && s.iter().zip(name.bytes()).all(|(a, b)| {
                    let a = a.to_ascii_lowercase();
                    a == b || (a == b'-' && b == b'_')
                })
        };
        AccountStatus::ALL.into_iter().find(|st| same(st.as_str()))
    }
}

impl std::fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the panel itself says about an account beyond its numbers (its own status field).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StatusHints {
    /// The panel reports the account expired (Marzban `expired`).
    pub expired: bool,
    /// The panel reports the quota used up (Marzban `limited`).
    pub depleted: bool,
    /// Time starts at first use (Marzban `on_hold`, 3x-ui negative `expiryTime`).
    pub on_hold: bool,
    /// Restricted by the provider (user-pass `blocked`).
    pub restricted: bool,
}

/// The derivation every reader uses (Rust here, SQL in [`super::snapshot::STATUS_SQL`]):
/// expired, then depleted, then disabled, then on hold, then limited, else active. Expired
/// and depleted come first because 3x-ui disables such clients itself.
pub fn derive_status(
    enabled: bool,
    hints: StatusHints,
    used_bytes: u64,
    limit_bytes: Option<u64>,
    expires_at_ms: Option<i64>,
    now_ms: i64,
) -> AccountStatus {
    if hints.expired || expires_at_ms.is_some_and(|t| t <= now_ms) {
        AccountStatus::Expired
    } else if hints.depleted || limit_bytes.is_some_and(|l| used_bytes >= l) {
        AccountStatus::Depleted
    } else if !enabled {
        AccountStatus::Disabled
    } else if hints.on_hold {
        AccountStatus::OnHold
    } else if hints.restricted {
        AccountStatus::Limited
    } else {
        AccountStatus::Active
    }
}

/// What can be read and changed on an account of a given kind (and API generation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    pub can_edit: bool,
    pub can_toggle: bool,
    pub can_reset_traffic: bool,
    pub can_delete: bool,
    pub has_traffic: bool,
    pub has_expiry: bool,
    pub has_ip_limit: bool,
    /// The panel lists the source IPs an account connected from.
    pub has_ips: bool,
    /// Share links (vless://, vmess://, …) per account.
    pub has_links: bool,
    pub has_subscription: bool,
    pub can_revoke_subscription: bool,
    /// Per-account permission lists (Pterodactyl).
    pub has_permissions: bool,
    /// A proxy password Paneldeck can regenerate (user-pass).
    pub can_regenerate_password: bool,
    /// Upload and download counters can be set back (3x-ui's `updateTraffic`): a traffic reset
    /// can be reverted.
    pub can_set_traffic: bool,
}

impl Capabilities {
    /// What an account of `kind` offers, whatever its panel's API generation.
    pub fn for_kind(kind: PanelKind) -> Self {
        Capabilities::for_panel(kind, None)
    }

    /// What an account of `kind` offers on a panel of `api_generation`: the kind decides
    /// ([`KindRules::capabilities`](crate::kinds::KindRules::capabilities)).
    pub fn for_panel(kind: PanelKind, api_generation: Option<&str>) -> Self {
        crate::kinds::rules(kind).capabilities(api_generation)
    }
}

/// One account of any panel, in the app's terms. Bytes are `u64`; times are epoch ms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub key: AccountKey,
    pub kind: PanelKind,
    /// What the panel calls it: 3x-ui email, Marzban username, sub-user name, subuser username.
    pub name: String,
    pub email: Option<String>,
    pub enabled: bool,
    /// Derived by [`derive_status`] at `status_at_ms`.
    pub status: AccountStatus,
    pub hints: StatusHints,
    #[specta(type = Option<specta_typescript::Number>)]
    pub up_bytes: Option<u64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub down_bytes: Option<u64>,
    /// Up + down where the panel splits them, else its single counter.
    #[specta(type = specta_typescript::Number)]
    pub used_bytes: u64,
    /// `None` = unlimited.
    #[specta(type = Option<specta_typescript::Number>)]
    pub limit_bytes: Option<u64>,
    /// `None` = never.
    #[specta(type = Option<specta_typescript::Number>)]
    pub expires_at_ms: Option<i64>,
    /// Time granted from first use (3x-ui negative expiry, Marzban on-hold duration).
    #[specta(type = Option<specta_typescript::Number>)]
    pub expire_after_first_use_ms: Option<i64>,
    /// Concurrent IPs allowed; `None` = unlimited.
    #[specta(type = Option<specta_typescript::Number>)]
    pub ip_limit: Option<u64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub ips_used: Option<u64>,
    /// 3x-ui group, Pterodactyl server name.
    pub group: Option<String>,
    pub note: Option<String>,
    pub protocols: Vec<String>,
    /// 3x-ui inbound ids, Marzban inbound tags.
    pub inbounds: Vec<String>,
    /// Pterodactyl permission keys.
    pub permissions: Vec<String>,
    /// Pterodactyl server(s) the account is a subuser of.
    pub servers: Vec<String>,
    pub sub_id: Option<String>,
    /// Protocol credential id (3x-ui/Marzban VLESS/VMess UUID, Pterodactyl user uuid).
    pub uuid: Option<String>,
    pub subscription_url: Option<String>,
    /// `None` when the panel does not tell.
    pub online: Option<bool>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub last_online_ms: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub created_at_ms: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub updated_at_ms: Option<i64>,
    /// When `status` was derived.
    #[specta(type = specta_typescript::Number)]
    pub status_at_ms: i64,
}

impl Account {
    /// A blank account of `kind` to fill in (conversions start from this).
    pub fn blank(key: AccountKey, kind: PanelKind, name: impl Into<String>) -> Self {
        Account {
            key,
            kind,
            name: name.into(),
            email: None,
            enabled: true,
            status: AccountStatus::Active,
            hints: StatusHints::default(),
            up_bytes: None,
            down_bytes: None,
            used_bytes: 0,
            limit_bytes: None,
            expires_at_ms: None,
            expire_after_first_use_ms: None,
            ip_limit: None,
            ips_used: None,
            group: None,
            note: None,
            protocols: Vec::new(),
            inbounds: Vec::new(),
            permissions: Vec::new(),
            servers: Vec::new(),
            sub_id: None,
            uuid: None,
            subscription_url: None,
            online: None,
            last_online_ms: None,
            created_at_ms: None,
            updated_at_ms: None,
            status_at_ms: 0,
        }
    }

    /// The status at `now_ms`.
    pub fn status_at(&self, now_ms: i64) -> AccountStatus {
        derive_status(
            self.enabled,
            self.hints,
            self.used_bytes,
            self.limit_bytes,
            self.expires_at_ms,
            now_ms,
        )
    }

    /// Re-derives `status` at `now_ms`.
    pub fn with_status_at(mut self, now_ms: i64) -> Self {
        self.status = self.status_at(now_ms);
        self.status_at_ms = now_ms;
        self
    }

    /// Expires after `now_ms` but within `days` days of it.
    pub fn expires_within(&self, now_ms: i64, days: u32) -> bool {
        self.expires_at_ms
            .is_some_and(|t| t > now_ms && t <= now_ms + i64::from(days) * DAY_MS)
    }

    /// Its quota is used up.
    pub fn is_depleted(&self) -> bool {
        self.hints.depleted || self.limit_bytes.is_some_and(|l| self.used_bytes >= l)
    }
}

pub const DAY_MS: i64 = 86_400_000;

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
