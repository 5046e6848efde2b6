//! PasarGuard users → accounts. Units on the wire: `expire` ISO 8601 UTC (null = never),
//! `data_limit` bytes (null or 0 = unlimited), `on_hold_expire_duration` seconds. The account's
//! `inbounds` are the names of the user's groups (what decides its inbounds here).

use std::collections::HashMap;

use paneldeck_panels::{
    pasarguard::{GroupId, User, UserStatus},
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

/// A user counts as online when PasarGuard saw it within this long.
pub const ONLINE_WINDOW_MS: i64 = 3 * 60 * 1000;

/// What converting a panel's users needs besides them.
pub struct Context<'a> {
    pub panel: &'a PanelId,
    /// Resolves a relative `subscription_url`.
    pub base_url: &'a str,
    pub group_names: &'a HashMap<GroupId, String>,
}

pub fn group_label(names: &HashMap<GroupId, String>, id: GroupId) -> String {
    names
        .get(&id)
        .cloned()
        .unwrap_or_else(|| format!("group {id}"))
}

pub fn from_user(cx: &Context<'_>, u: &User, now_ms: i64) -> Converted {
    let mut a = Account::blank(
        AccountKey::new(cx.panel.clone(), &u.username),
        PanelKind::Pasarguard,
        &u.username,
    );
    a.enabled = u.status != UserStatus::Disabled;
    a.hints.expired = u.status == UserStatus::Expired;
    a.hints.depleted = u.status == UserStatus::Limited;
    a.hints.on_hold = u.status == UserStatus::OnHold;
    a.used_bytes = u.used_traffic_bytes;
    a.limit_bytes = u.data_limit();
    a.expires_at_ms = u.expire_utc_secs().map(|s| s.saturating_mul(1000));
    a.expire_after_first_use_ms = u
        .on_hold_expire_duration_secs
        .filter(|s| *s > 0)
        .map(|s| s.saturating_mul(1000));
    a.note = u.note.as_deref().and_then(non_empty);
    let p = &u.proxy_settings;
    let id = |s: &Option<paneldeck_panels::pasarguard::IdSettings>| {
        s.as_ref()
            .and_then(|s| s.id.clone())
            .filter(|v| !v.is_empty())
    };
    a.protocols = [
        ("vless", p.vless.is_some()),
        ("vmess", p.vmess.is_some()),
        ("trojan", p.trojan.is_some()),
        ("shadowsocks", p.shadowsocks.is_some()),
    ]
    .iter()
    .filter(|(_, has)| *has)
    .map(|(name, _)| (*name).to_owned())
    .collect();
    a.inbounds = u
        .group_ids
        .iter()
        .map(|g| group_label(cx.group_names, *g))
        .collect();
    a.uuid = id(&p.vless).or_else(|| id(&p.vmess));
    a.sub_id = u.subscription_token().map(str::to_owned);
    a.subscription_url = non_empty(&u.subscription_url).map(|url| absolute(cx.base_url, &url));
    a.last_online_ms = u.online_at.as_deref().and_then(parse_iso_ms);
    a.online = Some(
        a.last_online_ms
            .is_some_and(|t| now_ms - t <= ONLINE_WINDOW_MS),
    );
    a.created_at_ms = parse_iso_ms(&u.created_at);
    a.updated_at_ms = u.edit_at.as_deref().and_then(parse_iso_ms);
    let text = |v: Option<&String>| v.and_then(|s| unless_empty(s));
    let bits = RawBits {
        password: p
            .trojan
            .as_ref()
            .and_then(|t| text(t.password.as_ref()))
            .or_else(|| {
                p.shadowsocks
                    .as_ref()
                    .and_then(|s| text(s.password.as_ref()))
            }),
        vmess_id: id(&p.vmess),
        ss_method: p.shadowsocks.as_ref().and_then(|s| text(s.method.as_ref())),
        reset_strategy: Some(u.data_limit_reset_strategy.as_str().to_owned()),
        limit_hwid: u.hwid_limit,
        ..RawBits::default()
    };
    Converted::with_bits(a.with_status_at(now_ms), &u, bits)
}

/// A relative URL (`/sub/<token>`, steps 19, 47 of the recording) on the panel's base URL,
/// keeping a path prefix the panel sits under.
pub fn absolute(base_url: &str, url: &str) -> String {
    match url.strip_prefix('/') {
        Some(path) if !url.starts_with("//") => {
            format!("{}/{path}", base_url.trim_end_matches('/'))
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_subscription_urls_keep_the_panel_prefix() {
        assert_eq!(
            super::absolute("https://p.example/admin/", "/sub/abc"),
            "https://p.example/admin/sub/abc"
        );
        assert_eq!(
            super::absolute("https://p/", "https://s/sub/x"),
            "https://s/sub/x"
        );
    }
}
