//! The engine: panels run side by side; within a panel, the kind's own bulk routes (3x-ui's)
//! take what they can and the rest goes item by item, as many at once as the panel's pace
//! allows ([`pace`](super::pace): adaptive, never above `ExecOptions::concurrency`), retrying
//! 429 / 5xx / timeouts with backoff. Every item is marked `running` in the journal before its request leaves and
//! finished after, in batched transactions. A cancel stops new requests; requests in flight
//! finish and are journaled.

use std::{
    collections::{HashMap, HashSet},
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};

use futures::StreamExt;
use paneldeck_panels::PanelError;

use super::{
    apply::{self, is_not_found, Applied},
    journal::{self, ItemUpdate},
    live_phase::take_reads,
    pace::Pacer,
    types::*,
    ItemError, ItemErrorCode, ItemOutcome,
};
use crate::{
    accounts::{convert::Converted, now_ms},
    actions::KeptCredentials,
    connect::PanelClient,
    error::{CoreError, ErrorCode, Result},
    registry::{PanelId, PanelView},
    Paneldeck,
};

/// Operations running in this process (so `running` in the journal can be told apart from
/// "interrupted").
fn live() -> &'static Mutex<HashSet<OpId>> {
    static LIVE: OnceLock<Mutex<HashSet<OpId>>> = OnceLock::new();
    LIVE.get_or_init(|| Mutex::new(HashSet::new()))
}

pub(crate) fn is_live(op: &OpId) -> bool {
    live().lock().map(|l| l.contains(op)).unwrap_or(false)
}

/// Holds an operation as live; released on drop (also when the run's task is aborted or its
/// runtime dropped).
struct LiveGuard(OpId);

impl LiveGuard {
    fn take(op: &OpId) -> Result<Self> {
        let mut set = live()
            .lock()
            .map_err(|_| CoreError::Internal("bulk registry poisoned".into()))?;
        if !set.insert(op.clone()) {
            return Err(CoreError::Conflict(format!(
                "bulk operation {op} is already running"
            )));
        }
        Ok(LiveGuard(op.clone()))
    }
}

impl Drop for LiveGuard {
    fn drop(&mut self) {
        if let Ok(mut set) = live().lock() {
            set.remove(&self.0);
        }
    }
}

/// One item to run. `uncertain`: an earlier attempt may have reached the panel (state
/// `running` at resume, or failed with a timeout): creates are looked up before being sent,
/// relative 3x-ui adjustments go as absolute values.
pub(crate) struct Work {
    pub rec: ItemRecord,
    pub uncertain: bool,
    /// A create's kept UUIDs/passwords, from the journal.
    pub kept: Option<KeptCredentials>,
}

impl Work {
    fn new(rec: ItemRecord, uncertain: bool) -> Self {
        Work {
            rec,
            uncertain,
            kept: None,
        }
    }
}

/// An item's end with any kept secret scrubbed from the panel's message (some panels repeat
/// the value they refused, e.g. "subId already in use: …").
pub(crate) fn scrubbed(mut u: ItemUpdate, kept: Option<&KeptCredentials>) -> ItemUpdate {
    if let Some(k) = kept {
        if let Some(e) = &mut u.error {
            e.detail = k.scrub(&e.detail);
        }
        u.message = u.message.map(|m| m.scrubbed(|text| k.scrub(text)));
    }
    u
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Execute,
    Resume,
    RetryFailed,
}

pub(crate) struct Runner<'a> {
    pub core: &'a Paneldeck,
    pub op: OpId,
    pub opts: ExecOptions,
    pub cancel: CancelToken,
    progress: &'a (dyn Fn(BulkProgress) + Send + Sync),
    counts: Mutex<HashMap<PanelId, (String, Counts)>>,
    /// Per panel, the accounts creates made as their answers held them ([`Applied::answered`]).
    answered: Mutex<HashMap<PanelId, Vec<Converted>>>,
}

/// A failed item's cause: the error's code, and its English text as the detail.
fn item_error(err: &CoreError) -> ItemError {
    ItemError {
        code: ItemErrorCode::Error(err.code()),
        detail: err.to_string(),
    }
}

pub(crate) fn done(seq: u32, attempts: u32, applied: Applied) -> ItemUpdate {
    ItemUpdate {
        seq,
        state: ItemState::Done,
        attempts,
        error: None,
        message: applied.message,
        result_id: applied.result_id,
    }
}

pub(crate) fn failed(seq: u32, attempts: u32, err: &CoreError) -> ItemUpdate {
    ItemUpdate {
        seq,
        state: ItemState::Failed,
        attempts,
        error: Some(item_error(err)),
        message: None,
        result_id: None,
    }
}

pub(super) fn not_started(seq: u32) -> ItemUpdate {
    ItemUpdate {
        seq,
        state: ItemState::Pending,
        attempts: 0,
        error: None,
        message: Some(ItemOutcome::NotSent),
        result_id: None,
    }
}

/// The request may have been applied although no answer came.
fn outcome_unknown(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::Timeout | ErrorCode::Network | ErrorCode::PanelFailed
    )
}

pub(super) fn retryable(code: ErrorCode) -> bool {
    outcome_unknown(code) || matches!(code, ErrorCode::RateLimited | ErrorCode::ConnectionRefused)
}

impl<'a> Runner<'a> {
    /// Marks items as about to be sent (one transaction).
    pub fn claim(&self, items: &[&ItemRecord]) -> Result<()> {
        let seqs: Vec<u32> = items.iter().map(|i| i.seq).collect();
        self.core
            .store()
            .with(|c| journal::mark_running(c, &self.op, &seqs, now_ms()))
    }

    /// Writes finished items and reports progress.
    pub fn record(&self, panel: &PanelId, updates: &mut Vec<ItemUpdate>) {
        if updates.is_empty() {
            return;
        }
        if let Err(err) = self
            .core
            .store()
            .with(|c| journal::finish_items(c, &self.op, updates, now_ms()))
        {
            tracing::error!(op = %self.op, %err, "could not write the bulk journal");
        }
        let event = {
            let Ok(mut counts) = self.counts.lock() else {
                return;
            };
            let Some((name, c)) = counts.get_mut(panel) else {
                return;
            };
            for u in updates.iter() {
                match u.state {
                    ItemState::Done => c.done += 1,
                    ItemState::Failed => c.failed += 1,
                    ItemState::Skipped => c.skipped += 1,
                    _ => continue,
                }
                c.left = c.left.saturating_sub(1);
            }
            BulkProgress {
                op_id: self.op.clone(),
                panel_id: panel.clone(),
                panel_name: name.clone(),
                counts: c.clone(),
            }
        };
        updates.clear();
        (self.progress)(event);
    }

    /// One panel's items, block by block: each block is read live and resolved
    /// ([`read_live`](Self::read_live)), then the kind's bulk routes take what they can and
    /// the rest goes item by item.
    async fn run_panel(&self, panel_id: PanelId, work: Vec<Work>) {
        let connected = self.core.panel(&panel_id).and_then(|view| {
            let client = self
                .core
                .client_with_timeout(&view, self.opts.request_timeout)?;
            Ok((view, client))
        });
        let (view, client) = match connected {
            Ok(connected) => connected,
            Err(err) => {
                let mut updates: Vec<ItemUpdate> =
                    work.iter().map(|w| failed(w.rec.seq, 0, &err)).collect();
                self.record(&panel_id, &mut updates);
                return;
            }
        };
        let generation = self
            .core
            .store()
            .with(|c| crate::accounts::snapshot::api_generation(c, &panel_id))
            .unwrap_or_default();
        let pacer = Pacer::new(self.opts.concurrency);
        // A block is what the bulk routes get at once; item by item, a few rounds of
        // requests keep the read close to its write.
        let block = if self.opts.native_bulk {
            self.opts.chunk_size
        } else {
            self.opts.concurrency * 4
        }
        .max(64);
        let mut it = work.into_iter().peekable();
        while it.peek().is_some() {
            let block = if self.opts.native_bulk {
                it.by_ref().take(block).collect()
            } else {
                take_reads(&mut it, block)
            };
            let ready = if self.cancel.is_cancelled() {
                block
            } else {
                self.read_live(&view, &client, &pacer, generation.as_deref(), block)
                    .await
            };
            let rest = if self.opts.native_bulk {
                client.ops().native_bulk(self, &panel_id, ready).await
            } else {
                ready
            };
            self.run_items(&view, &client, &pacer, rest).await;
        }
        self.core.keep_session_token(&panel_id, &client);
    }

    /// Item by item, as many requests at once as the panel's pace allows (at most
    /// `concurrency`); items are claimed in blocks just before they go.
    async fn run_items(
        &self,
        view: &PanelView,
        client: &PanelClient,
        pacer: &Pacer,
        work: Vec<Work>,
    ) {
        if work.is_empty() {
            return;
        }
        // Each claim is a commit the sending waits for: four rounds of requests per claim.
        let block = (self.opts.concurrency * 4).max(64);
        let mut blocks: Vec<Vec<Work>> = Vec::new();
        let mut it = work.into_iter().peekable();
        while it.peek().is_some() {
            blocks.push(it.by_ref().take(block).collect());
        }
        let stream = futures::stream::iter(blocks)
            .map(|block| {
                if !self.cancel.is_cancelled() {
                    let recs: Vec<&ItemRecord> = block.iter().map(|w| &w.rec).collect();
                    if let Err(err) = self.claim(&recs) {
                        tracing::error!(op = %self.op, %err, "could not write the bulk journal");
                    }
                }
                futures::stream::iter(block)
            })
            .flatten()
            .map(|w| self.run_one(view, client, pacer, w))
            .buffer_unordered(self.opts.concurrency.max(1));
        futures::pin_mut!(stream);
        let mut batch = Vec::new();
        let mut last = Instant::now();
        while let Some(update) = stream.next().await {
            batch.push(update);
            if batch.len() >= 64 || last.elapsed() >= Duration::from_millis(100) {
                self.record(&view.id, &mut batch);
                last = Instant::now();
            }
        }
        self.record(&view.id, &mut batch);
    }

    async fn run_one(
        &self,
        view: &PanelView,
        client: &PanelClient,
        pacer: &Pacer,
        w: Work,
    ) -> ItemUpdate {
        let update = self.run_one_unscrubbed(view, client, pacer, &w).await;
        scrubbed(update, w.kept.as_ref())
    }

    /// Keeps the accounts a create's answer held, for the snapshot after the run.
    fn keep_answered(&self, panel: &PanelId, accounts: Vec<Converted>) {
        if accounts.is_empty() {
            return;
        }
        if let Ok(mut answered) = self.answered.lock() {
            answered.entry(panel.clone()).or_default().extend(accounts);
        }
    }

    /// Sends one item, again after a backoff while its error may pass; the item holds a place
    /// of the panel's pace only while its request is under way.
    async fn run_one_unscrubbed(
        &self,
        view: &PanelView,
        client: &PanelClient,
        pacer: &Pacer,
        w: &Work,
    ) -> ItemUpdate {
        let seq = w.rec.seq;
        let mut uncertain = w.uncertain;
        let mut attempts = 0;
        loop {
            if self.cancel.is_cancelled() {
                // Not sent in this run (a retry waiting for its backoff counts as failed).
                return if attempts == 0 {
                    not_started(seq)
                } else {
                    failed(
                        seq,
                        attempts,
                        &CoreError::Internal("cancelled before the retry".into()),
                    )
                };
            }
            let slot = tokio::select! {
                slot = pacer.slot() => slot,
                _ = self.cancel.cancelled() => continue,
            };
            attempts += 1;
            let result = self.try_once(view, client, w, uncertain).await;
            slot.finish(matches!(&result, Err(err) if retryable(err.code())));
            let err = match result {
                Ok(mut applied) => {
                    self.keep_answered(&view.id, std::mem::take(&mut applied.answered));
                    return done(seq, attempts, applied);
                }
                Err(err) => err,
            };
            if uncertain && matches!(w.rec.op, ItemOp::Delete { .. }) && is_not_found(&err) {
                return done(seq, attempts, Applied::message(ItemOutcome::AlreadyDeleted));
            }
            let code = err.code();
            // A create can fail after the panel made the account (a follow-up step such as
            // "disable it" failed, or the answer was lost): look it up before sending again.
            if outcome_unknown(code) || w.rec.op.is_create() {
                uncertain = true;
            }
            if !retryable(code) || attempts >= self.opts.max_attempts {
                return failed(seq, attempts, &err);
            }
            let delay = match &err {
                CoreError::Panel(PanelError::RateLimited {
                    retry_after: Some(d),
                }) => *d,
                _ => self.opts.backoff * 2u32.saturating_pow(attempts - 1),
            };
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = self.cancel.cancelled() => return failed(seq, attempts, &err),
            }
        }
    }

    async fn try_once(
        &self,
        view: &PanelView,
        client: &PanelClient,
        w: &Work,
        uncertain: bool,
    ) -> Result<Applied> {
        let rec = &w.rec;
        if uncertain {
            if let ItemOp::Create { new, kept } = &rec.op {
                if let Some(id) = apply::existing(client, new).await? {
                    // The earlier attempt may have stopped between the create and the
                    // disable that follows it.
                    if kept.disabled {
                        apply::disable_created(client, &id).await?;
                    }
                    return Ok(Applied {
                        message: Some(ItemOutcome::AlreadyCreated),
                        result_id: Some(id),
                        ..Applied::default()
                    });
                }
            }
        }
        apply::apply(client, view, &rec.native_id, &rec.op, w.kept.as_ref()).await
    }
}

impl Paneldeck {
    pub(crate) async fn bulk_run(
        &self,
        op: &OpId,
        mode: Mode,
        opts: ExecOptions,
        cancel: CancelToken,
        on_progress: &(dyn Fn(BulkProgress) + Send + Sync),
    ) -> Result<BulkReport> {
        let started = Instant::now();
        let run_started_ms = now_ms();
        let _live = LiveGuard::take(op)?;
        let state = self.store().with(|c| journal::op_state(c, op))?;
        let work: Vec<Work> = match (mode, state) {
            (Mode::Execute, OpState::Planned) | (Mode::Resume, OpState::Planned) => self
                .store()
                .with(|c| journal::items(c, op, &[ItemState::Pending]))?
                .into_iter()
                .map(|rec| Work::new(rec, false))
                .collect(),
            (Mode::Execute, _) => {
                return Err(CoreError::Conflict(format!(
                    "bulk operation {op} already ran; resume it or retry its failed items"
                )))
            }
            (Mode::Resume, _) => self
                .store()
                .with(|c| journal::items(c, op, &[ItemState::Pending, ItemState::Running]))?
                .into_iter()
                .map(|rec| {
                    let uncertain = rec.state == ItemState::Running;
                    Work::new(rec, uncertain)
                })
                .collect(),
            (Mode::RetryFailed, OpState::Planned) => {
                return Err(CoreError::Conflict(format!(
                    "bulk operation {op} has not run yet"
                )))
            }
            (Mode::RetryFailed, _) => {
                let items = self.store().with(|c| {
                    let items = journal::items(c, op, &[ItemState::Failed, ItemState::Running])?;
                    journal::failed_to_pending(c, op)?;
                    Ok(items)
                })?;
                items.into_iter().map(|rec| Work::new(rec, true)).collect()
            }
        };
        let mut kept = self.store().with(|c| journal::kept(c, op))?;
        let work: Vec<Work> = work
            .into_iter()
            .map(|mut w| {
                w.kept = kept.remove(&w.rec.seq);
                w
            })
            .collect();
        self.store()
            .with(|c| journal::set_state(c, op, OpState::Running, Some(now_ms()), None))?;

        let counts: HashMap<PanelId, (String, Counts)> = self
            .store()
            .with(|c| journal::panel_counts(c, op))?
            .into_iter()
            .map(|(id, name, c)| (id, (name, c)))
            .collect();
        let runner = Runner {
            core: self,
            op: op.clone(),
            opts,
            cancel,
            progress: on_progress,
            counts: Mutex::new(counts),
            answered: Mutex::new(HashMap::new()),
        };
        let mut per_panel: Vec<(PanelId, Vec<Work>)> = Vec::new();
        for w in work {
            match per_panel.iter_mut().find(|(p, _)| *p == w.rec.panel_id) {
                Some((_, list)) => list.push(w),
                None => per_panel.push((w.rec.panel_id.clone(), vec![w])),
            }
        }
        futures::future::join_all(
            per_panel
                .into_iter()
                .map(|(panel, work)| runner.run_panel(panel, work)),
        )
        .await;

        let per = self.store().with(|c| journal::panel_counts(c, op))?;
        let total = journal::total_counts(&per);
        let cancelled = runner.cancel.is_cancelled();
        let final_state = if cancelled && total.left > 0 {
            OpState::Cancelled
        } else {
            OpState::Finished
        };
        self.store()
            .with(|c| journal::set_state(c, op, final_state, None, Some(now_ms())))?;

        if runner.opts.resync {
            let answered = runner.answered.into_inner().unwrap_or_default();
            self.read_back(op, run_started_ms, answered, runner.opts.concurrency)
                .await;
        }
        self.bulk_report(op, started.elapsed().as_millis() as i64)
    }

    pub(crate) fn bulk_report(&self, op: &OpId, took_ms: i64) -> Result<BulkReport> {
        self.store().with(|c| {
            let state = journal::op_state(c, op)?;
            let per = journal::panel_counts(c, op)?;
            let counts = journal::total_counts(&per);
            let failures = journal::items(c, op, &[ItemState::Failed])?;
            let changed = journal::items(c, op, &[ItemState::Done, ItemState::Skipped])?
                .into_iter()
                .filter(|i| !i.drift.is_empty())
                .collect();
            Ok(BulkReport {
                op_id: op.clone(),
                state,
                cancelled: state == OpState::Cancelled,
                counts,
                panels: per
                    .into_iter()
                    .map(|(panel_id, panel_name, counts)| BulkProgress {
                        op_id: op.clone(),
                        panel_id,
                        panel_name,
                        counts,
                    })
                    .collect(),
                failures,
                changed,
                took_ms,
            })
        })
    }
}
