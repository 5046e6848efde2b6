//! PasarGuard's [`KindRules`]: what its users hold, and its import and migration mapping.

use paneldeck_sim::SimCredentials;

use super::transfer;
use crate::{
    accounts::{Account, AccountDetail, Capabilities, RawBits},
    actions::{AccountEdit, KeptCredentials, KeptSettings, NewAccount},
    bulk::FieldChange,
    demo::DemoPanel,
    kinds::{Holds, KindRules},
    links::AccountLink,
    registry::{CredentialsInput, ProxyGatewaySettings},
    transfer::{
        plan::{ConflictReason, EditSource, PlanOptions, Target},
        schema::Credentials,
        AccountRecord,
    },
};

pub struct PasarguardRules;

impl KindRules for PasarguardRules {
    fn owner(&self, raw_json: &str) -> Option<String> {
        crate::kinds::marzban::rules::owner_of(raw_json)
    }

    fn holds(&self) -> Holds {
        Holds {
            expiry: true,
            traffic_limit: true,
            reset_strategy: true,
            own_subscription_token: true,
            ..Holds::default()
        }
    }

    fn capabilities(&self, _api_generation: Option<&str>) -> Capabilities {
        Capabilities {
            can_edit: true,
            can_toggle: true,
            can_reset_traffic: true,
            can_delete: true,
            has_traffic: true,
            has_expiry: true,
            has_ip_limit: false,
            has_ips: false,
            has_links: true,
            has_subscription: true,
            can_revoke_subscription: true,
            has_permissions: false,
            can_set_traffic: false,
            can_regenerate_password: false,
        }
    }

    /// Users carry no links: they are read from the panel's subscription.
    fn links_from_snapshot(&self, _detail: &AccountDetail) -> Option<Vec<AccountLink>> {
        None
    }

    fn demo_panel(&self) -> &'static DemoPanel {
        &super::demo::PANEL
    }

    fn sim_credentials(
        &self,
        sim: &SimCredentials,
        gateway: Option<ProxyGatewaySettings>,
    ) -> Option<CredentialsInput> {
        super::demo::credentials(sim, gateway)
    }

    fn form_changes(&self, new: &NewAccount) -> Vec<FieldChange> {
        transfer::form_changes(new)
    }

    fn create_options_fallback(&self) -> Option<&'static str> {
        Some("creates get every group")
    }

    fn kept_credentials(&self, r: &AccountRecord) -> KeptCredentials {
        transfer::kept_credentials(r)
    }

    fn kept_settings(&self, r: &AccountRecord) -> KeptSettings {
        transfer::kept_settings(r)
    }

    fn new_account(
        &self,
        r: &AccountRecord,
        target: &Target<'_>,
        _opts: &PlanOptions,
    ) -> Result<NewAccount, ConflictReason> {
        transfer::new_account(r, target)
    }

    fn fill_record(&self, r: &mut AccountRecord, raw: RawBits, credentials: Option<Credentials>) {
        transfer::fill_record(r, raw, credentials);
    }

    fn edit_for(&self, src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>) {
        transfer::edit_for(src)
    }

    fn plan_own_change(
        &self,
        _a: &Account,
        _caps: &Capabilities,
        _action: &crate::bulk::BulkAction,
    ) -> Option<crate::bulk::Planned> {
        None
    }
}
