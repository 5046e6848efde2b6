//! Long jobs outside the bulk engine's runs (account export, QR images, a bulk preview) report how far they are and
//! stop when asked. The UI turns the steps into a bar, a throughput and an ETA; a cancelled
//! job returns [`CoreError::Cancelled`] and leaves no file behind.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use serde::Serialize;

pub use crate::bulk::CancelToken;
use crate::error::{CoreError, Result};

/// What a job is doing: its steps are counted in this phase's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum JobPhase {
    /// Planning a bulk change or create, one account a step.
    Planning,
    /// Reading accounts' links (from the snapshot or the panels), one account a step.
    Reading,
    /// Drawing QR images, one link a step.
    Drawing,
    /// Writing a file, one account a step.
    Writing,
}

/// `done` of `total` steps of `phase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct JobStep {
    pub phase: JobPhase,
    #[specta(type = specta_typescript::Number)]
    pub done: u64,
    #[specta(type = specta_typescript::Number)]
    pub total: u64,
}

type OnStep = Arc<dyn Fn(JobStep) + Send + Sync>;

/// Steps are reported this often at most (and always the first and the last of a phase):
/// enough for a smooth bar, few enough events for 100,000 steps.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// A job's progress sink and its cancel token.
pub struct Job {
    on_step: OnStep,
    cancel: CancelToken,
    last_report: Option<Instant>,
}

impl Job {
    pub fn new(on_step: impl Fn(JobStep) + Send + Sync + 'static, cancel: CancelToken) -> Self {
        Job {
            on_step: Arc::new(on_step),
            cancel,
            last_report: None,
        }
    }

    /// A job nobody watches and nobody cancels (the CLI, tests).
    pub fn quiet() -> Self {
        Job::new(|_| {}, CancelToken::new())
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Records that `done` of `total` steps of `phase` are done; `Err(Cancelled)` once the
    /// user asked to stop, so the caller drops what it has and returns.
    pub fn step(&mut self, phase: JobPhase, done: u64, total: u64) -> Result<()> {
        if self.cancel.is_cancelled() {
            return Err(CoreError::Cancelled);
        }
        let now = Instant::now();
        let due = self
            .last_report
            .is_none_or(|at| now.duration_since(at) >= REPORT_EVERY);
        if due || done == 0 || done >= total {
            self.last_report = Some(now);
            (self.on_step)(JobStep { phase, done, total });
        }
        Ok(())
    }

    /// [`Job::step`] for code that writes through `std::io`: a cancel is an `Interrupted`
    /// error, which [`Job::error`] turns back into [`CoreError::Cancelled`].
    pub fn io_step(&mut self, phase: JobPhase, done: u64, total: u64) -> std::io::Result<()> {
        self.step(phase, done, total)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::Interrupted, "cancelled"))
    }

    /// `err` as the job's outcome: `Cancelled` when the job was cancelled, whatever failed.
    pub fn error(&self, err: CoreError) -> CoreError {
        if self.is_cancelled() {
            CoreError::Cancelled
        } else {
            err
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn steps_are_reported_first_and_last_and_a_cancel_stops_the_next() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let cancel = CancelToken::new();
        let sink = seen.clone();
        let mut job = Job::new(
            move |s| sink.lock().unwrap_or_else(|e| e.into_inner()).push(s.done),
            cancel.clone(),
        );
        for done in 0..=1000 {
            assert!(job.step(JobPhase::Writing, done, 1000).is_ok());
        }
        let reported = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
        assert_eq!(reported.first(), Some(&0));
        assert_eq!(reported.last(), Some(&1000));
        assert!(reported.len() < 1001, "throttled: {}", reported.len());
        cancel.cancel();
        assert!(matches!(
            job.step(JobPhase::Writing, 1, 2),
            Err(CoreError::Cancelled)
        ));
        assert!(matches!(
            job.error(CoreError::Internal("x".into())),
            CoreError::Cancelled
        ));
    }
}
