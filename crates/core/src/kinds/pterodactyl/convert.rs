//! Pterodactyl subusers → accounts. A subuser is one person's access to ONE server, so an
//! account is a (server, user) pair (see [`super::ids`]).

use paneldeck_panels::{
    pterodactyl::{Server, Subuser},
    PanelKind,
};
use serde_json::json;

use super::ids::pterodactyl_native_id;
use crate::{
    accounts::{
        convert::{parse_iso_ms, Converted},
        model::{Account, AccountKey},
        RawBits,
    },
    registry::PanelId,
};

pub fn from_subuser(panel: &PanelId, server: &Server, s: &Subuser, now_ms: i64) -> Converted {
    let key = AccountKey::new(
        panel.clone(),
        pterodactyl_native_id(&server.identifier, &s.uuid),
    );
    let mut a = Account::blank(key, PanelKind::Pterodactyl, &s.username);
    a.email = Some(s.email.clone());
    a.uuid = Some(s.uuid.0.clone());
    a.hints.restricted = server.suspended;
    let mut permissions: Vec<String> = s
        .permissions
        .keys()
        .into_iter()
        .map(str::to_owned)
        .collect();
    permissions.extend(s.unknown_permissions.iter().cloned());
    a.permissions = permissions;
    a.servers = vec![server.name.clone()];
    a.group = Some(server.name.clone());
    a.created_at_ms = parse_iso_ms(&s.created_at);
    let raw = json!({
        "server": {
            "identifier": server.identifier,
            "uuid": server.uuid,
            "name": server.name,
            "node": server.node,
            "server_owner": server.owned,
            "is_suspended": server.suspended,
        },
        "subuser": {
            "uuid": s.uuid,
            "username": s.username,
            "email": s.email,
            "image": s.image,
            "2fa_enabled": s.two_factor_enabled,
            "created_at": s.created_at,
            "permissions": a.permissions,
        },
    });
    // Nothing transfer reads is in a subuser's record.
    Converted::with_bits(a.with_status_at(now_ms), &raw, RawBits::default())
}
