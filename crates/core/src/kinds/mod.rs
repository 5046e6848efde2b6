//! Everything specific to a panel kind, one folder per kind. The rest of core asks a kind
//! through the traits here and the registry ([`rules`]), never through its types.

pub mod marzban;
pub mod pterodactyl;
pub mod userpass;
pub mod xui;

mod rules;
pub use rules::*;
