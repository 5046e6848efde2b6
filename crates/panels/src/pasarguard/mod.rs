//! PasarGuard (PasarGuard/panel 5.x, the maintained fork of Marzban): its REST API under
//! `/api` and the public `/sub/{token}/` routes. Users hold groups (`group_ids`) whose inbound
//! tags decide their inbounds, carry all six protocols in `proxy_settings`, take and give
//! `expire` as ISO 8601 and have numeric ids the `/api/users/bulk/*` routes select by.
//! Facts: `shared/api/pasarguard-vs-marzban.md`, `pasarguard-recorded.md` (a real 5.2.1).

mod bulk;
mod client;
mod errors;
mod panel;
mod subscription;
pub mod time;
pub mod types;
mod users;

pub use bulk::BulkUsersAction;
pub use client::{PasarguardAuth, PasarguardClient};
pub use types::*;

use crate::{PanelError, ProbeInfo};

/// Percent-encodes a path segment (usernames may hold `@` and `.`; tokens are URL-safe).
pub(crate) fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl PasarguardClient {
    /// Whether the server is PasarGuard rather than Marzban, cheapest check first (facts §2):
    /// `GET /health` answers `{"status":"ok"}` on PasarGuard ≥ 2.0.0 and is no Marzban route;
    /// older PasarGuard is told by `active_users` in `/api/system` (Marzban says
    /// `users_active`).
    pub async fn detect(&self) -> Result<bool, PanelError> {
        if self.health().await.is_ok_and(|h| h.status == "ok") {
            return Ok(true);
        }
        let raw = self.call(reqwest::Method::GET, "api/system", |r| r).await?;
        let body: serde_json::Value = raw.json()?;
        Ok(body.get("active_users").is_some())
    }

    /// "Test connection": signs in, checks this is PasarGuard, reads the admin and version.
    pub async fn probe(&self) -> Result<ProbeInfo, PanelError> {
        let system = self.get_system_stats().await.map_err(|e| match e {
            PanelError::Decode { path, message } => errors::not_this_panel(format!(
                "/api/system has no PasarGuard fields ({path}: {message}); is this Marzban?"
            )),
            other => other,
        })?;
        let admin = self.get_current_admin().await?;
        let role = admin
            .role
            .as_ref()
            .map_or_else(|| "admin".to_owned(), |r| r.name.clone());
        let major = system
            .version
            .split('.')
            .next()
            .and_then(|m| m.parse::<u32>().ok())
            .unwrap_or(0);
        Ok(ProbeInfo {
            version: Some(system.version.clone()),
            api_generation: Some(format!("PasarGuard {major}.x API")),
            signed_in_as: Some(admin.username.clone()),
            accounts: Some(u32::try_from(system.total_user).unwrap_or(u32::MAX)),
            inbounds: None,
            read_only: false,
            summary: format!(
                "PasarGuard {} at {}, signed in as {} ({role}), {} users",
                system.version,
                self.base_url(),
                admin.username,
                system.total_user
            ),
        })
    }
}
