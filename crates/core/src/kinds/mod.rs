//! Everything specific to a panel kind, one folder per kind: reading and converting its
//! records, its single-account actions, bulk routes and links (through `PanelClient::ops`, the
//! `Connected` trait), and what it decides without a connection — bulk planning, import,
//! export and migration mapping, name rules (the registry [`rules`], the `KindRules` trait).
//! The rest of core talks to a kind through these, never through its client or wire types.

pub mod marzban;
pub mod pasarguard;
pub mod pterodactyl;
pub mod userpass;
pub mod xui;

mod client;
pub use client::*;
mod rules;
pub use rules::*;
