//! A create's kept credentials held compactly: six `Option<String>`s take 144 bytes in every
//! plan item plus a block per value; packed they are one block about the size of the values
//! (issue #21: an import's memory stays within 3× the file's size, and a plan holds an item
//! per row of the file).

use serde::{Deserialize, Serialize};

use crate::actions::KeptCredentials;

/// The fields of [`KeptCredentials`] in their order, for postcard (which reads by position).
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
}

/// [`KeptCredentials`] packed with postcard; nothing allocated when nothing is kept.
#[derive(Clone, Default, PartialEq, Eq)]
pub(super) struct PackedCredentials(Option<Box<[u8]>>);

impl PackedCredentials {
    pub(super) fn new(kept: KeptCredentials) -> Self {
        if kept.is_empty() {
            return PackedCredentials(None);
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
        };
        // Postcard fails only on types it cannot express, which `Wire` has none of. The
        // bytes are copied to a block of their own size (a shrunk block keeps its size).
        PackedCredentials(
            postcard::to_allocvec(&wire)
                .ok()
                .map(|bytes| Box::from(bytes.as_slice())),
        )
    }

    pub(super) fn unpack(&self) -> KeptCredentials {
        let Some(wire) = self
            .0
            .as_deref()
            .and_then(|bytes| postcard::from_bytes::<Wire>(bytes).ok())
        else {
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
}

/// As [`KeptCredentials`] prints itself: which fields are set, never their values.
impl std::fmt::Debug for PackedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.unpack().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_come_back_as_they_went_in_and_never_print() {
        let kept = KeptCredentials {
            uuid: Some("b831381d-6324-4d53-ad4f-8cda48b30811".into()),
            password: Some(String::new()),
            flow: Some("xtls-rprx-vision".into()),
            ..KeptCredentials::default()
        };
        let packed = PackedCredentials::new(kept.clone());
        assert_eq!(packed.unpack(), kept);
        assert!(packed.0.as_ref().is_some_and(|b| b.len() < 64));
        assert!(!format!("{packed:?}").contains("b831381d"));
        let none = PackedCredentials::new(KeptCredentials::default());
        assert_eq!(none, PackedCredentials(None));
        assert_eq!(none.unpack(), KeptCredentials::default());
    }
}
