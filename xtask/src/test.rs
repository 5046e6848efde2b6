use anyhow::{bail, Context, Result};
use clap::Args;

use crate::{session::PrivateKeyring, util};

#[derive(Args)]
pub struct TestArgs {
    /// Skip formatting, clippy and the UI's lint/typecheck.
    #[arg(long)]
    no_lint: bool,
    /// Skip the end-to-end tests in a real window.
    #[arg(long)]
    no_e2e: bool,
}

/// Set inside the D-Bus session this task starts, so it does not start another.
const SESSION_ENV: &str = "PANELDECK_TEST_SESSION";

pub fn run(args: TestArgs) -> Result<()> {
    if cfg!(target_os = "linux") && std::env::var_os(SESSION_ENV).is_none() {
        crate::deps::ensure(true)?;
        return rerun_in_keyring_session();
    }
    if !args.no_lint {
        util::cargo(&["fmt", "--all", "--", "--check"], &[])?;
    }
    util::ensure_npm_packages()?;
    if !args.no_lint {
        util::npm(&["run", "typecheck"])?;
        util::npm(&["run", "lint"])?;
    }
    util::npm(&["test"])?;
    // The app embeds ui/dist (tauri::generate_context! checks it exists), so the UI is built
    // before clippy or the Rust tests compile the app.
    util::npm(&["run", "build"])?;
    let features = ["--features", "paneldeck-app/custom-protocol"];
    if !args.no_lint {
        let mut clippy = vec!["clippy", "--workspace", "--all-targets"];
        clippy.extend(features);
        clippy.extend(["--", "-D", "warnings"]);
        util::cargo(&clippy, &[])?;
    }
    let mut test = vec!["test", "--workspace", "--exclude", "paneldeck-e2e"];
    test.extend(features);
    util::cargo(&test, &[])?;
    if !args.no_e2e {
        // `cargo test` builds the app's test harness, not the app binary the window tests
        // launch; on a fresh clone nothing else has built it.
        let mut build = vec!["build", "-p", "paneldeck-app"];
        build.extend(features);
        util::cargo(&build, &[])?;
        end_to_end()?;
    }
    eprintln!("xtask test: all checks passed");
    Ok(())
}

/// Linux: the keyring tests need a Secret Service. Runs this same task again inside a private
/// D-Bus session whose gnome-keyring keeps its files in a temporary folder (see `session`).
fn rerun_in_keyring_session() -> Result<()> {
    let session = PrivateKeyring::new()?;
    let me = std::env::current_exe().context("cannot find the xtask binary")?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let status = session
        .command(me, &args)
        .env(SESSION_ENV, "1")
        .current_dir(util::root())
        .status()
        .context("could not start dbus-run-session")?;
    if !status.success() {
        bail!("tests failed ({status})");
    }
    if session.keyring_files().is_empty() {
        bail!("the test keyring was not kept in its private folder");
    }
    Ok(())
}

/// The CLI's benchmarks run the `paneldeck` binary, which keeps secrets in the OS keyring:
/// on Linux they run in the same private keyring session as the tests.
pub fn cli_bench() -> Result<()> {
    let bench = ["bench", "-p", "paneldeck-cli", "--bench", "live_writes"];
    if !cfg!(target_os = "linux") {
        return util::cargo(&bench, &[]);
    }
    let keyring = PrivateKeyring::new()?;
    let args: Vec<String> = bench.iter().map(|a| (*a).to_owned()).collect();
    let status = keyring
        .command("cargo", &args)
        .current_dir(util::root())
        .status()
        .context("could not start dbus-run-session")?;
    if !status.success() {
        bail!("the CLI benchmark failed ({status})");
    }
    Ok(())
}

/// Builds the UI and the app, then drives the demo into the README's screenshots.
pub fn screenshots() -> Result<()> {
    util::build_ui()?;
    util::cargo(
        &[
            "build",
            "-p",
            "paneldeck-app",
            "--features",
            "custom-protocol",
        ],
        &[],
    )?;
    let app = app_binary()?;
    let envs = [("PANELDECK_APP_BINARY", app.as_str())];
    ensure_tauri_driver()?;
    with_display(
        &["run", "-p", "paneldeck-e2e", "--bin", "screenshots"],
        &envs,
    )
}

/// The table's scrolling benchmark: a release build of the app in demo mode with 100,000 rows.
pub fn scroll_bench() -> Result<()> {
    util::build_ui()?;
    util::cargo(
        &[
            "build",
            "--release",
            "-p",
            "paneldeck-app",
            "--features",
            "custom-protocol",
        ],
        &[],
    )?;
    let app = app_binary_of("release")?;
    let envs = [("PANELDECK_APP_BINARY", app.as_str())];
    ensure_tauri_driver()?;
    with_display(
        &[
            "run",
            "--release",
            "-p",
            "paneldeck-e2e",
            "--bin",
            "scroll_bench",
        ],
        &envs,
    )
}

fn ensure_tauri_driver() -> Result<()> {
    if !util::which("tauri-driver") {
        util::cargo(&["install", "tauri-driver", "--locked"], &[])?;
    }
    Ok(())
}

fn app_binary() -> Result<String> {
    app_binary_of("debug")
}

/// The app binary of a cargo profile folder (`debug`, `release`).
fn app_binary_of(profile: &str) -> Result<String> {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| util::root().join("target"));
    let app = target.join(profile).join(if cfg!(windows) {
        "paneldeck-app.exe"
    } else {
        "paneldeck-app"
    });
    if !app.is_file() {
        bail!("the app binary {} was not built", app.display());
    }
    Ok(app.display().to_string())
}

fn end_to_end() -> Result<()> {
    ensure_tauri_driver()?;
    let app = app_binary()?;
    let envs = [("PANELDECK_APP_BINARY", app.as_str())];
    with_display(
        &["test", "-p", "paneldeck-e2e", "--", "--test-threads=1"],
        &envs,
    )
}

/// Runs cargo with a display: the current one, or a virtual one from Xvfb on a headless Linux.
fn with_display(args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    let mut envs = envs.to_vec();
    // The accessibility bus is not running in CI; without this WebKit waits for it.
    envs.push(("NO_AT_BRIDGE", "1"));
    if cfg!(target_os = "linux") && std::env::var_os("DISPLAY").is_none() {
        if !util::which("xvfb-run") {
            bail!("`xvfb-run` is missing: run `cargo xtask deps` first");
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut full = vec!["-a", "-s", "-screen 0 1400x900x24", cargo.as_str()];
        full.extend_from_slice(args);
        util::run("xvfb-run", &full, &envs)
    } else {
        util::cargo(args, &envs)
    }
}
