//! Import and migration plans written through the bulk engine, against the simulators: a
//! Marzban panel migrated onto an empty 3x-ui panel ends up with the same UUIDs, passwords,
//! limits, expiry and disabled state (and its conflicts are not written); a panel exported
//! with credentials and imported into an empty panel of the same kind exports the same file
//! again (except the columns only a panel sets, named below); and no kept secret shows in the
//! plan, the journal's history or its exports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use std::{net::SocketAddr, sync::Arc};

use accounts_support::{add, open};
use paneldeck_core::{
    accounts::{AccountQuery, AccountStatus, Selection},
    bulk::{self, BulkAction, BulkRequest, CancelToken, ExportFormat as HistoryFormat},
    registry::PanelView,
    transfer::{
        export::to_bytes, parse_bytes, AccountRecord, ExportFormat, ExportOptions, ImportAction,
        ImportPlan, PlanOptions,
    },
    Paneldeck,
};
use paneldeck_sim::{
    xui::{XuiSimConfig, XuiSimHandle},
    RunningSim, SimKind, SimOptions, SimStats,
};

const DAY_MS: i64 = 86_400_000;

/// A profile with one simulator registered (and synced) as `name`.
struct Side {
    core: Arc<Paneldeck>,
    panel: PanelView,
    _sim: RunningSim,
    _dir: tempfile::TempDir,
}

fn options(seed: u64, accounts: usize, groups: usize) -> SimOptions {
    SimOptions {
        seed,
        accounts,
        groups,
        ..SimOptions::default()
    }
}

async fn side(kind: SimKind, opts: SimOptions, name: &str) -> Side {
    let (core, dir) = open();
    let sim = paneldeck_sim::start_local(kind, opts).await.unwrap();
    let panel = add(&core, &sim, name, "#3366aa").await;
    core.sync_panel(&panel.id, |_| {}).await.unwrap();
    Side {
        core,
        panel,
        _sim: sim,
        _dir: dir,
    }
}

/// A 3x-ui simulator with a handle on its state.
async fn xui_sim(opts: SimOptions) -> (RunningSim, XuiSimHandle) {
    let stats = Arc::new(SimStats::default());
    let (app, handle) = paneldeck_sim::xui::app_with(&opts, stats.clone(), XuiSimConfig::default());
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, addr)
        .await
        .unwrap();
    (sim, handle)
}

fn with_credentials(format: ExportFormat) -> ExportOptions {
    ExportOptions {
        format,
        include_credentials: true,
        raw_csv: false,
    }
}

fn export(s: &Side, format: ExportFormat) -> Vec<u8> {
    let path = s._dir.path().join(format!("accounts.{format:?}"));
    s.core
        .export_accounts(
            &Selection::Panel {
                panel_id: s.panel.id.clone(),
            },
            with_credentials(format),
            &path,
        )
        .unwrap();
    std::fs::read(&path).unwrap()
}

/// Writes a plan through the bulk engine; nothing may fail.
async fn write(core: &Paneldeck, title: &str, plan: &ImportPlan) -> bulk::BulkReport {
    let bulk = core.import_apply(title, plan).unwrap();
    let report = core
        .bulk_execute(&bulk.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:#?}", report.failures);
    report
}

/// Used traffic back to zero on the panel's accounts in `statuses` (all when empty):
/// counters are not carried, so a copy starts at zero; this makes the source comparable.
async fn reset_traffic(s: &Side, statuses: &[AccountStatus]) {
    let plan = s
        .core
        .bulk_plan(&BulkRequest::Change {
            selection: Selection::Query {
                query: AccountQuery {
                    panel_ids: vec![s.panel.id.clone()],
                    statuses: statuses.to_vec(),
                    ..AccountQuery::default()
                },
            },
            action: BulkAction::ResetTraffic,
        })
        .unwrap();
    let report = s
        .core
        .bulk_execute(&plan.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:#?}", report.failures);
    assert!(report.counts.done > 0);
}

async fn disable(s: &Side, keys: Vec<paneldeck_core::accounts::AccountKey>) {
    let plan = s
        .core
        .bulk_plan(&BulkRequest::Change {
            selection: Selection::Keys { keys },
            action: BulkAction::Disable,
        })
        .unwrap();
    let report = s
        .core
        .bulk_execute(&plan.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:#?}", report.failures);
    s.core.sync_panel(&s.panel.id, |_| {}).await.unwrap();
}

/// Every kept secret of the plan's creates.
fn kept_secrets(plan: &ImportPlan) -> Vec<String> {
    plan.items
        .iter()
        .filter(|i| matches!(i.action, ImportAction::Create(_)))
        .flat_map(|i| {
            let kept = i.credentials();
            kept.secret_values().map(str::to_owned).collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn marzban_to_xui_migration_is_written_with_the_same_uuids_passwords_limits_and_expiry() {
    let (core, _dir) = open();
    let marzban_sim = paneldeck_sim::start_local(SimKind::Marzban, options(51, 40, 3))
        .await
        .unwrap();
    // An empty 3x-ui panel with VLESS, VMess and Trojan inbounds (no Shadowsocks: the
    // Shadowsocks-only users are conflicts).
    let (xui, handle) = xui_sim(options(52, 0, 3)).await;
    let marzban = add(&core, &marzban_sim, "Marzban", "#000001").await;
    let target = add(&core, &xui, "3x-ui", "#000002").await;
    core.sync_all(|_| {}).await;
    assert!(handle.clients().is_empty());

    let plan = core
        .migration_plan(
            &marzban.id,
            &target.id,
            None,
            &PlanOptions {
                create_only: true,
                ..PlanOptions::default()
            },
        )
        .await
        .unwrap();
    let creates: Vec<_> = plan
        .items
        .iter()
        .filter(|i| matches!(i.action, ImportAction::Create(_)))
        .collect();
    let conflicts: Vec<_> = plan
        .items
        .iter()
        .filter(|i| matches!(i.action, ImportAction::Conflict { .. }))
        .collect();
    assert_eq!(creates.len() + conflicts.len(), 40);
    assert!(creates.len() >= 25, "{} creates", creates.len());
    assert!(!conflicts.is_empty(), "the seed has Shadowsocks-only users");
    assert!(plan.preview().rows.iter().any(|r| r.keeps_credentials));

    let bulk = core
        .import_apply("Migrate Marzban to 3x-ui", &plan)
        .unwrap();
    assert_eq!(bulk.to_change as usize, creates.len());
    let report = core
        .bulk_execute(&bulk.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:#?}", report.failures);
    assert_eq!(report.counts.done as usize, creates.len());
    core.sync_panel(&target.id, |_| {}).await.unwrap();

    // On the simulator itself: exactly the creates, each with the source's secrets and limits.
    assert_eq!(handle.clients().len(), creates.len());
    let mut with_uuid = 0;
    let mut with_password = 0;
    let mut disabled = 0;
    let mut after_first_use = 0;
    for item in &creates {
        let source = core
            .account_detail(&paneldeck_core::accounts::AccountKey::new(
                marzban.id.clone(),
                item.name.as_str(),
            ))
            .unwrap();
        let (acc, raw) = (&source.account, &source.raw);
        let client = handle
            .client(&item.name)
            .unwrap_or_else(|| panic!("{} is not on the 3x-ui panel", item.name));
        let vless_or_vmess = raw["proxies"]["vless"]["id"]
            .as_str()
            .or(raw["proxies"]["vmess"]["id"].as_str());
        if let Some(uuid) = vless_or_vmess {
            assert_eq!(client.uuid, uuid, "{}", item.name);
            with_uuid += 1;
        }
        let password = raw["proxies"]["trojan"]["password"]
            .as_str()
            .or(raw["proxies"]["shadowsocks"]["password"].as_str());
        if let Some(p) = password {
            assert_eq!(client.password, p, "{}", item.name);
            with_password += 1;
        }
        assert_eq!(
            client.total_bytes,
            acc.limit_bytes.map_or(0, |b| b as i64),
            "{}",
            item.name
        );
        match (acc.expires_at_ms, acc.expire_after_first_use_ms) {
            (Some(ms), _) => assert_eq!(client.expiry_time_ms, ms, "{}", item.name),
            (None, Some(d)) => {
                after_first_use += 1;
                assert_eq!(client.expiry_time_ms, -d, "{}", item.name);
                assert_eq!(d % DAY_MS, 0);
            }
            (None, None) => assert_eq!(client.expiry_time_ms, 0, "{}", item.name),
        }
        assert_eq!(client.enable, acc.enabled, "{}", item.name);
        if !acc.enabled {
            disabled += 1;
        }
        // And in the re-synced snapshot.
        let copy = core
            .account_detail(&paneldeck_core::accounts::AccountKey::new(
                target.id.clone(),
                item.name.as_str(),
            ))
            .unwrap()
            .account;
        if vless_or_vmess.is_some() {
            assert_eq!(copy.uuid.as_deref(), vless_or_vmess);
        }
        assert_eq!(copy.limit_bytes, acc.limit_bytes);
        assert_eq!(copy.expires_at_ms, acc.expires_at_ms);
        assert_eq!(copy.enabled, acc.enabled);
    }
    assert!(with_uuid > 20, "{with_uuid} with a UUID");
    assert!(with_password > 5, "{with_password} with a password");
    assert!(
        disabled > 0 && after_first_use > 0,
        "{disabled} {after_first_use}"
    );
    for item in &conflicts {
        assert!(handle.client(&item.name).is_none(), "{} written", item.name);
    }

    // No kept secret in the plan, the journal's items, the history or its exports.
    let secrets = kept_secrets(&plan);
    assert!(secrets.len() > creates.len(), "{}", secrets.len());
    let texts = [
        serde_json::to_string(&bulk).unwrap(),
        serde_json::to_string(&core.bulk_plan_get(&bulk.id).unwrap()).unwrap(),
        serde_json::to_string(&core.bulk_items(&bulk.id).unwrap()).unwrap(),
        core.bulk_export_history(&bulk.id, HistoryFormat::Json)
            .unwrap(),
        core.bulk_export_history(&bulk.id, HistoryFormat::Csv)
            .unwrap(),
        format!("{:?}", plan.bulk_items()),
        format!("{plan:?}"),
        format!("{:?}", core.bulk_items(&bulk.id).unwrap()),
    ];
    for text in &texts {
        for s in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "a kept secret shows: {text:.300}"
            );
        }
    }
    let says_kept = core.bulk_items(&bulk.id).unwrap().iter().any(|i| {
        i.changes.iter().any(|c| {
            matches!(&c.after, Some(bulk::FieldValue::Kept { secrets })
                if secrets.contains(&bulk::KeptSecret::Uuid))
        })
    });
    assert!(says_kept, "the plan says what is kept");
}

/// The columns of an export that only the panel sets, taken from the copy's export.
#[derive(Clone, Copy, Debug)]
enum PanelSets {
    /// When the panel created the account: no API sets it.
    CreatedAt,
    /// Marzban's subscription token, a JWT it signs with its own key and stamps with the
    /// time it issues it; and the URL around it, on the panel's own address.
    Subscription,
    /// Traffic used: counters start at zero on the copy. The source's are reset first where
    /// the panel can without side effects (3x-ui: all; Marzban 0.4.9: not its disabled and
    /// on-hold users, whom a reset makes active); a user-pass provider cannot reset them.
    Usage,
    /// User-pass: the status, which follows from the usage (`depleted`) and from `blocked`,
    /// a state only the provider sets.
    Status,
}

fn expected_copy(
    source: &[AccountRecord],
    copy: &[AccountRecord],
    own: &[PanelSets],
) -> Vec<AccountRecord> {
    assert_eq!(
        source.iter().map(|r| &r.name).collect::<Vec<_>>(),
        copy.iter().map(|r| &r.name).collect::<Vec<_>>()
    );
    source
        .iter()
        .zip(copy)
        .map(|(s, c)| {
            let mut r = s.clone();
            for col in own {
                match col {
                    PanelSets::CreatedAt => r.created_at_ms = c.created_at_ms,
                    PanelSets::Subscription => {
                        r.sub_id = c.sub_id.clone();
                        r.subscription_url = c.subscription_url.clone();
                    }
                    PanelSets::Usage => r.used_bytes = c.used_bytes,
                    PanelSets::Status => r.status = c.status,
                }
            }
            r
        })
        .collect()
}

/// Byte equality, failing on the first line that differs.
fn assert_same_file(what: &str, expected: &[u8], actual: &[u8]) {
    if expected == actual {
        return;
    }
    let (e, a) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    for (n, (le, la)) in e.lines().zip(a.lines()).enumerate() {
        assert_eq!(le, la, "{what}: line {} differs", n + 1);
    }
    panic!(
        "{what}: {} lines expected, {} written",
        e.lines().count(),
        a.lines().count()
    );
}

/// Exports `kind`'s seeded simulator with credentials, imports each file into an empty
/// simulator of the same kind (registered under the same name), syncs, exports again.
async fn round_trip(kind: SimKind, seed: u64, accounts: usize, groups: usize, own: &[PanelSets]) {
    const NAME: &str = "Round trip panel";
    let source = side(kind, options(seed, accounts, groups), NAME).await;
    match kind {
        // From 3x-ui 3.3.1 a traffic reset also re-enables the client (facts §4.7): the
        // disabled ones are disabled again so the copy still has some to keep.
        SimKind::Xui => {
            let disabled = source
                .core
                .query_keys(&AccountQuery {
                    panel_ids: vec![source.panel.id.clone()],
                    statuses: vec![AccountStatus::Disabled],
                    ..AccountQuery::default()
                })
                .unwrap();
            reset_traffic(&source, &[]).await;
            disable(&source, disabled).await;
        }
        SimKind::Marzban => {
            use AccountStatus::*;
            reset_traffic(&source, &[Active, Expired, Depleted]).await
        }
        _ => {}
    }
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let file = export(&source, format);
        let parsed = parse_bytes(&file);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let records: Vec<AccountRecord> = parsed.rows.into_iter().map(|r| r.record()).collect();
        assert_eq!(records.len(), accounts);
        assert!(
            records
                .iter()
                .filter(|r| r.uuid.is_some() || r.password.is_some())
                .count()
                == accounts,
            "{kind:?}: every account has a secret"
        );
        // What the copy has to keep is there to keep.
        let some = |what: &str, f: &dyn Fn(&AccountRecord) -> bool| {
            assert!(records.iter().any(f), "{kind:?}: no account with {what}");
        };
        some("disabled", &|r| r.enabled == Some(false));
        match kind {
            SimKind::Xui => {
                some("a Telegram id", &|r| r.tg_id.is_some());
                some("time from first use", &|r| {
                    r.expire_after_first_use_ms.is_some()
                });
                some("a Shadowsocks key", &|r| {
                    r.password.is_some() && r.protocols.iter().any(|p| p == "shadowsocks")
                });
                some("a subscription id", &|r| r.sub_id.is_some());
            }
            SimKind::Marzban => {
                some("on hold", &|r| r.expire_after_first_use_ms.is_some());
                some("a separate VMess UUID", &|r| r.vmess_uuid.is_some());
                some("an excluded inbound", &|r| {
                    r.protocols.iter().any(|p| p == "vless")
                        && !r.inbounds.iter().any(|t| t == "VLESS TCP REALITY")
                });
            }
            _ => {}
        }
        // Same seed, no accounts: the same inbounds (3x-ui) / admin, nothing else.
        let target = side(kind, options(seed, 0, groups), NAME).await;
        let (_, plan) = target
            .core
            .import_plan(&file, &target.panel.id, &PlanOptions::default())
            .await
            .unwrap();
        let c = plan.counts();
        assert_eq!(
            (c.create as usize, c.conflict, c.errors),
            (accounts, 0, 0),
            "{kind:?} {format:?}: {:?}",
            plan.preview().rows
        );
        let report = write(&target.core, "Round trip", &plan).await;
        assert_eq!(report.counts.done as usize, accounts);
        target
            .core
            .sync_panel(&target.panel.id, |_| {})
            .await
            .unwrap();
        let again = export(&target, format);
        let copy: Vec<AccountRecord> = parse_bytes(&again)
            .rows
            .into_iter()
            .map(|r| r.record())
            .collect();
        let expected = to_bytes(
            &expected_copy(&records, &copy, own),
            with_credentials(format),
        )
        .unwrap();
        assert_same_file(&format!("{kind:?} {format:?}"), &expected, &again);
        // The file read back is the file written (so the comparison above is the files').
        assert_eq!(to_bytes(&records, with_credentials(format)).unwrap(), file);
    }
}

#[tokio::test]
async fn a_xui_export_imported_into_an_empty_xui_panel_exports_the_same_file() {
    // Four inbounds: VLESS, VMess, Trojan and Shadowsocks-2022 (its key is cipher-sized).
    round_trip(SimKind::Xui, 61, 40, 4, &[PanelSets::CreatedAt]).await;
}

#[tokio::test]
async fn a_marzban_export_imported_into_an_empty_marzban_panel_exports_the_same_file() {
    round_trip(
        SimKind::Marzban,
        62,
        60,
        3,
        &[
            PanelSets::CreatedAt,
            PanelSets::Subscription,
            PanelSets::Usage,
        ],
    )
    .await;
}

#[tokio::test]
async fn a_userpass_export_imported_into_an_empty_provider_exports_the_same_file() {
    round_trip(
        SimKind::Userpass,
        63,
        30,
        3,
        &[PanelSets::CreatedAt, PanelSets::Usage, PanelSets::Status],
    )
    .await;
}

#[tokio::test]
async fn a_legacy_xui_panel_gets_the_kept_uuid_password_sub_id_and_disabled_state() {
    let (core, _dir) = open();
    let opts = options(71, 2, 3);
    let stats = Arc::new(SimStats::default());
    let (app, handle) = paneldeck_sim::xui::app_with(
        &opts,
        stats.clone(),
        XuiSimConfig {
            version: paneldeck_sim::xui::XuiVersion::V3_0_2,
            ..XuiSimConfig::default()
        },
    );
    let sim = paneldeck_sim::serve(
        SimKind::Xui,
        app,
        &opts,
        stats,
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let panel = add(&core, &sim, "old 3x-ui", "#000003").await;
    core.sync_panel(&panel.id, |_| {}).await.unwrap();
    const UUID: &str = "0b7ad2c1-93be-4a3e-9d7e-3c1f62a4d0aa";
    let csv = format!(
        "name,enabled,protocols,inbounds,limit_bytes,uuid,password,sub_id,tg_id\n\
         old-vless,false,vless,1,1073741824,{UUID},,legacysub01,123456789\n\
         old-trojan,true,trojan,3,,,trojan-secret-77,legacysub02,\n"
    );
    let (_, plan) = core
        .import_plan(csv.as_bytes(), &panel.id, &PlanOptions::default())
        .await
        .unwrap();
    assert_eq!(plan.counts().create, 2, "{:?}", plan.preview().rows);
    write(&core, "Import into an old panel", &plan).await;
    let vless = handle.client("old-vless").unwrap();
    assert_eq!(
        (vless.uuid.as_str(), vless.sub_id.as_str(), vless.tg_id),
        (UUID, "legacysub01", 123_456_789)
    );
    assert!(!vless.enable, "created disabled");
    assert_eq!(vless.total_bytes, 1 << 30);
    let trojan = handle.client("old-trojan").unwrap();
    assert_eq!(
        (trojan.password.as_str(), trojan.sub_id.as_str()),
        ("trojan-secret-77", "legacysub02")
    );
    assert!(trojan.enable);
}
