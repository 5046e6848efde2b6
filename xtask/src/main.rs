//! `cargo xtask <task>`: the project's build tasks, so a newcomer needs two commands.

mod bundle;
mod deps;
mod licenses;
mod session;
mod test;
mod util;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "Paneldeck build tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install the system packages the app and the tests need (Debian/Ubuntu; prints the
    /// command elsewhere).
    Deps,
    /// Install the UI's npm packages (if needed) and build it into ui/dist.
    Ui,
    /// Build the Linux installers (.deb, .rpm, AppImage; or those named) into
    /// target/release/bundle. The AppImage needs network access (linuxdeploy).
    Bundle {
        /// Only these: deb, rpm, appimage.
        bundles: Vec<String>,
    },
    /// Regenerate the licenses list the Settings page shows (from cargo metadata and the
    /// UI's package-lock.json).
    Licenses,
    /// Regenerate ui/src/bindings.ts from the Rust commands.
    Bindings,
    /// Launch the app with built-in simulated panels in a throwaway profile.
    Demo,
    /// Launch the app on your real profile.
    Run,
    /// Save the README's screenshots of the demo app into docs/screenshots (needs a display or
    /// Xvfb, tauri-driver and WebKitWebDriver).
    Screenshots,
    /// Performance figures (release build): accounts sync against simulated panels with
    /// injected latency, the accounts query over a 100,000-row snapshot, bulk runs, import
    /// validation and diff, and scrolling the table of 100,000 rows in the real window.
    Bench,
    /// Everything CI checks: formatting, clippy, Rust tests, UI typecheck/lint/tests,
    /// end-to-end tests in a real window.
    Test(test::TestArgs),
}

fn main() -> Result<()> {
    match Cli::parse().task {
        Task::Deps => deps::install(),
        Task::Ui => util::build_ui(),
        Task::Licenses => licenses::generate(),
        Task::Bundle { bundles } => bundle::run(&bundles),
        Task::Bindings => util::cargo(
            &[
                "test",
                "-p",
                "paneldeck-app",
                "--lib",
                "bindings_are_current",
            ],
            &[("PANELDECK_WRITE_BINDINGS", "1")],
        ),
        Task::Demo => launch(true),
        Task::Run => launch(false),
        Task::Screenshots => test::screenshots(),
        Task::Bench => {
            util::cargo(&["bench", "-p", "paneldeck-core"], &[])?;
            test::cli_bench()?;
            test::scroll_bench()
        }
        Task::Test(args) => test::run(args),
    }
}

fn launch(demo: bool) -> Result<()> {
    deps::ensure(false)?;
    util::build_ui()?;
    let mut args = vec![
        "run",
        "-p",
        "paneldeck-app",
        "--features",
        "custom-protocol",
        "--",
    ];
    if demo {
        args.push("--demo");
    }
    util::cargo(&args, &[])
}
