//! Creates: keyed and checked for clashes with the snapshot by the panel's kind, and shown
//! with what they keep of the account they copy (never the secrets' values).

use std::collections::HashSet;

use super::{snapshot_names, Builder};
use crate::{
    accounts::AccountKey,
    actions::{KeptCredentials, KeptSettings, NewAccount},
    bulk::{Field, FieldChange, FieldValue, ItemOp, KeptSecret, Skip, SkipReason},
    error::Result,
    kinds::{self, KindRules},
    registry::PanelView,
    Paneldeck,
};

/// What a panel's snapshot already has, to skip creates that would clash (case-insensitive).
pub(super) struct Existing {
    rules: &'static dyn KindRules,
    taken: HashSet<String>,
}

impl Existing {
    pub(super) fn load(core: &Paneldeck, panel: &PanelView) -> Result<Self> {
        let rules = kinds::rules(panel.kind);
        let mut taken = HashSet::new();
        for (native, name, email) in snapshot_names(core, &panel.id)? {
            taken.extend(rules.taken_keys(&native, &name, email.as_deref()));
        }
        Ok(Existing { rules, taken })
    }

    fn has(&self, new: &NewAccount) -> bool {
        self.rules
            .clash_keys(new)
            .iter()
            .any(|k| self.taken.contains(k))
    }
}

pub(super) fn plan_create(
    b: &mut Builder,
    panel: &PanelView,
    existing: &mut Existing,
    new: NewAccount,
    credentials: KeptCredentials,
    kept: KeptSettings,
) {
    let form_kind = new.kind();
    let form_rules = kinds::rules(form_kind);
    // The real id is known once created.
    let key = AccountKey::new(panel.id.clone(), form_rules.create_native_id(&new));
    let name = new.name().trim().to_owned();
    let nominal_create = ItemOp::Create {
        new: new.clone(),
        kept,
    };
    let planned = if form_kind != panel.kind {
        Err(Skip::new(
            SkipReason::InvalidInput,
            format!(
                "A {} form cannot create on a {} panel.",
                form_kind.display_name(),
                panel.kind.display_name()
            ),
        ))
    } else if let Some(why) = form_rules.refused_name(&new) {
        Err(Skip::new(SkipReason::InvalidInput, why))
    } else if existing.has(&new) {
        Err(Skip::new(
            SkipReason::AlreadyExists,
            format!("{} already has '{name}'.", panel.name),
        ))
    } else {
        existing.taken.insert(name.to_lowercase());
        let changes = create_changes(form_rules, &new, &credentials, &kept);
        Ok((ItemOp::Create { new, kept }, changes))
    };
    // Only a create that will run needs its secrets journaled.
    if planned.is_ok() && !credentials.is_empty() {
        b.kept.insert(b.seq, credentials);
    }
    b.push_as(panel, key, name, planned, nominal_create);
}

fn create_changes(
    rules: &dyn KindRules,
    new: &NewAccount,
    credentials: &KeptCredentials,
    settings: &KeptSettings,
) -> Vec<FieldChange> {
    let mut out = vec![FieldChange::new(
        Field::Account,
        None,
        Some(FieldValue::text(new.name().to_owned())),
    )];
    // Which secrets are kept, never their values.
    let kept: Vec<KeptSecret> = [
        (
            KeptSecret::Uuid,
            credentials.uuid.is_some() || credentials.vmess_uuid.is_some(),
        ),
        (KeptSecret::Password, credentials.password.is_some()),
        (KeptSecret::SubscriptionId, credentials.sub_id.is_some()),
    ]
    .into_iter()
    .filter_map(|(what, on)| on.then_some(what))
    .collect();
    if !kept.is_empty() {
        out.push(FieldChange::new(
            Field::Credentials,
            None,
            Some(FieldValue::Kept { secrets: kept }),
        ));
    }
    if settings.disabled {
        out.push(FieldChange::new(
            Field::Enabled,
            None,
            Some(FieldValue::toggle(false)),
        ));
    }
    out.extend(rules.form_changes(new));
    out
}
