//! Demo mode: the four simulated panels started in-process with seeded data, registered in a
//! throwaway profile whose secrets stay in memory, so the user's real panels and keyring are
//! never touched.

mod folder;

use std::sync::Arc;

use paneldeck_sim::{RunningSim, SimCredentials, SimKind, SimOptions};

use crate::{
    error::{CoreError, Result},
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

struct DemoPanel {
    kind: SimKind,
    name: &'static str,
    color: &'static str,
    tag: &'static str,
    accounts: usize,
}

const PANELS: &[DemoPanel] = &[
    DemoPanel {
        kind: SimKind::Xui,
        name: "Frankfurt 3x-ui",
        color: "#2563eb",
        tag: "eu",
        accounts: 240,
    },
    DemoPanel {
        kind: SimKind::Marzban,
        name: "Helsinki Marzban",
        color: "#16a34a",
        tag: "eu",
        accounts: 180,
    },
    DemoPanel {
        kind: SimKind::Userpass,
        name: "Residential proxies",
        color: "#d97706",
        tag: "resale",
        accounts: 60,
    },
    DemoPanel {
        kind: SimKind::Pterodactyl,
        name: "Game servers",
        color: "#9333ea",
        tag: "games",
        accounts: 24,
    },
];

/// The credentials a running simulator accepts, as a panel's settings take them; a user-pass
/// panel gets `gateway` (demo mode, tests, benchmarks).
pub fn sim_credentials(
    sim: &RunningSim,
    gateway: Option<ProxyGatewaySettings>,
) -> Result<CredentialsInput> {
    use paneldeck_panels::Secret;
    Ok(match (sim.kind, &sim.credentials) {
        (SimKind::Xui, SimCredentials::Token { token }) => CredentialsInput::XuiToken {
            token: Some(Secret::new(token.as_str())),
        },
        (SimKind::Marzban, SimCredentials::Password { username, password }) => {
            CredentialsInput::Marzban {
                username: username.clone(),
                password: Some(Secret::new(password.as_str())),
            }
        }
        (SimKind::Userpass, SimCredentials::ApiKey { api_key }) => CredentialsInput::Userpass {
            api_key: Some(Secret::new(api_key.as_str())),
            key_in_query: false,
            gateway,
        },
        (SimKind::Pterodactyl, SimCredentials::Token { token }) => CredentialsInput::Pterodactyl {
            api_key: Some(Secret::new(token.as_str())),
        },
        (kind, _) => {
            return Err(CoreError::Internal(format!(
                "simulator {kind:?} gave unexpected credentials"
            )))
        }
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
        for (i, panel) in PANELS.iter().enumerate() {
            let opts = SimOptions {
                seed: 1000 + i as u64,
                accounts: accounts.unwrap_or(panel.accounts),
                groups: if panel.kind == SimKind::Pterodactyl {
                    4
                } else {
                    3
                },
                ..SimOptions::default()
            };
            let sim = paneldeck_sim::start_local(panel.kind, opts)
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
