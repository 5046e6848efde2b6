//! A query's filters (search words, kinds, statuses, expiry window, traffic, online, group,
//! protocol), prepared once and run over every row.

use std::sync::Arc;

use paneldeck_panels::PanelKind;

use super::{Hit, PanelMeta, Row};
use crate::accounts::{
    model::{AccountStatus, DAY_MS},
    query::AccountQuery,
};

/// The filters of a query, prepared once.
pub(super) struct Matcher {
    words: Vec<String>,
    statuses: Vec<AccountStatus>,
    kinds: Vec<PanelKind>,
    expiring: Option<(i64, i64)>,
    depleted: bool,
    online: Option<bool>,
    group: Option<String>,
    protocol: Option<String>,
    now_ms: i64,
}

impl Matcher {
    pub(super) fn new(q: &AccountQuery, now_ms: i64) -> Self {
        Matcher {
            words: q.search.split_whitespace().map(str::to_lowercase).collect(),
            statuses: q.statuses.clone(),
            kinds: q.kinds.clone(),
            expiring: q
                .expiring_within_days
                .map(|d| (now_ms, now_ms + i64::from(d) * DAY_MS)),
            depleted: q.depleted,
            online: q.online,
            group: q
                .group
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_lowercase),
            protocol: q
                .protocol
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| format!(",{},", p.to_lowercase())),
            now_ms,
        }
    }

    pub(super) fn matches(&self, r: &Row) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&r.kind))
            && self.words.iter().all(|w| r.search.contains(w.as_str()))
            && (self.statuses.is_empty() || self.statuses.contains(&r.status(self.now_ms)))
            && self
                .expiring
                .is_none_or(|(from, to)| r.expires_at_ms.is_some_and(|t| t > from && t <= to))
            && (!self.depleted || r.depleted())
            && self
                .online
                .is_none_or(|want| (r.online == Some(true)) == want)
            && self
                .group
                .as_ref()
                .is_none_or(|g| r.group.as_ref().is_some_and(|rg| rg.to_lowercase() == *g))
            && self
                .protocol
                .as_ref()
                .is_none_or(|p| r.protocols.contains(p.as_str()))
    }
}

/// The matching rows and the snapshot's size.
pub(super) fn hits<'a>(
    panels: &'a [(PanelMeta, Arc<Vec<Row>>)],
    q: &AccountQuery,
    now_ms: i64,
) -> (Vec<Hit<'a>>, u64) {
    let m = Matcher::new(q, now_ms);
    let mut out = Vec::new();
    let mut total = 0u64;
    for (meta, rows) in panels {
        total += rows.len() as u64;
        if !q.panel_ids.is_empty() && !q.panel_ids.contains(&meta.id) {
            continue;
        }
        out.extend(rows.iter().filter(|r| m.matches(r)).map(|r| (meta, r)));
    }
    (out, total)
}
