//! Why a row of a plan is a conflict, and what of it the target cannot hold, as codes with
//! their arguments: the UI words them in the reader's language (`importConflict.<code>`,
//! `notCarried.<code>`), the CLI in English ([`Display`](std::fmt::Display)).

use serde::Serialize;

/// Why a row cannot be created or updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(
    tag = "code",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ConflictReason {
    /// The name was planned on an earlier line.
    RepeatedName {
        name: String,
        #[specta(type = specta_typescript::Number)]
        first_line: u64,
    },
    /// The account of that name has another UUID (first 8 characters of each).
    OtherUuid {
        name: String,
        have: String,
        want: String,
    },
    ExistsAndDiffers {
        name: String,
    },
    NotEditable,
    /// No inbound of a 3x-ui panel fits the row's inbounds or protocols.
    NoInboundFits {
        name: String,
        protocols: Vec<String>,
    },
    NotMarzbanUsername {
        name: String,
    },
    NotPasarguardUsername {
        name: String,
    },
    NoServer,
    /// The file's panel column names another panel: the row is left out unless that panel
    /// is mapped onto the target ([`PlanOptions::from_panels`](super::PlanOptions)).
    OtherPanel {
        name: String,
        panel: String,
    },
}

impl std::fmt::Display for ConflictReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ConflictReason as C;
        match self {
            C::RepeatedName { name, first_line } => write!(
                f,
                "'{name}' is also on line {first_line}; a panel holds one account per name"
            ),
            C::OtherUuid { name, have, want } => write!(
                f,
                "'{name}' exists with another UUID ({have}…, the file has {want}…); an edit cannot change it"
            ),
            C::ExistsAndDiffers { name } => write!(f, "'{name}' already exists and differs"),
            C::NotEditable => f.write_str("this panel's accounts cannot be edited this way"),
            C::NoInboundFits { name, protocols } => write!(
                f,
                "no inbound of this panel fits '{name}' (protocols: {}); choose inbounds to attach",
                if protocols.is_empty() {
                    "none".to_owned()
                } else {
                    protocols.join(", ")
                }
            ),
            C::NotMarzbanUsername { name } => write!(
                f,
                "'{name}' is not a Marzban username: only a-z A-Z 0-9 _ - @ ., starting with 3 to 32 \
                 of a-z A-Z 0-9 _"
            ),
            C::NotPasarguardUsername { name } => write!(
                f,
                "'{name}' is not a PasarGuard username (3–128 of a-z A-Z 0-9 - _ @ ., no two of - _ @ . in a row)"
            ),
            C::NoServer => {
                f.write_str("no server given for the Pterodactyl subuser (servers column)")
            }
            C::OtherPanel { name, panel } => write!(
                f,
                "'{name}' belongs to panel '{panel}' in the file; left out (map that panel to import it here)"
            ),
        }
    }
}

/// Something of a row the target kind cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum NotCarried {
    Group,
    IpLimit,
    Expiry,
    TrafficLimit,
    ResetDays,
    ResetStrategy,
    VmessUuid,
    /// A subscription of another kind of panel.
    Subscription,
    /// Marzban issues its own token even to a copy of one of its users.
    SubscriptionToken,
    TelegramAndDevices,
    UsedTraffic,
    Permissions,
}

impl std::fmt::Display for NotCarried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use NotCarried as N;
        f.write_str(match self {
            N::Group => "group: this panel kind has no groups",
            N::IpLimit => "IP limit: this panel kind has none",
            N::Expiry => "expiry: this panel kind has none",
            N::TrafficLimit => "traffic limit: this panel kind has none",
            N::ResetDays => "auto-renew period (reset days): 3x-ui only",
            N::ResetStrategy => "data limit reset strategy: Marzban only",
            N::VmessUuid => {
                "the separate VMess UUID: a 3x-ui client has one UUID (the VLESS one is kept)"
            }
            N::Subscription => "subscription URL: the new panel gives its own",
            N::SubscriptionToken => "subscription URL: Marzban issues its own subscription token",
            N::TelegramAndDevices => "Telegram id and device limit: 3x-ui only",
            N::UsedTraffic => "used traffic: counters start at zero on the new panel",
            N::Permissions => "permissions: Pterodactyl only",
        })
    }
}
