//! Thin command handlers: unpack, call the core, map errors to `ApiError`, emit events.

pub mod accounts;
pub mod panels;

pub type CmdResult<T> = Result<T, paneldeck_core::ApiError>;
