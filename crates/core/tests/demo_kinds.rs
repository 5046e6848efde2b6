//! Demo mode starts a simulated panel of every kind (PasarGuard among them), and after a sync
//! the dashboard counts each panel's accounts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_core::{accounts::now_ms, demo::Demo};
use paneldeck_panels::PanelKind;

#[tokio::test(flavor = "multi_thread")]
async fn demo_mode_has_a_panel_of_every_kind_on_the_dashboard() {
    let demo = Demo::start_with(Some(12)).await.unwrap();
    let core = &demo.paneldeck;
    let panels = core.list_panels().unwrap();
    let mut kinds: Vec<PanelKind> = panels.iter().map(|p| p.kind).collect();
    kinds.sort();
    assert_eq!(kinds, PanelKind::ALL.to_vec());
    core.sync_all(|_| {}).await;
    let dashboard = core.dashboard(now_ms()).unwrap();
    let pasarguard = panels
        .iter()
        .find(|p| p.kind == PanelKind::Pasarguard)
        .unwrap();
    let health = dashboard
        .panels
        .iter()
        .find(|h| h.panel_id == pasarguard.id)
        .expect("the PasarGuard panel is on the dashboard");
    assert_eq!(health.reachable, Some(true), "{:?}", health.last_error);
    assert_eq!(health.version.as_deref(), Some("5.2.1"));
    assert_eq!(health.account_count, 12);
    assert!(
        dashboard.total_accounts >= 12 * 4,
        "{}",
        dashboard.total_accounts
    );
}
