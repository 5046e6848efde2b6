//! What a bulk operation is asked to do (requests), what it will do (the plan) and what it did
//! (progress, report, history). Types crossing to the UI are camelCase and `specta::Type`.

use paneldeck_panels::PanelKind;
use serde::{Deserialize, Serialize};

use crate::{
    accounts::{AccountKey, Selection},
    actions::{AccountEdit, KeptCredentials, KeptSettings, NewAccount, ProxyStatusInput},
    bulk::{Field, FieldValue, ItemError, ItemOutcome, OpTitle},
    registry::PanelId,
};

/// One bulk operation's id (a UUID), the key of its journal.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(transparent)]
pub struct OpId(pub String);

impl OpId {
    pub fn new() -> Self {
        OpId(uuid::Uuid::new_v4().to_string())
    }
}

impl Default for OpId {
    fn default() -> Self {
        OpId::new()
    }
}

impl std::fmt::Display for OpId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A limit that a bulk change keeps, lifts, or sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum LimitChange {
    Keep,
    Unlimited,
    To {
        #[specta(type = specta_typescript::Number)]
        value: u64,
    },
}

/// What to do to every selected account. Kinds that cannot do it are skipped in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum BulkAction {
    /// 3x-ui, Marzban, user-pass.
    Enable,
    Disable,
    /// Every kind; `keepTraffic` only matters on 3x-ui.
    #[serde(rename_all = "camelCase")]
    Delete {
        keep_traffic: bool,
    },
    /// 3x-ui, Marzban. Accounts that never expire are skipped.
    ExtendExpiry {
        days: u32,
    },
    /// 3x-ui, Marzban. `None` = never.
    SetExpiry {
        #[specta(type = Option<specta_typescript::Number>)]
        ms: Option<i64>,
    },
    /// 3x-ui, Marzban, user-pass (usage cap). Unlimited accounts are skipped.
    AddTraffic {
        #[specta(type = specta_typescript::Number)]
        bytes: u64,
    },
    /// `None` = unlimited.
    SetTrafficLimit {
        #[specta(type = Option<specta_typescript::Number>)]
        bytes: Option<u64>,
    },
    /// 3x-ui, Marzban.
    ResetTraffic,
    /// 3x-ui.
    #[serde(rename_all = "camelCase")]
    AttachInbounds {
        #[specta(type = Vec<specta_typescript::Number>)]
        inbound_ids: Vec<i64>,
    },
    #[serde(rename_all = "camelCase")]
    DetachInbounds {
        #[specta(type = Vec<specta_typescript::Number>)]
        inbound_ids: Vec<i64>,
    },
    AddToGroup {
        group: String,
    },
    RemoveFromGroup,
    /// Marzban: the template's data limit, expiry (from now) and inbounds.
    #[serde(rename_all = "camelCase")]
    ApplyTemplate {
        #[specta(type = specta_typescript::Number)]
        template_id: i64,
    },
    RevokeSubscription,
    /// User-pass proxy: usage (bytes) and IP caps.
    #[serde(rename_all = "camelCase")]
    SetCaps {
        usage_cap_bytes: LimitChange,
        ip_usage_cap: LimitChange,
    },
    SetStatus {
        status: ProxyStatusInput,
    },
    /// Pterodactyl: add keys to / remove keys from each subuser's permissions, or replace them.
    GrantPermissions {
        permissions: Vec<String>,
    },
    RevokePermissions {
        permissions: Vec<String>,
    },
    SetPermissions {
        permissions: Vec<String>,
    },
}

/// Names for a bulk create: a pattern such as `shop-{001..250}` or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum NameSource {
    Pattern { pattern: String },
    List { names: Vec<String> },
}

/// What the user asks for.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum BulkRequest {
    Change {
        selection: Selection,
        action: BulkAction,
    },
    /// One account per name on each panel, from the template of the panel's kind (its name
    /// field is replaced by each name).
    #[serde(rename_all = "camelCase")]
    Create {
        panel_ids: Vec<PanelId>,
        names: NameSource,
        templates: Vec<NewAccount>,
    },
    /// Pterodactyl: a subuser on each server.
    #[serde(rename_all = "camelCase")]
    AddPerson {
        panel_id: PanelId,
        email: String,
        server_ids: Vec<String>,
        permissions: Vec<String>,
    },
    /// Pterodactyl: every subuser with this email, on every server of the panels given (none =
    /// every Pterodactyl panel), as the snapshot knows them.
    #[serde(rename_all = "camelCase")]
    RemovePerson {
        email: String,
        #[serde(default)]
        panel_ids: Vec<PanelId>,
    },
}

/// A plan built elsewhere (import, migration): create or edit accounts on given panels.
#[derive(Debug, Clone)]
pub enum ItemInput {
    /// A create, keeping the `credentials` and `settings` of the account it copies (both
    /// empty for a plain create). The credentials are journaled with the item, apart from its
    /// op, so a resumed or retried create sends the same UUIDs/passwords again; they never
    /// appear in the plan, the history or its exports.
    Create {
        panel_id: PanelId,
        new: NewAccount,
        credentials: KeptCredentials,
        settings: KeptSettings,
    },
    /// An edit with the changes its preview showed (before as the snapshot had it), so the
    /// run resolves it against the live account as it does a bulk change.
    Edit {
        key: AccountKey,
        edit: AccountEdit,
        changes: Vec<FieldChange>,
    },
}

/// One item's concrete operation, as journaled. Relative changes are resolved to absolute
/// values when planning (so replaying an item after a crash cannot apply it twice); `addDays`
/// / `addBytes` remember the relative form for 3x-ui's bulk routes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ItemOp {
    Enable,
    Disable,
    #[serde(rename_all = "camelCase")]
    Delete {
        keep_traffic: bool,
    },
    ResetTraffic,
    #[serde(rename_all = "camelCase")]
    SetExpiry {
        #[specta(type = Option<specta_typescript::Number>)]
        ms: Option<i64>,
        add_days: Option<u32>,
    },
    #[serde(rename_all = "camelCase")]
    SetTrafficLimit {
        #[specta(type = Option<specta_typescript::Number>)]
        bytes: Option<u64>,
        #[specta(type = Option<specta_typescript::Number>)]
        add_bytes: Option<u64>,
    },
    #[serde(rename_all = "camelCase")]
    AttachInbounds {
        #[specta(type = Vec<specta_typescript::Number>)]
        inbound_ids: Vec<i64>,
    },
    #[serde(rename_all = "camelCase")]
    DetachInbounds {
        #[specta(type = Vec<specta_typescript::Number>)]
        inbound_ids: Vec<i64>,
    },
    /// `None` removes the client from its group.
    SetGroup {
        group: Option<String>,
    },
    #[serde(rename_all = "camelCase")]
    ApplyTemplate {
        #[specta(type = specta_typescript::Number)]
        template_id: i64,
    },
    RevokeSubscription,
    /// 3x-ui: forget the recorded source IPs (a detail-pane action).
    ClearIps,
    /// User-pass proxy: a new random password (a detail-pane action; the password is
    /// shown once and never journaled).
    RegeneratePassword,
    /// 3x-ui: set the upload and download counters (a reverted traffic reset).
    #[serde(rename_all = "camelCase")]
    SetTraffic {
        #[specta(type = specta_typescript::Number)]
        up_bytes: u64,
        #[specta(type = specta_typescript::Number)]
        down_bytes: u64,
    },
    /// Pterodactyl: replace the subuser's permission keys (a detail-pane action).
    SetPermissions {
        permissions: Vec<String>,
    },
    Edit {
        edit: AccountEdit,
        /// The fields the edit sends as the snapshot had them (it changes none of them). A
        /// form replaces the whole record, so if one of them changed on the panel since the
        /// preview, sending the form would undo that change: the item is skipped instead.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        seen: Vec<FieldSeen>,
    },
    Create {
        #[serde(serialize_with = "super::wire::ser_new_account")]
        #[specta(type = NewAccount)]
        new: NewAccount,
        /// What the copied account had that the form lacks (import, migration). Its kept
        /// UUIDs/passwords are not part of the op (see [`ItemInput::Create`]).
        #[serde(default)]
        kept: KeptSettings,
    },
}

impl ItemOp {
    pub fn label(&self) -> &'static str {
        match self {
            ItemOp::Enable => "enable",
            ItemOp::Disable => "disable",
            ItemOp::Delete { .. } => "delete",
            ItemOp::ResetTraffic => "reset traffic",
            ItemOp::SetExpiry { .. } => "set expiry",
            ItemOp::SetTrafficLimit { .. } => "set traffic limit",
            ItemOp::AttachInbounds { .. } => "attach inbounds",
            ItemOp::DetachInbounds { .. } => "detach inbounds",
            ItemOp::SetGroup { .. } => "set group",
            ItemOp::ApplyTemplate { .. } => "apply template",
            ItemOp::RevokeSubscription => "revoke subscription",
            ItemOp::ClearIps => "clear IPs",
            ItemOp::RegeneratePassword => "new password",
            ItemOp::SetTraffic { .. } => "set traffic",
            ItemOp::SetPermissions { .. } => "set permissions",
            ItemOp::Edit { .. } => "edit",
            ItemOp::Create { .. } => "create",
        }
    }

    pub fn is_create(&self) -> bool {
        matches!(self, ItemOp::Create { .. })
    }
}

/// Why an account is left out of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The panel's kind has no such operation.
    Unsupported,
    /// "Extend expiry" on an account that never expires.
    UnlimitedExpiry,
    /// "Add traffic" on an account without a limit.
    UnlimitedTraffic,
    /// Not in the snapshot (or no longer on the panel).
    NotFound,
    /// Creating a name the panel already has.
    AlreadyExists,
    /// Nothing would change.
    NoChange,
    /// The input does not fit this panel (no template of its kind, bad name).
    InvalidInput,
    /// The account changed on the panel since the preview, and the run skips such items.
    ChangedOnPanel,
    /// A revert of a change nothing journaled can take back (a delete, a reset, new secrets).
    Irreversible,
    /// The provider blocked the account; its API takes only a disable or a delete.
    BlockedByProvider,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Unsupported => "unsupported",
            SkipReason::UnlimitedExpiry => "unlimited_expiry",
            SkipReason::UnlimitedTraffic => "unlimited_traffic",
            SkipReason::NotFound => "not_found",
            SkipReason::AlreadyExists => "already_exists",
            SkipReason::NoChange => "no_change",
            SkipReason::InvalidInput => "invalid_input",
            SkipReason::ChangedOnPanel => "changed_on_panel",
            SkipReason::Irreversible => "irreversible",
            SkipReason::BlockedByProvider => "blocked_by_provider",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Skip {
    pub reason: SkipReason,
    pub message: String,
}

impl Skip {
    pub fn new(reason: SkipReason, message: impl Into<String>) -> Self {
        Skip {
            reason,
            message: message.into(),
        }
    }
}

/// What planning one account gives: the op and what it changes, or why it is skipped.
pub type Planned = std::result::Result<(ItemOp, Vec<FieldChange>), Skip>;

/// One field before → after, typed (`None` = unlimited / never / unset) so each reader words
/// it in its language. Bulk plans, their history and import/migration previews all show
/// changes this way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: Field,
    pub before: Option<FieldValue>,
    pub after: Option<FieldValue>,
}

/// A field's value as the preview saw it, for a field an item sends but does not change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldSeen {
    pub field: Field,
    pub value: Option<FieldValue>,
}

impl FieldChange {
    pub fn new(field: Field, before: Option<FieldValue>, after: Option<FieldValue>) -> Self {
        FieldChange {
            field,
            before,
            after,
        }
    }
}

/// One account of the plan: what changes, or why it is skipped.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanItem {
    pub seq: u32,
    /// For a create: the panel and the name to create.
    pub key: AccountKey,
    pub name: String,
    pub op: ItemOp,
    pub changes: Vec<FieldChange>,
    pub skip: Option<Skip>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PanelPlan {
    pub panel_id: PanelId,
    pub panel_name: String,
    pub kind: PanelKind,
    pub items: Vec<PlanItem>,
    pub to_change: u32,
    pub skipped: u32,
}

/// The preview the user confirms; stored in the journal under `id` until executed.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkPlan {
    pub id: OpId,
    pub title: OpTitle,
    #[specta(type = specta_typescript::Number)]
    pub created_at_ms: i64,
    pub panels: Vec<PanelPlan>,
    pub to_change: u32,
    pub skipped: u32,
}

/// An item's state in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Pending,
    /// Sent (or about to be); the outcome is not known yet. Found at resume: checked first.
    Running,
    Done,
    Failed,
    Skipped,
}

impl ItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Pending => "pending",
            ItemState::Running => "running",
            ItemState::Done => "done",
            ItemState::Failed => "failed",
            ItemState::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            ItemState::Pending,
            ItemState::Running,
            ItemState::Done,
            ItemState::Failed,
            ItemState::Skipped,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// An operation's state. `Running` with no live run in this process means it was interrupted
/// (crash, kill): see [`OpSummary::interrupted`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum OpState {
    Planned,
    Running,
    Cancelled,
    Finished,
}

impl OpState {
    pub fn as_str(self) -> &'static str {
        match self {
            OpState::Planned => "planned",
            OpState::Running => "running",
            OpState::Cancelled => "cancelled",
            OpState::Finished => "finished",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            OpState::Planned,
            OpState::Running,
            OpState::Cancelled,
            OpState::Finished,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// Counts of one panel's items (or of the whole operation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub total: u32,
    pub done: u32,
    pub failed: u32,
    pub skipped: u32,
    /// Pending or running.
    pub left: u32,
}

/// Streamed while a run goes: one panel's counts after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkProgress {
    pub op_id: OpId,
    pub panel_id: PanelId,
    pub panel_name: String,
    pub counts: Counts,
}

/// One item as the journal has it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemRecord {
    pub seq: u32,
    pub panel_id: PanelId,
    pub panel_name: String,
    pub kind: PanelKind,
    pub native_id: String,
    pub name: String,
    pub op: ItemOp,
    pub changes: Vec<FieldChange>,
    pub state: ItemState,
    pub attempts: u32,
    /// Why it failed or was skipped.
    pub error: Option<ItemError>,
    /// What it did.
    pub message: Option<ItemOutcome>,
    /// The account's native id after a create (user-pass and Pterodactyl ids are the panel's).
    pub result_id: Option<String>,
    /// What changed on the panel since the preview (preview value → live value), found when
    /// the item was read right before its write ([`live`](super::live)).
    pub drift: Vec<FieldChange>,
    /// The item was read live and resolved (its op and changes are the live ones): a resume
    /// or retry sends it as journaled.
    #[serde(skip)]
    pub live_read: bool,
    #[specta(type = Option<specta_typescript::Number>)]
    pub started_at_ms: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub finished_at_ms: Option<i64>,
}

/// One row of the operations history.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OpSummary {
    pub op_id: OpId,
    pub title: OpTitle,
    /// Who ran it (the OS user).
    pub actor: String,
    pub state: OpState,
    /// Left running by a process that is gone: offer to resume.
    pub interrupted: bool,
    #[specta(type = specta_typescript::Number)]
    pub created_at_ms: i64,
    #[specta(type = Option<specta_typescript::Number>)]
    pub started_at_ms: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub finished_at_ms: Option<i64>,
    pub counts: Counts,
}

/// What a run did: totals, per panel, and every failure.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkReport {
    pub op_id: OpId,
    pub state: OpState,
    pub cancelled: bool,
    pub counts: Counts,
    pub panels: Vec<BulkProgress>,
    pub failures: Vec<ItemRecord>,
    /// Items whose account had changed on the panel since the preview (applied to the live
    /// value, or skipped), with what changed.
    pub changed: Vec<ItemRecord>,
    #[specta(type = specta_typescript::Number)]
    pub took_ms: i64,
}

/// History export formats: the same two as account exports.
pub use crate::transfer::ExportFormat;

pub use super::options::{CancelToken, ExecOptions};
