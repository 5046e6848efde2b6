//! The dashboard's numbers equal what the accounts themselves add up to.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use accounts_support::{all_accounts, world};
use paneldeck_core::accounts::{
    dashboard::{BUCKETS, EXPIRING_DAYS, LIST_LEN},
    model::now_ms,
    query::AccountQuery,
    AccountStatus,
};

#[tokio::test]
async fn dashboard_numbers_add_up() {
    let w = world(30).await;
    w.core.sync_all(|_| {}).await;
    let all = all_accounts(&w.core);
    let now = now_ms();
    let d = w.core.dashboard(now).unwrap();

    assert_eq!(d.total_accounts, 120);
    assert_eq!(
        d.total_used_bytes,
        all.iter().map(|a| a.used_bytes).sum::<u64>()
    );
    assert_eq!(d.by_status.len(), AccountStatus::ALL.len());
    for s in &d.by_status {
        let n = all.iter().filter(|a| a.status_at(now) == s.status).count() as u64;
        assert_eq!(s.count, n, "{:?}", s.status);
    }
    assert_eq!(d.by_status.iter().map(|s| s.count).sum::<u64>(), 120);

    // Panels: health with counts.
    assert_eq!(d.panels.len(), 4);
    assert!(d
        .panels
        .iter()
        .all(|p| p.account_count == 30 && p.reachable == Some(true)));

    // Top usage: the biggest users, in order.
    let mut used: Vec<u64> = all
        .iter()
        .map(|a| a.used_bytes)
        .filter(|u| *u > 0)
        .collect();
    used.sort_unstable_by(|a, b| b.cmp(a));
    let top: Vec<u64> = d.top_usage.iter().map(|r| r.used_bytes).collect();
    assert_eq!(
        top,
        used.into_iter().take(LIST_LEN as usize).collect::<Vec<_>>()
    );

    // Buckets partition every account.
    assert_eq!(d.usage_buckets.len(), BUCKETS.len());
    assert_eq!(d.usage_buckets.iter().map(|b| b.count).sum::<u64>(), 120);
    for b in &d.usage_buckets {
        let n = all
            .iter()
            .filter(|a| a.used_bytes >= b.from_bytes && b.to_bytes.is_none_or(|t| a.used_bytes < t))
            .count();
        assert_eq!(b.count, n as u64, "from {} bytes", b.from_bytes);
    }

    // Expiring within 7 days, soonest first; depleted ones.
    let expiring: Vec<_> = all
        .iter()
        .filter(|a| a.expires_within(now, EXPIRING_DAYS))
        .collect();
    assert_eq!(d.expiring_soon_count, expiring.len() as u64);
    assert_eq!(d.expiring_soon.len(), expiring.len().min(LIST_LEN as usize));
    assert!(d
        .expiring_soon
        .windows(2)
        .all(|p| p[0].expires_at_ms <= p[1].expires_at_ms));
    assert!(d
        .expiring_soon
        .iter()
        .all(|r| r.expires_at_ms.is_some_and(|t| t > now)));
    // Depleted: one definition (issue #24) — the status, as the card and the filter count it.
    let depleted = all
        .iter()
        .filter(|a| a.status_at(now) == AccountStatus::Depleted)
        .count() as u64;
    assert!(depleted > 0);
    assert_eq!(d.depleted_count, depleted);
    assert!(d
        .depleted
        .iter()
        .all(|r| r.status == AccountStatus::Depleted));

    let json = serde_json::to_value(&d).unwrap();
    for key in [
        "panels",
        "byStatus",
        "topUsage",
        "usageBuckets",
        "expiringSoon",
        "depleted",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert!(json["usageBuckets"][0].get("fromBytes").is_some());
}

/// Every dashboard number equals the count of the table filter it opens (issue #24): the
/// status cards, "expiring soon" and "depleted" lists, the total.
#[tokio::test]
async fn dashboard_counts_equal_the_filters_they_open() {
    let w = world(30).await;
    w.core.sync_all(|_| {}).await;
    let now = now_ms();
    let d = w.core.dashboard(now).unwrap();
    let matched = |q: AccountQuery| w.core.query_accounts(&q).unwrap().matched;
    for s in &d.by_status {
        let q = AccountQuery {
            statuses: vec![s.status],
            ..AccountQuery::default()
        };
        assert_eq!(matched(q), s.count, "{:?}", s.status);
    }
    let expiring = AccountQuery {
        expiring_within_days: Some(EXPIRING_DAYS),
        ..AccountQuery::default()
    };
    assert_eq!(matched(expiring), d.expiring_soon_count);
    let depleted = AccountQuery {
        statuses: vec![AccountStatus::Depleted],
        ..AccountQuery::default()
    };
    assert_eq!(matched(depleted), d.depleted_count);
    assert_eq!(matched(AccountQuery::default()), d.total_accounts);
}
