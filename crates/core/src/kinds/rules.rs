//! What a panel kind decides without a connection: which bulk changes it can plan and how,
//! how a create of it is keyed and checked for clashes, and how an account record (a file
//! row, or an account of another panel) maps onto it. Generic code asks [`rules`].

use crate::accounts::RawBits;
use paneldeck_panels::PanelKind;
use paneldeck_sim::SimCredentials;

use super::{marzban, pasarguard, pterodactyl, userpass, xui};
use crate::{
    accounts::{Account, AccountDetail, Capabilities},
    actions::{AccountEdit, KeptCredentials, KeptSettings, NewAccount},
    bulk::{BulkAction, FieldChange, ItemOp, Planned, Skip},
    demo::DemoPanel,
    links::AccountLink,
    registry::{CredentialsInput, ProxyGatewaySettings},
    transfer::{
        plan::{ConflictReason, EditSource, PlanOptions, Target},
        schema::Credentials,
        AccountRecord,
    },
};

/// The rules of the panel kind `kind`.
pub fn rules(kind: PanelKind) -> &'static dyn KindRules {
    match kind {
        PanelKind::Xui => &xui::rules::XuiRules,
        PanelKind::Marzban => &marzban::rules::MarzbanRules,
        PanelKind::Userpass => &userpass::rules::UserpassRules,
        PanelKind::Pterodactyl => &pterodactyl::rules::PterodactylRules,
        PanelKind::Pasarguard => &pasarguard::rules::PasarguardRules,
    }
}

/// What an account of a kind can hold of an [`AccountRecord`]; what it cannot is reported as
/// not carried over by an import or migration onto it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Holds {
    pub group: bool,
    pub ip_limit: bool,
    pub expiry: bool,
    pub traffic_limit: bool,
    /// 3x-ui's auto-renew period.
    pub reset_days: bool,
    /// Marzban's data limit reset strategy.
    pub reset_strategy: bool,
    /// One UUID serves VLESS and VMess, so a separate VMess UUID is dropped.
    pub one_uuid: bool,
    /// Issues its own subscription token, even to a copy of an account of its own kind.
    pub own_subscription_token: bool,
    /// 3x-ui's Telegram id and device (HWID) limit.
    pub tg_id_and_device_limit: bool,
    pub permissions: bool,
}

/// A panel kind's decisions. One implementation per kind, in `kinds/<kind>/rules.rs`.
pub trait KindRules: Sync {
    /// What its accounts can hold.
    fn holds(&self) -> Holds;

    /// What its accounts let Paneldeck read and change on a panel of `api_generation` (what
    /// the panel's last probe said, if anything).
    fn capabilities(&self, api_generation: Option<&str>) -> Capabilities;

    /// The links of an account whose kind keeps them in its snapshot record; `None` when its
    /// panel has to be asked ([`Connected::links`](super::Connected::links)).
    fn links_from_snapshot(&self, detail: &AccountDetail) -> Option<Vec<AccountLink>>;

    // ---------- bulk planning ----------

    /// The op setting `a`'s traffic limit to `bytes` (`add_bytes`: the relative form, for
    /// native bulk routes); `None` when the kind limits no traffic.
    fn traffic_limit_op(
        &self,
        _a: &Account,
        bytes: Option<u64>,
        add_bytes: Option<u64>,
    ) -> Option<ItemOp> {
        Some(ItemOp::SetTrafficLimit { bytes, add_bytes })
    }

    /// Plans an action that only some kinds have (inbounds, groups, templates, proxy caps and
    /// status, permissions); `None` when this kind, with these capabilities, cannot do it.
    fn plan_own_change(
        &self,
        _a: &Account,
        _caps: &Capabilities,
        _action: &BulkAction,
    ) -> Option<Planned> {
        None
    }

    /// The native id a create is shown under until the panel gives the real one.
    fn create_native_id(&self, new: &NewAccount) -> String {
        new.name().trim().to_owned()
    }

    /// The keys (lowercase) under which an account of the snapshot blocks a create.
    fn taken_keys(&self, _native_id: &str, name: &str, _email: Option<&str>) -> Vec<String> {
        vec![name.to_lowercase()]
    }

    /// The keys (lowercase) a create clashes on when the panel already has one of them.
    fn clash_keys(&self, new: &NewAccount) -> Vec<String> {
        vec![new.name().trim().to_lowercase()]
    }

    /// Why the panel would refuse `action`, which its kind can do, on this account as it
    /// stands (a provider's block, say): the plan skips it instead of sending a bad write.
    fn refuses_change(&self, _a: &Account, _action: &BulkAction) -> Option<Skip> {
        None
    }

    /// What the panel does beyond `action` itself (lines added to the plan after the change's
    /// own), so the preview states it.
    fn side_effects(&self, _a: &Account, _action: &BulkAction) -> Vec<FieldChange> {
        Vec::new()
    }

    /// Why the panel would refuse the name of `new` (in English, quoting its rule), checked
    /// before anything is sent; `None` when it takes it or the name is only known later.
    fn refused_name(&self, _new: &NewAccount) -> Option<String> {
        None
    }

    /// The plan's lines for the form's own fields of a create (after its name, kept
    /// credentials and state).
    fn form_changes(&self, new: &NewAccount) -> Vec<FieldChange>;

    /// Whether its accounts are one person's places, found by email (Pterodactyl subusers):
    /// what "remove a person" looks for.
    fn finds_people_by_email(&self) -> bool {
        false
    }

    /// Who owns an account on its panel (a reseller admin), from the panel's record as JSON;
    /// what usage reports group "by owner". `None` where the kind has no owners.
    fn owner(&self, _raw_json: &str) -> Option<String> {
        None
    }

    // ---------- export, import and migration ----------

    /// What an import or migration plan onto this kind does when the panel's create options
    /// (inbounds, templates) cannot be read, for the log; `None` when its plans do not use
    /// them ([`Target::create_options`]).
    fn create_options_fallback(&self) -> Option<&'static str> {
        None
    }

    /// Fills in what a record of this kind carries beyond the fields every kind has: from the
    /// panel's raw record, and the account's credentials when they are exported.
    fn fill_record(&self, r: &mut AccountRecord, raw: RawBits, credentials: Option<Credentials>);

    /// The secrets of `r` a create of this kind keeps (its form has no fields for them; the
    /// bulk engine sends them with the create).
    fn kept_credentials(&self, _r: &AccountRecord) -> KeptCredentials {
        KeptCredentials::default()
    }

    /// What of `r` a create of this kind keeps beyond its form.
    fn kept_settings(&self, _r: &AccountRecord) -> KeptSettings {
        KeptSettings::default()
    }

    /// The create form for `r` on `target`, or why it cannot be created there.
    fn new_account(
        &self,
        r: &AccountRecord,
        target: &Target<'_>,
        opts: &PlanOptions,
    ) -> Result<NewAccount, ConflictReason>;

    /// The edit making an existing account look like the row, and the changes it makes
    /// (no edit when nothing changes).
    fn edit_for(&self, src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>);

    // ---------- demo mode ----------

    /// Its panel in demo mode: a simulator and how it is shown.
    fn demo_panel(&self) -> &'static DemoPanel;

    /// The credentials input of a simulator of this kind (`gateway`: a user-pass panel's);
    /// `None` when `sim` is not what its simulator hands out.
    fn sim_credentials(
        &self,
        sim: &SimCredentials,
        gateway: Option<ProxyGatewaySettings>,
    ) -> Option<CredentialsInput>;
}
