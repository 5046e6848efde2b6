//! `paneldeck sync [--panel NAME]`: re-reads accounts from every panel (or one) into the
//! snapshot. Progress goes to stderr (live on a terminal); the outcome per panel to stdout.

use std::{
    collections::HashMap,
    io::{IsTerminal, Write},
    sync::Mutex,
};

use clap::Args;
use paneldeck_core::{
    accounts::{PanelHealth, SyncEvent},
    ApiError, CoreError, Paneldeck,
};

use crate::{output, Format};

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// Only this panel (name or id).
    #[arg(long)]
    panel: Option<String>,
}

/// Prints progress lines to stderr: rewritten in place on a terminal, one per panel event
/// otherwise.
struct Progress {
    names: HashMap<String, String>,
    live: bool,
    last: Mutex<HashMap<String, u64>>,
    /// Panels whose sync failed, with the error, as the sync itself said: the exit status
    /// follows these, not the database, where recording a failure may itself have failed.
    failed: Mutex<HashMap<String, ApiError>>,
}

impl Progress {
    fn show(&self, event: &SyncEvent) {
        let name = self
            .names
            .get(&event.panel_id().0)
            .map_or("?".to_owned(), |n| output::safe(n));
        if let SyncEvent::Failed { panel_id, error } = event {
            let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.insert(panel_id.0.clone(), error.clone());
        }
        let mut err = std::io::stderr().lock();
        // Rewriting the line in place only on a terminal; a file or pipe gets plain lines.
        let clear = if self.live { "\r\x1b[K" } else { "" };
        let _ = match event {
            SyncEvent::Started { .. } => writeln!(err, "{name}: syncing…"),
            SyncEvent::Progress {
                panel_id,
                fetched,
                total,
            } => {
                if !self.live {
                    return;
                }
                let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
                last.insert(panel_id.0.clone(), *fetched);
                match total {
                    Some(t) => write!(err, "\r\x1b[K{name}: {fetched}/{t} accounts"),
                    None => write!(err, "\r\x1b[K{name}: {fetched} accounts"),
                }
            }
            SyncEvent::Finished {
                accounts, took_ms, ..
            } => {
                writeln!(
                    err,
                    "{clear}{name}: {accounts} accounts in {:.1} s",
                    *took_ms as f64 / 1000.0
                )
            }
            SyncEvent::Cancelled { .. } => writeln!(err, "{clear}{name}: cancelled"),
            SyncEvent::Failed { error, .. } => {
                writeln!(
                    err,
                    "{clear}{name}: failed: {}",
                    output::safe(&error.message)
                )
            }
        };
        let _ = err.flush();
    }
}

pub async fn run(core: &Paneldeck, args: SyncArgs, format: Format) -> Result<(), ApiError> {
    let panels = core.list_panels()?;
    let names: HashMap<String, String> = panels
        .iter()
        .map(|p| (p.id.0.clone(), p.name.clone()))
        .collect();
    let progress = Progress {
        names,
        live: std::io::stderr().is_terminal(),
        last: Mutex::new(HashMap::new()),
        failed: Mutex::new(HashMap::new()),
    };
    let on_event = |e: paneldeck_core::accounts::SyncEvent| progress.show(&e);
    let mut health: Vec<PanelHealth> = match &args.panel {
        Some(name) => {
            let panel = core.find_panel(name)?;
            match core.sync_panel(&panel.id, on_event).await {
                Ok(h) => vec![h],
                Err(_) => core
                    .panel_health()?
                    .into_iter()
                    .filter(|h| h.panel_id == panel.id)
                    .collect(),
            }
        }
        None => {
            if panels.is_empty() {
                return Err(CoreError::NotFound(
                    "no panels yet: add one with `paneldeck panels add`".into(),
                )
                .into());
            }
            core.sync_all(on_event).await
        }
    };
    let failed = progress
        .failed
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    for h in &mut health {
        if let (None, Some(err)) = (&h.last_error, failed.get(&h.panel_id.0)) {
            h.last_error = Some(err.clone());
        }
    }
    match format {
        Format::Json => output::json(&health),
        Format::Table => output::table(
            &["PANEL", "ACCOUNTS", "LAST SYNC", "RESULT"],
            &health
                .iter()
                .map(|h| {
                    vec![
                        h.panel_name.clone(),
                        h.account_count.to_string(),
                        h.age_ms.map_or("never".into(), age),
                        h.last_error
                            .as_ref()
                            .map_or("ok".into(), |e| format!("failed: {}", e.message)),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
    }
    let failed: Vec<&PanelHealth> = health
        .iter()
        .filter(|h| h.last_error.is_some() || failed.contains_key(&h.panel_id.0))
        .collect();
    match failed.as_slice() {
        [] => Ok(()),
        [one] => Err(one
            .last_error
            .clone()
            .unwrap_or_else(|| CoreError::Internal("sync failed".into()).into())),
        many => Err(CoreError::Internal(format!("{} panels failed to sync", many.len())).into()),
    }
}

/// "12 s ago", "5 min ago", "3 h ago", "2 d ago".
pub fn age(ms: i64) -> String {
    let s = ms / 1000;
    match s {
        s if s < 60 => format!("{s} s ago"),
        s if s < 3600 => format!("{} min ago", s / 60),
        s if s < 86_400 => format!("{} h ago", s / 3600),
        s => format!("{} d ago", s / 86_400),
    }
}
