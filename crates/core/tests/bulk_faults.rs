//! Fault injection: 5 % of requests fail with a 500 (not applied) and 5 % are applied but
//! answered too late for the client (timeout) — the duplicate-creation trap. Every failure is
//! reported; "retry failed" completes them; the panel ends with exactly the planned accounts,
//! none created twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use std::time::Duration;

use bulk_support::*;
use paneldeck_core::{
    bulk::{BulkRequest, CancelToken, ExecOptions, ItemOutcome, ItemState, NameSource},
    connect::PanelClient,
};
use paneldeck_sim::{FaultConfig, SimOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_reported_and_retry_completes_them_without_duplicates() {
    let (core, _dir) = open();
    let opts = SimOptions {
        seed: 11,
        accounts: 10,
        faults: FaultConfig {
            latency: Duration::ZERO,
            error_rate: 0.05,
            hang_rate: 0.05,
            hang: Duration::from_millis(1500),
        },
        ..SimOptions::default()
    };
    let (sim, handle) = paneldeck_sim::marzban::start_with_ttl(opts, Duration::from_secs(3600))
        .await
        .unwrap();
    let panel = add(&core, &sim, "faulty", "#000001").await;
    let base = handle.user_count();
    const N: usize = 200;
    let plan = core
        .bulk_plan(&BulkRequest::Create {
            panel_ids: vec![panel.id.clone()],
            names: NameSource::Pattern {
                pattern: "fault-{001..200}".into(),
            },
            templates: vec![marzban_form(Some(1 << 30))],
        })
        .unwrap();
    assert_eq!(plan.to_change as usize, N);

    let opts = ExecOptions {
        concurrency: 8,
        max_attempts: 1,
        request_timeout: Some(Duration::from_millis(400)),
        resync: false,
        ..ExecOptions::default()
    };
    let report = core
        .bulk_execute_with(&plan.id, opts.clone(), |_| {}, CancelToken::new())
        .await
        .unwrap();
    // Every failure is reported, in the report and in the journal, with its cause.
    assert!(report.counts.failed > 0, "the faults must hit some creates");
    assert_eq!(report.failures.len() as u32, report.counts.failed);
    let failed = items_in(&core, &plan.id, ItemState::Failed);
    assert_eq!(failed.len() as u32, report.counts.failed);
    for f in &failed {
        let code = f
            .error
            .as_ref()
            .map(|e| e.code.as_str())
            .unwrap_or_default();
        assert!(
            ["timeout", "panel_failed", "network"].contains(&code.as_str()),
            "{}: {code} {:?}",
            f.name,
            f.error
        );
    }
    assert_eq!(report.counts.done + report.counts.failed, N as u32);

    // Retry failed until none is left (each retry may meet new faults).
    let retry = ExecOptions {
        max_attempts: 3,
        backoff: Duration::from_millis(20),
        ..opts
    };
    let mut rounds = 0;
    loop {
        let r = core
            .bulk_retry_failed(&plan.id, retry.clone(), |_| {}, CancelToken::new())
            .await
            .unwrap();
        rounds += 1;
        if r.counts.failed == 0 || rounds == 10 {
            assert_eq!(r.counts.failed, 0, "{:?}", r.failures);
            assert_eq!(r.counts.done, N as u32);
            break;
        }
    }

    // The final state equals the plan: every name once, nothing else created.
    assert_eq!(handle.user_count(), base + N);
    let items = core.bulk_items(&plan.id).unwrap();
    assert!(items.iter().all(|i| i.state == ItemState::Done));
    // Some hangs hit creates: those were found on the panel, not sent again (a resend would
    // have failed with "already exists" and left the item failed).
    assert!(
        sim.stats
            .injected_hangs
            .load(std::sync::atomic::Ordering::Relaxed)
            > 0
    );
    let settled = items
        .iter()
        .filter(|i| {
            i.message.as_ref().is_some_and(|m| {
                *m == ItemOutcome::AlreadyCreated
                    && m.to_string().starts_with("Already on the panel")
            })
        })
        .count();
    assert!(
        settled > 0,
        "a timed-out create was looked up before resending"
    );
    let PanelClient::Marzban(client) = core.client(&panel).unwrap() else {
        panic!("marzban client");
    };
    for i in items.iter().step_by(17) {
        let user = client.get_user(&i.name).await.unwrap();
        assert_eq!(user.username, i.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xui_bulk_create_chunks_that_time_out_are_checked_not_resent() {
    let (core, _dir) = open();
    let opts = SimOptions {
        seed: 12,
        accounts: 10,
        groups: 2,
        faults: FaultConfig {
            latency: Duration::ZERO,
            error_rate: 0.05,
            hang_rate: 0.05,
            hang: Duration::from_millis(1500),
        },
        ..SimOptions::default()
    };
    let sim = paneldeck_sim::start_local(paneldeck_sim::SimKind::Xui, opts)
        .await
        .unwrap();
    let panel = add(&core, &sim, "faulty-xui", "#000002").await;
    let plan = core
        .bulk_plan(&BulkRequest::Create {
            panel_ids: vec![panel.id.clone()],
            names: NameSource::Pattern {
                pattern: "xf-{001..150}@x".into(),
            },
            templates: vec![xui_form(1)],
        })
        .unwrap();
    let opts = ExecOptions {
        concurrency: 8,
        max_attempts: 2,
        chunk_size: 10,
        request_timeout: Some(Duration::from_millis(400)),
        backoff: Duration::from_millis(20),
        resync: false,
        ..ExecOptions::default()
    };
    let mut report = core
        .bulk_execute_with(&plan.id, opts.clone(), |_| {}, CancelToken::new())
        .await
        .unwrap();
    let mut rounds = 0;
    while report.counts.failed > 0 && rounds < 10 {
        assert_eq!(report.failures.len() as u32, report.counts.failed);
        report = core
            .bulk_retry_failed(&plan.id, opts.clone(), |_| {}, CancelToken::new())
            .await
            .unwrap();
        rounds += 1;
    }
    assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
    assert_eq!(report.counts.done, 150);
    assert!(sim.stats.route_count("POST /panel/api/clients/bulkCreate") >= 1);
    // Every planned email exists exactly once (3x-ui refuses a duplicate email, so a resent
    // create would have left its item failed).
    let PanelClient::Xui(client) = core.client(&panel).unwrap() else {
        panic!("xui client");
    };
    let list = loop {
        if let Ok(list) = client.list().await {
            break list;
        }
    };
    let emails: Vec<&str> = list
        .iter()
        .map(|c| c.email.as_str())
        .filter(|e| e.starts_with("xf-"))
        .collect();
    assert_eq!(emails.len(), 150);
    let unique: std::collections::HashSet<&&str> = emails.iter().collect();
    assert_eq!(unique.len(), 150);
}
