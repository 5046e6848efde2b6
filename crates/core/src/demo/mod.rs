//! Demo mode: a simulated panel of each kind (its `kinds/<kind>/demo.rs` says which and how
//! it is shown) started in-process with seeded data, registered in a throwaway profile whose
//! secrets stay in memory, so the user's real panels and keyring are never touched.

mod folder;

use std::sync::Arc;

use paneldeck_panels::PanelKind;
use paneldeck_sim::{RunningSim, SimKind, SimOptions};

use crate::{
    error::{CoreError, Result},
    kinds,
    registry::{CredentialsInput, PanelInput, ProxyGatewaySettings},
    secrets::MemoryStore,
    Paneldeck, Profile,
};

/// The running demo: keep it alive as long as the app runs (dropping it stops the simulators).
pub struct Demo {
    pub paneldeck: std::sync::Arc<Paneldeck>,
    pub sims: Vec<RunningSim>,
    folder: folder::DemoFolder,
}

/// A kind's panel in demo mode (each kind's `demo` module has its own).
pub struct DemoPanel {
    pub sim: SimKind,
    pub name: &'static str,
    pub color: &'static str,
    pub tag: &'static str,
    pub accounts: usize,
    /// Inbounds (3x-ui) or servers (Pterodactyl) the simulator makes.
    pub groups: usize,
}

/// The credentials a running simulator accepts, as a panel's settings take them; a user-pass
/// panel gets `gateway` (demo mode, tests, benchmarks).
pub fn sim_credentials(
    sim: &RunningSim,
    gateway: Option<ProxyGatewaySettings>,
) -> Result<CredentialsInput> {
    PanelKind::ALL
        .into_iter()
        .map(kinds::rules)
        .find(|rules| rules.demo_panel().sim == sim.kind)
        .and_then(|rules| rules.sim_credentials(&sim.credentials, gateway))
        .ok_or_else(|| {
            CoreError::Internal(format!(
                "simulator {:?} gave unexpected credentials",
                sim.kind
            ))
        })
}

/// The panel input that registers a running simulator with its credentials (demo mode, tests,
/// benchmarks). The user-pass gateway points at the simulator's host.
pub fn sim_panel_input(sim: &RunningSim, name: &str, color: &str, tag: &str) -> Result<PanelInput> {
    let gateway = ProxyGatewaySettings {
        host: sim.addr.ip().to_string(),
        http_port: Some(8080),
        socks5_port: Some(1080),
    };
    Ok(PanelInput {
        name: name.into(),
        base_url: sim.url(),
        color: color.into(),
        tag: tag.into(),
        pinned_cert: None,
        credentials: sim_credentials(sim, Some(gateway))?,
    })
}

impl Demo {
    /// Removes the demo's profile folder, for an app about to exit without dropping it.
    pub fn remove_folder(&self) {
        self.folder.remove_now();
    }

    /// Starts the simulators and registers them. Must run inside a tokio runtime.
    pub async fn start() -> Result<Demo> {
        Demo::start_with(None).await
    }

    /// As [`Demo::start`], with `accounts` accounts on every panel instead of the usual few
    /// hundred (to try the app, or measure it, at scale).
    pub async fn start_with(accounts: Option<usize>) -> Result<Demo> {
        let folder = folder::DemoFolder::create_in(&std::env::temp_dir())?;
        let paneldeck = Paneldeck::open(
            Profile::at(folder.path())?,
            Arc::new(MemoryStore::default()),
        )?;
        let mut sims = Vec::new();
        for (i, kind) in PanelKind::ALL.into_iter().enumerate() {
            let panel = kinds::rules(kind).demo_panel();
            let opts = SimOptions {
                seed: 1000 + i as u64,
                accounts: accounts.unwrap_or(panel.accounts),
                groups: panel.groups,
                ..SimOptions::default()
            };
            let sim = paneldeck_sim::start_local(panel.sim, opts)
                .await
                .map_err(|e| {
                    CoreError::Internal(format!("could not start the demo simulator: {e}"))
                })?;
            let input = sim_panel_input(&sim, panel.name, panel.color, panel.tag)?;
            paneldeck.add_panel(input, false).await?;
            sims.push(sim);
        }
        Ok(Demo {
            paneldeck: Arc::new(paneldeck),
            sims,
            folder,
        })
    }
}
