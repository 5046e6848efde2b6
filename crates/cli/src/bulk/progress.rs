//! Progress on stderr while a bulk run goes, and Ctrl-C to cancel it.

use std::{
    collections::HashMap,
    io::{IsTerminal, Write},
    sync::Mutex,
};

use paneldeck_core::bulk::{BulkProgress, CancelToken, Counts};

/// Progress on stderr: a bar rewritten in place on a terminal, nothing otherwise.
pub struct Bar {
    live: bool,
    panels: Mutex<HashMap<String, Counts>>,
}

impl Bar {
    pub fn new() -> Self {
        Bar {
            live: std::io::stderr().is_terminal(),
            panels: Mutex::new(HashMap::new()),
        }
    }

    pub fn show(&self, p: &BulkProgress) {
        if !self.live {
            return;
        }
        let mut panels = self.panels.lock().unwrap_or_else(|e| e.into_inner());
        panels.insert(p.panel_id.0.clone(), p.counts.clone());
        let (mut total, mut finished, mut failed) = (0u32, 0u32, 0u32);
        for c in panels.values() {
            total += c.total - c.skipped;
            finished += c.done + c.failed;
            failed += c.failed;
        }
        let width = 30usize;
        let filled = if total == 0 {
            width
        } else {
            (finished as usize * width) / total as usize
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[K[{}{}] {finished}/{total}  failed {failed}",
            "#".repeat(filled),
            ".".repeat(width - filled)
        );
        let _ = err.flush();
    }

    pub fn end(&self) {
        if self.live {
            let _ = writeln!(std::io::stderr());
        }
    }
}

/// Ctrl-C cancels the run (new requests stop; the journal keeps what ran).
pub fn cancel_on_ctrl_c() -> CancelToken {
    let cancel = CancelToken::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\ncancelling: requests in flight finish, no new ones start…");
            c.cancel();
        }
    });
    cancel
}
