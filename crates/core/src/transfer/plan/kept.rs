//! What a create keeps, held compactly: the credentials' six `Option<String>`s and the
//! settings take 176 bytes in every plan item plus a block per value; packed they are one
//! block about the size of the values, none for the items that keep nothing (issue #21: an
//! import's memory stays within 3× the file's size, and a plan holds an item per row).

use serde::{Deserialize, Serialize};

use crate::actions::{KeptCredentials, KeptSettings};

/// The fields of [`KeptCredentials`] in their order and the settings, for postcard (which
/// reads by position).
/// Private and in memory only: [`KeptCredentials`] itself has no `Serialize`, so that no
/// secret reaches a journal, history or export by accident.
#[derive(Serialize, Deserialize)]
struct Wire {
    uuid: Option<String>,
    vmess_uuid: Option<String>,
    password: Option<String>,
    sub_id: Option<String>,
    flow: Option<String>,
    ss_method: Option<String>,
    settings: KeptSettings,
}

/// [`KeptCredentials`] and [`KeptSettings`] packed with postcard; nothing allocated when
/// nothing is kept.
#[derive(Clone, Default, PartialEq, Eq)]
pub(super) struct PackedKept(Option<Box<[u8]>>);

impl PackedKept {
    pub(super) fn new(kept: KeptCredentials, settings: KeptSettings) -> Self {
        if kept.is_empty() && settings.is_empty() {
            return PackedKept(None);
        }
        let KeptCredentials {
            uuid,
            vmess_uuid,
            password,
            sub_id,
            flow,
            ss_method,
        } = kept;
        let wire = Wire {
            uuid,
            vmess_uuid,
            password,
            sub_id,
            flow,
            ss_method,
            settings,
        };
        // Postcard fails only on types it cannot express, which `Wire` has none of. The
        // bytes are copied to a block of their own size (a shrunk block keeps its size).
        PackedKept(
            postcard::to_allocvec(&wire)
                .ok()
                .map(|bytes| Box::from(bytes.as_slice())),
        )
    }

    fn wire(&self) -> Option<Wire> {
        postcard::from_bytes::<Wire>(self.0.as_deref()?).ok()
    }

    pub(super) fn credentials(&self) -> KeptCredentials {
        let Some(wire) = self.wire() else {
            return KeptCredentials::default();
        };
        KeptCredentials {
            uuid: wire.uuid,
            vmess_uuid: wire.vmess_uuid,
            password: wire.password,
            sub_id: wire.sub_id,
            flow: wire.flow,
            ss_method: wire.ss_method,
        }
    }

    pub(super) fn settings(&self) -> KeptSettings {
        self.wire().map(|w| w.settings).unwrap_or_default()
    }
}

/// As [`KeptCredentials`] prints itself (which fields are set, never their values), with the
/// settings.
impl std::fmt::Debug for PackedKept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PackedKept")
            .field(&self.credentials())
            .field(&self.settings())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_kept_comes_back_as_it_went_in_and_secrets_never_print() {
        let kept = KeptCredentials {
            uuid: Some("b831381d-6324-4d53-ad4f-8cda48b30811".into()),
            password: Some(String::new()),
            flow: Some("xtls-rprx-vision".into()),
            ..KeptCredentials::default()
        };
        let settings = KeptSettings {
            disabled: true,
            tg_id: Some(-7),
            hwid_limit: None,
        };
        let packed = PackedKept::new(kept.clone(), settings);
        assert_eq!((packed.credentials(), packed.settings()), (kept, settings));
        assert!(packed.0.as_ref().is_some_and(|b| b.len() < 72));
        assert!(!format!("{packed:?}").contains("b831381d"));
        let none = PackedKept::new(KeptCredentials::default(), KeptSettings::default());
        assert_eq!(none, PackedKept(None));
        assert_eq!(none.credentials(), KeptCredentials::default());
        assert_eq!(none.settings(), KeptSettings::default());
    }
}
