//! [`NewAccount`] in the journal: the create form is input-only (`Deserialize`), so it is
//! written here in the same shape it is read in. A user-pass password typed in the form is
//! never written (a replayed create generates one); the UUIDs/passwords an import or a
//! migration keeps go to the item's own `kept` column, never into its op (see
//! [`ItemInput::Create`](super::ItemInput::Create)).

use serde::Serializer;
use serde_json::{json, Value};

use crate::actions::NewAccount;

pub(crate) fn new_account_json(new: &NewAccount) -> Value {
    match new {
        NewAccount::Xui {
            email,
            inbound_ids,
            total_bytes,
            expiry,
            limit_ip,
            comment,
            group,
            reset_days,
        } => json!({
            "kind": "xui", "email": email, "inboundIds": inbound_ids, "totalBytes": total_bytes,
            "expiry": expiry, "limitIp": limit_ip, "comment": comment, "group": group,
            "resetDays": reset_days,
        }),
        NewAccount::Marzban {
            username,
            proxies,
            inbounds,
            expire,
            data_limit_bytes,
            data_limit_reset_strategy,
            template_id,
            status,
            on_hold_expire_duration_secs,
            note,
        } => json!({
            "kind": "marzban", "username": username, "proxies": proxies, "inbounds": inbounds,
            "expire": expire, "dataLimitBytes": data_limit_bytes,
            "dataLimitResetStrategy": data_limit_reset_strategy, "templateId": template_id,
            "status": status, "onHoldExpireDurationSecs": on_hold_expire_duration_secs,
            "note": note,
        }),
        NewAccount::Userpass {
            user_name,
            password: _,
            usage_cap_bytes,
            ip_usage_cap,
            note,
            status,
        } => json!({
            "kind": "userpass", "userName": user_name, "usageCapBytes": usage_cap_bytes,
            "ipUsageCap": ip_usage_cap, "note": note, "status": status,
        }),
        NewAccount::Pterodactyl {
            email,
            server_ids,
            permissions,
        } => json!({
            "kind": "pterodactyl", "email": email, "serverIds": server_ids,
            "permissions": permissions,
        }),
        NewAccount::Pasarguard(form) => crate::kinds::pasarguard::form::journal_json(form),
    }
}

pub(crate) fn ser_new_account<S: Serializer>(new: &NewAccount, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&new_account_json(new), s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{ExpireInput, ExpiryInput, MarzbanProtocol};

    #[test]
    fn create_forms_round_trip_through_the_journal() {
        let forms = vec![
            NewAccount::Xui {
                email: "a@b".into(),
                inbound_ids: vec![1, 2],
                total_bytes: Some(5),
                expiry: ExpiryInput::AfterFirstUse { days: 3 },
                limit_ip: 2,
                comment: "c".into(),
                group: Some("g".into()),
                reset_days: 7,
            },
            NewAccount::Marzban {
                username: "u1".into(),
                proxies: vec![MarzbanProtocol::Vless],
                inbounds: vec![],
                expire: ExpireInput::At { ms: 2_000_000 },
                data_limit_bytes: None,
                data_limit_reset_strategy: Default::default(),
                template_id: Some(4),
                status: Default::default(),
                on_hold_expire_duration_secs: None,
                note: "n".into(),
            },
            NewAccount::Pterodactyl {
                email: "p@x".into(),
                server_ids: vec!["s1".into()],
                permissions: vec!["control.start".into()],
            },
        ];
        for form in forms {
            let back: NewAccount =
                serde_json::from_value(new_account_json(&form)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(back, form);
        }
    }
}
