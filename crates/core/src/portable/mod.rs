//! A portable profile: every panel (settings, pinned certificate, secret) and the app's
//! settings in one file encrypted with a passphrase, to move a profile to another machine.
//!
//! The file is the age format (age-encryption.org/v1) with its scrypt passphrase recipient,
//! holding the JSON of [`PortableProfile`]. The secrets exist in clear only inside the
//! encryption and, on import, go straight into the target machine's secret store.

mod crypt;
mod export;
mod import;

use paneldeck_panels::PanelKind;
use serde::{Deserialize, Serialize};

pub use crypt::Passphrase;
pub use import::{Conflict, ImportChoice, ImportOutcome, ProfileImport};

use crate::{app_settings::AppSettings, registry::PanelSettings};

/// Marks the JSON inside the encryption as ours, so another age file is told apart.
pub const FORMAT: &str = "paneldeck-profile";
/// Raised when a field changes meaning; a reader refuses a newer version.
pub const FORMAT_VERSION: u32 = 1;

/// What a portable profile file holds once decrypted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortableProfile {
    pub format: String,
    pub version: u32,
    pub panels: Vec<PortablePanel>,
    #[serde(default)]
    pub app_settings: AppSettings,
}

/// One panel as it travels: everything the registry keeps, plus its secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortablePanel {
    pub id: String,
    pub name: String,
    pub kind: PanelKind,
    pub base_url: String,
    pub color: String,
    pub tag: String,
    pub pinned_cert: Option<String>,
    pub settings: PanelSettings,
    /// The token, password or API key; session tokens stay behind (the target logs in anew).
    pub secret: Option<String>,
}
