//! Pterodactyl's [`KindRules`]: permissions, and subusers keyed by server and email.

use super::{plan, transfer};
use crate::accounts::RawBits;
use paneldeck_sim::SimCredentials;

use crate::transfer::plan::ConflictReason;
use crate::{
    accounts::{Account, AccountDetail, Capabilities},
    actions::{AccountEdit, NewAccount},
    bulk::{BulkAction, FieldChange, ItemOp, Planned},
    demo::DemoPanel,
    kinds::{Holds, KindRules},
    links::AccountLink,
    registry::{CredentialsInput, ProxyGatewaySettings},
    transfer::{
        plan::{EditSource, PlanOptions, Target},
        schema::Credentials,
        AccountRecord,
    },
};

pub struct PterodactylRules;

impl KindRules for PterodactylRules {
    fn holds(&self) -> Holds {
        Holds {
            permissions: true,
            ..Holds::default()
        }
    }

    fn capabilities(&self, _api_generation: Option<&str>) -> Capabilities {
        Capabilities {
            can_edit: true,
            can_toggle: false,
            can_reset_traffic: false,
            can_delete: true,
            has_traffic: false,
            has_expiry: false,
            has_ip_limit: false,
            has_ips: false,
            has_links: false,
            has_subscription: false,
            can_revoke_subscription: false,
            has_permissions: true,
            can_set_traffic: false,
            can_regenerate_password: false,
        }
    }

    fn links_from_snapshot(&self, _detail: &AccountDetail) -> Option<Vec<AccountLink>> {
        Some(Vec::new())
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

    fn traffic_limit_op(
        &self,
        _a: &Account,
        _bytes: Option<u64>,
        _add_bytes: Option<u64>,
    ) -> Option<ItemOp> {
        None
    }

    fn plan_own_change(
        &self,
        a: &Account,
        caps: &Capabilities,
        action: &BulkAction,
    ) -> Option<Planned> {
        match action {
            BulkAction::GrantPermissions { permissions }
            | BulkAction::RevokePermissions { permissions }
            | BulkAction::SetPermissions { permissions }
                if caps.has_permissions =>
            {
                Some(plan::plan_permissions(a, action, permissions))
            }
            _ => None,
        }
    }

    fn create_native_id(&self, new: &NewAccount) -> String {
        plan::create_native_id(new).unwrap_or_else(|| new.name().trim().to_owned())
    }

    fn taken_keys(&self, native_id: &str, _name: &str, email: Option<&str>) -> Vec<String> {
        plan::taken_keys(native_id, email)
    }

    fn clash_keys(&self, new: &NewAccount) -> Vec<String> {
        plan::clash_keys(new)
    }

    fn form_changes(&self, new: &NewAccount) -> Vec<FieldChange> {
        plan::form_changes(new)
    }

    fn finds_people_by_email(&self) -> bool {
        true
    }

    fn new_account(
        &self,
        r: &AccountRecord,
        _target: &Target<'_>,
        _opts: &PlanOptions,
    ) -> Result<NewAccount, ConflictReason> {
        transfer::new_account(r)
    }

    fn fill_record(&self, r: &mut AccountRecord, _raw: RawBits, credentials: Option<Credentials>) {
        transfer::fill_record(r, credentials);
    }

    fn edit_for(&self, src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>) {
        transfer::edit_for(src)
    }
}
