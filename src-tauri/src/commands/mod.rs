//! Thin command handlers: unpack, call the core, map errors to `ApiError`, emit events.

pub mod accounts;
pub mod bulk;
pub mod files;
pub mod jobs;
pub mod links;
pub mod panels;
pub mod settings;
pub mod shell;
pub mod transfer;
pub mod watch;

pub type CmdResult<T> = Result<T, paneldeck_core::ApiError>;
