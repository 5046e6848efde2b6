//! Which 3x-ui release the simulator plays (`--panel-version`). Every predicate below is one
//! row of `shared/api/3x-ui-source-facts.md` §1.1 (what changed, range by range); the
//! handlers ask these instead of comparing numbers themselves.

use std::{fmt, str::FromStr};

/// The releases the simulator can play, oldest first (so `<`/`>=` follow release order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum XuiVersion {
    /// Last legacy panel: cookie login only, no CSRF, clients edited inside inbounds.
    V2_9_4,
    /// Bearer tokens and CSRF, still the per-inbound client routes.
    V3_0_2,
    /// Clients API with bulk routes and groups.
    V3_2_8,
    /// Export/import, external links, `ips` as objects, bulkEnable/Disable.
    V3_4_2,
    /// Summary counters, authenticated OpenAPI document.
    #[default]
    V3_6_0,
    /// A post-3.6.0 build (still reports "3.6.0"): scoped tokens, HWID limits.
    Head,
}

pub const ALL_VERSIONS: [XuiVersion; 6] = [
    XuiVersion::V2_9_4,
    XuiVersion::V3_0_2,
    XuiVersion::V3_2_8,
    XuiVersion::V3_4_2,
    XuiVersion::V3_6_0,
    XuiVersion::Head,
];

impl XuiVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            XuiVersion::V2_9_4 => "2.9.4",
            XuiVersion::V3_0_2 => "3.0.2",
            XuiVersion::V3_2_8 => "3.2.8",
            XuiVersion::V3_4_2 => "3.4.2",
            XuiVersion::V3_6_0 => "3.6.0",
            XuiVersion::Head => "head",
        }
    }

    /// `server/status.panelVersion`: absent before v3.1.0; HEAD still says "3.6.0" (§1.2, §5.2).
    pub fn panel_version(self) -> Option<&'static str> {
        match self {
            XuiVersion::V2_9_4 | XuiVersion::V3_0_2 => None,
            XuiVersion::Head => Some("3.6.0"),
            v => Some(v.as_str()),
        }
    }

    /// Bearer tokens, CSRF and the public `GET /csrf-token` (v3.0.0, §1.1, §2.3).
    pub fn has_tokens_and_csrf(self) -> bool {
        self >= XuiVersion::V3_0_2
    }

    /// 401 instead of 404 for unauthenticated XMLHttpRequest API calls; `POST /logout` (v3.0.2).
    pub fn xhr_gets_401(self) -> bool {
        self >= XuiVersion::V3_0_2
    }

    /// `/panel/api/clients/*` replaces the per-inbound client routes; inbound settings become
    /// objects, `allTime` goes (v3.1.0).
    pub fn clients_api(self) -> bool {
        self >= XuiVersion::V3_2_8
    }

    /// Login rate limiter (v3.0.0, §2.2).
    pub fn limits_logins(self) -> bool {
        self >= XuiVersion::V3_0_2
    }

    /// `panelGuid`, `diskIO`, `diskTraffic`, packet counters in `server/status`;
    /// `traffic/{email}` of an unknown email answers `obj:null`; `onlinesByGuid` (v3.3.0).
    pub fn v3_3_0(self) -> bool {
        self >= XuiVersion::V3_4_2
    }

    /// `get/{email}` carries `usedTraffic`; `resetTraffic` re-enables (v3.3.1).
    pub fn v3_3_1(self) -> bool {
        self >= XuiVersion::V3_4_2
    }

    /// export/import/delOrphans/externalLinks, `ips` as `[{ip,time,node}]`, clientIpsByGuid
    /// (v3.4.0); bulkEnable/bulkDisable (v3.4.1); groups/resetTraffic (v3.4.2).
    pub fn v3_4(self) -> bool {
        self >= XuiVersion::V3_4_2
    }

    /// WireGuard/MTProto client fields (v3.5.0).
    pub fn v3_5(self) -> bool {
        self >= XuiVersion::V3_6_0
    }

    /// `list/paged.summary` counters; OpenAPI document behind auth (v3.6.0).
    pub fn v3_6(self) -> bool {
        self >= XuiVersion::V3_6_0
    }

    /// Scoped tokens, HWID limits, per-client reset cycles (HEAD).
    pub fn head(self) -> bool {
        self == XuiVersion::Head
    }

    /// The Xray version a build of that age ships with (cosmetic).
    pub fn xray_version(self) -> &'static str {
        if self.clients_api() {
            "25.10.31"
        } else {
            "25.3.6"
        }
    }
}

impl fmt::Display for XuiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for XuiVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().trim_start_matches('v');
        ALL_VERSIONS
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let known: Vec<&str> = ALL_VERSIONS.iter().map(|v| v.as_str()).collect();
                format!("unknown 3x-ui version '{s}' (one of {})", known.join(", "))
            })
    }
}
