//! What a 3x-ui panel is: its release as far as it can be learned, and what the credentials
//! may do. Detection follows `shared/api/3x-ui-source-facts.md` §1.3: `GET {base}csrf-token`
//! (404 → v2.x), then `server/status.panelVersion` (absent → before v3.1.0), then the token's
//! scope where scoped tokens exist.

use std::fmt;

/// A release number as `panelVersion` gives it ("3.4.0", no leading `v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release(pub u32, pub u32, pub u32);

impl Release {
    /// "3.4.0" → `Release(3,4,0)`; anything else (e.g. a dev build's "dev+1a2b3c4d") → `None`.
    pub fn parse(text: &str) -> Option<Release> {
        let mut parts = text.trim().trim_start_matches('v').split('.');
        let mut next = || parts.next()?.parse::<u32>().ok();
        let release = Release(next()?, next()?, next().unwrap_or(0));
        Some(release)
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The panel's release, as precisely as the panel tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PanelRelease {
    /// No `GET /csrf-token` and no `panelVersion`: a v2.x panel (cookie login only).
    V2,
    /// `/csrf-token` but no `panelVersion`: v3.0.x (tokens, CSRF, per-inbound client routes).
    V3_0,
    /// `panelVersion` as sent (v3.1.0+).
    Exact(Release),
    /// A dev-channel build (`panelVersion` "dev+<hash>", v3.6.0+): treated as the newest.
    Dev(String),
}

impl PanelRelease {
    /// The release the route and shape rules are taken from (the lowest one it can be).
    pub fn at_least(&self) -> Release {
        match self {
            PanelRelease::V2 => Release(2, 0, 0),
            PanelRelease::V3_0 => Release(3, 0, 0),
            PanelRelease::Exact(r) => *r,
            PanelRelease::Dev(_) => Release(3, 6, 0),
        }
    }

    /// `/panel/api/clients/*` exists from v3.1.0, which removed the per-inbound client
    /// routes (facts §1.1).
    pub fn has_clients_api(&self) -> bool {
        self.at_least() >= Release(3, 1, 0)
    }

    /// Whether the panel has a route or field introduced in `since`.
    pub fn since(&self, since: Release) -> bool {
        self.at_least() >= since
    }

    /// For people: "3.4.2", "3.0.x", "2.x", "dev+1a2b3c4d".
    pub fn label(&self) -> String {
        match self {
            PanelRelease::V2 => "2.x".into(),
            PanelRelease::V3_0 => "3.0.x".into(),
            PanelRelease::Exact(r) => r.to_string(),
            PanelRelease::Dev(text) => text.clone(),
        }
    }
}

/// What an API token may do (scoped tokens exist on builds after v3.6.0, facts §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenScope {
    /// Everything (every token before scopes existed, cookie sessions).
    Admin,
    /// Server status and history only: no client route at all, reading included.
    Monitor,
}

/// Everything detection learned about a panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub release: PanelRelease,
    pub scope: TokenScope,
}

impl Detected {
    pub fn read_only(&self) -> bool {
        self.scope == TokenScope::Monitor
    }
}

/// The words `probe` adds to the API generation for a read-only token; the core reads them
/// back from the stored generation (see [`is_read_only_generation`]).
pub const READ_ONLY_NOTE: &str = "read-only API token (monitor scope)";

/// True when a stored API generation label says the token is read-only.
pub fn is_read_only_generation(api_generation: &str) -> bool {
    api_generation.contains(READ_ONLY_NOTE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_parse_and_order() {
        assert_eq!(Release::parse("3.4.0"), Some(Release(3, 4, 0)));
        assert_eq!(Release::parse("v3.6"), Some(Release(3, 6, 0)));
        assert_eq!(Release::parse("dev+1a2b3c4d"), None);
        assert!(PanelRelease::Exact(Release(3, 1, 0)).has_clients_api());
        assert!(!PanelRelease::V3_0.has_clients_api());
        assert!(PanelRelease::Dev("dev+1".into()).since(Release(3, 4, 1)));
        assert!(!PanelRelease::Exact(Release(3, 2, 8)).since(Release(3, 3, 1)));
    }
}
