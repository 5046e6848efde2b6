//! Shared by the accounts tests: a profile with secrets in memory and simulators registered.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use paneldeck_core::{
    accounts::{Account, AccountQuery, SyncEvent},
    registry::PanelView,
    secrets::MemoryStore,
    CredentialsInput, PanelInput, Paneldeck, Profile,
};
use paneldeck_sim::{RunningSim, SimKind, SimOptions};

pub const KINDS: [SimKind; 4] = [
    SimKind::Xui,
    SimKind::Marzban,
    SimKind::Userpass,
    SimKind::Pterodactyl,
];

pub struct World {
    pub core: Arc<Paneldeck>,
    pub sims: Vec<RunningSim>,
    pub panels: Vec<PanelView>,
    pub _dir: tempfile::TempDir,
}

pub fn open() -> (Arc<Paneldeck>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let core = Paneldeck::open(
        Profile::at(dir.path()).unwrap(),
        Arc::new(MemoryStore::default()),
    )
    .unwrap();
    (Arc::new(core), dir)
}

pub fn credentials(sim: &RunningSim) -> CredentialsInput {
    paneldeck_core::demo::sim_credentials(sim, None).unwrap()
}

pub async fn add(core: &Paneldeck, sim: &RunningSim, name: &str, color: &str) -> PanelView {
    let input = PanelInput {
        name: name.into(),
        base_url: sim.url(),
        color: color.into(),
        tag: String::new(),
        pinned_cert: None,
        credentials: credentials(sim),
    };
    core.add_panel(input, false)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn sim_options(seed: u64, accounts: usize, kind: SimKind) -> SimOptions {
    SimOptions {
        seed,
        accounts,
        groups: if kind == SimKind::Pterodactyl { 4 } else { 3 },
        ..SimOptions::default()
    }
}

/// The four simulators with `accounts` accounts each, registered as panels named after them.
pub async fn world(accounts: usize) -> World {
    let (core, dir) = open();
    let mut sims = Vec::new();
    let mut panels = Vec::new();
    for (i, kind) in KINDS.into_iter().enumerate() {
        let sim = paneldeck_sim::start_local(kind, sim_options(100 + i as u64, accounts, kind))
            .await
            .unwrap();
        panels.push(
            add(
                &core,
                &sim,
                &format!("{kind:?} panel"),
                &format!("#00000{i}"),
            )
            .await,
        );
        sims.push(sim);
    }
    World {
        core,
        sims,
        panels,
        _dir: dir,
    }
}

/// Collects sync events.
#[derive(Clone, Default)]
pub struct Events(pub Arc<Mutex<Vec<SyncEvent>>>);

impl Events {
    pub fn sink(&self) -> impl Fn(SyncEvent) + Send + Sync + 'static {
        let all = self.0.clone();
        move |e| all.lock().unwrap().push(e)
    }
    pub fn all(&self) -> Vec<SyncEvent> {
        self.0.lock().unwrap().clone()
    }
}

/// Every account in the snapshot, in full (through the detail call).
pub fn all_accounts(core: &Paneldeck) -> Vec<Account> {
    let keys = core.query_keys(&AccountQuery::default()).unwrap();
    keys.iter()
        .map(|k| core.account_detail(k).unwrap().account)
        .collect()
}
