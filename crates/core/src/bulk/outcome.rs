//! What a bulk item did, or why it failed or was skipped, as codes with their arguments: the
//! UI words them in the reader's language (`bulk.outcome.<code>`, `errors.<code>`), the CLI
//! and journal exports in English ([`Display`](fmt::Display)). The journal keeps an outcome as
//! JSON; rows of older journals hold plain English and load as [`ItemOutcome::Text`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ItemState, SkipReason};
use crate::{actions::ActionMessage, error::ErrorCode};

/// What a finished (or not sent) item did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(
    tag = "code",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ItemOutcome {
    /// The item ran a single-account action; what that action said.
    Action {
        outcome: ActionMessage,
    },
    /// The run was cancelled before this item was sent.
    NotSent,
    /// A delete retried after an unanswered attempt found the account gone.
    AlreadyDeleted,
    /// A create retried after an unanswered attempt found the account on the panel.
    AlreadyCreated,
    /// The panel said there was nothing to do (e.g. "already enabled"); its own words.
    NothingToDo {
        reason: String,
    },
    // What 3x-ui's bulk routes did.
    Enabled,
    Disabled,
    Deleted,
    TrafficReset,
    ExpiryExtended {
        days: u32,
    },
    TrafficLimitRaised,
    InboundsAttached,
    InboundsDetached,
    AddedToGroup {
        group: String,
    },
    RemovedFromGroup,
    Created,
    // What Marzban's absolute changes did.
    ExpirySet,
    TrafficLimitSet,
    /// Upload and download counters set (a reverted reset).
    TrafficSet,
    /// `template`: its name, or its id when it has none.
    TemplateApplied {
        template: String,
    },
    /// An older journal's English sentence.
    Text {
        text: String,
    },
}

impl ItemOutcome {
    /// As the journal's `message` column keeps it (JSON).
    pub(crate) fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// From the journal: typed JSON, or a plain-text message of an older journal.
    pub(crate) fn from_stored(text: String) -> Self {
        serde_json::from_str(&text).unwrap_or(ItemOutcome::Text { text })
    }

    /// The outcome with `scrub` applied to the panel's own words in it.
    pub(crate) fn scrubbed(self, scrub: impl Fn(&str) -> String) -> Self {
        match self {
            ItemOutcome::NothingToDo { reason } => ItemOutcome::NothingToDo {
                reason: scrub(&reason),
            },
            ItemOutcome::Text { text } => ItemOutcome::Text { text: scrub(&text) },
            ItemOutcome::Action {
                outcome:
                    ActionMessage::SubuserAdded {
                        email,
                        server,
                        mut not_added,
                    },
            } => {
                for r in &mut not_added {
                    r.message = scrub(&r.message);
                }
                ItemOutcome::Action {
                    outcome: ActionMessage::SubuserAdded {
                        email,
                        server,
                        not_added,
                    },
                }
            }
            other => other,
        }
    }
}

impl From<ActionMessage> for ItemOutcome {
    fn from(outcome: ActionMessage) -> Self {
        ItemOutcome::Action { outcome }
    }
}

impl fmt::Display for ItemOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ItemOutcome as O;
        let text = match self {
            O::Action { outcome } => return outcome.fmt(f),
            O::NotSent => "Not sent: the operation was cancelled.",
            O::AlreadyDeleted => "Already deleted (by an earlier attempt).",
            O::AlreadyCreated => {
                "Already on the panel (an earlier attempt created it); not sent again."
            }
            O::NothingToDo { reason } => return write!(f, "Nothing to do: {reason}."),
            O::Enabled => "Enabled.",
            O::Disabled => "Disabled.",
            O::Deleted => "Deleted.",
            O::TrafficReset => "Traffic reset.",
            O::ExpiryExtended { days } => return write!(f, "Expiry extended by {days} days."),
            O::TrafficLimitRaised => "Traffic limit raised.",
            O::InboundsAttached => "Inbounds attached.",
            O::InboundsDetached => "Inbounds detached.",
            O::AddedToGroup { group } => return write!(f, "Added to group {group}."),
            O::RemovedFromGroup => "Removed from its group.",
            O::Created => "Created.",
            O::ExpirySet => "Expiry set.",
            O::TrafficLimitSet => "Traffic limit set.",
            O::TrafficSet => "Traffic counters set back.",
            O::TemplateApplied { template } => {
                return write!(f, "Template {template} applied (data limit and expiry).")
            }
            O::Text { text } => text,
        };
        f.write_str(text)
    }
}

/// Why an item failed (an error code) or was skipped (a skip reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(untagged)]
pub enum ItemErrorCode {
    Error(ErrorCode),
    Skip(SkipReason),
}

impl ItemErrorCode {
    /// The snake_case code, as the journal's `error_code` column and exports keep it.
    pub fn as_str(self) -> String {
        let value = match self {
            ItemErrorCode::Error(code) => serde_json::to_value(code).ok(),
            ItemErrorCode::Skip(reason) => return reason.as_str().to_owned(),
        };
        value
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "internal".into())
    }
}

/// A failed or skipped item's cause: the headline comes from `code`, `detail` is the panel's
/// own words or the English detail, shown beneath it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemError {
    pub code: ItemErrorCode,
    pub detail: String,
}

impl ItemError {
    /// From the journal's `error_code` and `error_message` columns (the snake_case code and
    /// the detail, in older journals too): a skip reason for a skipped item, else an error code.
    pub(crate) fn from_stored(
        state: &str,
        code: Option<String>,
        detail: Option<String>,
    ) -> Option<Self> {
        let detail = detail.unwrap_or_default();
        let code = match code {
            Some(code) => serde_json::Value::String(code),
            None if detail.is_empty() => return None,
            None => serde_json::Value::Null,
        };
        let skip = (ItemState::parse(state) == Some(ItemState::Skipped))
            .then(|| serde_json::from_value(code.clone()).ok())
            .flatten();
        let code = match skip {
            Some(reason) => ItemErrorCode::Skip(reason),
            None => {
                ItemErrorCode::Error(serde_json::from_value(code).unwrap_or(ErrorCode::Internal))
            }
        };
        Some(ItemError { code, detail })
    }
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            f.write_str(&self.code.as_str())
        } else {
            f.write_str(&self.detail)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_stored_as_codes_and_older_text_loads_as_it_is() {
        let group = ItemOutcome::AddedToGroup { group: "g".into() };
        assert_eq!(
            serde_json::to_value(&group).ok(),
            Some(serde_json::json!({"code": "addedToGroup", "group": "g"}))
        );
        assert_eq!(ItemOutcome::from_stored(group.to_stored()), group);
        assert_eq!(group.to_string(), "Added to group g.");
        let action = ItemOutcome::from(ActionMessage::ClientEnabled);
        assert_eq!(
            serde_json::to_value(&action).ok(),
            Some(serde_json::json!({"code": "action", "outcome": {"code": "clientEnabled"}}))
        );
        assert_eq!(ItemOutcome::from_stored(action.to_stored()), action);
        assert_eq!(action.to_string(), "Client enabled.");
        let old = ItemOutcome::from_stored("Expiry set.".into());
        assert_eq!(
            old,
            ItemOutcome::Text {
                text: "Expiry set.".into()
            }
        );
        assert_eq!(old.to_string(), "Expiry set.");
    }

    #[test]
    fn error_codes_keep_their_snake_case_names() {
        let e = ItemError {
            code: ItemErrorCode::Error(ErrorCode::PanelFailed),
            detail: "boom".into(),
        };
        assert_eq!(
            serde_json::to_value(&e).ok(),
            Some(serde_json::json!({"code": "panel_failed", "detail": "boom"}))
        );
        assert_eq!(e.code.as_str(), "panel_failed");
        assert_eq!(e.to_string(), "boom");
        assert_eq!(
            ItemErrorCode::Skip(SkipReason::UnlimitedExpiry).as_str(),
            "unlimited_expiry"
        );
    }

    #[test]
    fn stored_causes_load_as_skip_reasons_or_error_codes() {
        let cause = |state: &str, code: Option<&str>, detail: Option<&str>| {
            ItemError::from_stored(state, code.map(Into::into), detail.map(Into::into))
        };
        assert_eq!(
            cause("skipped", Some("not_found"), Some("gone")),
            Some(ItemError {
                code: ItemErrorCode::Skip(SkipReason::NotFound),
                detail: "gone".into(),
            })
        );
        assert_eq!(
            cause("failed", Some("not_found"), Some("gone")).map(|e| e.code),
            Some(ItemErrorCode::Error(ErrorCode::NotFound))
        );
        assert_eq!(
            cause("failed", Some("no_such_code"), Some("x")).map(|e| e.code),
            Some(ItemErrorCode::Error(ErrorCode::Internal))
        );
        assert_eq!(cause("done", None, None), None);
    }
}
