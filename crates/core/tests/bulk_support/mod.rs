//! Shared by the bulk tests: a profile with in-memory secrets, simulators registered as
//! panels, create forms, and journal helpers.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

#[path = "../accounts_support/mod.rs"]
mod accounts_support;

use std::sync::{Arc, Mutex};

#[allow(unused_imports)]
pub use accounts_support::{add, all_accounts, open, sim_options, world, World};
use paneldeck_core::{
    actions::{ExpireInput, ExpiryInput, MarzbanProtocol, NewAccount},
    bulk::{BulkProgress, ExecOptions, ItemRecord, ItemState, OpId},
    Paneldeck,
};

pub fn marzban_form(limit: Option<u64>) -> NewAccount {
    NewAccount::Marzban {
        username: String::new(),
        proxies: vec![MarzbanProtocol::Vless],
        inbounds: vec![],
        expire: ExpireInput::Never,
        data_limit_bytes: limit,
        data_limit_reset_strategy: Default::default(),
        template_id: None,
        status: Default::default(),
        on_hold_expire_duration_secs: None,
        note: "bulk".into(),
    }
}

pub fn xui_form(inbound: i64) -> NewAccount {
    NewAccount::Xui {
        email: String::new(),
        inbound_ids: vec![inbound],
        total_bytes: Some(5 << 30),
        expiry: ExpiryInput::Never,
        limit_ip: 0,
        comment: "bulk".into(),
        group: None,
        reset_days: 0,
    }
}

pub fn quiet() -> ExecOptions {
    ExecOptions {
        resync: true,
        ..ExecOptions::default()
    }
}

pub fn items_in(core: &Paneldeck, op: &OpId, state: ItemState) -> Vec<ItemRecord> {
    core.bulk_items(op)
        .unwrap()
        .into_iter()
        .filter(|i| i.state == state)
        .collect()
}

/// Collects progress events.
#[derive(Clone, Default)]
pub struct Progress(pub Arc<Mutex<Vec<BulkProgress>>>);

impl Progress {
    pub fn sink(&self) -> impl Fn(BulkProgress) + Send + Sync + 'static {
        let all = self.0.clone();
        move |e| all.lock().unwrap().push(e)
    }
    pub fn all(&self) -> Vec<BulkProgress> {
        self.0.lock().unwrap().clone()
    }
}
