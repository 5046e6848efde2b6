//! The 3x-ui envelope, id newtypes and the closed sets its API uses.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::{http::decode_json, PanelError};

/// Numeric inbound id (`inbounds.id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InboundId(pub i64);

/// Numeric client row id (`clients.id`, v3.1+). The per-protocol credential (UUID or
/// password) is a different thing: see [`super::ClientRecord::uuid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientRowId(pub i64);

/// Every 3x-ui answer: `{success, msg, obj}`, nearly always with HTTP 200.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope<T> {
    pub success: bool,
    #[serde(default)]
    pub msg: String,
    #[serde(default = "Option::default")]
    pub obj: Option<T>,
}

/// The envelope without its payload, read first so a `success:false` answer whose `obj` does
/// not fit the expected type still yields the panel's message.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct EnvelopeHead {
    pub success: bool,
    #[serde(default)]
    pub msg: Option<String>,
}

/// Decodes a 3x-ui answer body: `success:false` becomes [`PanelError::Api`] with the panel's
/// message; otherwise `obj` is decoded and a failure names its JSON path (`obj.items[3].email`).
pub fn decode_envelope<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, PanelError> {
    // The usual answer in one pass (a full client list is megabytes); anything else is read
    // again below, head first, for the panel's message or the failing field's path.
    if let Ok(Envelope {
        success: true, obj, ..
    }) = serde_json::from_slice::<Envelope<T>>(body)
    {
        return Ok(obj);
    }
    let head: EnvelopeHead = decode_json(body)?;
    if !head.success {
        return Err(PanelError::Api {
            status: 200,
            message: head
                .msg
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "the panel reported a failure without a message".into()),
        });
    }
    let env: Envelope<T> = decode_json(body)?;
    Ok(env.obj)
}

/// Inbound protocols 3x-ui knows; anything newer decodes as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Vmess,
    Vless,
    Trojan,
    Shadowsocks,
    Wireguard,
    Hysteria,
    Http,
    Mixed,
    Tunnel,
    Tun,
    Mtproto,
    Socks,
    Dokodemo,
    #[serde(other)]
    Other,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Vmess => "vmess",
            Protocol::Vless => "vless",
            Protocol::Trojan => "trojan",
            Protocol::Shadowsocks => "shadowsocks",
            Protocol::Wireguard => "wireguard",
            Protocol::Hysteria => "hysteria",
            Protocol::Http => "http",
            Protocol::Mixed => "mixed",
            Protocol::Tunnel => "tunnel",
            Protocol::Tun => "tun",
            Protocol::Mtproto => "mtproto",
            Protocol::Socks => "socks",
            Protocol::Dokodemo => "dokodemo-door",
            Protocol::Other => "other",
        }
    }

    /// Which field of a client entry identifies it in the legacy per-inbound routes
    /// (`updateClient/:clientId`, `:id/delClient/:clientId`).
    pub fn legacy_client_key(self) -> LegacyClientKey {
        match self {
            Protocol::Vless | Protocol::Vmess => LegacyClientKey::Uuid,
            Protocol::Trojan => LegacyClientKey::Password,
            _ => LegacyClientKey::Email,
        }
    }
}

/// The credential a legacy route uses as `:clientId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyClientKey {
    Uuid,
    Password,
    Email,
}

/// Status buckets of `list/paged?filter=` (a comma list, OR-ed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusFilter {
    Online,
    Active,
    Deactive,
    Depleted,
    Expiring,
}

impl StatusFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Online => "online",
            StatusFilter::Active => "active",
            StatusFilter::Deactive => "deactive",
            StatusFilter::Depleted => "depleted",
            StatusFilter::Expiring => "expiring",
        }
    }
}

/// Sort keys of `list/paged?sort=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SortKey {
    Enable,
    Email,
    InboundIds,
    Traffic,
    Remaining,
    ExpiryTime,
    CreatedAt,
    UpdatedAt,
    LastOnline,
}

impl SortKey {
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Enable => "enable",
            SortKey::Email => "email",
            SortKey::InboundIds => "inboundIds",
            SortKey::Traffic => "traffic",
            SortKey::Remaining => "remaining",
            SortKey::ExpiryTime => "expiryTime",
            SortKey::CreatedAt => "createdAt",
            SortKey::UpdatedAt => "updatedAt",
            SortKey::LastOnline => "lastOnline",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Ascend,
    Descend,
}

impl SortOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Ascend => "ascend",
            SortOrder::Descend => "descend",
        }
    }
}

/// What `expiryTime` (epoch ms) means: 0 = never, negative = a duration that starts at the
/// first traffic ("start after first use").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Never,
    AtMs(i64),
    AfterFirstUseMs(i64),
}

impl Expiry {
    pub fn from_wire(expiry_time_ms: i64) -> Self {
        match expiry_time_ms {
            0 => Expiry::Never,
            t if t < 0 => Expiry::AfterFirstUseMs(t.saturating_neg()),
            t => Expiry::AtMs(t),
        }
    }

    pub fn to_wire(self) -> i64 {
        match self {
            Expiry::Never => 0,
            Expiry::AtMs(t) => t,
            Expiry::AfterFirstUseMs(d) => -d.abs(),
        }
    }
}

/// Go marshals a nil slice as `null` (facts §7.8).
pub(crate) fn null_as_empty<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Percent-encodes one path segment (emails may hold `@`, `+`, `/`, spaces).
pub(crate) fn seg(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_round_trips() {
        for v in [0, 1_735_689_600_000, -86_400_000 * 30] {
            assert_eq!(Expiry::from_wire(v).to_wire(), v);
        }
        assert_eq!(Expiry::from_wire(-5), Expiry::AfterFirstUseMs(5));
    }

    #[test]
    fn segments_are_escaped() {
        assert_eq!(seg("a b/c?d#e@x.y"), "a%20b%2Fc%3Fd%23e@x.y");
    }

    #[test]
    fn failed_envelope_keeps_the_message() {
        let err =
            decode_envelope::<u32>(br#"{"success":false,"msg":"email already in use","obj":"x"}"#);
        assert!(matches!(err, Err(PanelError::Api { ref message, .. })
                if message == "email already in use"));
    }
}
