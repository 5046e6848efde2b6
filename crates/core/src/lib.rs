//! Paneldeck's domain, free of any UI framework: the panel registry (settings in SQLite,
//! secrets in the OS keyring), connections to panels, and demo mode. The app shell and the
//! CLI are thin layers over [`Paneldeck`].

pub mod accounts;
pub mod actions;
pub mod alerts;
pub mod app_settings;
pub mod bulk;
pub mod connect;
pub mod dates;
pub mod demo;
pub mod error;
pub mod files;
pub mod history;
pub mod jobs;
pub mod kinds;
pub mod links;
pub mod logging;
pub mod paneldeck;
pub mod portable;
pub mod profile;
pub mod registry;
pub mod secrets;
mod single_account;
pub mod store;
pub mod transfer;

pub use error::{ApiError, CoreError, ErrorCode};
pub use paneldeck::Paneldeck;
pub use profile::Profile;
pub use registry::{CredentialsInput, PanelId, PanelInput, PanelView};
