//! Import previews and migration plans. Offline: rows against a panel's snapshot become
//! create / update (with the changed fields) / unchanged / conflict, columns a file lacks keep
//! the panel's values, and nothing is written. With simulators: a Marzban panel migrated onto a
//! 3x-ui panel keeps UUIDs, limits and expiry (asserted on the plan's create items; applying
//! it is the bulk engine's), and re-importing a panel's own export changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use accounts_support::world;
use paneldeck_core::{
    accounts::{Account, AccountKey, RawBits, Selection},
    actions::{
        AccountEdit, CreateOptions, ExpireInput, ExpiryInput, MarzbanCreateStatus, NewAccount,
        XuiInboundOption,
    },
    bulk::Field,
    registry::PanelId,
    transfer::{
        export::to_bytes,
        parse_bytes,
        plan::{plan, ConflictReason, NotCarried},
        ExportFormat, ExportOptions, ImportAction, ImportProblem, PlanOptions, Target,
    },
};
use paneldeck_panels::PanelKind;

const UUID_A: &str = "b831381d-6324-4d53-ad4f-8cda48b30811";
const UUID_B: &str = "27848739-7e62-4138-9fd3-098a63964b6b";

fn xui_account(panel: &PanelId, name: &str, uuid: &str) -> (Account, RawBits) {
    let mut a = Account::blank(AccountKey::new(panel.clone(), name), PanelKind::Xui, name);
    a.limit_bytes = Some(1000);
    a.uuid = Some(uuid.into());
    a.note = Some("keep me".into());
    a.inbounds = vec!["1".into()];
    (
        a,
        RawBits::from_value(&serde_json::json!({"email": name, "uuid": uuid, "reset": 0})),
    )
}

fn inbound(id: i64, protocol: &str) -> XuiInboundOption {
    XuiInboundOption {
        id,
        protocol: protocol.into(),
        remark: String::new(),
        port: 443,
        enable: true,
    }
}

#[test]
fn rows_become_create_update_unchanged_and_conflict() {
    let panel = PanelId("p1".into());
    let snapshot = vec![
        xui_account(&panel, "same", UUID_A),
        xui_account(&panel, "bigger", UUID_A),
        xui_account(&panel, "other-uuid", UUID_A),
    ];
    let inbounds = [inbound(1, "vless"), inbound(2, "trojan")];
    let target = Target {
        panel_name: "a".into(),
        panel_id: panel.clone(),
        kind: PanelKind::Xui,
        accounts: &snapshot,
        create_options: Some(CreateOptions::Xui {
            inbounds: inbounds.to_vec(),
        }),
    };
    let csv = format!(
        "panel,name,limit_bytes,expires_at_ms,protocols,inbounds,uuid\n\
         a,same,1000,,vless,1,{UUID_A}\n\
         a,bigger,5000,1893456000000,vless,1,\n\
         a,other-uuid,1000,,vless,1,{UUID_B}\n\
         a,new-one,2000,,trojan,,{UUID_B}\n\
         a,no-inbound,1,,wireguard,9,\n\
         b,NEW-ONE,1,,,,\n\
         a,,bad,,,,\n\
         a,new-one,1,,,,\n"
    );
    let parsed = parse_bytes(csv.as_bytes());
    assert_eq!(parsed.errors.len(), 3, "{:?}", parsed.errors);
    assert!(parsed.errors.iter().any(|e| e.line == 9
        && matches!(e.reason, ImportProblem::Duplicate { first_line: 5, .. })
        && e.reason.to_string().contains("first on line 5")));
    let p = plan(parsed.clone(), &target, &PlanOptions::default());
    let actions: Vec<(u64, &str)> = p.items.iter().map(|i| (i.line, i.action.label())).collect();
    assert_eq!(
        actions,
        [
            (2, "unchanged"),
            (3, "update"),
            (4, "conflict"),
            (5, "create"),
            (6, "conflict"),
            (7, "conflict"),
        ]
    );
    // The update changes exactly what the file says; the note (no column) is kept.
    let upd = &p.items[1];
    let fields: Vec<Field> = upd.changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, [Field::Limit, Field::Expiry]);
    let ImportAction::Update { key, edit } = &upd.action else {
        panic!()
    };
    assert_eq!(key.native_id, "bigger");
    let AccountEdit::Xui {
        total_bytes,
        expiry,
        comment,
        email,
        ..
    } = &**edit
    else {
        panic!()
    };
    assert_eq!(*total_bytes, Some(5000));
    assert_eq!(
        *expiry,
        ExpiryInput::At {
            ms: 1_893_456_000_000
        }
    );
    assert_eq!(comment, "keep me");
    assert_eq!(email, "bigger");
    let ImportAction::Conflict { reason } = &p.items[2].action else {
        panic!()
    };
    assert!(
        matches!(reason, ConflictReason::OtherUuid { .. }),
        "{reason:?}"
    );
    assert!(reason.to_string().contains("another UUID"), "{reason}");
    // The create attaches to the inbound of its protocol and keeps its UUID.
    let ImportAction::Create(NewAccount::Xui {
        email,
        inbound_ids,
        total_bytes,
        ..
    }) = &p.items[3].action
    else {
        panic!()
    };
    assert_eq!(
        (email.as_str(), inbound_ids.as_slice(), *total_bytes),
        ("new-one", &[2][..], Some(2000))
    );
    assert_eq!(p.items[3].credentials().uuid.as_deref(), Some(UUID_B));
    let ImportAction::Conflict { reason } = &p.items[4].action else {
        panic!()
    };
    assert!(
        matches!(reason, ConflictReason::NoInboundFits { .. }),
        "{reason:?}"
    );
    assert!(reason.to_string().contains("no inbound"), "{reason}");
    // Line 7 is panel b's row (issue #24): left out of an import into panel a…
    let ImportAction::Conflict { reason } = &p.items[5].action else {
        panic!()
    };
    assert_eq!(
        reason,
        &ConflictReason::OtherPanel {
            name: "NEW-ONE".into(),
            panel: "b".into()
        }
    );
    // …unless panel b is mapped onto it: then it repeats line 5's name.
    let mapped = plan(
        parsed.clone(),
        &target,
        &PlanOptions {
            from_panels: vec!["B".into()],
            ..PlanOptions::default()
        },
    );
    let ImportAction::Conflict { reason } = &mapped.items[5].action else {
        panic!()
    };
    assert!(
        matches!(reason, ConflictReason::RepeatedName { first_line: 5, .. }),
        "{reason:?}"
    );
    assert!(reason.to_string().contains("also on line 5"), "{reason}");
    // Counts, preview, and what goes to the bulk engine.
    let c = p.counts();
    assert_eq!(
        (c.create, c.update, c.unchanged, c.conflict, c.errors),
        (1, 1, 1, 3, 3)
    );
    let preview = p.preview();
    assert_eq!(preview.rows.len(), 6);
    assert!(preview.rows[3].keeps_credentials);
    assert_eq!(p.bulk_items().len(), 2);
    // A fallback inbound for rows that fit none.
    let p = plan(
        parsed,
        &target,
        &PlanOptions {
            xui_inbound_ids: vec![1],
            ..PlanOptions::default()
        },
    );
    assert_eq!(p.items[4].action.label(), "create");
}

#[tokio::test]
async fn reimporting_a_panels_own_export_changes_nothing() {
    let w = world(25).await;
    w.core.sync_all(|_| {}).await;
    for kind in [
        PanelKind::Xui,
        PanelKind::Marzban,
        PanelKind::Userpass,
        PanelKind::Pterodactyl,
    ] {
        let panel = w.panels.iter().find(|p| p.kind == kind).unwrap();
        let records = w
            .core
            .export_records(
                &Selection::Panel {
                    panel_id: panel.id.clone(),
                },
                true,
            )
            .unwrap();
        for format in [ExportFormat::Csv, ExportFormat::Json] {
            let bytes = to_bytes(
                &records,
                ExportOptions {
                    format,
                    include_credentials: true,
                    raw_csv: false,
                },
            )
            .unwrap();
            let (_, p) = w
                .core
                .import_plan(&bytes, &panel.id, &PlanOptions::default())
                .await
                .unwrap();
            assert!(p.errors.is_empty(), "{kind:?}: {:?}", p.errors);
            let c = p.counts();
            assert_eq!(
                c.unchanged,
                25,
                "{kind:?} {format:?}: {:?}",
                p.preview()
                    .rows
                    .iter()
                    .filter(|r| r.action != "unchanged")
                    .collect::<Vec<_>>()
            );
        }
    }
}

#[tokio::test]
async fn marzban_to_xui_migration_keeps_uuids_limits_and_expiry() {
    let w = world(30).await;
    w.core.sync_all(|_| {}).await;
    let marzban = w
        .panels
        .iter()
        .find(|p| p.kind == PanelKind::Marzban)
        .unwrap();
    let xui = w.panels.iter().find(|p| p.kind == PanelKind::Xui).unwrap();
    let source = w.core.snapshot_of(&marzban.id).unwrap();
    let plan = w
        .core
        .migration_plan(&marzban.id, &xui.id, None, &PlanOptions::default())
        .await
        .unwrap();
    assert_eq!(plan.items.len(), 30);
    assert_eq!(plan.panel_id, xui.id);
    let Some(CreateOptions::Xui { inbounds }) = w.core.import_create_options(xui).await else {
        panic!("no inbounds of the 3x-ui panel");
    };
    let target_protocols: Vec<String> = inbounds.into_iter().map(|i| i.protocol).collect();
    assert!(!target_protocols.is_empty());
    let (mut creates, mut conflicts) = (0, 0);
    for item in &plan.items {
        let (acc, _) = source.iter().find(|(a, _)| a.name == item.name).unwrap();
        let raw = w.core.account_detail(&acc.key).unwrap().raw;
        match &item.action {
            ImportAction::Create(NewAccount::Xui {
                email,
                inbound_ids,
                total_bytes,
                expiry,
                comment,
                ..
            }) => {
                creates += 1;
                assert_eq!(email, &acc.name);
                assert!(!inbound_ids.is_empty());
                assert_eq!(*total_bytes, acc.limit_bytes, "{}", acc.name);
                match acc.expires_at_ms {
                    Some(ms) => assert_eq!(*expiry, ExpiryInput::At { ms }),
                    None => match acc.expire_after_first_use_ms {
                        Some(_) => assert!(matches!(expiry, ExpiryInput::AfterFirstUse { .. })),
                        None => assert_eq!(*expiry, ExpiryInput::Never),
                    },
                }
                assert_eq!(comment, acc.note.as_deref().unwrap_or(""));
                // The VLESS (else VMess) UUID and the Trojan/Shadowsocks password are kept.
                assert_eq!(item.credentials().uuid, acc.uuid, "{}", acc.name);
                let trojan = raw["proxies"]["trojan"]["password"]
                    .as_str()
                    .map(str::to_owned);
                let ss = raw["proxies"]["shadowsocks"]["password"]
                    .as_str()
                    .map(str::to_owned);
                assert_eq!(item.credentials().password, trojan.or(ss));
                if acc.used_bytes > 0 {
                    assert!(item.not_carried.contains(&NotCarried::UsedTraffic));
                    assert!(NotCarried::UsedTraffic.to_string().contains("used traffic"));
                }
            }
            ImportAction::Conflict { reason } => {
                // Only accounts whose protocols the 3x-ui panel has no inbound for.
                assert!(
                    matches!(reason, ConflictReason::NoInboundFits { .. }),
                    "{}: {reason}",
                    item.name
                );
                assert!(
                    reason.to_string().contains("no inbound"),
                    "{}: {reason}",
                    item.name
                );
                assert!(
                    !acc.protocols.iter().any(|p| target_protocols.contains(p)),
                    "{}: {reason}",
                    item.name
                );
                conflicts += 1;
            }
            other => panic!("{}: unexpected {}", item.name, other.label()),
        }
    }
    assert_eq!(creates + conflicts, 30);
    assert!(creates >= 20, "{creates} creates");

    // And back: 3x-ui → Marzban keeps the UUID, limit and expiry (seconds).
    let back = w
        .core
        .migration_plan(&xui.id, &marzban.id, None, &PlanOptions::default())
        .await
        .unwrap();
    let xui_snapshot = w.core.snapshot_of(&xui.id).unwrap();
    let mut checked = 0;
    for item in &back.items {
        let (acc, _) = xui_snapshot
            .iter()
            .find(|(a, _)| a.name == item.name)
            .unwrap();
        if let ImportAction::Create(NewAccount::Marzban {
            data_limit_bytes,
            expire,
            status,
            ..
        }) = &item.action
        {
            checked += 1;
            assert_eq!(*data_limit_bytes, acc.limit_bytes);
            match acc.expires_at_ms {
                Some(ms) => assert_eq!(*expire, ExpireInput::At { ms: ms - ms % 1000 }),
                None => assert_eq!(*expire, ExpireInput::Never),
            }
            if acc.expires_at_ms.is_none() && acc.expire_after_first_use_ms.is_some() {
                assert_eq!(*status, MarzbanCreateStatus::OnHold);
            }
            assert_eq!(item.credentials().uuid, acc.uuid);
            if acc.group.is_some() {
                assert!(item.not_carried.contains(&NotCarried::Group));
                assert!(NotCarried::Group.to_string().starts_with("group"));
            }
        }
    }
    assert!(checked > 0, "{:?}", back.preview().rows);
}
