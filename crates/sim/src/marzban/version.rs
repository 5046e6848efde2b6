//! Which Marzban release the simulator plays. Versions are data: each behaviour that differs
//! asks [`PanelVersion`] instead of forking a handler. The differences are the ones measured
//! on real 0.4.9 and 0.8.4 servers (`shared/api/NOTES.md`, "Measured on real 0.4.9 and 0.8.4
//! servers") and read in Gozargah/Marzban's source at the tags `v0.4.9` and `v0.8.4`.

/// A Marzban release the simulator can play.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum PanelVersion {
    /// The last 0.4 release: pydantic v1, `app/views/*.py`.
    V0_4_9,
    /// The last release (January 2025) and what most admins run: pydantic v2,
    /// `app/routers/*.py`.
    #[default]
    V0_8_4,
}

impl PanelVersion {
    pub const ALL: [PanelVersion; 2] = [PanelVersion::V0_4_9, PanelVersion::V0_8_4];

    /// What `/api/system` reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PanelVersion::V0_4_9 => "0.4.9",
            PanelVersion::V0_8_4 => "0.8.4",
        }
    }

    /// `0.4.9` or `0.8.4` (a leading `v` is accepted).
    pub fn parse(s: &str) -> Option<PanelVersion> {
        let s = s.trim().trim_start_matches('v');
        PanelVersion::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// 0.5+ (pydantic v2 messages, `search`, `users_usage`, 404 for a dead subscription…).
    pub fn is_0_8(self) -> bool {
        self >= PanelVersion::V0_8_4
    }

    /// A validator's message as the version words it: pydantic v2 prefixes `Value error, `
    /// (recorded steps 12, 14, 15 of both transcripts).
    pub fn value_error(self, message: &str) -> String {
        if self.is_0_8() {
            format!("Value error, {message}")
        } else {
            message.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PanelVersion;

    #[test]
    fn parses_both_releases_and_defaults_to_the_latest() {
        assert_eq!(PanelVersion::parse("0.4.9"), Some(PanelVersion::V0_4_9));
        assert_eq!(PanelVersion::parse("v0.8.4"), Some(PanelVersion::V0_8_4));
        assert_eq!(PanelVersion::parse("0.7.0"), None);
        assert_eq!(PanelVersion::default(), PanelVersion::V0_8_4);
    }
}
