use serde::Serialize;

/// What "test connection" learned about a panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProbeInfo {
    /// The panel software's version, where the panel tells it.
    pub version: Option<String>,
    /// Which API the client will use (e.g. 3x-ui "clients API (v3.1+)" vs "inbounds API").
    pub api_generation: Option<String>,
    /// The account the credentials signed in as, where the panel names it (not with a token).
    pub signed_in_as: Option<String>,
    /// How many accounts the panel (or the key) holds, where the probe's answer says.
    pub accounts: Option<u32>,
    /// Inbounds the credentials see (3x-ui).
    pub inbounds: Option<u32>,
    /// The credentials may only read (a 3x-ui `monitor` token).
    pub read_only: bool,
    /// One English sentence for the CLI and logs: what was reached and as whom. The UI words
    /// the typed fields above instead.
    pub summary: String,
}
