//! 3x-ui clients → accounts. Units on the wire: `totalGB` is BYTES, `expiryTime` epoch ms with
//! 0 = never and a negative value = a duration starting at first use.

use std::collections::{BTreeMap, HashMap, HashSet};

use paneldeck_panels::{
    xui::{legacy::LegacyClient, ClientRecord, Expiry, InboundId, Protocol},
    PanelKind,
};
use serde_json::json;

use crate::{
    accounts::{
        convert::{bytes, non_empty, positive, unless_empty, Converted},
        model::{Account, AccountKey},
        RawBits,
    },
    registry::PanelId,
};

/// What the panel tells beside the client list: who is online, when each was last seen,
/// and each inbound's protocol.
#[derive(Debug, Clone, Default)]
pub struct XuiContext {
    pub online: HashSet<String>,
    /// Email → epoch ms.
    pub last_online_ms: BTreeMap<String, i64>,
    pub inbound_protocols: HashMap<InboundId, Protocol>,
    /// False when the online list could not be read (then `online` is unknown).
    pub online_known: bool,
}

impl XuiContext {
    fn protocols(&self, ids: &[InboundId]) -> Vec<String> {
        let mut out: Vec<String> = ids
            .iter()
            .filter_map(|id| self.inbound_protocols.get(id))
            .map(|p| p.as_str().to_owned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn presence(&self, email: &str, account: &mut Account) {
        account.online = self.online_known.then(|| self.online.contains(email));
        account.last_online_ms = self.last_online_ms.get(email).copied().filter(|t| *t > 0);
    }
}

fn expiry(account: &mut Account, expiry_time_ms: i64) {
    match Expiry::from_wire(expiry_time_ms) {
        Expiry::Never => {}
        Expiry::AtMs(t) => account.expires_at_ms = Some(t),
        Expiry::AfterFirstUseMs(d) => {
            account.expire_after_first_use_ms = Some(d);
            account.hints.on_hold = true;
        }
    }
}

fn email_if_email(name: &str) -> Option<String> {
    name.contains('@').then(|| name.to_owned())
}

/// A client of the clients API (v3.1+), as `list` / `get/:email` return it.
pub fn from_record(panel: &PanelId, r: &ClientRecord, ctx: &XuiContext, now_ms: i64) -> Converted {
    let mut a = Account::blank(
        AccountKey::new(panel.clone(), &r.email),
        PanelKind::Xui,
        &r.email,
    );
    a.email = email_if_email(&r.email);
    a.enabled = r.enable;
    if let Some(t) = &r.traffic {
        a.up_bytes = Some(bytes(t.up_bytes));
        a.down_bytes = Some(bytes(t.down_bytes));
    }
    a.used_bytes = bytes(r.used_bytes());
    a.limit_bytes = positive(r.total_bytes);
    expiry(&mut a, r.expiry_time_ms);
    a.ip_limit = positive(r.limit_ip);
    a.group = non_empty(&r.group);
    a.note = non_empty(&r.comment);
    a.inbounds = r.inbound_ids.iter().map(|i| i.0.to_string()).collect();
    a.protocols = ctx.protocols(&r.inbound_ids);
    a.sub_id = non_empty(&r.sub_id);
    a.uuid = non_empty(&r.uuid);
    ctx.presence(&r.email, &mut a);
    a.created_at_ms = r.created_at_ms.filter(|t| *t > 0);
    a.updated_at_ms = r.updated_at_ms.filter(|t| *t > 0);
    // Fields the panel added that this client does not model could carry what transfer reads;
    // then the JSON is read instead.
    if RawBits::reads_any_of(&r.extra) {
        return Converted::new(a.with_status_at(now_ms), &r);
    }
    let bits = RawBits {
        password: unless_empty(&r.password),
        flow: unless_empty(&r.flow),
        reset_days: Some(r.reset_days),
        tg_id: Some(r.tg_id),
        limit_hwid: Some(r.limit_hwid),
        ..RawBits::default()
    };
    Converted::with_bits(a.with_status_at(now_ms), &r, bits)
}

/// A client of a pre-3.1 panel: its entries in every inbound it belongs to (same email),
/// joined with its traffic row. The first entry gives the settings.
pub fn from_legacy(
    panel: &PanelId,
    entries: &[LegacyClient],
    ctx: &XuiContext,
    now_ms: i64,
) -> Option<Converted> {
    let first = entries.first()?;
    let c = &first.client;
    let mut a = Account::blank(
        AccountKey::new(panel.clone(), &c.email),
        PanelKind::Xui,
        &c.email,
    );
    a.email = email_if_email(&c.email);
    let traffic = entries.iter().find_map(|e| e.traffic.as_ref());
    a.enabled = c.enable && traffic.is_none_or(|t| t.enable);
    if let Some(t) = traffic {
        a.up_bytes = Some(bytes(t.up_bytes));
        a.down_bytes = Some(bytes(t.down_bytes));
        a.used_bytes = bytes(t.up_bytes).saturating_add(bytes(t.down_bytes));
        a.last_online_ms = Some(t.last_online_ms).filter(|v| *v > 0);
    }
    a.limit_bytes = positive(c.total_bytes);
    expiry(&mut a, c.expiry_time_ms);
    a.ip_limit = positive(c.limit_ip);
    a.note = non_empty(&c.comment);
    a.inbounds = entries.iter().map(|e| e.inbound_id.0.to_string()).collect();
    let mut protocols: Vec<String> = entries
        .iter()
        .map(|e| e.protocol.as_str().to_owned())
        .collect();
    protocols.sort();
    protocols.dedup();
    a.protocols = protocols;
    a.sub_id = non_empty(&c.sub_id);
    a.uuid = c.uuid.as_deref().and_then(non_empty);
    let last_seen = a.last_online_ms;
    ctx.presence(&c.email, &mut a);
    a.last_online_ms = a.last_online_ms.or(last_seen);
    let raw = json!({
        "generation": "legacy",
        "inbounds": entries.iter().map(|e| json!({
            "inboundId": e.inbound_id,
            "protocol": e.protocol,
            "client": e.client,
            "traffic": e.traffic,
        })).collect::<Vec<_>>(),
    });
    Some(Converted::new(a.with_status_at(now_ms), &raw))
}

/// Groups legacy entries by email, keeping the panel's order of first appearance.
pub fn group_legacy(entries: Vec<LegacyClient>) -> Vec<Vec<LegacyClient>> {
    let mut order: Vec<String> = Vec::new();
    let mut by_email: HashMap<String, Vec<LegacyClient>> = HashMap::new();
    for e in entries {
        let email = e.client.email.clone();
        if !by_email.contains_key(&email) {
            order.push(email.clone());
        }
        by_email.entry(email).or_default().push(e);
    }
    order
        .into_iter()
        .filter_map(|e| by_email.remove(&e))
        .collect()
}
