use serde::Serialize;

/// What "test connection" learned about a panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProbeInfo {
    /// The panel software's version, where the panel tells it.
    pub version: Option<String>,
    /// Which API the client will use (e.g. 3x-ui "clients API (v3.1+)" vs "inbounds API").
    pub api_generation: Option<String>,
    /// One sentence for a person: what was reached and as whom.
    pub summary: String,
}
