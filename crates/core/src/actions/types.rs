//! What the detail pane and the create forms send (inputs) and get back (outputs).
//!
//! Inputs that differ per panel kind are enums tagged `kind` with the panel kind's lowercase
//! name (`xui`, `marzban`, `userpass`, `pterodactyl`); the field names are the ones
//! [`FieldError`](paneldeck_panels::FieldError)s refer to, so a form can put each message under
//! its field. Units live in the names: `*Bytes`, `*Ms` (epoch milliseconds), `*Secs`, `days`.

use paneldeck_panels::Secret;
use serde::{Deserialize, Serialize};

use crate::bulk::Field;

pub use super::outcome::{ActionMessage, ServerRefusal};

/// A one-click action on one account. Not every kind can do every action: the ones a panel's
/// API has no route for fail with `unsupported`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AccountAction {
    /// 3x-ui, Marzban (status `active`), user-pass proxy (status active).
    Enable,
    /// 3x-ui, Marzban (status `disabled`), user-pass proxy (status disabled).
    Disable,
    /// 3x-ui, Marzban: used traffic back to zero.
    ResetTraffic,
    /// Every kind. `keepTraffic` keeps the traffic row on 3x-ui; the other kinds ignore it.
    #[serde(rename_all = "camelCase")]
    Delete { keep_traffic: bool },
    /// 3x-ui: forget the recorded source IPs.
    ClearIps,
    /// Marzban: new subscription token (and new proxy secrets).
    RevokeSubscription,
    /// User-pass proxy: a new random password, returned once in [`ActionOutcome::secret`].
    RegeneratePassword,
    /// Pterodactyl: replace the subuser's permission keys (`control.start`, …).
    #[serde(rename_all = "camelCase")]
    SetPermissions { permissions: Vec<String> },
}

impl AccountAction {
    /// Short English name, for messages.
    pub fn label(&self) -> &'static str {
        match self {
            AccountAction::Enable => "enable",
            AccountAction::Disable => "disable",
            AccountAction::ResetTraffic => "reset traffic",
            AccountAction::Delete { .. } => "delete",
            AccountAction::ClearIps => "clear IPs",
            AccountAction::RevokeSubscription => "revoke subscription",
            AccountAction::RegeneratePassword => "regenerate password",
            AccountAction::SetPermissions { .. } => "set permissions",
        }
    }
}

/// 3x-ui expiry as a form picks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ExpiryInput {
    Never,
    /// A moment, epoch milliseconds (> 0).
    At {
        #[specta(type = specta_typescript::Number)]
        ms: i64,
    },
    /// A period of `days` (≥ 1) that starts with the first traffic ("start after first use").
    AfterFirstUse {
        days: u32,
    },
}

/// Marzban expiry: Marzban stores whole seconds, so `ms` is rounded down to a second.
/// ("Start after first use" is Marzban's `on_hold` status with `onHoldExpireDurationSecs`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ExpireInput {
    Never,
    /// A moment, epoch milliseconds (≥ 1000).
    At {
        #[specta(type = specta_typescript::Number)]
        ms: i64,
    },
}

/// Marzban's proxy protocols (`ProxyTypes`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "lowercase")]
pub enum MarzbanProtocol {
    Vmess,
    Vless,
    Trojan,
    Shadowsocks,
}

/// Inbound tags chosen for one protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolInbounds {
    pub protocol: MarzbanProtocol,
    pub tags: Vec<String>,
}

/// Marzban's data limit reset period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ResetStrategy {
    #[default]
    NoReset,
    Day,
    Week,
    Month,
    Year,
}

/// The statuses an admin may set on an existing Marzban user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MarzbanStatusInput {
    Active,
    Disabled,
    OnHold,
}

/// The statuses a new Marzban user may start in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MarzbanCreateStatus {
    #[default]
    Active,
    OnHold,
}

/// The statuses a user-pass sub-user may be given (`blocked` is the provider's to set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ProxyStatusInput {
    #[default]
    Active,
    Disabled,
}

/// The edit form of one account, per kind. Every field is the new value (the form sends the
/// whole form); fields documented "`None` keeps" leave the panel's value as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AccountEdit {
    #[serde(rename_all = "camelCase")]
    Xui {
        /// Renames the client (its native id changes: see [`ActionOutcome::native_id`]).
        email: String,
        /// `None` = unlimited.
        #[specta(type = Option<specta_typescript::Number>)]
        total_bytes: Option<u64>,
        expiry: ExpiryInput,
        /// Max concurrent IPs; 0 = unlimited.
        limit_ip: u32,
        comment: String,
        /// `None` keeps; `Some("")` clears.
        #[serde(default)]
        group: Option<String>,
        /// `None` keeps the subscription id.
        #[serde(default)]
        sub_id: Option<String>,
        /// Auto-renew period in days; 0 = off.
        reset_days: u32,
        enable: bool,
        /// `None` keeps the inbounds; otherwise the exact new set (attach/detach the difference).
        #[serde(default)]
        #[specta(type = Option<Vec<specta_typescript::Number>>)]
        inbound_ids: Option<Vec<i64>>,
    },
    #[serde(rename_all = "camelCase")]
    Marzban {
        /// `None` = unlimited.
        #[specta(type = Option<specta_typescript::Number>)]
        data_limit_bytes: Option<u64>,
        expire: ExpireInput,
        data_limit_reset_strategy: ResetStrategy,
        status: MarzbanStatusInput,
        note: String,
        /// Required (> 0) with status `on_hold`.
        #[serde(default)]
        #[specta(type = Option<specta_typescript::Number>)]
        on_hold_expire_duration_secs: Option<u64>,
        /// `None` keeps; otherwise the protocols the user has (existing secrets are kept,
        /// added protocols get new ones).
        #[serde(default)]
        proxies: Option<Vec<MarzbanProtocol>>,
        /// `None` keeps; otherwise the inbound tags per protocol.
        #[serde(default)]
        inbounds: Option<Vec<ProtocolInbounds>>,
    },
    #[serde(rename_all = "camelCase")]
    Userpass {
        /// `None` keeps the name.
        #[serde(default)]
        user_name: Option<String>,
        note: String,
        /// `None` = unlimited.
        #[specta(type = Option<specta_typescript::Number>)]
        usage_cap_bytes: Option<u64>,
        /// `None` = unlimited.
        #[specta(type = Option<specta_typescript::Number>)]
        ip_usage_cap: Option<u64>,
        status: ProxyStatusInput,
    },
    #[serde(rename_all = "camelCase")]
    Pterodactyl {
        /// The whole new list of permission keys.
        permissions: Vec<String>,
    },
    Pasarguard(crate::kinds::pasarguard::form::PasarguardEdit),
}

impl AccountEdit {
    /// The fields of the account, as previews name them, that this form writes: the whole
    /// form goes to the panel, so each is set to the form's value whether it changes or not.
    pub fn fields_sent(&self) -> Vec<Field> {
        use Field::*;
        let mut fields = match self {
            AccountEdit::Xui { .. } => vec![Limit, Expiry, IpCap, Note, Enabled],
            AccountEdit::Marzban { .. } | AccountEdit::Pasarguard(_) => {
                vec![Limit, Expiry, Note, Enabled]
            }
            AccountEdit::Userpass { .. } => vec![Limit, IpCap, Note, Enabled],
            AccountEdit::Pterodactyl { .. } => vec![Permissions],
        };
        match self {
            AccountEdit::Xui {
                group, inbound_ids, ..
            } => {
                fields.extend(group.is_some().then_some(Group));
                fields.extend(inbound_ids.is_some().then_some(Inbounds));
            }
            AccountEdit::Marzban { inbounds, .. } => {
                fields.extend(inbounds.is_some().then_some(Inbounds));
            }
            AccountEdit::Pasarguard(edit) => {
                fields.extend(edit.group_ids.is_some().then_some(Group));
            }
            AccountEdit::Userpass { .. } | AccountEdit::Pterodactyl { .. } => {}
        }
        fields
    }
}

/// The create form, per kind.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum NewAccount {
    #[serde(rename_all = "camelCase")]
    Xui {
        email: String,
        /// At least one.
        #[specta(type = Vec<specta_typescript::Number>)]
        inbound_ids: Vec<i64>,
        /// `None` = unlimited.
        #[specta(type = Option<specta_typescript::Number>)]
        total_bytes: Option<u64>,
        expiry: ExpiryInput,
        /// 0 = unlimited.
        #[serde(default)]
        limit_ip: u32,
        #[serde(default)]
        comment: String,
        #[serde(default)]
        group: Option<String>,
        /// Auto-renew period in days; 0 = off.
        #[serde(default)]
        reset_days: u32,
    },
    #[serde(rename_all = "camelCase")]
    Marzban {
        /// 3–32 of `a-z A-Z 0-9 _ - @ .` (after a template's prefix and suffix are added).
        username: String,
        /// At least one, unless the template's inbounds name them.
        proxies: Vec<MarzbanProtocol>,
        /// Empty = every inbound of each protocol (or the template's).
        #[serde(default)]
        inbounds: Vec<ProtocolInbounds>,
        expire: ExpireInput,
        /// `None` = unlimited (or the template's limit).
        #[specta(type = Option<specta_typescript::Number>)]
        data_limit_bytes: Option<u64>,
        #[serde(default)]
        data_limit_reset_strategy: ResetStrategy,
        /// A user template whose defaults fill what this form leaves empty: data limit,
        /// expiry (now + its duration), inbounds (and so protocols), username prefix/suffix.
        #[serde(default)]
        #[specta(type = Option<specta_typescript::Number>)]
        template_id: Option<i64>,
        #[serde(default)]
        status: MarzbanCreateStatus,
        /// Required (> 0) with status `onHold`; the period starts at first use.
        #[serde(default)]
        #[specta(type = Option<specta_typescript::Number>)]
        on_hold_expire_duration_secs: Option<u64>,
        #[serde(default)]
        note: String,
    },
    #[serde(rename_all = "camelCase")]
    Userpass {
        user_name: String,
        /// Generated (16 letters and digits) when absent; returned once in
        /// [`ActionOutcome::secret`].
        #[serde(default)]
        #[specta(type = Option<String>)]
        password: Option<Secret>,
        #[serde(default)]
        #[specta(type = Option<specta_typescript::Number>)]
        usage_cap_bytes: Option<u64>,
        #[serde(default)]
        #[specta(type = Option<specta_typescript::Number>)]
        ip_usage_cap: Option<u64>,
        #[serde(default)]
        note: String,
        #[serde(default)]
        status: ProxyStatusInput,
    },
    #[serde(rename_all = "camelCase")]
    Pterodactyl {
        email: String,
        /// Server identifiers; a subuser is created on each.
        server_ids: Vec<String>,
        permissions: Vec<String>,
    },
    Pasarguard(crate::kinds::pasarguard::form::PasarguardNew),
}

/// What an action, edit or create did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActionOutcome {
    /// The account's native id after the call (a 3x-ui rename changes it; see
    /// [`super::ids`] for each kind's convention).
    pub native_id: String,
    /// What happened (or what partly did not), as a code the UI words in the reader's language.
    pub message: Option<ActionMessage>,
    /// Shown once and never stored: a generated or regenerated proxy password, a revoked
    /// Marzban user's new subscription URL.
    pub secret: Option<String>,
    /// The journaled operation of a detail-pane change (what its Undo reverts).
    pub journal: Option<crate::bulk::OpId>,
}

impl ActionOutcome {
    pub fn new(native_id: impl Into<String>, message: ActionMessage) -> Self {
        ActionOutcome {
            native_id: native_id.into(),
            message: Some(message),
            secret: None,
            journal: None,
        }
    }

    pub fn with_secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }
}

/// 3x-ui's recorded source IPs of a client, as the panel writes them (`"1.2.3.4 (time)"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientIpList {
    pub ips: Vec<String>,
}

/// What the create form of each kind offers to pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum CreateOptions {
    #[serde(rename_all = "camelCase")]
    Xui {
        inbounds: Vec<XuiInboundOption>,
    },
    #[serde(rename_all = "camelCase")]
    Marzban {
        inbounds: Vec<MarzbanProtocolInbounds>,
        templates: Vec<MarzbanTemplateOption>,
    },
    /// Nothing to pick: a password is generated when the form leaves it empty.
    #[serde(rename_all = "camelCase")]
    Userpass {
        generated_password_length: u32,
    },
    #[serde(rename_all = "camelCase")]
    Pterodactyl {
        servers: Vec<ServerOption>,
        permission_groups: Vec<PermissionGroupOption>,
    },
    Pasarguard(crate::kinds::pasarguard::form::PasarguardOptions),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct XuiInboundOption {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    /// `vless`, `vmess`, `trojan`, `shadowsocks`, …
    pub protocol: String,
    pub remark: String,
    pub port: u16,
    pub enable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MarzbanProtocolInbounds {
    pub protocol: MarzbanProtocol,
    pub inbounds: Vec<MarzbanInboundOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MarzbanInboundOption {
    pub tag: String,
    /// `tcp`, `ws`, `grpc`, …
    pub network: String,
    /// `none`, `tls`, `reality`.
    pub tls: String,
    /// A number or a range such as `2000-2100`.
    pub port: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MarzbanTemplateOption {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub name: String,
    /// `None` = unlimited.
    #[specta(type = Option<specta_typescript::Number>)]
    pub data_limit_bytes: Option<u64>,
    /// From creation; `None` = never expires.
    #[specta(type = Option<specta_typescript::Number>)]
    pub expire_duration_secs: Option<u64>,
    pub username_prefix: Option<String>,
    pub username_suffix: Option<String>,
    pub inbounds: Vec<ProtocolInbounds>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServerOption {
    pub identifier: String,
    pub name: String,
    /// False when the key's user is only a subuser there (it may then lack the right to add).
    pub owned: bool,
}

/// One area of Pterodactyl permissions (`control`, `file`, …) in the panel's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PermissionGroupOption {
    pub name: String,
    pub description: String,
    pub permissions: Vec<PermissionOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PermissionOption {
    /// Full key, `group.key`.
    pub key: String,
    pub description: String,
}

/// Secrets a create keeps from the account it copies (import, migration), so the configs its
/// users already have go on working: VLESS/VMess UUIDs, the Trojan/Shadowsocks or proxy
/// password, the 3x-ui subscription id, and the VLESS flow and Shadowsocks cipher they go
/// with. `Debug` names the fields that are set, never their values, and there is no
/// `Serialize`: the bulk journal keeps them in a column of their own, out of the item's op,
/// its history and its exports.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct KeptCredentials {
    /// 3x-ui client `id`; Marzban VLESS `id` (and VMess `id` unless `vmess_uuid` is set).
    pub uuid: Option<String>,
    /// Marzban VMess `id` when it differs from the VLESS one.
    pub vmess_uuid: Option<String>,
    /// 3x-ui client `password` (Trojan/Shadowsocks), Marzban Trojan and Shadowsocks
    /// `password`, user-pass `use_key`.
    pub password: Option<String>,
    /// 3x-ui `subId`.
    pub sub_id: Option<String>,
    /// VLESS flow (3x-ui client `flow`, Marzban `proxies.vless.flow`).
    pub flow: Option<String>,
    /// Marzban Shadowsocks cipher (`proxies.shadowsocks.method`).
    pub ss_method: Option<String>,
}

impl KeptCredentials {
    /// Nothing kept.
    pub fn is_empty(&self) -> bool {
        *self == KeptCredentials::default()
    }

    /// A UUID or a password is kept (what existing client configs depend on).
    pub fn keeps_secrets(&self) -> bool {
        self.uuid.is_some() || self.vmess_uuid.is_some() || self.password.is_some()
    }

    /// The secret values (UUIDs, password, subscription id), e.g. to scrub them from a
    /// panel's error message before it is journaled.
    pub fn secret_values(&self) -> impl Iterator<Item = &str> {
        [&self.uuid, &self.vmess_uuid, &self.password, &self.sub_id]
            .into_iter()
            .filter_map(|v| v.as_deref())
            .filter(|v| !v.is_empty())
    }

    /// `text` with every kept secret replaced by `<redacted>` (values shorter than 4
    /// characters are left: they would mangle the text and reveal little).
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in self.secret_values().filter(|s| s.chars().count() >= 4) {
            out = out.replace(secret, "<redacted>");
        }
        out
    }
}

impl std::fmt::Debug for KeptCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("KeptCredentials");
        for (name, value) in [
            ("uuid", &self.uuid),
            ("vmess_uuid", &self.vmess_uuid),
            ("password", &self.password),
            ("sub_id", &self.sub_id),
            ("flow", &self.flow),
            ("ss_method", &self.ss_method),
        ] {
            if value.is_some() {
                d.field(name, &format_args!("<redacted>"));
            }
        }
        d.finish()
    }
}

/// Settings a create keeps from the account it copies that the create forms do not offer.
/// None of them is secret: they are part of the create item shown in the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeptSettings {
    /// Disabled right after it is created (3x-ui's `add` and Marzban's create make accounts
    /// active; a user-pass form has its own status).
    #[serde(default)]
    pub disabled: bool,
    /// 3x-ui Telegram id (`tgId`).
    #[serde(default)]
    #[specta(type = Option<specta_typescript::Number>)]
    pub tg_id: Option<i64>,
    /// 3x-ui device limit (`limitHwid`).
    #[serde(default)]
    pub hwid_limit: Option<u32>,
}

impl KeptSettings {
    pub fn is_empty(&self) -> bool {
        *self == KeptSettings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_credentials_never_print_their_values() {
        let k = KeptCredentials {
            uuid: Some("b831381d-6324-4d53-ad4f-8cda48b30811".into()),
            password: Some("hunter2-secret".into()),
            sub_id: Some("sub-token-9".into()),
            ..KeptCredentials::default()
        };
        let shown = format!("{k:?} {:?}", Some(&k));
        assert!(
            !shown.contains("b831381d")
                && !shown.contains("hunter2")
                && !shown.contains("sub-token"),
            "{shown}"
        );
        assert!(
            shown.contains("uuid") && shown.contains("<redacted>"),
            "{shown}"
        );
        assert!(k.keeps_secrets() && !k.is_empty());
        assert_eq!(
            k.scrub("subId already in use: sub-token-9 (hunter2-secret)"),
            "subId already in use: <redacted> (<redacted>)"
        );
        assert!(!KeptCredentials::default().keeps_secrets());
    }
}
