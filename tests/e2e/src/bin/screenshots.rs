//! `cargo xtask screenshots`: drives the demo app into the states shown in the README and saves
//! them under docs/screenshots/. A tool for people, not a test.

use std::path::PathBuf;

use paneldeck_e2e::{AppWindow, Result};

async fn set_prefs(app: &AppWindow, theme: &str, lang: &str) -> Result<()> {
    app.execute(&format!(
        "localStorage.setItem('paneldeck.theme','{theme}'); localStorage.setItem('paneldeck.language','{lang}'); location.reload();"
    ))
    .await?;
    // Let the reload start before waiting, or the old page's cards answer the wait.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    app.click("[data-testid=nav-panels]").await?;
    app.find("[data-testid=panel-card]").await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    Ok(())
}

/// Lets queries land and the layout settle before a picture.
async fn settle() {
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
}

async fn shoot(out: &std::path::Path) -> Result<()> {
    let data = std::env::temp_dir().join(format!("paneldeck-shots-{}", std::process::id()));
    let data_dir = data.display().to_string();
    let app = AppWindow::launch(
        "screenshots",
        &[
            ("PANELDECK_DEMO", "1"),
            ("PANELDECK_DATA_DIR", data_dir.as_str()),
        ],
    )
    .await?;
    app.find("[data-testid=panel-card]").await?;

    set_prefs(&app, "light", "en").await?;
    app.screenshot(&out.join("panels-light.png")).await?;

    app.click("[data-testid=nav-accounts]").await?;
    app.find("[data-testid=account-row]").await?;
    settle().await;
    app.screenshot(&out.join("accounts-table.png")).await?;
    for kind in ["xui", "marzban", "userpass", "pterodactyl"] {
        app.click(&format!("[data-testid=kind-{kind}]")).await?;
        settle().await;
        app.click("[data-testid=account-row]").await?;
        app.find("[data-testid=account-detail] .props").await?;
        settle().await;
        app.screenshot(&out.join(format!("detail-{kind}.png")))
            .await?;
        app.click(&format!("[data-testid=kind-{kind}]")).await?;
    }
    app.click("[data-testid=nav-dashboard]").await?;
    app.find("[data-testid=panel-health]").await?;
    settle().await;
    app.screenshot(&out.join("dashboard.png")).await?;
    app.click("[data-testid=nav-panels]").await?;
    app.find("[data-testid=panel-card]").await?;

    app.click("[data-testid=add-panel]").await?;
    app.fill("input[name=name]", "Amsterdam").await?;
    app.fill("input[name=baseUrl]", "panel.example.com").await?;
    app.click("[data-testid=save-panel]").await?;
    app.find(".field.invalid").await?;
    app.screenshot(&out.join("add-panel-validation.png"))
        .await?;
    app.click("[role=dialog] .dialog-footer button").await?;

    set_prefs(&app, "dark", "fa").await?;
    app.screenshot(&out.join("panels-dark-rtl.png")).await?;
    app.click("[data-testid=nav-accounts]").await?;
    app.find("[data-testid=account-row]").await?;
    settle().await;
    app.screenshot(&out.join("accounts-dark-rtl.png")).await?;
    set_prefs(&app, "system", "en").await?;
    app.close().await;
    let _ = std::fs::remove_dir_all(data);
    Ok(())
}

#[tokio::main]
async fn main() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    if let Err(err) = shoot(&out).await {
        eprintln!("screenshots failed: {err}");
        std::process::exit(1);
    }
    println!("saved to {}", out.display());
}
