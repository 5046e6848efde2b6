//! One log for the app and the CLI: `<profile>/logs/paneldeck.log` (level `info`, or
//! `PANELDECK_LOG`), plus stderr at a level of the caller's choosing. Colour only when stderr
//! is a terminal and `NO_COLOR` is unset. Secrets never reach either: they are `Secret`s,
//! whose `Debug` prints `<redacted>`.

use std::{fs::OpenOptions, io::IsTerminal, path::Path, sync::Mutex};

use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter, Layer};

fn filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env("PANELDECK_LOG").unwrap_or_else(|_| EnvFilter::new(default))
}

/// Whether stderr gets colours (and the CLI its progress line): a terminal, and the user did
/// not ask for none (<https://no-color.org>).
pub fn stderr_is_interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Starts logging. `stderr_level`: what also goes to stderr (`warn` for the CLI, whose stderr
/// is the user's terminal). A log file that cannot be opened leaves only stderr.
pub fn init(log_dir: &Path, stderr_level: &str) {
    let file = std::fs::create_dir_all(log_dir).and_then(|()| {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(log_dir.join("paneldeck.log"))
    });
    let file_layer = file.ok().map(|f| {
        fmt::layer()
            .with_ansi(false)
            .with_writer(Mutex::new(f))
            .with_filter(filter("info"))
    });
    let stderr_layer = fmt::layer()
        .with_ansi(stderr_is_interactive())
        .with_writer(std::io::stderr)
        .with_filter(filter(stderr_level));
    if tracing_subscriber::registry()
        .with(file_layer)
        .with(stderr_layer)
        .try_init()
        .is_err()
    {
        eprintln!("logging was already initialised");
    }
}
