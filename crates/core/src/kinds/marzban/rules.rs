//! Marzban's [`KindRules`]: templates, and its import mapping.

use super::{plan, transfer};
use crate::accounts::RawBits;
use paneldeck_panels::marzban::username_ok;
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

pub struct MarzbanRules;

/// The admin who owns a user: `admin.username` of the user's record (`UserResponse.admin`
/// in Marzban 0.8.4's and PasarGuard's OpenAPI; recorded in marzban-0.8.4-recorded.md).
pub fn owner_of(raw_json: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Admin {
        username: String,
    }
    #[derive(serde::Deserialize)]
    struct User {
        admin: Option<Admin>,
    }
    serde_json::from_str::<User>(raw_json)
        .ok()?
        .admin
        .map(|a| a.username)
}

impl KindRules for MarzbanRules {
    fn owner(&self, raw_json: &str) -> Option<String> {
        owner_of(raw_json)
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

    fn links_from_snapshot(&self, detail: &AccountDetail) -> Option<Vec<AccountLink>> {
        Some(super::links::from_snapshot(detail))
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
        match action {
            BulkAction::ApplyTemplate { template_id } => Some(plan::plan_template(a, *template_id)),
            _ => None,
        }
    }

    fn side_effects(&self, a: &Account, action: &BulkAction) -> Vec<FieldChange> {
        plan::side_effects(a, action)
    }

    /// A template adds its prefix and suffix to the name: then the name is checked by the
    /// create itself.
    fn refused_name(&self, new: &NewAccount) -> Option<String> {
        match new {
            NewAccount::Marzban {
                username,
                template_id: None,
                ..
            } if !username_ok(username.trim()) => Some(format!(
                "'{}' would be refused. {}",
                username.trim(),
                super::actions::username_rule()
            )),
            _ => None,
        }
    }

    fn form_changes(&self, new: &NewAccount) -> Vec<FieldChange> {
        plan::form_changes(new)
    }

    fn create_options_fallback(&self) -> Option<&'static str> {
        Some("creates get every inbound")
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
}
