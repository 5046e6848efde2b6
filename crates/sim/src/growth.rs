//! Usage that grows with time (`--usage-growth MIB_PER_MIN`), spread unevenly over the
//! accounts that can move traffic, so history, rules and charts have something to show. Each
//! kind applies it where its panel records traffic (cited there).

use std::time::Instant;

/// Traffic that accrues with time: `bytes_per_min` over the accounts, each weighted by a fixed
/// skew of its id, so a few use much and many use little.
pub struct Growth {
    bytes_per_min: f64,
    since: Instant,
}

impl Growth {
    /// `None` when there is no growth.
    pub fn new(mib_per_min: f64) -> Option<Self> {
        (mib_per_min > 0.0).then(|| Growth {
            bytes_per_min: mib_per_min * (1u64 << 20) as f64,
            since: Instant::now(),
        })
    }

    /// The bytes accrued since the last call, split over `(account, id)` by weight; empty
    /// (and the clock left running) below one byte.
    pub fn take<K>(&mut self, accounts: Vec<(K, u64)>) -> Vec<(K, i64)> {
        let minutes = self.since.elapsed().as_secs_f64() / 60.0;
        let total = self.bytes_per_min * minutes;
        if total < 1.0 {
            return Vec::new();
        }
        self.since = Instant::now();
        let sum: f64 = accounts.iter().map(|a| weight(a.1)).sum();
        accounts
            .into_iter()
            .map(|(k, id)| {
                let bytes = (total * weight(id) / sum) as i64;
                (k, bytes)
            })
            .filter(|(_, bytes)| *bytes > 0)
            .collect()
    }
}

/// An account's share weight: 1 to 10,000, squared from a hash of its id.
fn weight(id: u64) -> f64 {
    let h = id.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 57; // 0..127
    ((h % 100) + 1).pow(2) as f64
}
