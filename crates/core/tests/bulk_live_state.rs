//! Writes start from the panel's live state (issue 20). A colleague changes an account on the
//! panel after our last sync (here: a second profile, as another admin's tool would); our
//! "extend by 30 days" then lands on the live expiry + 30 days, not on the snapshot's, and
//! says what had changed. With the skip policy the account is left as the colleague left it
//! and reported. Afterwards only the touched account is read back: no full sync.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use bulk_support::*;
use paneldeck_core::{
    accounts::{Account, AccountStatus, Selection},
    actions::{AccountEdit, ExpireInput, MarzbanStatusInput, ProxyStatusInput, ResetStrategy},
    bulk::{
        BulkAction, BulkReport, BulkRequest, CancelToken, ExecOptions, Field, FieldValue,
        IfChanged, ItemErrorCode, ItemState, LimitChange, NameSource, SkipReason,
    },
    registry::PanelView,
    transfer::PlanOptions,
    ApiError, ErrorCode, Paneldeck,
};
use paneldeck_panels::PanelKind;
use paneldeck_sim::{RunningSim, SimKind};

const DAY_MS: i64 = 86_400_000;

/// An active account of `panel` with an expiry and a traffic limit.
fn target(core: &Paneldeck, panel: &PanelView) -> Account {
    all_accounts(core)
        .into_iter()
        .find(|a| {
            a.key.panel_id == panel.id
                && a.expires_at_ms.is_some()
                && a.limit_bytes.is_some()
                && a.status_at(paneldeck_core::accounts::now_ms()) == AccountStatus::Active
        })
        .unwrap_or_else(|| panic!("{}: an active account with expiry and limit", panel.name))
}

async fn run(core: &Paneldeck, a: &Account, action: BulkAction, opts: ExecOptions) -> BulkReport {
    let plan = core
        .bulk_plan(&BulkRequest::Change {
            selection: Selection::Keys {
                keys: vec![a.key.clone()],
            },
            action,
        })
        .unwrap();
    assert_eq!(plan.to_change, 1, "{plan:?}");
    core.bulk_execute_with(&plan.id, opts, |_| {}, CancelToken::new())
        .await
        .unwrap()
}

/// The colleague: another profile on the same panel moves the expiry and raises the limit.
async fn colleague_changes(sim: &RunningSim, a: &Account, expiry_ms: i64) {
    let (other, _dir) = open();
    add(&other, sim, "colleague", "#123456").await;
    other.sync_all(|_| {}).await;
    let theirs = all_accounts(&other)
        .into_iter()
        .find(|b| b.name == a.name)
        .expect("the colleague sees the account");
    for action in [
        BulkAction::SetExpiry {
            ms: Some(expiry_ms),
        },
        BulkAction::AddTraffic { bytes: 1 << 30 },
    ] {
        let report = run(&other, &theirs, action, quiet()).await;
        assert_eq!(report.counts.done, 1, "{:?}", report.failures);
    }
}

async fn extend_lands_on_the_live_value(core: &Paneldeck, sim: &RunningSim, panel: &PanelView) {
    core.sync_all(|_| {}).await;
    let a = target(core, panel);
    let seen = a.expires_at_ms.unwrap();
    // Whole seconds: Marzban keeps its expiry in seconds.
    let moved = (seen / 1000 + 5 * 86_400) * 1000;
    colleague_changes(sim, &a, moved).await;

    let report = run(core, &a, BulkAction::ExtendExpiry { days: 30 }, quiet()).await;
    assert_eq!(report.counts.done, 1, "{:?}", report.failures);
    let changed = &report.changed;
    assert_eq!(
        changed.len(),
        1,
        "{}: the result names the change",
        panel.name
    );
    let expiry = changed[0]
        .drift
        .iter()
        .find(|d| d.field == Field::Expiry)
        .expect("expiry drift");
    assert_eq!(expiry.before, Some(FieldValue::moment(seen)));
    assert_eq!(expiry.after, Some(FieldValue::moment(moved)));
    // Read back without a sync: the snapshot holds what the panel holds.
    let now = core.account_detail(&a.key).unwrap().account;
    assert_eq!(
        now.expires_at_ms,
        Some(moved + 30 * DAY_MS),
        "{}",
        panel.name
    );
    assert_eq!(now.limit_bytes, Some(a.limit_bytes.unwrap() + (1 << 30)));

    // The skip policy: the colleague moves it again; the account stays as they left it.
    let moved_again = moved + 2 * DAY_MS;
    colleague_changes(sim, &a, moved_again).await;
    let skip = ExecOptions {
        if_changed: IfChanged::Skip,
        ..quiet()
    };
    let report = run(core, &a, BulkAction::ExtendExpiry { days: 30 }, skip).await;
    assert_eq!((report.counts.done, report.counts.skipped), (0, 1));
    let item = &report.changed[0];
    assert_eq!(item.state, ItemState::Skipped);
    assert_eq!(
        item.error.as_ref().map(|e| e.code),
        Some(ItemErrorCode::Skip(SkipReason::ChangedOnPanel))
    );
    core.sync_all(|_| {}).await;
    let now = core.account_detail(&a.key).unwrap().account;
    assert_eq!(
        now.expires_at_ms,
        Some(moved_again),
        "{}: untouched",
        panel.name
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relative_changes_start_from_the_live_value_on_each_kind() {
    let w = world(30).await;
    for kind in [PanelKind::Xui, PanelKind::Marzban] {
        let i = w.panels.iter().position(|p| p.kind == kind).unwrap();
        extend_lands_on_the_live_value(&w.core, &w.sims[i], &w.panels[i]).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relative_changes_start_from_the_live_value_on_pasarguard() {
    let (core, _dir) = open();
    let sim =
        paneldeck_sim::start_local(SimKind::Pasarguard, sim_options(7, 6, SimKind::Pasarguard))
            .await
            .unwrap();
    let panel = add(&core, &sim, "pg", "#00aa00").await;
    extend_lands_on_the_live_value(&core, &sim, &panel).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_reads_back_only_the_accounts_it_touched() {
    let w = world(40).await;
    w.core.sync_all(|_| {}).await;
    let i = w
        .panels
        .iter()
        .position(|p| p.kind == PanelKind::Marzban)
        .unwrap();
    let a = target(&w.core, &w.panels[i]);
    let stats = w.sims[i].stats.clone();
    let lists_before = stats.route_count("GET /api/users");
    let report = run(&w.core, &a, BulkAction::ExtendExpiry { days: 1 }, quiet()).await;
    assert_eq!(report.counts.done, 1);
    assert_eq!(
        stats.route_count("GET /api/users"),
        lists_before,
        "no full sync after a one-account change"
    );
    let now = w.core.account_detail(&a.key).unwrap().account;
    assert_eq!(now.expires_at_ms, Some(a.expires_at_ms.unwrap() + DAY_MS));
}

/// A detail-pane form sends every field it holds. When the colleague changed the expiry and
/// the limit after the form was opened, saving the form (which only meant to change the note)
/// would put the old values back: the save is refused with what changed, nothing is sent, and
/// the same edit from the panel's values goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_form_opened_before_a_change_on_the_panel_is_refused_not_sent() {
    let (core, _dir) = open();
    let sim = paneldeck_sim::start_local(SimKind::Marzban, sim_options(9, 8, SimKind::Marzban))
        .await
        .unwrap();
    let panel = add(&core, &sim, "mz", "#0000aa").await;
    core.sync_all(|_| {}).await;
    let seen = target(&core, &panel);
    let form = |a: &Account| AccountEdit::Marzban {
        data_limit_bytes: a.limit_bytes,
        expire: ExpireInput::At {
            ms: a.expires_at_ms.unwrap(),
        },
        data_limit_reset_strategy: ResetStrategy::NoReset,
        status: MarzbanStatusInput::Active,
        note: "only the note".into(),
        on_hold_expire_duration_secs: None,
        proxies: None,
        inbounds: None,
    };
    let moved = (seen.expires_at_ms.unwrap() / 1000 + 3 * 86_400) * 1000;
    colleague_changes(&sim, &seen, moved).await;

    let err = core
        .account_edit(&seen.key, &form(&seen), Some(&seen))
        .await
        .unwrap_err();
    let api = ApiError::from(err);
    assert_eq!(api.code, ErrorCode::ChangedOnPanel, "{}", api.message);
    let fields: Vec<Field> = api.changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, vec![Field::Expiry, Field::Limit]);
    let expiry = &api.changes[0];
    assert_eq!(
        expiry.before,
        Some(FieldValue::moment(seen.expires_at_ms.unwrap()))
    );
    assert_eq!(expiry.after, Some(FieldValue::moment(moved)));
    // Nothing was sent: the panel keeps the colleague's values and the old note.
    let live = core.refresh_account(&seen.key).await.unwrap().account;
    assert_eq!(live.expires_at_ms, Some(moved));
    assert_ne!(live.note.as_deref(), Some("only the note"));

    // The form checked against the panel's values saves.
    core.account_edit(&seen.key, &form(&live), Some(&live))
        .await
        .unwrap();
    let after = core.refresh_account(&seen.key).await.unwrap().account;
    assert_eq!(after.expires_at_ms, Some(moved));
    assert_eq!(after.limit_bytes, live.limit_bytes);
    assert_eq!(after.note.as_deref(), Some("only the note"));
}

/// Previews `csv` as an import into `panel` (one update, changing the note) and runs it.
async fn import_notes(core: &Paneldeck, panel: &PanelView, csv: &str) -> BulkReport {
    let (_, plan) = core
        .import_plan(csv.as_bytes(), &panel.id, &PlanOptions::default())
        .await
        .unwrap();
    assert_eq!(plan.counts().update, 1, "{:?}", plan.preview().rows);
    let bulk = core.import_apply("Import notes", &plan).unwrap();
    let fields: Vec<Field> = bulk.panels[0].items[0]
        .changes
        .iter()
        .map(|c| c.field)
        .collect();
    assert_eq!(
        fields,
        vec![Field::Note],
        "the preview's changes, journaled"
    );
    core.bulk_execute_with(&bulk.id, quiet(), |_| {}, CancelToken::new())
        .await
        .unwrap()
}

/// An import update goes through the same plan and live resolution as a bulk change: its
/// journaled item carries the preview's field changes (not a bare "edited"), and since the
/// edit form it sends also holds the snapshot's expiry and limit, a colleague's change to
/// those after the sync is not undone: the item is skipped and names the change. From the
/// panel's values (after a sync) the same file goes through and keeps the colleague's expiry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_update_never_undoes_a_change_made_on_the_panel_since_the_preview() {
    let (core, _dir) = open();
    let sim = paneldeck_sim::start_local(SimKind::Marzban, sim_options(11, 8, SimKind::Marzban))
        .await
        .unwrap();
    let panel = add(&core, &sim, "mz", "#00aaaa").await;
    core.sync_all(|_| {}).await;
    let a = target(&core, &panel);
    let csv = format!("name,note\n{},from the file\n", a.name);
    let moved = (a.expires_at_ms.unwrap() / 1000 + 4 * 86_400) * 1000;
    colleague_changes(&sim, &a, moved).await;
    let report = import_notes(&core, &panel, &csv).await;
    assert_eq!((report.counts.done, report.counts.skipped), (0, 1));
    let item = &report.changed[0];
    assert_eq!(
        item.error.as_ref().map(|e| e.code),
        Some(ItemErrorCode::Skip(SkipReason::ChangedOnPanel))
    );
    let drift: Vec<Field> = item.drift.iter().map(|d| d.field).collect();
    assert_eq!(drift, vec![Field::Limit, Field::Expiry]);
    let live = core.refresh_account(&a.key).await.unwrap().account;
    assert_eq!(
        live.expires_at_ms,
        Some(moved),
        "the colleague's expiry stays"
    );
    assert_ne!(live.note.as_deref(), Some("from the file"));

    core.sync_all(|_| {}).await;
    let report = import_notes(&core, &panel, &csv).await;
    assert_eq!(report.counts.done, 1, "{:?}", report.failures);
    assert!(report.changed.is_empty(), "{:?}", report.changed);
    let live = core.refresh_account(&a.key).await.unwrap().account;
    assert_eq!(live.note.as_deref(), Some("from the file"));
    assert_eq!(live.expires_at_ms, Some(moved));
    assert_eq!(live.limit_bytes, Some(a.limit_bytes.unwrap() + (1 << 30)));
}

/// A user-pass sub-user's caps are set through its whole edit form, note and status included.
/// A colleague's new note since the preview is kept: the caps change is skipped and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caps_change_does_not_put_back_a_note_changed_on_the_panel() {
    let (core, _dir) = open();
    let sim = paneldeck_sim::start_local(SimKind::Userpass, sim_options(13, 8, SimKind::Userpass))
        .await
        .unwrap();
    add(&core, &sim, "proxies", "#aa00aa").await;
    core.sync_all(|_| {}).await;
    let a = all_accounts(&core)
        .into_iter()
        .find(|a| a.enabled && !a.hints.restricted)
        .expect("an active sub-user");

    let (other, _other_dir) = open();
    add(&other, &sim, "colleague", "#123456").await;
    other.sync_all(|_| {}).await;
    let theirs = all_accounts(&other)
        .into_iter()
        .find(|b| b.name == a.name)
        .unwrap();
    let note = AccountEdit::Userpass {
        user_name: None,
        note: "the colleague's note".into(),
        usage_cap_bytes: theirs.limit_bytes,
        ip_usage_cap: theirs.ip_limit,
        status: ProxyStatusInput::Active,
    };
    other
        .account_edit(&theirs.key, &note, Some(&theirs))
        .await
        .unwrap();

    let caps = BulkAction::SetCaps {
        usage_cap_bytes: LimitChange::To { value: 7 << 30 },
        ip_usage_cap: LimitChange::Keep,
    };
    let report = run(&core, &a, caps, quiet()).await;
    assert_eq!((report.counts.done, report.counts.skipped), (0, 1));
    let drift: Vec<Field> = report.changed[0].drift.iter().map(|d| d.field).collect();
    assert_eq!(drift, vec![Field::Note]);
    let live = core.refresh_account(&a.key).await.unwrap().account;
    assert_eq!(live.note.as_deref(), Some("the colleague's note"));
    assert_eq!(live.limit_bytes, a.limit_bytes, "caps not sent");
}

/// Marzban answers a create with the whole user (`UserResponse` for `POST /api/user`, as for
/// `GET /api/user/{username}`, in marzban-0.8.4-openapi.json): the new users come into the
/// snapshot from those answers, and nothing is read back after the run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn created_users_come_into_the_snapshot_from_the_create_answers() {
    let (core, _dir) = open();
    let sim = paneldeck_sim::start_local(SimKind::Marzban, sim_options(21, 8, SimKind::Marzban))
        .await
        .unwrap();
    let panel = add(&core, &sim, "mz", "#0000ab").await;
    core.sync_all(|_| {}).await;
    let plan = core
        .bulk_plan(&BulkRequest::Create {
            panel_ids: vec![panel.id.clone()],
            names: NameSource::Pattern {
                pattern: "answered_{01..12}".into(),
            },
            templates: vec![marzban_form(Some(1 << 30))],
        })
        .unwrap();
    let stats = sim.stats.clone();
    let (requests, creates, logins) = (
        stats.requests(),
        stats.route_count("POST /api/user"),
        stats.route_count("POST /api/admin/token"),
    );
    let report = core
        .bulk_execute_with(&plan.id, quiet(), |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.done, 12, "{:?}", report.failures);
    let creates = stats.route_count("POST /api/user") - creates;
    let logins = stats.route_count("POST /api/admin/token") - logins;
    assert_eq!(creates, 12);
    assert_eq!(
        stats.requests() - requests,
        creates + logins,
        "nothing read back"
    );
    let made: Vec<Account> = all_accounts(&core)
        .into_iter()
        .filter(|a| a.name.starts_with("answered_"))
        .collect();
    assert_eq!(made.len(), 12);
    assert!(
        made.iter().all(|a| a.limit_bytes == Some(1 << 30)),
        "{made:?}"
    );
}
