use std::{fs::OpenOptions, path::Path, sync::Mutex};

use tracing_subscriber::EnvFilter;

/// Logs go to `<profile>/logs/paneldeck.log` (and stderr). Secrets never reach them: they are
/// `Secret`s, whose Debug prints `<redacted>`.
pub fn init(log_dir: &Path) {
    let filter =
        EnvFilter::try_from_env("PANELDECK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_dir.join("paneldeck.log"));
    let result = match file {
        Ok(file) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(Mutex::new(file))
            .try_init(),
        Err(_) => tracing_subscriber::fmt().with_env_filter(filter).try_init(),
    };
    if result.is_err() {
        eprintln!("logging was already initialised");
    }
}
