//! `cargo xtask bench` (last step): the accounts table of the demo app with 4 panels of 25,000
//! accounts each (100,000 rows), scrolled from top to bottom in big steps, one step a frame;
//! prints the frame intervals the webview achieved (max, 95th percentile, frames over 50 ms).
//! A benchmark, not a test: it fails only when it cannot run.

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use paneldeck_e2e::{AppWindow, Result};

const PER_PANEL: &str = "25000";
/// Pixels per frame: 500 rows, so 200 frames cover the whole table (a script may run 30 s).
const STEP_PX: u32 = 22_000;
/// Issue #6: scrolling 100,000 rows has no frame longer than this.
const TARGET_MS: f64 = 50.0;

async fn run() -> Result<()> {
    let data = std::env::temp_dir().join(format!("paneldeck-scroll-{}", std::process::id()));
    let data_dir = data.display().to_string();
    let env = [
        ("PANELDECK_DEMO", "1"),
        ("PANELDECK_DEMO_ACCOUNTS", PER_PANEL),
        ("PANELDECK_DATA_DIR", data_dir.as_str()),
    ];
    let app = AppWindow::launch("scroll-bench", &env).await?;
    let result = measure(&app).await;
    app.close().await;
    let _ = std::fs::remove_dir_all(data);
    result
}

async fn measure(app: &AppWindow) -> Result<()> {
    app.click("[data-testid=nav-accounts]").await?;
    let started = Instant::now();
    // The first sync of 100,000 accounts: wait until the table counts them all.
    loop {
        let text = app
            .text("[data-testid=accounts-counts]")
            .await
            .unwrap_or_default();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.ends_with("100000") {
            break;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let shot = std::env::temp_dir().join("paneldeck-scroll-bench.png");
            let _ = app.screenshot(&shot).await;
            return Err(format!(
                "the table never reached 100,000 rows (it says {text:?}; screenshot {})",
                shot.display()
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!(
        "sync of 100,000 demo accounts shown after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    app.find("[data-testid=account-row]").await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
const body = document.querySelector('[data-testid=accounts-table] .table-body');
const deltas = []; let last = 0; let t0 = 0; let frames = 0; let blank = 0;
const info = () => ({{ height: body.scrollHeight, client: body.clientHeight, rows: document.querySelectorAll('[data-testid=account-row]').length, counts: document.querySelector('[data-testid=accounts-counts]').textContent }});
const step = () => {{
  const now = performance.now(); deltas.push(now - last); last = now;
  if (!body.querySelector('[data-testid=account-row]')) blank++;
  body.scrollTop += {STEP_PX};
  if (++frames < 200 && now - t0 < 20000 && body.scrollTop + body.clientHeight < body.scrollHeight) requestAnimationFrame(step);
  else done({{ deltas: deltas.slice(1), blank, top: body.scrollTop, height: body.scrollHeight }});
}};
// Starts once the table's full height is laid out (the first block of rows has arrived).
const begin = (tries) => {{
  if (body.scrollHeight > body.clientHeight * 100) {{ last = t0 = performance.now(); requestAnimationFrame(step); }}
  else if (tries > 0) setTimeout(() => begin(tries - 1), 100);
  else done({{ deltas: [], notReady: info() }});
}};
begin(150);"#
    );
    // The webview's own frame rate with nothing changing: what no scroll can beat here. After
    // its first sync the app still copies the new snapshot into the database file (the WAL
    // checkpoint) for a second or two; scrolling is measured once that has settled.
    let settle = Instant::now();
    loop {
        let median = idle_frame_ms(app).await?;
        let settled = median < 25.0;
        if settled || settle.elapsed() > Duration::from_secs(30) {
            println!(
                "idle frame interval (nothing moving): median {median:.1} ms{}, after {:.1} s",
                if settled { "" } else { " (never settled)" },
                settle.elapsed().as_secs_f64()
            );
            break;
        }
    }
    let v = app.eval_async(&script).await?;
    let mut deltas: Vec<f64> = v["deltas"]
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    if deltas.is_empty() {
        return Err(format!("no frames measured: {v}"));
    }
    deltas.sort_by(f64::total_cmp);
    let p = |q: f64| deltas[((deltas.len() - 1) as f64 * q).round() as usize];
    let over = deltas.iter().filter(|d| **d > TARGET_MS).count();
    println!(
        "scrolled {} px of {} in {} frames: frame interval median {:.1} ms, p95 {:.1} ms, max {:.1} ms; {over} frame(s) over {TARGET_MS} ms; {} frame(s) with no row drawn yet",
        v["top"], v["height"], deltas.len(), p(0.5), p(0.95), p(1.0), v["blank"]
    );
    println!(
        "target (issue #6): no frame over {TARGET_MS} ms: {}",
        if over == 0 { "met" } else { "NOT met" }
    );
    Ok(())
}

/// Median interval of 30 animation frames with nothing changing on screen.
async fn idle_frame_ms(app: &AppWindow) -> Result<f64> {
    let idle = app
        .eval_async(
            r#"const done = arguments[arguments.length - 1];
const d = []; let last = performance.now();
const f = () => { const now = performance.now(); d.push(now - last); last = now;
  if (d.length < 30) requestAnimationFrame(f); else done(d.slice(1)); };
requestAnimationFrame(f);"#,
        )
        .await?;
    let mut idle: Vec<f64> = idle
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    idle.sort_by(f64::total_cmp);
    Ok(idle.get(idle.len() / 2).copied().unwrap_or(f64::INFINITY))
}

#[tokio::main]
async fn main() {
    if let Err(err) = run().await {
        eprintln!("scroll benchmark failed: {err}");
        std::process::exit(1);
    }
}
