//! The accounts table through the real window: sync fills it, search narrows it, and an edit in
//! the detail pane reaches the panel.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_e2e::AppWindow;
use paneldeck_panels::{
    xui::{XuiAuth, XuiClient},
    Endpoint, HttpClient, PanelKind, Secret,
};
use paneldeck_sim::{SimKind, SimOptions};

#[tokio::test]
async fn sync_search_and_edit_reach_the_panel() {
    let sim = paneldeck_sim::start_local(
        SimKind::Xui,
        SimOptions {
            accounts: 60,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let token = paneldeck_e2e::sim_token(&sim.credentials);
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let app = AppWindow::launch("accounts", &[("PANELDECK_DATA_DIR", data_dir.as_str())])
        .await
        .unwrap();

    let steps = async {
        app.add_panel("Sim 3x-ui", &sim.url(), &token).await?;

        app.click("[data-testid=nav-accounts]").await?;
        app.click("[data-testid=sync-all]").await?;
        app.wait_until("synced rows", || async {
            Ok(!app.row_names().await?.is_empty())
        })
        .await?;
        let all = app.row_names().await?;
        let target = all.first().cloned().ok_or("no rows")?;

        // Search by the full name: the table narrows to that account.
        app.fill("[data-testid=accounts-search]", &target).await?;
        app.wait_until("the search to narrow the table", || async {
            let names = app.row_names().await?;
            Ok(!names.is_empty()
                && names.len() < all.len()
                && names.iter().all(|n| n.contains(&target)))
        })
        .await?;

        // Open it, edit the note, save.
        app.click("[data-testid=account-row]").await?;
        app.click("[data-testid=edit-account]").await?;
        app.fill(
            "[data-testid=edit-account-form] input[name=note]",
            "edited from the e2e test",
        )
        .await?;
        app.click("[data-testid=save-account]").await?;
        app.find("[data-testid=edit-account]").await?;
        Ok(target)
    };
    let target = match steps.await {
        Ok(t) => t,
        Err(e) => {
            app.check(Err(e)).await;
            unreachable!()
        }
    };
    app.close().await;

    let http = HttpClient::new(PanelKind::Xui, Endpoint::parse(&sim.url()).unwrap()).unwrap();
    let client = XuiClient::new(http, XuiAuth::Token(Secret::new(token)));
    let record = client.get(&target).await.unwrap();
    let comment = serde_json::to_value(&record)
        .unwrap()
        .pointer("/comment")
        .cloned();
    assert_eq!(
        comment
            .and_then(|c| c.as_str().map(str::to_owned))
            .as_deref(),
        Some("edited from the e2e test"),
        "the edit did not reach the simulated 3x-ui"
    );
}
