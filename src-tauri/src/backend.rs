use std::sync::Arc;

use paneldeck_core::{demo::Demo, secrets::KeyringStore, CoreError, Paneldeck, Profile};

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
    // Keeps the demo simulators running for the app's lifetime.
    _demo: Option<Demo>,
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
                    _demo: None,
                })
            }
            Mode::Demo => {
                let demo = Demo::start().await?;
                Ok(Backend {
                    paneldeck: demo.paneldeck.clone(),
                    sync_lock: Default::default(),
                    _demo: Some(demo),
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

    pub fn is_demo(&self) -> bool {
        self._demo.is_some()
    }
}
