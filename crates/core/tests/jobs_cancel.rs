//! Long jobs stop when cancelled: an account export or a QR ZIP/folder writes nothing (a file
//! already at the target stays as it was), and a sync keeps the panels that finished while
//! the others keep their last snapshot and say they were cancelled.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use std::time::Duration;

use accounts_support::{add, open, sim_options, Events};
use paneldeck_core::{
    accounts::{Selection, SyncEvent, SyncOptions},
    jobs::{CancelToken, Job, JobPhase},
    links::{
        export::{save_links_job, AccountLinks, LinkSave, QrImage},
        AccountLink, LinkKind,
    },
    transfer::{ExportFormat, ExportOptions},
    CoreError,
};
use paneldeck_sim::SimKind;

/// A job that is cancelled as `phase` begins (its first step is always reported): the work
/// stops at its next step, with the temporary file already made.
fn cancelled_at(phase: JobPhase) -> Job {
    let cancel = CancelToken::new();
    let trigger = cancel.clone();
    Job::new(
        move |step| {
            if step.phase == phase {
                trigger.cancel();
            }
        },
        cancel,
    )
}

fn entries(accounts: usize) -> Vec<AccountLinks> {
    (0..accounts)
        .map(|i| AccountLinks {
            name: format!("user{i}"),
            links: vec![AccountLink {
                label: "l".into(),
                url: format!("trojan://secret{i}@h:443#user{i}"),
                kind: LinkKind::Share,
            }],
        })
        .collect()
}

/// The folder holds exactly `names` (no temporary files left behind).
fn assert_only(dir: &std::path::Path, names: &[&str]) {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, names);
}

#[test]
fn a_cancelled_qr_zip_or_folder_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("qr.zip");
    std::fs::write(&zip, b"before").unwrap();
    let image = QrImage::Png { scale: 2 };
    let mut job = cancelled_at(JobPhase::Drawing);
    let err = save_links_job(&entries(2000), LinkSave::QrZip { image }, &zip, &mut job);
    assert!(matches!(err, Err(CoreError::Cancelled)), "{err:?}");
    assert_eq!(std::fs::read(&zip).unwrap(), b"before");

    let folder = dir.path().join("qr");
    let mut job = cancelled_at(JobPhase::Drawing);
    let err = save_links_job(
        &entries(2000),
        LinkSave::QrFolder { image },
        &folder,
        &mut job,
    );
    assert!(matches!(err, Err(CoreError::Cancelled)), "{err:?}");
    assert_only(dir.path(), &["qr.zip"]);

    // Not cancelled: every image is written.
    let n = save_links_job(
        &entries(3),
        LinkSave::QrFolder { image },
        &folder,
        &mut Job::quiet(),
    );
    assert_eq!(n.unwrap(), 3);
}

#[tokio::test]
async fn a_cancelled_export_leaves_the_target_as_it_was() {
    let (core, dir) = open();
    let sim =
        paneldeck_sim::start_local(SimKind::Userpass, sim_options(3, 3000, SimKind::Userpass))
            .await
            .unwrap();
    add(&core, &sim, "proxies", "#abcdef").await;
    core.sync_all(|_| {}).await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("accounts.json");
    std::fs::write(&path, b"before").unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let opts = ExportOptions {
            format,
            include_credentials: true,
            raw_csv: false,
        };
        let mut job = cancelled_at(JobPhase::Writing);
        let err = core.export_accounts_job(&Selection::All, opts, &path, &mut job);
        assert!(
            matches!(err, Err(CoreError::Cancelled)),
            "{format:?}: {err:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"before");
        assert_only(out.path(), &["accounts.json"]);
    }
    let done = core.export_accounts(
        &Selection::All,
        ExportOptions {
            format: ExportFormat::Csv,
            include_credentials: false,
            raw_csv: false,
        },
        &path,
    );
    assert_eq!(done.unwrap().accounts, 3000);
    drop(dir);
}

#[tokio::test]
async fn a_cancelled_sync_keeps_finished_panels_and_stops_the_others() {
    let (core, _dir) = open();
    let fast = paneldeck_sim::start_local(SimKind::Userpass, sim_options(1, 12, SimKind::Userpass))
        .await
        .unwrap();
    // Every request of this one waits a minute: only a cancel ends its sync soon.
    let mut slow_opts = sim_options(2, 12, SimKind::Marzban);
    slow_opts.faults.latency = Duration::from_secs(60);
    let slow = paneldeck_sim::start_local(SimKind::Marzban, slow_opts)
        .await
        .unwrap();
    let fast_panel = add(&core, &fast, "fast", "#000001").await;
    let slow_panel = add(&core, &slow, "slow", "#000002").await;

    let cancel = CancelToken::new();
    let events = Events::default();
    let sink = events.sink();
    let on_finish = cancel.clone();
    let on_event = move |e: SyncEvent| {
        if matches!(e, SyncEvent::Finished { .. }) {
            on_finish.cancel();
        }
        sink(e);
    };
    let synced = tokio::time::timeout(
        Duration::from_secs(20),
        core.sync_until(None, SyncOptions::default(), on_event, &cancel),
    )
    .await
    .expect("the cancel ends the sync before the slow panel answers")
    .unwrap();

    let of = |id| synced.iter().find(|h| &h.panel_id == id).unwrap();
    assert_eq!(of(&fast_panel.id).account_count, 12);
    let stopped = of(&slow_panel.id);
    assert_eq!(stopped.account_count, 0);
    assert!(
        stopped.last_error.is_none(),
        "a cancel is no failure: {stopped:?}"
    );
    let all = events.all();
    assert!(all
        .iter()
        .any(|e| matches!(e, SyncEvent::Cancelled { panel_id } if panel_id == &slow_panel.id)));
    assert!(!all.iter().any(|e| matches!(e, SyncEvent::Failed { .. })));

    // A cancelled token stops a one-panel sync before it starts.
    let err = core
        .sync_until(
            Some(&slow_panel.id),
            SyncOptions::default(),
            |_| {},
            &cancel,
        )
        .await;
    assert!(matches!(err, Err(CoreError::Cancelled)), "{err:?}");
}

/// A bulk preview reports each account it plans and stops when cancelled: the preview of
/// 100,000 accounts takes seconds, and the dialog shows how far it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_preview_reports_its_accounts_and_stops_when_cancelled() {
    use paneldeck_core::{
        accounts::AccountQuery,
        bulk::{BulkAction, BulkRequest},
    };
    let (core, _dir) = open();
    let sim = paneldeck_sim::start_local(SimKind::Marzban, sim_options(3, 40, SimKind::Marzban))
        .await
        .unwrap();
    add(&core, &sim, "mz", "#123123").await;
    core.sync_all(|_| {}).await;
    let request = BulkRequest::Change {
        selection: Selection::Query {
            query: AccountQuery::default(),
        },
        action: BulkAction::ExtendExpiry { days: 1 },
    };

    let cancelled = core.bulk_plan_job(&request, &mut cancelled_at(JobPhase::Planning));
    assert!(
        matches!(cancelled, Err(CoreError::Cancelled)),
        "{cancelled:?}"
    );

    let steps = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = steps.clone();
    let mut job = Job::new(move |s| sink.lock().unwrap().push(s), CancelToken::new());
    let plan = core.bulk_plan_job(&request, &mut job).unwrap();
    let steps = steps.lock().unwrap().clone();
    let last = steps.last().expect("steps reported");
    assert!(steps.iter().all(|s| s.phase == JobPhase::Planning));
    assert_eq!((last.done, last.total), (40, 40));
    assert_eq!(plan.to_change + plan.skipped, 40);
}
