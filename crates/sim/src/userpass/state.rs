//! In-memory sub-users of the simulated user-pass provider, and their deterministic seed.

use std::{collections::BTreeMap, sync::Mutex};

use rand::{seq::SliceRandom, Rng};
use serde::Serialize;

use crate::{clock::iso8601, seed, SimOptions};

/// One sub-user, serialised exactly as the provider sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubUser {
    pub id: u64,
    pub user_name: String,
    pub use_key: String,
    /// 1 active, 2 disabled, 3 blocked.
    pub status: u8,
    pub note: Option<String>,
    /// Bytes; -1 = unlimited.
    pub usage_cap: i64,
    /// -1 = unlimited.
    pub ip_usage_cap: i64,
    /// Bytes.
    pub data_used: u64,
    pub ip_used: u64,
    pub created_at: String,
    pub updated_at: String,
}

/// Where the simulator accepts the API key (the real provider's docs disagree with its spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyPlacement {
    /// `api-key` header or query parameter.
    #[default]
    Either,
    HeaderOnly,
    QueryOnly,
}

#[derive(Debug)]
pub struct State {
    pub api_key: String,
    pub placement: KeyPlacement,
    pub subs: Mutex<Subs>,
}

#[derive(Debug, Default)]
pub struct Subs {
    /// Added and removed only through [`Subs::insert`] and [`Subs::remove`], which keep `ids`.
    pub by_id: BTreeMap<u64, SubUser>,
    /// The keys of `by_id` in order, so a page of a listing by id is found by position: a
    /// sync reads hundreds of pages, and walking the map to the 25,000th sub-user under the
    /// lock took milliseconds a page.
    ids: Vec<u64>,
    pub next_id: u64,
}

impl Subs {
    pub fn insert(&mut self, sub: SubUser) {
        let id = sub.id;
        if self.by_id.insert(id, sub).is_none() {
            // Ids only grow, so this is a push; the search keeps it right if one did not.
            let at = self.ids.partition_point(|i| *i < id);
            self.ids.insert(at, id);
        }
    }

    pub fn remove(&mut self, id: u64) -> Option<SubUser> {
        let sub = self.by_id.remove(&id)?;
        if let Ok(at) = self.ids.binary_search(&id) {
            self.ids.remove(at);
        }
        Some(sub)
    }

    /// `take` sub-users from position `skip` of id order (descending: from the highest id).
    pub fn page_by_id(&self, descending: bool, skip: usize, take: usize) -> Vec<&SubUser> {
        let ids: Box<dyn Iterator<Item = &u64>> = if descending {
            Box::new(self.ids.iter().rev().skip(skip))
        } else {
            Box::new(self.ids.iter().skip(skip))
        };
        ids.take(take).filter_map(|id| self.by_id.get(id)).collect()
    }

    /// Names are unique regardless of case.
    pub fn name_taken(&self, name: &str, except: Option<u64>) -> bool {
        self.by_id
            .values()
            .any(|s| s.user_name.eq_ignore_ascii_case(name) && Some(s.id) != except)
    }
}

const GB: i64 = 1_000_000_000;

impl State {
    pub fn seeded(opts: &SimOptions, placement: KeyPlacement) -> Self {
        let mut rng = seed::rng(opts.seed ^ 0x05e7_9a55);
        let api_key = seed::token(&mut rng, 40);
        let base = 1_700_000_000i64;
        let mut subs = Subs {
            next_id: 1001,
            ..Subs::default()
        };
        for i in 0..opts.accounts {
            let id = subs.next_id;
            subs.next_id += 1;
            let usage_cap: i64 = *[-1, GB, 5 * GB, 50 * GB].choose(&mut rng).unwrap_or(&-1);
            let ip_usage_cap: i64 = *[-1, 100, 500, 2000].choose(&mut rng).unwrap_or(&-1);
            let status = match rng.gen_range(0..10) {
                0 => 3,
                1 | 2 => 2,
                _ => 1,
            };
            let data_used = if usage_cap > 0 {
                rng.gen_range(0..=usage_cap.unsigned_abs())
            } else {
                rng.gen_range(0..20 * GB.unsigned_abs())
            };
            let ip_used = if ip_usage_cap > 0 {
                rng.gen_range(0..=ip_usage_cap.unsigned_abs())
            } else {
                rng.gen_range(0..300)
            };
            let created = base + i64::try_from(i).unwrap_or(0) * 3_600;
            let sub = SubUser {
                id,
                user_name: seed::account_name(&mut rng, i).replace('.', "_"),
                use_key: seed::token(&mut rng, 12),
                status,
                note: (i % 3 == 0).then(|| format!("seeded sub-user {i}")),
                usage_cap,
                ip_usage_cap,
                data_used,
                ip_used,
                created_at: iso8601(created),
                updated_at: iso8601(created),
            };
            subs.insert(sub);
        }
        State {
            api_key,
            placement,
            subs: Mutex::new(subs),
        }
    }
}
