//! User-pass proxy sub-users → accounts. Caps of -1 (or absent) on the wire mean unlimited and
//! are already `None` in [`SubUser`]; status 3 "blocked" is the provider's restriction.

use paneldeck_panels::{
    userpass::{SubUser, SubUserStatus, WireSubUser},
    PanelKind,
};

use crate::{
    accounts::{
        convert::{non_empty, parse_iso_ms, unless_empty, Converted},
        model::{Account, AccountKey},
        RawBits,
    },
    registry::PanelId,
};

pub fn from_sub_user(panel: &PanelId, s: &SubUser, now_ms: i64) -> Converted {
    let mut a = Account::blank(
        AccountKey::new(panel.clone(), s.id.to_string()),
        PanelKind::Userpass,
        &s.user_name,
    );
    a.enabled = s.status != SubUserStatus::Disabled;
    a.hints.restricted = s.status == SubUserStatus::Blocked;
    a.used_bytes = s.data_used_bytes;
    a.limit_bytes = s.usage_cap_bytes;
    a.ip_limit = s.ip_usage_cap;
    a.ips_used = Some(s.ip_used);
    a.note = s.note.as_deref().and_then(non_empty);
    a.protocols = vec!["http".into(), "socks5".into()];
    a.created_at_ms = s.created_at.as_deref().and_then(parse_iso_ms);
    a.updated_at_ms = s.updated_at.as_deref().and_then(parse_iso_ms);
    let wire = to_wire(s);
    let bits = RawBits {
        password: unless_empty(&wire.use_key),
        ..RawBits::default()
    };
    Converted::with_bits(a.with_status_at(now_ms), &wire, bits)
}

/// The record as the provider sent it (caps back to -1 for unlimited).
fn to_wire(s: &SubUser) -> WireSubUser {
    let cap = |c: Option<u64>| Some(c.map_or(-1, |v| i64::try_from(v).unwrap_or(i64::MAX)));
    WireSubUser {
        id: s.id,
        user_name: s.user_name.clone(),
        use_key: s.password.expose().to_owned(),
        status: s.status,
        note: s.note.clone(),
        usage_cap: cap(s.usage_cap_bytes),
        ip_usage_cap: cap(s.ip_usage_cap),
        data_used: s.data_used_bytes,
        ip_used: s.ip_used,
        created_at: s.created_at.clone(),
        updated_at: s.updated_at.clone(),
    }
}
