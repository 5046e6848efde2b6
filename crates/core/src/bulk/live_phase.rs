//! The engine's read before the write ([`live`](super::live)): a block of items is read from
//! the panel (at the panel's pace, retried like writes), resolved against what the panel
//! holds, journaled in one transaction, and only then sent. Items already read in an earlier
//! run (resume, retry) go as journaled: their op is absolute by then.

use std::sync::Arc;

use futures::StreamExt;
use paneldeck_panels::PanelError;

use super::{
    exec::{done, failed, not_started, retryable, Runner, Work},
    journal::{self, ItemUpdate},
    live::{drift_english, reads_live, resolve, IfChanged},
    pace::Pacer,
    types::*,
    Applied, ItemError, ItemErrorCode, ItemOutcome,
};
use crate::{
    accounts::{convert::Converted, fetch::READ_MANY_FROM, now_ms},
    connect::PanelClient,
    error::{CoreError, Result},
    registry::PanelView,
};

/// A skipped item's end.
pub(crate) fn skipped(seq: u32, reason: SkipReason, detail: impl Into<String>) -> ItemUpdate {
    ItemUpdate {
        seq,
        state: ItemState::Skipped,
        attempts: 0,
        error: Some(ItemError {
            code: ItemErrorCode::Skip(reason),
            detail: detail.into(),
        }),
        message: None,
        result_id: None,
    }
}

/// The next block for the item-by-item path: up to `reads` items that are read live first,
/// and with them every item that goes without a read (creates, items read in an earlier run).
/// A block drains before the next one starts, so blocks are kept only where a read must stay
/// close to its write; 200 creates in blocks of 64 idled the panel at three block ends.
pub(super) fn take_reads(
    it: &mut std::iter::Peekable<impl Iterator<Item = Work>>,
    reads: usize,
) -> Vec<Work> {
    let mut block = Vec::new();
    let mut counted = 0;
    while let Some(w) = it.next_if(|w| counted < reads || !needs_read(w)) {
        counted += usize::from(needs_read(&w));
        block.push(w);
    }
    block
}

fn needs_read(w: &Work) -> bool {
    reads_live(&w.rec.op) && !w.rec.live_read
}

/// An account as read live (`None`: the panel no longer has it); one failed read of
/// everything fails each item it was to read.
type Read = std::result::Result<Option<Converted>, Arc<CoreError>>;

/// Where an item read live goes next.
enum Next {
    /// Resolved against the live account: journaled, then sent.
    Send(Work),
    /// Resolved, but left alone for what changed on the panel: journaled, ended skipped.
    SkipChanged(ItemRecord, ItemUpdate),
    /// Ends without a write (gone, cannot apply to the live value, the read failed).
    End(ItemUpdate),
}

impl Runner<'_> {
    /// Reads `block`'s accounts live and resolves them; returns what is to be sent.
    pub(super) async fn read_live(
        &self,
        view: &PanelView,
        client: &PanelClient,
        pacer: &Pacer,
        generation: Option<&str>,
        block: Vec<Work>,
    ) -> Vec<Work> {
        let (to_read, mut ready): (Vec<Work>, Vec<Work>) = block.into_iter().partition(needs_read);
        if to_read.is_empty() {
            return ready;
        }
        let read: Vec<(Work, Read)> = if to_read.len() >= READ_MANY_FROM {
            self.read_many(view, client, pacer, generation, to_read)
                .await
        } else {
            self.read_each(view, client, pacer, generation, to_read)
                .await
        };
        let mut resolved = Vec::new();
        let mut ended = Vec::new();
        for (w, found) in read {
            match self.next(w, found) {
                Next::Send(w) => {
                    resolved.push(w.rec.clone());
                    ready.push(w);
                }
                Next::SkipChanged(rec, update) => {
                    resolved.push(rec);
                    ended.push(update);
                }
                Next::End(update) => ended.push(update),
            }
        }
        let refs: Vec<&ItemRecord> = resolved.iter().collect();
        if let Err(err) = self
            .core
            .store()
            .with(|c| journal::set_live(c, &self.op, &refs))
        {
            tracing::error!(op = %self.op, %err, "could not write the bulk journal");
        }
        self.record(&view.id, &mut ended);
        ready
    }

    fn next(&self, mut w: Work, found: Read) -> Next {
        let seq = w.rec.seq;
        let live = match found {
            Err(_) if self.cancel.is_cancelled() => return Next::End(not_started(seq)),
            // No write was sent: a retry reads it again.
            Err(err) => return Next::End(failed(seq, 0, &err)),
            Ok(None) if matches!(w.rec.op, ItemOp::Delete { .. }) => {
                let gone = Applied::message(ItemOutcome::AlreadyDeleted);
                return Next::End(done(seq, 0, gone));
            }
            Ok(None) => {
                let why = "It is no longer on the panel.";
                return Next::End(skipped(seq, SkipReason::NotFound, why));
            }
            Ok(Some(converted)) => converted.account,
        };
        let resolved = match resolve(&w.rec.op, &w.rec.changes, &live) {
            Ok(resolved) => resolved,
            Err(skip) => return Next::End(skipped(seq, skip.reason, skip.message)),
        };
        w.rec.op = resolved.op;
        w.rec.changes = resolved.changes;
        w.rec.drift = resolved.drift;
        w.rec.live_read = true;
        if resolved.would_undo {
            let why = format!(
                "{}; not written, as the change would undo it",
                drift_english(&w.rec.drift)
            );
            return Next::SkipChanged(w.rec, skipped(seq, SkipReason::ChangedOnPanel, why));
        }
        if !w.rec.drift.is_empty() && self.opts.if_changed == IfChanged::Skip {
            let why = drift_english(&w.rec.drift);
            return Next::SkipChanged(w.rec, skipped(seq, SkipReason::ChangedOnPanel, why));
        }
        Next::Send(w)
    }

    /// The block through the kind's batch read ([`Connected::fetch_many`]) on one place of
    /// the pace (retried as one read), or one by one when the kind has none.
    ///
    /// [`Connected::fetch_many`]: crate::kinds::Connected::fetch_many
    async fn read_many(
        &self,
        view: &PanelView,
        client: &PanelClient,
        pacer: &Pacer,
        generation: Option<&str>,
        block: Vec<Work>,
    ) -> Vec<(Work, Read)> {
        let ids: Vec<&str> = block.iter().map(|w| w.rec.native_id.as_str()).collect();
        if client.ops().fetch_many(view, &ids, now_ms()).is_none() {
            drop(ids);
            return self.read_each(view, client, pacer, generation, block).await;
        }
        let listed = self
            .read_again(pacer, || async {
                match client.ops().fetch_many(view, &ids, now_ms()) {
                    Some(many) => many.await,
                    None => Err(CoreError::Internal("the batch read went away".into())),
                }
            })
            .await;
        drop(ids);
        match listed {
            Ok(mut found) => block
                .into_iter()
                .map(|w| {
                    let live = found.remove(&w.rec.native_id);
                    (w, Ok(live))
                })
                .collect(),
            Err(err) => {
                let err = Arc::new(err);
                block.into_iter().map(|w| (w, Err(err.clone()))).collect()
            }
        }
    }

    async fn read_each(
        &self,
        view: &PanelView,
        client: &PanelClient,
        pacer: &Pacer,
        generation: Option<&str>,
        block: Vec<Work>,
    ) -> Vec<(Work, Read)> {
        futures::stream::iter(block)
            .map(|w| async move {
                let found = self.read_one(view, client, pacer, generation, &w).await;
                (w, found.map_err(Arc::new))
            })
            .buffer_unordered(self.opts.concurrency.max(1))
            .collect()
            .await
    }

    /// One account read at the panel's pace.
    async fn read_one(
        &self,
        view: &PanelView,
        client: &PanelClient,
        pacer: &Pacer,
        generation: Option<&str>,
        w: &Work,
    ) -> Result<Option<Converted>> {
        self.read_again(pacer, || {
            client
                .ops()
                .fetch_one(view, &w.rec.native_id, generation, now_ms())
        })
        .await
    }

    /// A read on one place of the panel's pace; 429 / 5xx / timeouts back off and read
    /// again, as writes do.
    async fn read_again<T, F, Fut>(&self, pacer: &Pacer, mut read: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let cancelled = || CoreError::Internal("cancelled".into());
        let mut attempts = 0;
        loop {
            let slot = tokio::select! {
                slot = pacer.slot() => slot,
                _ = self.cancel.cancelled() => return Err(cancelled()),
            };
            attempts += 1;
            let found = read().await;
            let again = matches!(&found, Err(err) if retryable(err.code()));
            slot.finish(again);
            if !again || attempts >= self.opts.max_attempts {
                return found;
            }
            let delay = match &found {
                Err(CoreError::Panel(PanelError::RateLimited {
                    retry_after: Some(d),
                })) => *d,
                _ => self.opts.backoff * 2u32.saturating_pow(attempts - 1),
            };
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = self.cancel.cancelled() => return Err(cancelled()),
            }
        }
    }
}
