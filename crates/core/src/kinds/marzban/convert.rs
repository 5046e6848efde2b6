//! Marzban users → accounts. Units on the wire: `expire` UTC SECONDS (null = never),
//! `data_limit` bytes (null = unlimited), `on_hold_expire_duration` seconds, times naive
//! ISO-8601 UTC.

use paneldeck_panels::{
    marzban::{DataLimitResetStrategy, ProxyType, User, UserStatus},
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

/// A user counts as online when Marzban saw it within this long.
pub const ONLINE_WINDOW_MS: i64 = 3 * 60 * 1000;

/// `base_url` turns a relative `subscription_url` (no `XRAY_SUBSCRIPTION_URL_PREFIX`) into
/// a full one.
pub fn from_user(panel: &PanelId, base_url: &str, u: &User, now_ms: i64) -> Converted {
    let mut a = Account::blank(
        AccountKey::new(panel.clone(), &u.username),
        PanelKind::Marzban,
        &u.username,
    );
    a.enabled = u.status != UserStatus::Disabled;
    a.hints.expired = u.status == UserStatus::Expired;
    a.hints.depleted = u.status == UserStatus::Limited;
    a.hints.on_hold = u.status == UserStatus::OnHold;
    a.used_bytes = u.used_traffic_bytes;
    a.limit_bytes = u.data_limit_bytes;
    a.expires_at_ms = u.expire_utc_secs.map(|s| s.saturating_mul(1000));
    a.expire_after_first_use_ms = u
        .on_hold_expire_duration_secs
        .filter(|s| *s > 0)
        .map(|s| s.saturating_mul(1000));
    a.note = u.note.as_deref().and_then(non_empty);
    a.protocols = u
        .proxies
        .keys()
        .map(|p| proxy_name(*p).to_owned())
        .collect();
    a.inbounds = u.inbounds.values().flatten().cloned().collect();
    a.inbounds.sort();
    a.inbounds.dedup();
    a.uuid = [ProxyType::Vless, ProxyType::Vmess]
        .iter()
        .find_map(|p| u.proxies.get(p).and_then(|s| s.id.clone()))
        .filter(|s| !s.is_empty());
    a.sub_id = u.subscription_token().map(str::to_owned);
    a.subscription_url = non_empty(&u.subscription_url).map(|url| absolute(base_url, &url));
    a.last_online_ms = u.online_at.as_deref().and_then(parse_iso_ms);
    a.online = Some(
        a.last_online_ms
            .is_some_and(|t| now_ms - t <= ONLINE_WINDOW_MS),
    );
    a.created_at_ms = parse_iso_ms(&u.created_at);
    if RawBits::reads_any_of(&u.extra) {
        return Converted::new(a.with_status_at(now_ms), &u);
    }
    let proxy = |p: ProxyType| u.proxies.get(&p);
    let text = |v: Option<&String>| v.and_then(|s| unless_empty(s));
    let bits = RawBits {
        password: proxy(ProxyType::Trojan)
            .and_then(|p| text(p.password.as_ref()))
            .or_else(|| proxy(ProxyType::Shadowsocks).and_then(|p| text(p.password.as_ref()))),
        flow: proxy(ProxyType::Vless).and_then(|p| text(p.flow.as_ref())),
        vmess_id: proxy(ProxyType::Vmess).and_then(|p| text(p.id.as_ref())),
        ss_method: proxy(ProxyType::Shadowsocks).and_then(|p| text(p.method.as_ref())),
        reset_strategy: Some(reset_strategy_name(u.data_limit_reset_strategy).to_owned()),
        ..RawBits::default()
    };
    Converted::with_bits(a.with_status_at(now_ms), &u, bits)
}

/// `data_limit_reset_strategy` as the panel writes it.
fn reset_strategy_name(s: DataLimitResetStrategy) -> &'static str {
    match s {
        DataLimitResetStrategy::NoReset => "no_reset",
        DataLimitResetStrategy::Day => "day",
        DataLimitResetStrategy::Week => "week",
        DataLimitResetStrategy::Month => "month",
        DataLimitResetStrategy::Year => "year",
    }
}

fn proxy_name(p: ProxyType) -> &'static str {
    match p {
        ProxyType::Vmess => "vmess",
        ProxyType::Vless => "vless",
        ProxyType::Trojan => "trojan",
        ProxyType::Shadowsocks => "shadowsocks",
    }
}

fn absolute(base_url: &str, url: &str) -> String {
    if url.starts_with('/') {
        format!("{}{url}", base_url.trim_end_matches('/'))
    } else {
        url.to_owned()
    }
}
