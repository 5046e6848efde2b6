//! Single-account actions, edits and creation at the client level: the detail pane's buttons
//! and forms call these (through the app's commands), then the caller refreshes its snapshot
//! of the panel. Each kind does the work in its own folder (`kinds::<kind>::actions`); these
//! entry points check a form is for the panel's kind and hand it over.
//!
//! Inputs are checked before anything is sent; a problem comes back as
//! [`CoreError::InvalidInput`] whose [`FieldError`]s name the camelCase input field
//! (`email`, `totalBytes`, `inboundIds`, …). A panel's own 422 arrives as
//! [`PanelError::Validation`], its field names translated to the same input names where they
//! map. What a kind's API cannot do is [`PanelError::Unsupported`] with a sentence saying so.

mod outcome;
pub mod types;

use paneldeck_panels::{FieldError, FieldProblem, PanelError, PanelKind};
use rand::{distributions::Alphanumeric, Rng};

pub use crate::kinds::{
    pterodactyl::ids::{parse_pterodactyl_native_id, pterodactyl_native_id},
    userpass::ids::parse_userpass_native_id,
};
pub use types::*;

use crate::{
    connect::PanelClient,
    error::{CoreError, Result},
    registry::PanelView,
};

/// Runs one action on the account `native_id` (each kind's `ids` module says what its id is).
pub async fn apply(
    client: &PanelClient,
    native_id: &str,
    action: &AccountAction,
) -> Result<ActionOutcome> {
    client.ops().apply(native_id, action).await
}

/// Saves the edit form of the account `native_id`.
pub async fn edit(
    client: &PanelClient,
    native_id: &str,
    edit: &AccountEdit,
) -> Result<ActionOutcome> {
    let panel = client.kind();
    if edit.kind() != panel {
        return Err(kind_mismatch("edit form", edit.kind(), panel));
    }
    client.ops().edit(native_id, edit).await
}

/// Creates an account from the create form. One outcome per account made: a Pterodactyl
/// create makes one subuser per server picked.
pub async fn create(client: &PanelClient, new: &NewAccount) -> Result<Vec<ActionOutcome>> {
    create_keeping(
        client,
        new,
        &KeptCredentials::default(),
        &KeptSettings::default(),
    )
    .await
}

/// [`create`] of a copy of an existing account (import, migration): the UUIDs, passwords and
/// subscription id in `kept` are sent instead of letting the panel generate new ones, and the
/// `settings` the form has no field for are applied (a disabled account is disabled right
/// after it is created). What a kind cannot hold is ignored (Marzban issues its own
/// subscription token; a Pterodactyl subuser has no secret to keep).
pub async fn create_keeping(
    client: &PanelClient,
    new: &NewAccount,
    kept: &KeptCredentials,
    settings: &KeptSettings,
) -> Result<Vec<ActionOutcome>> {
    let panel = client.kind();
    if new.kind() != panel {
        return Err(kind_mismatch("create form", new.kind(), panel));
    }
    client.ops().create(new, kept, settings).await
}

/// [`create_keeping`], with each account made as the panel answered it where the answer holds
/// the whole record ([`Connected::create_answered`](crate::kinds::Connected::create_answered)).
pub(crate) async fn create_answered(
    client: &PanelClient,
    panel: &PanelView,
    new: &NewAccount,
    kept: &KeptCredentials,
    settings: &KeptSettings,
) -> Result<Vec<crate::kinds::Made>> {
    let kind = client.kind();
    if new.kind() != kind {
        return Err(kind_mismatch("create form", new.kind(), kind));
    }
    client
        .ops()
        .create_answered(panel, new, kept, settings)
        .await
}

/// The source IPs a 3x-ui client was seen from. Other kinds: unsupported.
pub async fn client_ips(client: &PanelClient, native_id: &str) -> Result<ClientIpList> {
    client.ops().client_ips(native_id).await
}

/// What the create form of this panel offers to pick from.
pub async fn create_options(client: &PanelClient) -> Result<CreateOptions> {
    client.ops().create_options().await
}

impl AccountEdit {
    /// The kind whose edit form this is (the variant is the kind).
    pub fn kind(&self) -> PanelKind {
        match self {
            AccountEdit::Xui { .. } => PanelKind::Xui,
            AccountEdit::Marzban { .. } => PanelKind::Marzban,
            AccountEdit::Userpass { .. } => PanelKind::Userpass,
            AccountEdit::Pterodactyl { .. } => PanelKind::Pterodactyl,
            AccountEdit::Pasarguard(_) => PanelKind::Pasarguard,
        }
    }
}

impl NewAccount {
    /// The kind whose create form this is (the variant is the kind).
    pub fn kind(&self) -> PanelKind {
        match self {
            NewAccount::Xui { .. } => PanelKind::Xui,
            NewAccount::Marzban { .. } => PanelKind::Marzban,
            NewAccount::Userpass { .. } => PanelKind::Userpass,
            NewAccount::Pterodactyl { .. } => PanelKind::Pterodactyl,
            NewAccount::Pasarguard(_) => PanelKind::Pasarguard,
        }
    }

    /// The name the form gives its account (3x-ui email, Marzban username, sub-user name,
    /// Pterodactyl email).
    pub fn name(&self) -> &str {
        match self {
            NewAccount::Xui { email, .. } | NewAccount::Pterodactyl { email, .. } => email,
            NewAccount::Marzban { username, .. } => username,
            NewAccount::Userpass { user_name, .. } => user_name,
            NewAccount::Pasarguard(form) => &form.username,
        }
    }

    /// The same form with another name.
    pub fn with_name(&self, name: &str) -> NewAccount {
        let mut new = self.clone();
        match &mut new {
            NewAccount::Xui { email, .. } | NewAccount::Pterodactyl { email, .. } => {
                *email = name.to_owned()
            }
            NewAccount::Marzban { username, .. } => *username = name.to_owned(),
            NewAccount::Userpass { user_name, .. } => *user_name = name.to_owned(),
            NewAccount::Pasarguard(form) => form.username = name.to_owned(),
        }
        new
    }
}

fn kind_mismatch(what: &str, input: PanelKind, panel: PanelKind) -> CoreError {
    CoreError::invalid(format!(
        "This {what} is for a {} panel, but the account is on a {} panel.",
        input.display_name(),
        panel.display_name()
    ))
}

/// `not supported by this panel: <Kind> <what>.`
pub(crate) fn unsupported(kind: PanelKind, what: &str) -> CoreError {
    CoreError::Panel(PanelError::Unsupported(format!(
        "{} {what}.",
        kind.display_name()
    )))
}

/// The action cannot be done on this kind.
pub(crate) fn unsupported_action(kind: PanelKind, action: &AccountAction, why: &str) -> CoreError {
    unsupported(
        kind,
        &format!("cannot {} an account: {why}", action.label()),
    )
}

/// Collects field problems of one form, then fails with all of them at once.
#[derive(Default)]
pub(crate) struct Checks {
    fields: Vec<FieldError>,
}

impl Checks {
    pub(crate) fn new() -> Self {
        Checks::default()
    }

    /// Records `problem` (worded in English as `message`) against `field` unless `ok`.
    pub(crate) fn require(
        &mut self,
        ok: bool,
        field: &str,
        problem: FieldProblem,
        message: impl Into<String>,
    ) {
        if !ok {
            self.fail(field, problem, message);
        }
    }

    pub(crate) fn fail(&mut self, field: &str, problem: FieldProblem, message: impl Into<String>) {
        self.fields.push(FieldError::new(field, problem, message));
    }

    pub(crate) fn finish(self) -> Result<()> {
        let Some(first) = self.fields.first() else {
            return Ok(());
        };
        let message = match self.fields.len() {
            1 => first.message.clone(),
            n => format!("{} (and {} more field(s) to fix)", first.message, n - 1),
        };
        Err(CoreError::InvalidInput {
            message,
            fields: self.fields,
        })
    }
}

/// Translates the field names of a panel's 422 into the form's input names (`(wire, input)`
/// pairs); other errors pass through.
pub(crate) fn rename_fields(err: PanelError, names: &[(&str, &str)]) -> CoreError {
    match err {
        PanelError::Validation { fields } => CoreError::Panel(PanelError::Validation {
            fields: fields
                .into_iter()
                .map(|f| {
                    let field = names
                        .iter()
                        .find(|(wire, _)| *wire == f.field)
                        .map_or(f.field, |(_, input)| (*input).to_owned());
                    FieldError { field, ..f }
                })
                .collect(),
        }),
        other => CoreError::Panel(other),
    }
}

/// A kept value, trimmed; blank = not kept.
pub(crate) fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// `len` random letters and digits.
pub(crate) fn random_password(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// Epoch milliseconds now.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// u64 → i64 for the wire, saturating (no panel holds 9 EB).
pub(crate) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_deserialise_from_the_ui_shapes() {
        let a: AccountAction = serde_json::from_str(r#"{"type":"delete","keepTraffic":true}"#)
            .unwrap_or(AccountAction::Enable);
        assert_eq!(a, AccountAction::Delete { keep_traffic: true });
        let e: std::result::Result<AccountEdit, _> = serde_json::from_str(
            r#"{"kind":"xui","email":"a@b","totalBytes":null,"expiry":{"type":"afterFirstUse","days":3},
               "limitIp":2,"comment":"","resetDays":0,"enable":true}"#,
        );
        assert!(matches!(
            e,
            Ok(AccountEdit::Xui {
                expiry: ExpiryInput::AfterFirstUse { days: 3 },
                group: None,
                ..
            })
        ));
        let n: std::result::Result<NewAccount, _> =
            serde_json::from_str(r#"{"kind":"userpass","userName":"bob"}"#);
        assert!(matches!(n, Ok(NewAccount::Userpass { password: None, .. })));
    }

    /// The app runs these inside async commands on a multi-threaded runtime.
    #[allow(dead_code)]
    fn futures_are_send(c: &PanelClient, a: &AccountAction, e: &AccountEdit, n: &NewAccount) {
        fn send<T: Send>(_: T) {}
        send(apply(c, "x", a));
        send(edit(c, "x", e));
        send(create(c, n));
        send(create_keeping(
            c,
            n,
            &KeptCredentials::default(),
            &KeptSettings::default(),
        ));
        send(client_ips(c, "x"));
        send(create_options(c));
    }

    #[test]
    fn panel_field_names_become_the_forms() {
        let err = PanelError::Validation {
            fields: vec![
                FieldError::from_panel("data_limit", "too big"),
                FieldError::from_panel("username", "taken"),
            ],
        };
        let api = crate::ApiError::from(rename_fields(err, &[("data_limit", "dataLimitBytes")]));
        let names: Vec<&str> = api.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["dataLimitBytes", "username"]);
        assert_eq!(api.fields[0].message, "too big");
        assert_eq!(
            api.fields[0].problem,
            FieldProblem::Panel {
                text: "too big".into()
            }
        );
        let other = rename_fields(PanelError::Unsupported("x".into()), &[]);
        assert!(matches!(
            other,
            CoreError::Panel(PanelError::Unsupported(_))
        ));
    }

    #[test]
    fn checks_collect_every_field() {
        let mut c = Checks::new();
        c.require(true, "email", FieldProblem::Required, "fine");
        c.require(false, "email", FieldProblem::Required, "Enter an email.");
        c.fail(
            "inboundIds",
            FieldProblem::PickAtLeastOne,
            "Pick an inbound.",
        );
        match c.finish() {
            Err(CoreError::InvalidInput { fields, message }) => {
                assert_eq!(fields.len(), 2);
                assert_eq!(fields[1].field, "inboundIds");
                assert_eq!(fields[0].problem, FieldProblem::Required);
                assert_eq!(fields[1].problem, FieldProblem::PickAtLeastOne);
                assert!(message.starts_with("Enter an email."));
            }
            other => panic!("{other:?}"),
        }
    }
}
