//! The panel registry through the real window: add, restart, remove; bad input; demo mode.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_e2e::{files_containing, keyring_dump, AppWindow, Result};
use paneldeck_sim::{SimKind, SimOptions};

use paneldeck_e2e::sim_token as token_of;

async fn goto_panels(app: &AppWindow) -> Result<()> {
    app.click("[data-testid=nav-panels]").await?;
    app.find("[data-testid=panel-list]").await.map(|_| ())
}

async fn open_add_dialog(app: &AppWindow) -> Result<()> {
    goto_panels(app).await?;
    app.click("[data-testid=add-panel]").await?;
    app.find("[role=dialog] input[name=name]").await?;
    Ok(())
}

async fn fill_xui(app: &AppWindow, name: &str, url: &str, token: &str) -> Result<()> {
    app.select("select[name=kind]", "xui").await?;
    app.fill("input[name=name]", name).await?;
    app.fill("input[name=baseUrl]", url).await?;
    app.fill("input[name=secret]", token).await
}

async fn panel_names(app: &AppWindow) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for card in app.find_all("[data-testid=panel-card]").await? {
        if let Ok(Some(name)) = card.attr("data-panel-name").await {
            names.push(name);
        }
    }
    Ok(names)
}

#[tokio::test]
async fn added_panel_survives_a_restart_and_its_secret_stays_in_the_keyring() {
    // A seed of its own gives a token no other test's panel shares in the same keyring.
    let opts = SimOptions {
        seed: 7_000 + u64::from(std::process::id()),
        ..SimOptions::default()
    };
    let sim = paneldeck_sim::start_local(SimKind::Xui, opts)
        .await
        .unwrap();
    let token = token_of(&sim.credentials);
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let env = [("PANELDECK_DATA_DIR", data_dir.as_str())];

    let app = AppWindow::launch("add-restart-remove", &env).await.unwrap();
    let steps = async {
        // With no panel configured, the accounts page points to adding one.
        app.find("[data-testid=no-panels]").await?;
        open_add_dialog(&app).await?;
        fill_xui(&app, "Frankfurt e2e", &sim.url(), &token).await?;
        // The answer size cap: 0 is refused in words, a whole number of MiB is taken.
        app.fill("input[name=maxAnswerMib]", "0").await?;
        app.find(".field.invalid input[name=maxAnswerMib]").await?;
        app.fill("input[name=maxAnswerMib]", "256").await?;
        app.click("[data-testid=save-panel]").await?;
        app.wait_until("the new panel card", || async {
            Ok(panel_names(&app)
                .await?
                .contains(&"Frankfurt e2e".to_owned()))
        })
        .await
    };
    app.check(steps.await).await;
    app.close().await;

    let app = AppWindow::launch("add-restart-remove-2", &env)
        .await
        .unwrap();
    let steps = async {
        goto_panels(&app).await?;
        app.wait_until("the panel after restart", || async {
            Ok(panel_names(&app).await? == vec!["Frankfurt e2e".to_owned()])
        })
        .await?;
        eprintln!("[e2e] panel found after restart");
        let leaked = files_containing(data.path(), &token);
        if !leaked.is_empty() {
            return Err(format!("the secret was written to {leaked:?}"));
        }
        if !keyring_dump().contains(&token) {
            return Err("the OS keyring (Secret Service) does not hold the token".into());
        }
        eprintln!("[e2e] secret is in the keyring only");
        app.click("[data-testid=remove-panel]").await?;
        app.click("[data-testid=confirm-remove]").await?;
        app.wait_until("the card to disappear", || async {
            Ok(panel_names(&app).await?.is_empty())
        })
        .await?;
        if keyring_dump().contains(&token) {
            return Err("removing the panel left its keyring entry".into());
        }
        Ok(())
    };
    app.check(steps.await).await;
    app.close().await;
}

/// Serves an HTML page where an API is expected (a web UI or a proxy's error page).
async fn html_server() -> (String, tokio::task::JoinHandle<()>) {
    let router = axum::Router::new().fallback(|| async {
        axum::response::Html("<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>")
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, task)
}

async fn save_and_expect(app: &AppWindow, selector: &str, what: &str) -> Result<()> {
    app.click("[data-testid=save-panel]").await?;
    app.find(selector)
        .await
        .map(|_| ())
        .map_err(|e| format!("{what}: {e}"))
}

#[tokio::test]
async fn bad_input_gives_clear_messages_and_saves_nothing() {
    let sim = paneldeck_sim::start_local(SimKind::Xui, SimOptions::default())
        .await
        .unwrap();
    let (html_url, _html) = html_server().await;
    let closed_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let app = AppWindow::launch("bad-input", &[("PANELDECK_DATA_DIR", data_dir.as_str())])
        .await
        .unwrap();
    let steps = async {
        open_add_dialog(&app).await?;
        fill_xui(&app, "bad", "not a url", "x").await?;
        save_and_expect(
            &app,
            ".field.invalid input[name=baseUrl]",
            "invalid URL marks the field",
        )
        .await?;

        app.fill(
            "input[name=baseUrl]",
            &format!("http://127.0.0.1:{closed_port}/"),
        )
        .await?;
        save_and_expect(&app, "[data-code=connection_refused]", "unreachable host").await?;

        app.fill("input[name=baseUrl]", &sim.url()).await?;
        app.fill("input[name=secret]", "wrong-token").await?;
        app.click("[data-testid=save-panel]").await?;
        app.wait_until("a refused-credentials message", || async {
            Ok(!app
                .find_all("[data-code=unauthorized], [data-code=not_this_panel]")
                .await?
                .is_empty())
        })
        .await?;

        app.fill("input[name=baseUrl]", &html_url).await?;
        app.fill("input[name=secret]", "any").await?;
        save_and_expect(
            &app,
            "[data-code=not_this_panel]",
            "an HTML page instead of the API",
        )
        .await?;

        let message = app.text("[data-code=not_this_panel]").await?;
        if message.trim().is_empty() {
            return Err("the error message is empty".into());
        }
        app.click("[role=dialog] .dialog-footer button").await?; // Cancel
        app.find(".empty").await?;
        if !panel_names(&app).await?.is_empty() {
            return Err("a panel was saved despite the errors".into());
        }
        Ok(())
    };
    app.check(steps.await).await;
    app.close().await;
    assert!(files_containing(data.path(), "wrong-token").is_empty());
}

#[tokio::test]
async fn demo_mode_opens_with_the_simulated_panels() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let app = AppWindow::launch(
        "demo",
        &[
            ("PANELDECK_DEMO", "1"),
            ("PANELDECK_DATA_DIR", data_dir.as_str()),
        ],
    )
    .await
    .unwrap();
    let steps = async {
        app.find("[data-testid=demo-badge]").await?;
        goto_panels(&app).await?;
        // 3x-ui, Marzban, user-pass, Pterodactyl and PasarGuard.
        app.wait_until("five demo panels", || async {
            Ok(panel_names(&app).await?.len() == 5)
        })
        .await?;
        // Demo mode never writes into the profile it was given.
        if std::fs::read_dir(data.path())
            .map(|d| d.count())
            .unwrap_or(0)
            != 0
        {
            return Err("demo mode wrote into the user's data folder".into());
        }
        Ok(())
    };
    app.check(steps.await).await;
    app.close().await;
}
