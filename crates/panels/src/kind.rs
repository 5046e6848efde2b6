use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// The panel families Paneldeck speaks to. The lowercase names are used everywhere:
/// CLI flags, the database, exports and the simulator.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "lowercase")]
pub enum PanelKind {
    Xui,
    Marzban,
    Userpass,
    Pterodactyl,
    Pasarguard,
}

impl PanelKind {
    pub const ALL: [PanelKind; 5] = [
        PanelKind::Xui,
        PanelKind::Marzban,
        PanelKind::Userpass,
        PanelKind::Pterodactyl,
        PanelKind::Pasarguard,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PanelKind::Xui => "xui",
            PanelKind::Marzban => "marzban",
            PanelKind::Userpass => "userpass",
            PanelKind::Pterodactyl => "pterodactyl",
            PanelKind::Pasarguard => "pasarguard",
        }
    }

    /// Human name of the panel software.
    pub fn display_name(self) -> &'static str {
        match self {
            PanelKind::Xui => "3x-ui",
            PanelKind::Marzban => "Marzban",
            PanelKind::Userpass => "User-pass proxy",
            PanelKind::Pterodactyl => "Pterodactyl",
            PanelKind::Pasarguard => "PasarGuard",
        }
    }
}

impl fmt::Display for PanelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error(
    "unknown panel kind '{0}' (expected one of: xui, marzban, userpass, pterodactyl, pasarguard)"
)]
pub struct UnknownKind(pub String);

impl FromStr for PanelKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PanelKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_str_and_serde() {
        for kind in PanelKind::ALL {
            assert_eq!(kind.as_str().parse::<PanelKind>().ok(), Some(kind));
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert!("3x-ui".parse::<PanelKind>().is_err());
    }
}
