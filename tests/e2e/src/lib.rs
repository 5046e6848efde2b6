//! Harness for driving the real Paneldeck window: starts `tauri-driver` (which starts
//! WebKitWebDriver, which starts the app), connects a WebDriver client, and saves a screenshot
//! of the window when a step fails. Run through `cargo xtask test` (it builds the app, sets
//! `PANELDECK_APP_BINARY` and provides Xvfb and a keyring session).

#![allow(clippy::expect_used)]

#[cfg(target_os = "linux")]
pub mod notifications;
#[cfg(target_os = "linux")]
pub mod screen_updates;
pub mod stalls;

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};

pub type Result<T, E = String> = std::result::Result<T, E>;

/// Milliseconds since the Unix epoch: the clock the page's `performance.timeOrigin` uses, so
/// what the bench's threads saw lines up with what the page's script measured.
pub(crate) fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Starts redrawing an invisible 1-pixel mark each animation frame (see `screenshot`).
const REPAINT_START: &str = r#"if (!window.__repaint) {
  const mark = document.createElement('div');
  mark.style.cssText = 'position:fixed;inset-block-start:0;inset-inline-start:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
  document.body.appendChild(mark);
  let odd = false;
  const tick = () => {
    odd = !odd;
    mark.style.background = odd ? 'rgba(128,128,128,0.003)' : 'rgba(128,128,128,0.001)';
    window.__repaint = { mark, frame: requestAnimationFrame(tick) };
  };
  tick();
}"#;
const REPAINT_STOP: &str = r#"if (window.__repaint) {
  cancelAnimationFrame(window.__repaint.frame);
  window.__repaint.mark.remove();
  window.__repaint = undefined;
}"#;

/// One running app window and the driver behind it.
pub struct AppWindow {
    client: Option<Client>,
    driver: Child,
    name: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free local port")
}

pub fn app_binary() -> PathBuf {
    let path = std::env::var("PANELDECK_APP_BINARY").expect(
        "PANELDECK_APP_BINARY is not set: run the end-to-end tests with `cargo xtask test`",
    );
    PathBuf::from(path)
}

impl AppWindow {
    /// Launches the app with extra environment variables (e.g. its data folder).
    pub async fn launch(name: &str, env: &[(&str, &str)]) -> Result<Self> {
        // A test binary that also links the panel clients has two rustls crypto backends;
        // pick one for the WebDriver connection (an error only means one is already set).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = free_port();
        let native_port = free_port();
        let driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!("cannot start tauri-driver (cargo install tauri-driver --locked): {e}")
            })?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app_binary().display().to_string() }),
        );
        caps.insert("browserName".into(), "wry".into());
        let deadline = Instant::now() + Duration::from_secs(30);
        let url = format!("http://127.0.0.1:{port}");
        let client = loop {
            let mut builder = ClientBuilder::rustls().map_err(|e| e.to_string())?;
            builder.capabilities(caps.clone());
            let attempt = builder.connect(&url);
            // A new session starts the app; it must not wait forever if the app never shows.
            match tokio::time::timeout(Duration::from_secs(60), attempt).await {
                Ok(Ok(c)) => break c,
                Ok(Err(_)) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(200)).await
                }
                Ok(Err(e)) => return Err(format!("cannot connect to tauri-driver: {e}")),
                Err(_) => return Err("the app did not open a window within 60 s".into()),
            }
        };
        eprintln!("[e2e {name}] window open");
        let app = AppWindow {
            client: Some(client),
            driver,
            name: name.to_owned(),
        };
        app.forget_preferences().await?;
        Ok(app)
    }

    /// Starts from the UI's defaults: the webview's storage (language, theme, the table's
    /// query, columns and saved views) outlives the app, and so one test's choices would
    /// reach the next.
    async fn forget_preferences(&self) -> Result<()> {
        self.execute("window.__before_reload = true; localStorage.clear(); location.reload();")
            .await?;
        self.wait_until("the page to reload", || async {
            let fresh = self
                .eval("return !window.__before_reload && document.querySelector('[data-testid^=nav-]') !== null;")
                .await
                .unwrap_or(serde_json::Value::Bool(false));
            Ok(fresh.as_bool().unwrap_or(false))
        })
        .await
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("window already closed")
    }

    /// Waits up to 15 s for an element matching `css`.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client()
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("no element `{css}`: {e}"))
    }

    /// Every element `css` matches now. A node React replaces while the driver builds its
    /// handle is reported as stale (seen when a removed panel's card went away mid-query):
    /// the query is simply asked again.
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let mut tries = 0;
        loop {
            match self.client().find_all(Locator::Css(css)).await {
                Ok(found) => return Ok(found),
                Err(e) if tries < 5 && e.to_string().contains("Stale element") => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        self.find(css)
            .await?
            .click()
            .await
            .map_err(|e| format!("click `{css}`: {e}"))
    }

    /// Clears an input and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let el = self.find(css).await?;
        el.clear().await.map_err(|e| e.to_string())?;
        el.send_keys(text)
            .await
            .map_err(|e| format!("type into `{css}`: {e}"))
    }

    pub async fn select(&self, css: &str, value: &str) -> Result<()> {
        let el = self.find(css).await?;
        el.select_by_value(value)
            .await
            .map_err(|e| format!("select {value} in `{css}`: {e}"))
    }

    pub async fn text(&self, css: &str) -> Result<String> {
        self.find(css)
            .await?
            .text()
            .await
            .map_err(|e| e.to_string())
    }

    /// Polls until `check` holds (up to 15 s), for state that changes after a request.
    pub async fn wait_until<F, Fut>(&self, what: &str, mut check: F) -> Result<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<bool>>,
    {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if check().await? {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}"));
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Runs a script in the page (e.g. to set a stored preference before a reload).
    pub async fn execute(&self, script: &str) -> Result<()> {
        self.client()
            .execute(script, vec![])
            .await
            .map(|_| ())
            .map_err(|e| format!("script failed: {e}"))
    }

    /// The names (`data-name`) of the account rows on screen. The table re-renders as blocks
    /// arrive: rows that went stale while being read count as "not there yet" (callers poll).
    pub async fn row_names(&self) -> Result<Vec<String>> {
        let mut names = Vec::new();
        let Ok(rows) = self.find_all("[data-testid=account-row]").await else {
            return Ok(names);
        };
        for row in rows {
            if let Ok(Some(name)) = row.attr("data-name").await {
                names.push(name);
            }
        }
        Ok(names)
    }

    /// Adds a panel through the Panels page form (URL and secret as typed by a person) and
    /// waits for its card.
    pub async fn add_panel(&self, name: &str, url: &str, secret: &str) -> Result<()> {
        self.click("[data-testid=nav-panels]").await?;
        self.click("[data-testid=add-panel]").await?;
        self.fill("input[name=name]", name).await?;
        self.fill("input[name=baseUrl]", url).await?;
        self.fill("input[name=secret]", secret).await?;
        self.click("[data-testid=save-panel]").await?;
        self.find("[data-testid=panel-card]").await?;
        Ok(())
    }

    /// Types `keys` (text and `fantoccini::key::Key`s) into whatever has the focus, as a
    /// keyboard would: modifier keys stay down until the end of `keys`.
    pub async fn press(&self, keys: &str) -> Result<()> {
        let focused = self
            .client()
            .active_element()
            .await
            .map_err(|e| format!("nothing has the focus: {e}"))?;
        focused
            .send_keys(keys)
            .await
            .map_err(|e| format!("press {keys:?}: {e}"))
    }

    /// Runs a script in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Result<serde_json::Value> {
        self.client()
            .execute(script, vec![])
            .await
            .map_err(|e| format!("script failed: {e}"))
    }

    /// Resizes the window (its outer size, as the window manager sees it).
    pub async fn set_size(&self, width: u32, height: u32) -> Result<()> {
        self.client()
            .set_window_size(width, height)
            .await
            .map_err(|e| format!("resize to {width}x{height}: {e}"))
    }

    /// Runs an asynchronous script (it calls `arguments[0]` with its result) and returns the
    /// result.
    pub async fn eval_async(&self, script: &str) -> Result<serde_json::Value> {
        self.client()
            .execute_async(script, vec![])
            .await
            .map_err(|e| format!("script failed: {e}"))
    }

    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        // WebKitWebDriver takes the picture after the page's next paint. Without compositing
        // (no GPU: src-tauri/src/rendering.rs) a page with nothing changing never paints, so
        // until the picture is taken a 1-pixel mark that no one can see is redrawn every frame.
        self.execute(REPAINT_START).await?;
        let png = self.client().screenshot().await;
        let _ = self.execute(REPAINT_STOP).await;
        let png = png.map_err(|e| e.to_string())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, png).map_err(|e| e.to_string())
    }

    /// Runs a test body; on failure saves `tests/e2e/screenshots/<name>.png` and fails with
    /// the step's message.
    pub async fn check(&self, result: Result<()>) {
        if let Err(message) = result {
            let shot = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("screenshots")
                .join(format!("{}.png", self.name));
            let saved = self.screenshot(&shot).await.is_ok();
            panic!(
                "{message}{}",
                if saved {
                    format!(" (screenshot: {})", shot.display())
                } else {
                    String::new()
                }
            );
        }
    }

    /// Closes the window (the app exits) and stops the driver.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(15), client.close()).await;
        }
        eprintln!("[e2e {}] window closed", self.name);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for AppWindow {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Every file under `dir` whose bytes contain `needle` (used to prove secrets stay out).
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(path);
                }
            }
        }
    }
    found
}

/// What the Secret Service holds under the `paneldeck` service (`secret-tool search --all`).
pub fn keyring_dump() -> String {
    // `timeout`: a locked keyring would otherwise wait for a password prompt forever.
    Command::new("timeout")
        .args([
            "10",
            "secret-tool",
            "search",
            "--all",
            "service",
            "paneldeck",
        ])
        .output()
        .map(|o| {
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
        })
        .unwrap_or_default()
}

/// The API token a simulator prints: a token-only panel's, or the token of a login panel
/// that has one (3x-ui from v3.0, the simulator's default version).
pub fn sim_token(creds: &paneldeck_sim::SimCredentials) -> String {
    use paneldeck_sim::SimCredentials as C;
    match creds {
        C::Token { token }
        | C::Login {
            token: Some(token), ..
        } => token.clone(),
        other => panic!("the simulator gives no API token: {other:?}"),
    }
}
