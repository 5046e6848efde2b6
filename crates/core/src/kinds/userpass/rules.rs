//! User-pass proxies' [`KindRules`]: limits and status through the edit form.

use super::{plan, transfer};
use crate::accounts::RawBits;
use paneldeck_sim::SimCredentials;

use crate::transfer::plan::ConflictReason;
use crate::{
    accounts::{Account, AccountDetail, Capabilities},
    actions::{AccountEdit, KeptCredentials, NewAccount, ProxyStatusInput},
    bulk::{BulkAction, FieldChange, ItemOp, Planned, Skip, SkipReason},
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

pub struct UserpassRules;

impl KindRules for UserpassRules {
    fn holds(&self) -> Holds {
        Holds {
            ip_limit: true,
            traffic_limit: true,
            ..Holds::default()
        }
    }

    fn capabilities(&self, _api_generation: Option<&str>) -> Capabilities {
        Capabilities {
            can_edit: true,
            can_toggle: true,
            can_reset_traffic: false,
            can_delete: true,
            has_traffic: true,
            has_expiry: false,
            has_ip_limit: true,
            has_ips: false,
            has_links: true,
            has_subscription: false,
            can_revoke_subscription: false,
            has_permissions: false,
            can_set_traffic: false,
            can_regenerate_password: true,
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

    /// The usage cap is set through the sub-user's edit form.
    /// A blocked sub-user takes no update but a disable (see `actions::find_changeable`),
    /// and a delete.
    fn refuses_change(&self, a: &Account, action: &BulkAction) -> Option<Skip> {
        let allowed = matches!(
            action,
            BulkAction::Delete { .. }
                | BulkAction::Disable
                | BulkAction::SetStatus {
                    status: ProxyStatusInput::Disabled
                }
        );
        (a.hints.restricted && !allowed).then(|| {
            Skip::new(
                SkipReason::BlockedByProvider,
                "The provider blocked it; its API takes only a disable or a delete.",
            )
        })
    }

    fn traffic_limit_op(
        &self,
        a: &Account,
        bytes: Option<u64>,
        _add_bytes: Option<u64>,
    ) -> Option<ItemOp> {
        Some(plan::edit(a, bytes, a.ip_limit, plan::status_of(a)))
    }

    fn plan_own_change(
        &self,
        a: &Account,
        _caps: &Capabilities,
        action: &BulkAction,
    ) -> Option<Planned> {
        match action {
            BulkAction::SetCaps {
                usage_cap_bytes,
                ip_usage_cap,
            } => Some(plan::plan_caps(a, *usage_cap_bytes, *ip_usage_cap)),
            BulkAction::SetStatus { status } => Some(plan::plan_status(a, *status)),
            _ => None,
        }
    }

    fn form_changes(&self, new: &NewAccount) -> Vec<FieldChange> {
        plan::form_changes(new)
    }

    fn kept_credentials(&self, r: &AccountRecord) -> KeptCredentials {
        transfer::kept_credentials(r)
    }

    fn new_account(
        &self,
        r: &AccountRecord,
        _target: &Target<'_>,
        _opts: &PlanOptions,
    ) -> Result<NewAccount, ConflictReason> {
        Ok(transfer::new_account(r))
    }

    fn fill_record(&self, r: &mut AccountRecord, raw: RawBits, credentials: Option<Credentials>) {
        transfer::fill_record(r, raw, credentials);
    }

    fn edit_for(&self, src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>) {
        transfer::edit_for(src)
    }
}
