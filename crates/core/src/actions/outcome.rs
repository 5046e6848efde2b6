//! What a single-account action, edit or create says it did, as a code with its arguments:
//! the UI words it in the reader's language (`outcome.<code>`), the CLI in English
//! ([`Display`](std::fmt::Display)).

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;

/// One outcome of an action on one account. Each kind names its accounts in its own words
/// (3x-ui clients, Marzban users, proxy users, Pterodactyl subusers), so each has its codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(
    tag = "code",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ActionMessage {
    ClientEnabled,
    ClientDisabled,
    TrafficReset,
    ClientDeleted,
    ClientDeletedTrafficKept,
    IpsCleared,
    ClientSaved,
    /// The client was renamed.
    ClientSavedAs {
        email: String,
    },
    /// Before v3.1 a client is on exactly one inbound.
    ClientCreatedOnOneInbound,
    ClientCreated {
        inbounds: u32,
    },
    ClientCreatedDisabled {
        inbounds: u32,
    },
    UserEnabled,
    UserDisabled,
    UsedTrafficReset,
    UserDeleted,
    SubscriptionRevoked,
    UserSaved,
    UserCreated,
    UserCreatedDisabled,
    ProxyUserEnabled,
    ProxyUserDisabled,
    ProxyUserDeleted,
    PasswordRegenerated,
    ProxyUserSaved,
    ProxyUserCreated,
    PermissionsSaved {
        count: u32,
    },
    SubuserRemoved,
    SubuserSaved,
    /// One subuser of a create on several servers; `not_added` lists the servers that
    /// refused (nothing made elsewhere is undone).
    SubuserAdded {
        email: String,
        server: String,
        not_added: Vec<ServerRefusal>,
    },
}

/// A server that refused a subuser, and why (the panel's error, coded like any error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServerRefusal {
    pub server: String,
    pub code: ErrorCode,
    /// The panel's own words.
    pub message: String,
}

impl std::fmt::Display for ActionMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ActionMessage as M;
        let text = match self {
            M::ClientEnabled => "Client enabled.",
            M::ClientDisabled => "Client disabled.",
            M::TrafficReset => "Traffic reset to zero.",
            M::ClientDeleted => "Client deleted.",
            M::ClientDeletedTrafficKept => "Client deleted; its traffic record was kept.",
            M::IpsCleared => "Recorded IP addresses cleared.",
            M::ClientSaved => "Client saved.",
            M::ClientSavedAs { email } => return write!(f, "Client saved as {email}."),
            M::ClientCreatedOnOneInbound => "Client created on 1 inbound.",
            M::ClientCreated { inbounds } => {
                return write!(f, "Client created on {inbounds} inbound(s).")
            }
            M::ClientCreatedDisabled { inbounds } => {
                return write!(f, "Client created on {inbounds} inbound(s), disabled.")
            }
            M::UserEnabled => "User enabled.",
            M::UserDisabled => "User disabled.",
            M::UsedTrafficReset => "Used traffic reset to zero.",
            M::UserDeleted => "User deleted.",
            M::SubscriptionRevoked => {
                "Subscription revoked: the old link and proxy secrets stop working."
            }
            M::UserSaved => "User saved.",
            M::UserCreated => "User created.",
            M::UserCreatedDisabled => "User created, disabled.",
            M::ProxyUserEnabled => "Proxy user enabled.",
            M::ProxyUserDisabled => "Proxy user disabled.",
            M::ProxyUserDeleted => "Proxy user deleted.",
            M::PasswordRegenerated => "New password set: copy it now, it is not shown again.",
            M::ProxyUserSaved => "Proxy user saved.",
            M::ProxyUserCreated => "Proxy user created.",
            M::PermissionsSaved { count } => return write!(f, "{count} permission(s) saved."),
            M::SubuserRemoved => "Subuser removed from the server.",
            M::SubuserSaved => "Subuser saved.",
            M::SubuserAdded {
                email,
                server,
                not_added,
            } => {
                write!(f, "Subuser {email} added to server {server}.")?;
                if !not_added.is_empty() {
                    let refusals: Vec<String> = not_added
                        .iter()
                        .map(|r| format!("{} ({})", r.server, r.message))
                        .collect();
                    write!(f, " Not added on {}.", refusals.join("; "))?;
                }
                return Ok(());
            }
        };
        f.write_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_cross_as_codes_and_read_as_the_old_sentences() {
        let saved = ActionMessage::ClientSavedAs {
            email: "b@c".into(),
        };
        assert_eq!(
            serde_json::to_value(&saved).ok(),
            Some(serde_json::json!({"code": "clientSavedAs", "email": "b@c"}))
        );
        assert_eq!(saved.to_string(), "Client saved as b@c.");
        let added = ActionMessage::SubuserAdded {
            email: "p@q".into(),
            server: "s2".into(),
            not_added: vec![ServerRefusal {
                server: "s1".into(),
                code: ErrorCode::Forbidden,
                message: "no".into(),
            }],
        };
        assert_eq!(
            serde_json::to_value(&added).ok(),
            Some(
                serde_json::json!({"code": "subuserAdded", "email": "p@q", "server": "s2",
                "notAdded": [{"server": "s1", "code": "forbidden", "message": "no"}]})
            )
        );
        assert_eq!(
            added.to_string(),
            "Subuser p@q added to server s2. Not added on s1 (no)."
        );
        assert_eq!(
            ActionMessage::ClientCreatedDisabled { inbounds: 2 }.to_string(),
            "Client created on 2 inbound(s), disabled."
        );
    }
}
