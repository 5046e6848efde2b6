//! 3x-ui's own `clients/export` JSON: `[{client: {email, id, totalGB, …}, inboundIds}]`.

use paneldeck_panels::PanelKind;
use serde_json::{Map, Value};

use crate::transfer::{
    import::{validate::clip, ColumnSet, ImportProblem, RowError},
    schema::{AccountRecord, COLUMNS},
};

/// The columns a 3x-ui export item fills.
pub(crate) const XUI_COLUMNS: ColumnSet = {
    let names: [&str; 16] = [
        "kind",
        "name",
        "email",
        "enabled",
        "limit_bytes",
        "expires_at_ms",
        "expire_after_first_use_ms",
        "ip_limit",
        "group",
        "note",
        "inbounds",
        "reset_days",
        "flow",
        "sub_id",
        "uuid",
        "password",
    ];
    let mut bits = 0u32;
    let mut i = 0;
    while i < names.len() {
        let mut c = 0;
        while c < COLUMNS.len() {
            if const_eq(COLUMNS[c], names[i]) {
                bits |= 1 << c;
            }
            c += 1;
        }
        i += 1;
    }
    ColumnSet(bits)
};

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// One item of 3x-ui's `clients/export`: `{client: {email, id, password, totalGB, …}, inboundIds}`.
pub(crate) fn record_from_xui(
    line: u64,
    obj: &Map<String, Value>,
) -> Result<AccountRecord, Vec<RowError>> {
    let mut errors = Vec::new();
    let Some(client) = obj.get("client").and_then(Value::as_object) else {
        return Err(vec![RowError::new(
            line,
            "client",
            ImportProblem::ExpectedObject,
        )]);
    };
    let s = |k: &str| {
        client
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut int = |k: &str| -> Option<i64> {
        match client.get(k) {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_i64() {
                Some(n) => Some(n),
                None => {
                    errors.push(RowError::new(
                        line,
                        &format!("client.{k}"),
                        ImportProblem::NotWholeNumber {
                            value: clip(&v.to_string()),
                        },
                    ));
                    None
                }
            },
        }
    };
    let total = int("totalGB");
    let expiry = int("expiryTime");
    let limit_ip = int("limitIp");
    let reset = int("reset");
    let tg_id = int("tgId");
    let hwid = int("limitHwid");
    let email = s("email").unwrap_or_default();
    if email.is_empty() {
        errors.push(RowError::new(
            line,
            "client.email",
            ImportProblem::ClientNoEmail,
        ));
    }
    let inbounds = inbound_ids(line, obj.get("inboundIds"), &mut errors);
    let uuid = s("id").or_else(|| s("uuid"));
    if let Some(u) = uuid.as_deref() {
        if uuid::Uuid::parse_str(u).is_err() {
            errors.push(RowError::new(
                line,
                "client.id",
                ImportProblem::NotAUuid { value: clip(u) },
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let positive = |v: Option<i64>| v.filter(|n| *n > 0).and_then(|n| u64::try_from(n).ok());
    Ok(AccountRecord {
        kind: Some(PanelKind::Xui),
        email: email.contains('@').then(|| email.clone()),
        name: email,
        enabled: client.get("enable").and_then(Value::as_bool),
        limit_bytes: positive(total),
        expires_at_ms: expiry.filter(|e| *e > 0),
        expire_after_first_use_ms: expiry.filter(|e| *e < 0).map(|e| -e),
        ip_limit: positive(limit_ip),
        group: s("group"),
        note: s("comment"),
        inbounds,
        reset_days: positive(reset).and_then(|d| u32::try_from(d).ok()),
        flow: s("flow"),
        sub_id: s("subId"),
        uuid,
        password: s("password"),
        tg_id: tg_id.filter(|t| *t != 0),
        hwid_limit: positive(hwid),
        ..AccountRecord::default()
    })
}

/// `inboundIds` as texts; each entry that is not a number is reported.
fn inbound_ids(line: u64, ids: Option<&Value>, errors: &mut Vec<RowError>) -> Vec<String> {
    let not_ids = || RowError::new(line, "inboundIds", ImportProblem::NotInboundIds);
    let mut inbounds = Vec::new();
    match ids {
        None | Some(Value::Null) => {}
        Some(Value::Array(ids)) => {
            for id in ids {
                match id.as_i64() {
                    Some(n) => inbounds.push(n.to_string()),
                    None => errors.push(not_ids()),
                }
            }
        }
        Some(_) => errors.push(not_ids()),
    }
    inbounds
}
