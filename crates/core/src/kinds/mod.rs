//! Everything specific to a panel kind, one folder per kind: reading and converting its
//! records, its single-account actions, its bulk routes and its links. The rest of core talks
//! to a kind through `PanelClient::ops` (the `Connected` trait), never through its client.

pub mod marzban;
pub mod pterodactyl;
pub mod userpass;
pub mod xui;

mod client;
pub use client::*;
