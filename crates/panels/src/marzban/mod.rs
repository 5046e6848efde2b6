//! Marzban (Gozargah/Marzban) client: the 0.4.x REST API under `/api` (tolerant of what 0.8.x
//! adds) and the public `/sub/{token}/` routes. Auth is an OAuth2 password login (form-encoded)
//! whose bearer token is cached, renewed when it expires or a 401 arrives, and shared by clones.
//! Route → function table: docs/panels/marzban.md.

mod admins;
mod client;
mod errors;
mod nodes;
mod subscription;
mod system;
mod templates;
mod time;
pub mod types;
mod username;
mod users;

pub use client::{LoginHook, MarzbanClient};
pub use types::*;
pub use username::{username_ok, USERNAME_REGEX, USERNAME_RULE};

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

impl MarzbanClient {
    /// "Test connection": logs in, reads the current admin and the panel's version.
    pub async fn probe(&self) -> Result<ProbeInfo, PanelError> {
        let admin = self.get_current_admin().await?;
        let system = self.get_system_stats().await?;
        let mut parts = system
            .version
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        let generation = if (major, minor) < (0, 5) {
            "Marzban 0.4.x API"
        } else {
            "Marzban 0.5+ API"
        };
        let role = if admin.is_sudo { "sudo admin" } else { "admin" };
        Ok(ProbeInfo {
            version: Some(system.version.clone()),
            api_generation: Some(generation.to_owned()),
            signed_in_as: Some(admin.username.clone()),
            accounts: Some(u32::try_from(system.total_user).unwrap_or(u32::MAX)),
            inbounds: None,
            read_only: false,
            summary: format!(
                "Marzban {} at {}, signed in as {} ({role}), {} users",
                system.version,
                self.http.endpoint().base_url,
                admin.username,
                system.total_user
            ),
        })
    }
}
