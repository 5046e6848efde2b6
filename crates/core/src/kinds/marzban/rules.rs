//! Marzban's [`KindRules`]: templates, and its import mapping.

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

pub struct MarzbanRules;

impl KindRules for MarzbanRules {
    fn holds(&self) -> Holds {
        Holds {
            expiry: true,
            traffic_limit: true,
            reset_strategy: true,
            own_subscription_token: true,
            ..Holds::default()
        }
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

    fn owns_form(&self, new: &NewAccount) -> bool {
        matches!(new, NewAccount::Marzban { .. })
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
