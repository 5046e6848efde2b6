//! 3x-ui's [`KindRules`]: its own bulk changes and its import mapping.

use super::{plan, transfer};
use crate::accounts::RawBits;
use crate::transfer::plan::ConflictReason;
use crate::{
    accounts::{Account, Capabilities},
    actions::{AccountEdit, KeptCredentials, KeptSettings, NewAccount},
    bulk::{BulkAction, FieldChange, Planned},
    kinds::{Holds, KindRules},
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

    fn owns_form(&self, new: &NewAccount) -> bool {
        matches!(new, NewAccount::Xui { .. })
    }

    fn form_changes(&self, new: &NewAccount) -> Vec<FieldChange> {
        plan::form_changes(new)
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
