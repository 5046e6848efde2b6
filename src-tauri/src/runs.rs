//! The bulk runs in progress in this process, so the UI can cancel them, and so a Resume
//! clicked while a cancelled run is still winding down waits for it instead of failing.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

use paneldeck_core::{
    bulk::{CancelToken, OpId},
    error::CoreError,
};
use tokio::sync::watch;

/// A run in progress: how to stop it, and how to wait until it has stopped (the receiver
/// sees the channel close when the run's [`RunTicket`] is dropped, however the run ends).
#[derive(Clone)]
struct RunSlot {
    cancel: CancelToken,
    ended: watch::Receiver<()>,
}

#[derive(Default)]
pub struct RunRegistry {
    runs: Mutex<HashMap<OpId, RunSlot>>,
}

/// Holds an operation as running; dropping it unregisters the run and wakes whoever waits.
pub struct RunTicket<'a> {
    registry: &'a RunRegistry,
    op_id: OpId,
    pub cancel: CancelToken,
    // Dropped after `drop` removed the entry: a waiter that wakes finds the slot free.
    _ended: watch::Sender<()>,
}

impl Drop for RunTicket<'_> {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.op_id);
    }
}

impl RunRegistry {
    fn lock(&self) -> MutexGuard<'_, HashMap<OpId, RunSlot>> {
        // A panic while holding it cannot leave the map half-changed: keep using it.
        self.runs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a run of `op_id`. A run already going is a conflict, unless it was
    /// cancelled: then this waits until it has finished the requests in flight.
    pub async fn register(&self, op_id: &OpId) -> Result<RunTicket<'_>, CoreError> {
        let cancel = CancelToken::new();
        let (ended_tx, ended) = watch::channel(());
        loop {
            let winding_down = {
                let mut runs = self.lock();
                match runs.get(op_id) {
                    None => {
                        let slot = RunSlot {
                            cancel: cancel.clone(),
                            ended: ended.clone(),
                        };
                        runs.insert(op_id.clone(), slot);
                        None
                    }
                    Some(slot) if slot.cancel.is_cancelled() => Some(slot.ended.clone()),
                    Some(_) => {
                        return Err(CoreError::Conflict(format!(
                            "operation {op_id} is already running"
                        )))
                    }
                }
            };
            match winding_down {
                None => break,
                // `Err` = the sender is gone: that run has ended and left the map.
                Some(mut previous) => while previous.changed().await.is_ok() {},
            }
        }
        Ok(RunTicket {
            registry: self,
            op_id: op_id.clone(),
            cancel,
            _ended: ended_tx,
        })
    }

    /// Asks a running operation to stop. False when it is not running.
    pub fn cancel(&self, op_id: &OpId) -> bool {
        match self.lock().get(op_id) {
            Some(slot) => {
                slot.cancel.cancel();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::time::Duration;

    use super::*;

    fn op() -> OpId {
        OpId("op-1".into())
    }

    #[tokio::test]
    async fn a_second_run_of_a_live_operation_is_a_conflict() {
        let runs = RunRegistry::default();
        let _first = runs.register(&op()).await.unwrap();
        let second = runs.register(&op()).await;
        assert!(matches!(second, Err(CoreError::Conflict(_))));
    }

    #[tokio::test]
    async fn resume_after_cancel_waits_for_the_cancelled_run_to_end() {
        let runs = std::sync::Arc::new(RunRegistry::default());
        let first = runs.register(&op()).await.unwrap();
        assert!(runs.cancel(&op()));
        assert!(first.cancel.is_cancelled());
        let (started_tx, mut started_rx) = tokio::sync::oneshot::channel();
        let waiter = {
            let runs = runs.clone();
            tokio::spawn(async move {
                let ticket = runs.register(&op()).await.map(|t| t.cancel.is_cancelled());
                let _ = started_tx.send(());
                ticket
            })
        };
        // Still winding down: the resume has not started.
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(started_rx.try_recv().is_err());
        drop(first);
        // A fresh, not-cancelled run.
        assert_eq!(waiter.await.unwrap().ok(), Some(false));
        assert!(
            !runs.cancel(&op()),
            "the resumed run ended and left the map"
        );
    }

    #[tokio::test]
    async fn cancel_of_an_unknown_operation_says_so() {
        assert!(!RunRegistry::default().cancel(&op()));
    }
}
