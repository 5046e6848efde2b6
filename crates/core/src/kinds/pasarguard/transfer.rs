//! An account record onto PasarGuard: the create form (groups for the record's inbounds, kept
//! UUIDs and passwords, on-hold expiry, reset strategy, device limit), the edit of an existing
//! user, and what a record of a PasarGuard user carries.

use paneldeck_panels::PanelKind;

use super::{
    actions::username_ok,
    form::{PasarguardEdit, PasarguardGroupOption, PasarguardNew},
};
use crate::{
    accounts::RawBits,
    actions::{
        AccountEdit, CreateOptions, ExpireInput, KeptCredentials, KeptSettings,
        MarzbanCreateStatus, MarzbanStatusInput, NewAccount, ResetStrategy,
    },
    bulk::{Field, FieldChange, FieldValue},
    transfer::{
        plan::{ConflictReason, Diff, EditSource, Target},
        schema::{col, Credentials},
        AccountRecord,
    },
};

/// A copy keeps its UUIDs and password (links handed out keep working); PasarGuard issues its
/// own subscription token.
pub fn kept_credentials(r: &AccountRecord) -> KeptCredentials {
    KeptCredentials {
        uuid: r.uuid.clone(),
        vmess_uuid: r.vmess_uuid.clone(),
        password: r.password.clone(),
        ss_method: r.ss_method.clone(),
        ..KeptCredentials::default()
    }
}

pub fn kept_settings(r: &AccountRecord) -> KeptSettings {
    KeptSettings {
        disabled: r.enabled == Some(false),
        hwid_limit: r.hwid_limit.and_then(|h| u32::try_from(h).ok()),
        ..KeptSettings::default()
    }
}

fn reset_strategy(s: Option<&str>) -> ResetStrategy {
    match s.unwrap_or("").to_ascii_lowercase().as_str() {
        "day" => ResetStrategy::Day,
        "week" => ResetStrategy::Week,
        "month" => ResetStrategy::Month,
        "year" => ResetStrategy::Year,
        _ => ResetStrategy::NoReset,
    }
}

/// PasarGuard keeps whole seconds.
fn expire(expires_at_ms: Option<i64>) -> ExpireInput {
    match expires_at_ms {
        Some(ms) if ms >= 1000 => ExpireInput::At {
            ms: ms - ms.rem_euclid(1000),
        },
        _ => ExpireInput::Never,
    }
}

/// The groups a record's inbounds map to, with how the plan shows each. A PasarGuard record
/// names its groups. A Marzban record names its inbound tags: first every group whose tags are
/// all among them, then, while some of its tags are still not covered, the group covering
/// most of them (fewest extra inbounds on a tie), so no user loses an inbound it had.
/// Nothing found: every group.
pub fn groups_for(r: &AccountRecord, groups: &[PasarguardGroupOption]) -> (Vec<i64>, Vec<String>) {
    let usable: Vec<&PasarguardGroupOption> = groups.iter().filter(|g| !g.disabled).collect();
    let has = |tag: &String| r.inbounds.iter().any(|t| t == tag);
    let picked: Vec<&PasarguardGroupOption> = match r.kind {
        Some(PanelKind::Pasarguard) => usable
            .into_iter()
            .filter(|g| r.inbounds.contains(&g.name))
            .collect(),
        Some(PanelKind::Marzban) => cover(&r.inbounds, &usable),
        _ => Vec::new(),
    };
    let shown = picked
        .iter()
        .map(|g| match r.kind {
            Some(PanelKind::Marzban) => {
                let from: Vec<&str> = g
                    .inbound_tags
                    .iter()
                    .filter(|t| has(t))
                    .map(String::as_str)
                    .collect();
                format!("{} ← {}", g.name, from.join(", "))
            }
            _ => g.name.clone(),
        })
        .collect();
    (picked.iter().map(|g| g.id).collect(), shown)
}

/// Groups covering `tags` (those some group has).
fn cover<'a>(
    tags: &[String],
    usable: &[&'a PasarguardGroupOption],
) -> Vec<&'a PasarguardGroupOption> {
    let mut picked: Vec<&PasarguardGroupOption> = usable
        .iter()
        .copied()
        .filter(|g| !g.inbound_tags.is_empty() && g.inbound_tags.iter().all(|t| tags.contains(t)))
        .collect();
    let covered = |picked: &[&PasarguardGroupOption], t: &String| {
        picked.iter().any(|g| g.inbound_tags.contains(t))
    };
    loop {
        let left: Vec<&String> = tags
            .iter()
            .filter(|t| !covered(&picked, t) && usable.iter().any(|g| g.inbound_tags.contains(t)))
            .collect();
        let best = usable
            .iter()
            .copied()
            .filter(|g| !picked.iter().any(|p| p.id == g.id))
            .map(|g| {
                (
                    left.iter().filter(|t| g.inbound_tags.contains(t)).count(),
                    g,
                )
            })
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, g)| (*n, std::cmp::Reverse(g.inbound_tags.len())));
        match best {
            Some((_, g)) if !left.is_empty() => picked.push(g),
            _ => return picked,
        }
    }
}

pub fn new_account(r: &AccountRecord, target: &Target<'_>) -> Result<NewAccount, ConflictReason> {
    if !username_ok(&r.name) {
        return Err(ConflictReason::NotPasarguardUsername {
            name: r.name.clone(),
        });
    }
    let after = r.expire_after_first_use_ms.filter(|d| *d > 0);
    let on_hold = r.expires_at_ms.is_none() && after.is_some();
    let groups = match &target.create_options {
        Some(CreateOptions::Pasarguard(options)) => options.groups.as_slice(),
        _ => &[],
    };
    let (group_ids, group_names) = groups_for(r, groups);
    Ok(NewAccount::Pasarguard(PasarguardNew {
        username: r.name.clone(),
        group_ids,
        group_names,
        expire: expire(r.expires_at_ms),
        data_limit_bytes: r.limit_bytes.filter(|b| *b > 0),
        data_limit_reset_strategy: reset_strategy(r.reset_strategy.as_deref()),
        status: if on_hold {
            MarzbanCreateStatus::OnHold
        } else {
            MarzbanCreateStatus::Active
        },
        on_hold_expire_duration_secs: after
            .filter(|_| on_hold)
            .and_then(|d| u64::try_from(d / 1000).ok()),
        note: r.note.clone().unwrap_or_default(),
        hwid_limit: r.hwid_limit.and_then(|h| u32::try_from(h).ok()),
    }))
}

/// The plan's lines for a create: its limit and the groups it gets.
pub fn form_changes(new: &NewAccount) -> Vec<FieldChange> {
    let NewAccount::Pasarguard(form) = new else {
        return Vec::new();
    };
    let groups = if form.group_ids.is_empty() {
        FieldValue::text("every group")
    } else if form.group_names.is_empty() {
        FieldValue::list(
            &form
                .group_ids
                .iter()
                .map(|g| format!("group {g}"))
                .collect::<Vec<_>>(),
        )
    } else {
        FieldValue::list(&form.group_names)
    };
    vec![
        FieldChange::new(
            Field::Limit,
            None,
            form.data_limit_bytes.map(FieldValue::bytes),
        ),
        FieldChange::new(Field::Group, None, Some(groups)),
    ]
}

pub fn edit_for(src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>) {
    let (r, account) = (src.record, src.account);
    let limit = src.limit();
    let enabled = src.enabled();
    let note = src.note();
    let (expires, after) = src.expiry();
    let have_strategy = src.raw.reset_strategy.clone();
    let strategy = src.pick(
        col::RESET_STRATEGY,
        r.reset_strategy.clone(),
        have_strategy.clone(),
    );
    let expires = expires
        .filter(|t| *t >= 1000)
        .map(|t| t - t.rem_euclid(1000));
    let mut d = Diff::default();
    d.check(Field::Limit, account.limit_bytes, limit, FieldValue::bytes);
    d.check(
        Field::Expiry,
        account.expires_at_ms,
        expires,
        FieldValue::moment,
    );
    d.check(
        Field::Enabled,
        Some(account.enabled),
        Some(enabled),
        FieldValue::toggle,
    );
    d.check(Field::Note, account.note.as_deref(), note, FieldValue::text);
    d.check(
        Field::ResetStrategy,
        have_strategy.filter(|s| s != "no_reset"),
        strategy.clone().filter(|s| s != "no_reset"),
        FieldValue::text,
    );
    if d.changes.is_empty() {
        return (None, d.changes);
    }
    let status = if !enabled {
        MarzbanStatusInput::Disabled
    } else if account.hints.on_hold {
        MarzbanStatusInput::OnHold
    } else {
        MarzbanStatusInput::Active
    };
    let edit = AccountEdit::Pasarguard(PasarguardEdit {
        data_limit_bytes: limit,
        expire: expires.map_or(ExpireInput::Never, |ms| ExpireInput::At { ms }),
        data_limit_reset_strategy: reset_strategy(strategy.as_deref()),
        status,
        note: note.unwrap_or_default().to_owned(),
        on_hold_expire_duration_secs: if status == MarzbanStatusInput::OnHold {
            after
                .or(account.expire_after_first_use_ms)
                .and_then(|d| u64::try_from(d / 1000).ok())
        } else {
            None
        },
        group_ids: None,
        hwid_limit: None,
    });
    (Some(edit), d.changes)
}

/// The Shadowsocks cipher, reset strategy and device limit; a VMess UUID only where it
/// differs from the VLESS one.
pub fn fill_record(r: &mut AccountRecord, raw: RawBits, credentials: Option<Credentials>) {
    r.ss_method = raw.ss_method;
    r.reset_strategy = raw.reset_strategy;
    r.hwid_limit = raw.limit_hwid.and_then(|h| u64::try_from(h).ok());
    if let Some(c) = credentials {
        r.sub_id = c.sub_id;
        r.subscription_url = c.subscription_url;
        r.uuid = c.uuid;
        r.vmess_uuid = raw.vmess_id.filter(|v| Some(v) != r.uuid.as_ref());
        r.password = raw.password;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: i64, name: &str, tags: &[&str]) -> PasarguardGroupOption {
        PasarguardGroupOption {
            id,
            name: name.into(),
            inbound_tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            disabled: false,
        }
    }

    fn marzban_user(tags: &[&str]) -> AccountRecord {
        AccountRecord {
            kind: Some(PanelKind::Marzban),
            inbounds: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..AccountRecord::default()
        }
    }

    /// The simulator's (and the recording's, steps 13–14) two groups.
    fn recorded() -> Vec<PasarguardGroupOption> {
        vec![
            group(1, "vless-only", &["VLESS TCP", "VLESS TCP REALITY"]),
            group(
                2,
                "everything",
                &[
                    "VLESS TCP",
                    "VLESS TCP REALITY",
                    "VMESS WS",
                    "TROJAN TCP",
                    "Shadowsocks TCP",
                ],
            ),
        ]
    }

    #[test]
    fn marzban_inbounds_become_the_groups_covering_them() {
        let groups = recorded();
        let ids = |tags: &[&str]| groups_for(&marzban_user(tags), &groups).0;
        assert_eq!(ids(&["VLESS TCP", "VLESS TCP REALITY"]), vec![1]);
        assert_eq!(ids(&["VLESS TCP"]), vec![1]);
        assert_eq!(ids(&["TROJAN TCP"]), vec![2]);
        // Nothing lost: VMess and Trojan need `everything`.
        assert_eq!(
            ids(&["VLESS TCP", "VLESS TCP REALITY", "VMESS WS", "TROJAN TCP"]),
            vec![1, 2]
        );
        assert_eq!(ids(&[]), Vec::<i64>::new());
        let (_, shown) = groups_for(&marzban_user(&["VLESS TCP"]), &groups);
        assert_eq!(shown, vec!["vless-only ← VLESS TCP".to_owned()]);
    }
}
