//! The panel registry: non-secret settings as rows of the `panels` table, validated input
//! types for add/edit, and the view the UI and CLI show.

use paneldeck_panels::{CertFingerprint, Endpoint, FieldError, FieldProblem, PanelKind, Secret};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// A panel's stable id (a UUID), also naming its keyring entry.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(transparent)]
pub struct PanelId(pub String);

impl PanelId {
    pub fn new() -> Self {
        PanelId(uuid::Uuid::new_v4().to_string())
    }

    /// The keyring account name under the `paneldeck` service.
    pub fn keyring_account(&self) -> String {
        format!("panel:{}", self.0)
    }
}

impl Default for PanelId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for PanelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a 3x-ui panel is signed in to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum XuiAuthMode {
    Token,
    Password,
}

/// The proxy provider's gateway, used to build proxy strings for its sub-users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProxyGatewaySettings {
    pub host: String,
    pub http_port: Option<u16>,
    pub socks5_port: Option<u16>,
}

/// Non-secret, kind-specific settings (stored as JSON in `panels.settings`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PanelSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xui_auth: Option<XuiAuthMode>,
    /// User-pass provider: send the API key as a query parameter instead of a header.
    #[serde(default)]
    pub key_in_query: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<ProxyGatewaySettings>,
    /// Re-sync this panel's accounts every this many seconds (None = only on demand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_interval_secs: Option<u32>,
    /// Largest answer this panel may send, in MiB (None = the default 128 MiB). Raised only
    /// for a panel so large its listing does not fit; a hostile panel is cut at the cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_answer_mib: Option<u32>,
}

/// The highest per-panel answer cap, in MiB: an answer is held whole while it is read, so a
/// cap above a few GiB would let one panel take the machine's memory.
pub const MAX_ANSWER_MIB_CEILING: u32 = 4096;

/// Refuses an answer cap of 0 or above [`MAX_ANSWER_MIB_CEILING`] (None = the default).
pub fn check_max_answer_mib(mib: Option<u32>) -> Result<()> {
    match mib {
        Some(mib) if !(1..=MAX_ANSWER_MIB_CEILING).contains(&mib) => Err(CoreError::invalid_field(
            "maxAnswerMib",
            FieldProblem::OutOfRange {
                min: 1,
                max: u64::from(MAX_ANSWER_MIB_CEILING),
            },
            format!("The answer size limit is from 1 to {MAX_ANSWER_MIB_CEILING} MiB (got {mib})."),
        )),
        _ => Ok(()),
    }
}

impl PanelSettings {
    /// `endpoint` with this panel's answer size cap.
    pub fn limit(&self, endpoint: Endpoint) -> Endpoint {
        match self.max_answer_mib {
            Some(mib) => endpoint.with_max_answer_bytes(u64::from(mib) << 20),
            None => endpoint,
        }
    }
}

/// Credentials as typed in a form or on the CLI. On edit, a `None` secret keeps the stored one.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CredentialsInput {
    #[serde(rename_all = "camelCase")]
    XuiToken {
        #[specta(type = Option<String>)]
        token: Option<Secret>,
    },
    #[serde(rename_all = "camelCase")]
    XuiPassword {
        username: String,
        #[specta(type = Option<String>)]
        password: Option<Secret>,
    },
    #[serde(rename_all = "camelCase")]
    Marzban {
        username: String,
        #[specta(type = Option<String>)]
        password: Option<Secret>,
    },
    #[serde(rename_all = "camelCase")]
    Userpass {
        #[specta(type = Option<String>)]
        api_key: Option<Secret>,
        key_in_query: bool,
        gateway: Option<ProxyGatewaySettings>,
    },
    #[serde(rename_all = "camelCase")]
    Pterodactyl {
        #[specta(type = Option<String>)]
        api_key: Option<Secret>,
    },
    /// An admin's user name and password, or (no user name) an API key (PasarGuard 5.1+).
    #[serde(rename_all = "camelCase")]
    Pasarguard {
        #[serde(default)]
        username: Option<String>,
        #[specta(type = Option<String>)]
        password: Option<Secret>,
    },
}

impl CredentialsInput {
    pub fn kind(&self) -> PanelKind {
        match self {
            CredentialsInput::XuiToken { .. } | CredentialsInput::XuiPassword { .. } => {
                PanelKind::Xui
            }
            CredentialsInput::Marzban { .. } => PanelKind::Marzban,
            CredentialsInput::Userpass { .. } => PanelKind::Userpass,
            CredentialsInput::Pterodactyl { .. } => PanelKind::Pterodactyl,
            CredentialsInput::Pasarguard { .. } => PanelKind::Pasarguard,
        }
    }

    /// The secret typed in, if any, and the form field it came from.
    pub fn secret(&self) -> (Option<&Secret>, &'static str) {
        match self {
            CredentialsInput::XuiToken { token } => (token.as_ref(), "token"),
            CredentialsInput::XuiPassword { password, .. }
            | CredentialsInput::Marzban { password, .. }
            | CredentialsInput::Pasarguard { password, .. } => (password.as_ref(), "password"),
            CredentialsInput::Userpass { api_key, .. }
            | CredentialsInput::Pterodactyl { api_key } => (api_key.as_ref(), "apiKey"),
        }
    }

    fn settings(&self) -> PanelSettings {
        match self {
            CredentialsInput::XuiToken { .. } => PanelSettings {
                xui_auth: Some(XuiAuthMode::Token),
                ..Default::default()
            },
            CredentialsInput::XuiPassword { username, .. } => PanelSettings {
                xui_auth: Some(XuiAuthMode::Password),
                username: Some(username.trim().to_owned()),
                ..Default::default()
            },
            CredentialsInput::Marzban { username, .. } => PanelSettings {
                username: Some(username.trim().to_owned()),
                ..Default::default()
            },
            CredentialsInput::Userpass {
                key_in_query,
                gateway,
                ..
            } => PanelSettings {
                key_in_query: *key_in_query,
                gateway: gateway.clone(),
                ..Default::default()
            },
            CredentialsInput::Pterodactyl { .. } => PanelSettings::default(),
            CredentialsInput::Pasarguard { username, .. } => PanelSettings {
                username: username
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_owned),
                ..Default::default()
            },
        }
    }
}

/// A panel as typed in the add/edit form or on the CLI.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PanelInput {
    pub name: String,
    pub base_url: String,
    pub color: String,
    #[serde(default)]
    pub tag: String,
    /// SHA-256 fingerprint of a self-signed certificate the user confirmed.
    #[serde(default)]
    pub pinned_cert: Option<String>,
    pub credentials: CredentialsInput,
}

/// A validated [`PanelInput`], ready to be stored or connected to.
#[derive(Debug, Clone)]
pub struct ValidPanel {
    pub name: String,
    pub kind: PanelKind,
    pub endpoint: Endpoint,
    pub color: String,
    pub tag: String,
    pub settings: PanelSettings,
    pub secret: Option<Secret>,
}

pub const DEFAULT_COLOR: &str = "#3b82f6";

impl PanelInput {
    /// Checks every field and reports all problems at once, each under its form field.
    /// `secret_required` is false on edit (an empty secret keeps the stored one).
    pub fn validate(&self, secret_required: bool) -> Result<ValidPanel> {
        let mut fields = Vec::new();
        let mut bad = |field: &str, problem: FieldProblem, message: &str| {
            fields.push(FieldError::new(field, problem, message));
        };
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            bad("name", FieldProblem::Required, "Give the panel a name.");
        } else if name.chars().count() > 64 {
            bad(
                "name",
                FieldProblem::TooLong { max: 64 },
                "A name has at most 64 characters.",
            );
        }
        let mut endpoint = match Endpoint::parse(&self.base_url) {
            Ok(ep) => Some(ep),
            Err(_) => {
                bad(
                    "baseUrl",
                    FieldProblem::InvalidUrl,
                    "Enter the panel's address, e.g. https://panel.example.com:2053/path",
                );
                None
            }
        };
        let pin = match self
            .pinned_cert
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(text) => match text.parse::<CertFingerprint>() {
                Ok(fp) => Some(fp),
                Err(_) => {
                    bad(
                        "pinnedCert",
                        FieldProblem::InvalidFingerprint,
                        "A SHA-256 fingerprint is 64 hexadecimal digits.",
                    );
                    None
                }
            },
        };
        if let Some(ep) = endpoint.take() {
            endpoint = Some(ep.with_pin(pin));
        }
        let color = if self.color.trim().is_empty() {
            DEFAULT_COLOR.to_owned()
        } else {
            self.color.trim().to_lowercase()
        };
        if !is_hex_color(&color) {
            bad(
                "color",
                FieldProblem::InvalidColor,
                "Pick a colour like #3b82f6.",
            );
        }
        match &self.credentials {
            CredentialsInput::XuiPassword { username, .. }
            | CredentialsInput::Marzban { username, .. }
                if username.trim().is_empty() =>
            {
                bad(
                    "username",
                    FieldProblem::Required,
                    "Enter the admin user name.",
                );
            }
            CredentialsInput::Userpass {
                gateway: Some(gw), ..
            } if gw.host.trim().is_empty() => {
                bad(
                    "gatewayHost",
                    FieldProblem::Required,
                    "Enter the proxy gateway's host name, or leave the gateway out.",
                );
            }
            _ => {}
        }
        let (secret, secret_field) = self.credentials.secret();
        let secret = secret.filter(|s| !s.expose().trim().is_empty()).cloned();
        if secret_required && secret.is_none() {
            bad(secret_field, FieldProblem::Required, "This is required.");
        }
        let tag = self.tag.trim().to_owned();
        match endpoint {
            Some(endpoint) if fields.is_empty() => Ok(ValidPanel {
                name,
                kind: self.credentials.kind(),
                endpoint,
                color,
                tag,
                settings: self.credentials.settings(),
                secret: secret.map(|s| Secret::new(s.expose().trim())),
            }),
            _ => Err(CoreError::InvalidInput {
                message: "Some fields need attention.".into(),
                fields,
            }),
        }
    }
}

fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// A registered panel, as shown to the user (never carries a secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PanelView {
    pub id: PanelId,
    pub name: String,
    pub kind: PanelKind,
    pub base_url: String,
    pub color: String,
    pub tag: String,
    pub pinned_cert: Option<String>,
    pub settings: PanelSettings,
    /// Seconds since the Unix epoch.
    #[specta(type = specta_typescript::Number)]
    pub created_at: i64,
    #[specta(type = specta_typescript::Number)]
    pub updated_at: i64,
}

impl PanelView {
    pub fn endpoint(&self) -> Result<Endpoint> {
        let pin = self.pinned_cert.as_deref().and_then(|p| p.parse().ok());
        Ok(self
            .settings
            .limit(Endpoint::parse(&self.base_url)?.with_pin(pin)))
    }

    /// The address to open the panel's web page in a browser: its scheme, host, port and
    /// path only. A user name, password, query (where a user-pass key may ride when typed
    /// into the address) or fragment never leaves the app through the browser.
    pub fn browser_url(&self) -> Result<String> {
        let mut url = url::Url::parse(self.base_url.trim())
            .map_err(|e| CoreError::invalid(format!("the panel address is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(CoreError::invalid("the panel address is not http(s)"));
        }
        // Both setters only fail for URLs that cannot have credentials (not http(s)).
        let _ = url.set_username("");
        let _ = url.set_password(None);
        url.set_query(None);
        url.set_fragment(None);
        Ok(url.to_string())
    }
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<PanelView> {
    let kind: String = row.get("kind")?;
    let settings: String = row.get("settings")?;
    Ok(PanelView {
        id: PanelId(row.get("id")?),
        name: row.get("name")?,
        kind: kind.parse().unwrap_or(PanelKind::Xui),
        base_url: row.get("base_url")?,
        color: row.get("color")?,
        tag: row.get("tag")?,
        pinned_cert: row.get("pinned_cert")?,
        settings: serde_json::from_str(&settings).unwrap_or_default(),
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<PanelView>> {
    let mut stmt = conn.prepare("SELECT * FROM panels ORDER BY name COLLATE NOCASE")?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn get(conn: &Connection, id: &PanelId) -> Result<PanelView> {
    conn.query_row("SELECT * FROM panels WHERE id = ?1", [&id.0], from_row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("no panel with id {id}")))
}

pub(crate) fn find_by_name(conn: &Connection, name: &str) -> Result<Option<PanelView>> {
    Ok(conn
        .query_row(
            "SELECT * FROM panels WHERE name = ?1 COLLATE NOCASE",
            [name],
            from_row,
        )
        .optional()?)
}

pub(crate) fn ensure_name_free(
    conn: &Connection,
    name: &str,
    except: Option<&PanelId>,
) -> Result<()> {
    match find_by_name(conn, name)? {
        Some(existing) if Some(&existing.id) != except => Err(CoreError::InvalidInput {
            message: format!("A panel named '{name}' already exists."),
            fields: vec![FieldError::new(
                "name",
                FieldProblem::NameTaken,
                "Another panel already has this name.",
            )],
        }),
        _ => Ok(()),
    }
}

pub(crate) fn insert(conn: &Connection, id: &PanelId, panel: &ValidPanel, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO panels (id, name, kind, base_url, color, tag, pinned_cert, settings, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            id.0,
            panel.name,
            panel.kind.as_str(),
            panel.endpoint.base_url.as_str(),
            panel.color,
            panel.tag,
            panel.endpoint.pinned_cert.map(|p| p.to_string()),
            serde_json::to_string(&panel.settings).unwrap_or_else(|_| "{}".into()),
            now,
        ],
    )?;
    Ok(())
}

/// Replaces a panel's settings (kept apart from [`update`], whose form does not carry them all).
pub(crate) fn set_settings(
    conn: &Connection,
    id: &PanelId,
    settings: &PanelSettings,
) -> Result<()> {
    conn.execute(
        "UPDATE panels SET settings = ?2 WHERE id = ?1",
        params![
            id.0,
            serde_json::to_string(settings).unwrap_or_else(|_| "{}".into())
        ],
    )?;
    Ok(())
}

pub(crate) fn update(conn: &Connection, id: &PanelId, panel: &ValidPanel, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE panels SET name = ?2, base_url = ?3, color = ?4, tag = ?5, pinned_cert = ?6,
             settings = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            id.0,
            panel.name,
            panel.endpoint.base_url.as_str(),
            panel.color,
            panel.tag,
            panel.endpoint.pinned_cert.map(|p| p.to_string()),
            serde_json::to_string(&panel.settings).unwrap_or_else(|_| "{}".into()),
            now,
        ],
    )?;
    Ok(())
}

pub(crate) fn delete(conn: &Connection, id: &PanelId) -> Result<bool> {
    Ok(conn.execute("DELETE FROM panels WHERE id = ?1", [&id.0])? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(base_url: &str) -> PanelView {
        PanelView {
            id: PanelId::new(),
            name: "p".into(),
            kind: PanelKind::Userpass,
            base_url: base_url.into(),
            color: String::new(),
            tag: String::new(),
            pinned_cert: None,
            settings: PanelSettings::default(),
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn the_browser_gets_no_credentials_query_or_fragment() {
        let url = panel("https://admin:pw@proxy.example:8443/panel/?api-key=SECRET#x")
            .browser_url()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(url, "https://proxy.example:8443/panel/");
        assert!(panel("ftp://host/").browser_url().is_err());
    }
}
