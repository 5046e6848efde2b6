//! A bulk operation through the real window: narrow the table with a search, select everything
//! that matches, preview "disable", run it, and see the result; the simulated 3x-ui then has
//! exactly those clients disabled and every other client as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use paneldeck_e2e::AppWindow;
use paneldeck_panels::{
    xui::{XuiAuth, XuiClient},
    Endpoint, HttpClient, PanelKind, Secret,
};
use paneldeck_sim::{SimKind, SimOptions};

#[tokio::test]
async fn select_by_filter_preview_run_and_see_the_result() {
    let sim = paneldeck_sim::start_local(
        SimKind::Xui,
        SimOptions {
            accounts: 80,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let token = paneldeck_e2e::sim_token(&sim.credentials);
    let http = HttpClient::new(PanelKind::Xui, Endpoint::parse(&sim.url()).unwrap()).unwrap();
    let client = XuiClient::new(http, XuiAuth::Token(Secret::new(token.clone())));
    let before: HashMap<String, bool> = client
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.email, c.enable))
        .collect();
    // Seeded names are `first.shop-0001`: the part before the dot picks a subset, and a dot
    // appears in no UUID or subscription id the search also looks at.
    let first = before.keys().min().cloned().unwrap();
    let needle = format!("{}.", first.split('.').next().unwrap());
    let matching: Vec<&String> = before
        .keys()
        .filter(|e| e.to_lowercase().contains(&needle.to_lowercase()))
        .collect();
    assert!(!matching.is_empty() && matching.len() < before.len());

    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let app = AppWindow::launch("bulk", &[("PANELDECK_DATA_DIR", data_dir.as_str())])
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
        app.fill("[data-testid=accounts-search]", &needle).await?;
        app.wait_until("the search to narrow the table", || async {
            let names = app.row_names().await?;
            let needle = needle.to_lowercase();
            Ok(!names.is_empty() && names.iter().all(|n| n.to_lowercase().contains(&needle)))
        })
        .await?;

        app.click("[data-testid=select-all-matching]").await?;
        app.click("[data-testid=bulk-open]").await?;
        app.select("[data-testid=bulk-action]", "disable").await?;
        app.click("[data-testid=bulk-preview]").await?;
        let totals = app.find("[data-testid=bulk-totals]").await?;
        let to_change: usize = totals
            .attr("data-to-change")
            .await
            .map_err(|e| e.to_string())?
            .unwrap_or_default()
            .parse()
            .map_err(|e| format!("data-to-change: {e}"))?;
        let already_off = matching.iter().filter(|e| !before[e.as_str()]).count();
        if to_change != matching.len() - already_off {
            return Err(format!(
                "the preview changes {to_change} accounts, expected {} ({} match, {already_off} already disabled)",
                matching.len() - already_off,
                matching.len()
            ));
        }
        app.click("[data-testid=bulk-run]").await?;
        app.find("[data-testid=bulk-report]").await?;
        app.wait_until("every planned item done", || async {
            let done = app
                .find("[data-testid=bulk-done]")
                .await?
                .attr("data-done")
                .await
                .map_err(|e| e.to_string())?;
            Ok(done.as_deref() == Some(to_change.to_string().as_str()))
        })
        .await?;
        Ok(())
    };
    let result = steps.await;
    app.check(result).await;
    app.close().await;

    let after: HashMap<String, bool> = client
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.email, c.enable))
        .collect();
    assert_eq!(after.len(), before.len(), "no client created or lost");
    for (email, was) in &before {
        let expected = if matching.contains(&email) {
            false
        } else {
            *was
        };
        assert_eq!(after[email], expected, "{email}");
    }
}
