use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use crate::runs::RunRegistry;
use paneldeck_core::{
    bulk::OpWhat, demo::Demo, secrets::KeyringStore, transfer::ImportPlan, CoreError, Paneldeck,
    Profile,
};

/// The job id of the sync the user started (one at a time).
pub const SYNC_JOB: &str = "sync";

/// Which profile the window works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The user's profile and the OS keyring.
    Normal,
    /// Built-in simulated panels in a throwaway profile; secrets in memory.
    Demo,
}

impl Mode {
    /// `--demo` or `PANELDECK_DEMO=1` selects demo mode.
    pub fn from_env() -> Self {
        let flag = std::env::args().any(|a| a == "--demo");
        let env = std::env::var("PANELDECK_DEMO").is_ok_and(|v| v == "1" || v == "true");
        if flag || env {
            Mode::Demo
        } else {
            Mode::Normal
        }
    }
}

/// The state every command works on.
pub struct Backend {
    paneldeck: Arc<Paneldeck>,
    sync_lock: tokio::sync::Mutex<()>,
    /// Bulk runs in progress, so the UI can cancel them.
    runs: RunRegistry,
    /// Exports and link files in progress, and the user's sync (under [`SYNC_JOB`]).
    jobs: RunRegistry,
    /// Import and migration previews the user has not confirmed yet, by preview id.
    /// Previews waiting for their confirmation: the operation's title and the plan.
    imports: Mutex<HashMap<String, (OpWhat, ImportPlan)>>,
    // Keeps the demo simulators running for the app's lifetime.
    demo: Option<Demo>,
}

impl Backend {
    pub async fn start(mode: Mode) -> Result<Self, CoreError> {
        match mode {
            Mode::Normal => {
                let paneldeck =
                    Paneldeck::open(Profile::default_location()?, Arc::new(KeyringStore))?;
                Ok(Backend {
                    paneldeck: Arc::new(paneldeck),
                    sync_lock: Default::default(),
                    runs: Default::default(),
                    jobs: Default::default(),
                    imports: Default::default(),
                    demo: None,
                })
            }
            Mode::Demo => {
                // `PANELDECK_DEMO_ACCOUNTS=25000` sizes every demo panel (scale trials, benchmarks).
                let accounts = std::env::var("PANELDECK_DEMO_ACCOUNTS")
                    .ok()
                    .and_then(|v| v.parse().ok());
                let demo = Demo::start_with(accounts).await?;
                Ok(Backend {
                    paneldeck: demo.paneldeck.clone(),
                    sync_lock: Default::default(),
                    runs: Default::default(),
                    jobs: Default::default(),
                    imports: Default::default(),
                    demo: Some(demo),
                })
            }
        }
    }

    pub fn paneldeck(&self) -> &Arc<Paneldeck> {
        &self.paneldeck
    }

    /// Held while a user-started sync runs, so two do not overlap.
    pub fn sync_lock(&self) -> &tokio::sync::Mutex<()> {
        &self.sync_lock
    }

    pub fn runs(&self) -> &RunRegistry {
        &self.runs
    }

    pub fn jobs(&self) -> &RunRegistry {
        &self.jobs
    }

    pub fn imports(&self) -> MutexGuard<'_, HashMap<String, (OpWhat, ImportPlan)>> {
        self.imports.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_demo(&self) -> bool {
        self.demo.is_some()
    }

    /// Called as the app exits, which drops nothing: removes the demo's throwaway profile.
    pub fn on_exit(&self) {
        if let Some(demo) = &self.demo {
            demo.remove_folder();
        }
    }
}
