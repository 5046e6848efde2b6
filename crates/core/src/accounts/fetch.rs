//! Reading every account of one panel with at most `concurrency` requests in flight: each
//! kind reads its own records (`kinds::<kind>::fetch`) with the paging helpers here. Paged
//! lists: the first page tells the total, the rest are fetched together.

use std::future::Future;

use futures::{future::BoxFuture, stream::FuturesUnordered, StreamExt};
use paneldeck_panels::PanelError;

use super::{convert::Converted, model::AccountKey};
use crate::{
    connect::PanelClient,
    error::Result,
    registry::{PanelId, PanelView},
};

/// Everything read from one panel.
pub struct Fetched {
    pub records: Records,
    pub version: Option<String>,
    pub api_generation: Option<String>,
}

/// The typed records a panel answered with, not yet converted: converting 25,000 of them is
/// CPU work the caller runs off the async threads ([`Records::into_converted`]).
pub struct Records(Box<dyn IntoAccounts>);

/// A kind's records, converting themselves.
pub(crate) trait IntoAccounts: Send {
    /// The accounts one by one, each record dropped once converted.
    fn into_accounts<'a>(
        self: Box<Self>,
        panel: &'a PanelId,
        now_ms: i64,
    ) -> Box<dyn Iterator<Item = Converted> + Send + 'a>;
}

impl Records {
    pub(crate) fn new(records: impl IntoAccounts + 'static) -> Self {
        Records(Box::new(records))
    }

    /// The accounts one by one, each record dropped once converted, so a panel's records
    /// and its accounts never all exist in memory at once.
    pub fn into_converted(
        self,
        panel: &PanelId,
        now_ms: i64,
    ) -> Box<dyn Iterator<Item = Converted> + Send + '_> {
        self.0.into_accounts(panel, now_ms)
    }
}

/// Called after each page with (accounts so far, total if known).
pub type Progress<'a> = &'a (dyn Fn(u64, Option<u64>) + Send + Sync);

/// Boxed (and so checked `Send` here, once) to keep callers' futures `Send` for the app.
pub fn fetch_panel<'a>(
    client: &'a PanelClient,
    panel: &'a PanelView,
    concurrency: usize,
    progress: Progress<'a>,
) -> BoxFuture<'a, Result<Fetched>> {
    client.ops().fetch_all(panel, concurrency.max(1), progress)
}

/// From this many accounts on, a kind's batch read ([`Connected::fetch_many`]) is used
/// rather than one read per account.
///
/// [`Connected::fetch_many`]: crate::kinds::Connected::fetch_many
pub(crate) const READ_MANY_FROM: usize = 8;

/// Accounts read again together, by native id.
pub(crate) type Many = std::collections::HashMap<String, Converted>;

/// Usernames per request of a kind whose user list filters by an exact list of names
/// (Marzban's and PasarGuard's `GET /api/users?username=…`): keeps the URL well under common
/// limits.
pub(crate) const NAMES_PER_READ: usize = 100;

/// Reads `names` through `read` (one request per `NAMES_PER_READ` names, two at a time) and
/// keeps the users whose name is exactly one asked for: a single name may be a substring
/// search on some versions. `read` answers a chunk of names with users; `convert` gives a
/// user's name and its account.
pub(crate) async fn read_by_names<U, Fut>(
    names: &[&str],
    read: impl Fn(Vec<String>) -> Fut,
    convert: impl Fn(&U) -> (String, Converted),
) -> crate::error::Result<Many>
where
    Fut: std::future::Future<Output = std::result::Result<Vec<U>, paneldeck_panels::PanelError>>,
{
    use futures::{StreamExt, TryStreamExt};
    let wanted: std::collections::HashSet<&str> = names.iter().copied().collect();
    let chunks: Vec<Vec<String>> = names
        .chunks(NAMES_PER_READ)
        .map(|chunk| chunk.iter().map(|n| (*n).to_owned()).collect())
        .collect();
    let answers: Vec<Vec<U>> = futures::stream::iter(chunks)
        .map(read)
        .buffer_unordered(2)
        .try_collect()
        .await?;
    Ok(answers
        .iter()
        .flatten()
        .map(&convert)
        .filter(|(name, _)| wanted.contains(name.as_str()))
        .collect())
}

/// The accounts of `fetched` whose native ids are in `ids` (a kind that reads many accounts
/// by reading them all).
pub(crate) fn listed(fetched: Fetched, panel: &PanelId, ids: &[&str], now_ms: i64) -> Many {
    let wanted: std::collections::HashSet<&str> = ids.iter().copied().collect();
    fetched
        .records
        .into_converted(panel, now_ms)
        .filter(|c| wanted.contains(c.account.key.native_id.as_str()))
        .map(|c| (c.account.key.native_id.clone(), c))
        .collect()
}

/// Re-reads one account from its panel. `Ok(None)` when the panel no longer has it.
pub async fn fetch_one(
    client: &PanelClient,
    panel: &PanelView,
    key: &AccountKey,
    api_generation: Option<&str>,
    now_ms: i64,
) -> Result<Option<Converted>> {
    client
        .ops()
        .fetch_one(panel, &key.native_id, api_generation, now_ms)
        .await
}

/// The first page, with room for the `total` its answer announced (within reason: the number
/// comes from the panel), so the pages to come are appended without copying the list again.
pub(crate) fn with_room<T>(mut first: Vec<T>, total: u64) -> Vec<T> {
    const MOST: u64 = 1_000_000;
    let more = total.min(MOST).saturating_sub(first.len() as u64);
    first.reserve(usize::try_from(more).unwrap_or(0));
    first
}

/// Fetches `rest` (each yields one page) with bounded concurrency and appends the pages to
/// `out` in order.
pub(crate) async fn pages<T, F, Fut>(
    concurrency: usize,
    mut out: Vec<T>,
    rest: impl Iterator<Item = u64>,
    fetch: F,
    mut on_page: impl FnMut(&[T]),
) -> std::result::Result<Vec<T>, PanelError>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = std::result::Result<Vec<T>, PanelError>>,
{
    let pages = in_order(concurrency, rest.map(fetch), |page| on_page(page)).await?;
    out.extend(pages.into_iter().flatten());
    Ok(out)
}

/// Runs `calls` with at most `concurrency` in flight; returns their answers in the calls'
/// order, and shows each to `on_answer` as it arrives.
///
/// A call starts as soon as any other finishes, not only when the oldest does (as with
/// `buffered`): one slow answer would otherwise hold back every call behind it while the
/// other slots sat idle.
pub(crate) async fn in_order<T, Fut>(
    concurrency: usize,
    calls: impl Iterator<Item = Fut>,
    mut on_answer: impl FnMut(&T),
) -> std::result::Result<Vec<T>, PanelError>
where
    Fut: Future<Output = std::result::Result<T, PanelError>>,
{
    async fn numbered<T, E>(
        i: usize,
        call: impl Future<Output = Result<T, E>>,
    ) -> Result<(usize, T), E> {
        call.await.map(|answer| (i, answer))
    }
    let mut calls = calls.enumerate();
    let mut running = FuturesUnordered::new();
    let mut arrived = Vec::new();
    loop {
        while running.len() < concurrency.max(1) {
            let Some((i, call)) = calls.next() else { break };
            running.push(numbered(i, call));
        }
        let Some(answer) = running.next().await else {
            break;
        };
        let (i, answer) = answer?;
        on_answer(&answer);
        arrived.push((i, answer));
    }
    arrived.sort_unstable_by_key(|(i, _)| *i);
    Ok(arrived.into_iter().map(|(_, answer)| answer).collect())
}

/// Both at once, or one after the other when only one request may be in flight.
pub(crate) async fn pair<A, B>(
    concurrency: usize,
    a: impl Future<Output = A>,
    b: impl Future<Output = B>,
) -> (A, B) {
    if concurrency > 1 {
        tokio::join!(a, b)
    } else {
        let a = a.await;
        (a, b.await)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use std::{
        sync::atomic::{AtomicUsize, Ordering},
        time::Duration,
    };

    use tokio::sync::Notify;

    use super::*;

    /// A page that is slow to answer does not hold back the requests behind it, and the
    /// pages still come out in order.
    #[tokio::test]
    async fn a_slow_page_does_not_hold_back_the_rest() {
        let (finished, released) = (&AtomicUsize::new(0), &Notify::new());
        // Page 2 answers only once 8 later pages have: twice the 4 allowed in flight, so
        // they can only finish if new requests start while page 2 is still waiting.
        let fetch = move |p: u64| async move {
            if p == 2 {
                released.notified().await;
            } else {
                tokio::task::yield_now().await;
                if finished.fetch_add(1, Ordering::SeqCst) + 1 == 8 {
                    released.notify_one();
                }
            }
            Ok::<_, PanelError>(vec![p * 10, p * 10 + 1])
        };
        let mut seen_pages = 0;
        let out = tokio::time::timeout(
            Duration::from_secs(10),
            pages(4, vec![1], 2..=12, fetch, |_| seen_pages += 1),
        )
        .await
        .expect("the requests behind a slow page waited for it");
        let expected: Vec<u64> = std::iter::once(1)
            .chain((2..=12).flat_map(|p| [p * 10, p * 10 + 1]))
            .collect();
        assert_eq!(out.expect("every page answered"), expected);
        assert_eq!(seen_pages, 11);
    }
}
