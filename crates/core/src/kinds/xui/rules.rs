//! 3x-ui's [`KindRules`]: its own bulk changes and its import mapping.

use super::{plan, transfer};
use crate::accounts::RawBits;
use paneldeck_sim::SimCredentials;

use crate::transfer::plan::ConflictReason;
use crate::{
    accounts::{Account, AccountDetail, Capabilities},
    actions::{AccountEdit, KeptCredentials, KeptSettings, NewAccount},
    bulk::{BulkAction, FieldChange, Planned},
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

pub struct XuiRules;

impl KindRules for XuiRules {
    fn holds(&self) -> Holds {
        Holds {
            group: true,
            ip_limit: true,
            expiry: true,
            traffic_limit: true,
            reset_days: true,
            one_uuid: true,
            tg_id_and_device_limit: true,
            ..Holds::default()
        }
    }

    /// A panel before v3.1 (legacy inbounds API) has no share-links route; a read-only
    /// (`monitor`) token changes nothing.
    fn capabilities(&self, api_generation: Option<&str>) -> Capabilities {
        let writable =
            !api_generation.is_some_and(paneldeck_panels::xui::version::is_read_only_generation);
        Capabilities {
            can_edit: writable,
            can_toggle: writable,
            can_reset_traffic: writable,
            can_delete: writable,
            has_traffic: true,
            has_expiry: true,
            has_ip_limit: true,
            has_ips: true,
            has_links: !api_generation.is_some_and(super::is_legacy),
            has_subscription: true,
            can_revoke_subscription: false,
            has_permissions: false,
            can_regenerate_password: false,
            // `clients/updateTraffic/:email` sets both counters (facts §4, v3.1.0+); the
            // pre-3.1 route is not driven here.
            can_set_traffic: writable && !api_generation.is_some_and(super::is_legacy),
        }
    }

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

    fn plan_own_change(
        &self,
        a: &Account,
        _caps: &Capabilities,
        action: &BulkAction,
    ) -> Option<Planned> {
        Some(match action {
            BulkAction::AttachInbounds { inbound_ids } => plan::plan_inbounds(a, inbound_ids, true),
            BulkAction::DetachInbounds { inbound_ids } => {
                plan::plan_inbounds(a, inbound_ids, false)
            }
            BulkAction::AddToGroup { .. } | BulkAction::RemoveFromGroup => {
                plan::plan_group(a, action)
            }
            _ => return None,
        })
    }

    fn form_changes(&self, new: &NewAccount) -> Vec<FieldChange> {
        plan::form_changes(new)
    }

    fn create_options_fallback(&self) -> Option<&'static str> {
        Some("ids from the file are taken as given")
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
        opts: &PlanOptions,
    ) -> Result<NewAccount, ConflictReason> {
        transfer::new_account(r, target, opts)
    }

    fn fill_record(&self, r: &mut AccountRecord, raw: RawBits, credentials: Option<Credentials>) {
        transfer::fill_record(r, raw, credentials);
    }

    fn edit_for(&self, src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>) {
        transfer::edit_for(src)
    }
}
