//! Typed REST clients for the panels Paneldeck manages.
//!
//! One module per panel kind holds that panel's wire types exactly as the API sends them and a
//! client over them; [`http`] is the transport they share (base URL with path prefix, timeouts,
//! retries for idempotent calls only, TLS pinning, typed errors).

mod answer;
pub mod error;
pub mod field;
pub mod http;
pub mod kind;
pub mod marzban;
pub mod pasarguard;
pub mod probe;
pub mod pterodactyl;
pub mod redact;
pub mod secret;
pub mod tls;
pub mod userpass;
pub mod xui;

pub use error::{PanelError, RedirectRefusal};
pub use field::{FieldError, FieldProblem, PatternProblem};
pub use http::{Endpoint, HttpClient};
pub use kind::PanelKind;
pub use probe::ProbeInfo;
pub use secret::Secret;
pub use tls::CertFingerprint;
