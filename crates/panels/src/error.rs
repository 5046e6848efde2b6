use std::time::Duration;

use crate::{FieldError, PanelKind};

/// Everything that can go wrong talking to a panel, in terms a person can act on.
/// The `Display` text is written for the user; variants keep the facts for code.
#[derive(Debug, thiserror::Error)]
pub enum PanelError {
    #[error("'{0}' is not a valid panel URL (expected http:// or https:// and a host)")]
    InvalidUrl(String),
    #[error("the host name '{host}' could not be found (DNS)")]
    Dns { host: String },
    #[error("the connection to {addr} was refused: nothing is listening there")]
    ConnectionRefused { addr: String },
    #[error("the panel did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the panel's certificate is not trusted (self-signed or unknown issuer); its SHA-256 fingerprint is {fingerprint} — pin it if you recognise it")]
    CertificateNotTrusted { fingerprint: String },
    #[error("the panel's certificate changed: pinned {expected}, presented {actual}")]
    CertificateMismatch { expected: String, actual: String },
    #[error("TLS handshake failed: {0}")]
    Tls(String),
    #[error("network error: {0}")]
    Network(String),
    #[error("the panel refused the credentials: {message}")]
    Unauthorized { message: String },
    #[error("not allowed: {message}")]
    Forbidden { message: String },
    #[error("not found: {message}")]
    NotFound { message: String },
    #[error("this URL is not a {} API or the credentials were refused ({detail})", kind.display_name())]
    NotThisPanel { kind: PanelKind, detail: String },
    #[error("already exists: {message}")]
    Conflict { message: String },
    #[error("the panel rejected the request: {}", summarize_fields(fields))]
    Validation { fields: Vec<FieldError> },
    #[error("bad request: {message}")]
    BadRequest { message: String },
    #[error("the panel reported an error: {message}")]
    Api { status: u16, message: String },
    #[error("rate limited by the panel{}", retry_after.map(|d| format!(", retry after {}s", d.as_secs())).unwrap_or_default())]
    RateLimited { retry_after: Option<Duration> },
    #[error("the panel failed with HTTP {status}: {message}")]
    Server { status: u16, message: String },
    #[error("unexpected answer from the panel at `{path}`: {message}")]
    Decode { path: String, message: String },
    #[error("not supported by this panel: {0}")]
    Unsupported(String),
}

fn summarize_fields(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl PanelError {
    /// Whether trying the same request again later may succeed (used by retries and the bulk
    /// engine). Authentication and validation problems are final.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PanelError::Timeout(_)
                | PanelError::ConnectionRefused { .. }
                | PanelError::Network(_)
                | PanelError::RateLimited { .. }
                | PanelError::Server { .. }
        )
    }

    /// Short stable name of the variant, for logs and machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            PanelError::InvalidUrl(_) => "invalid_url",
            PanelError::Dns { .. } => "dns",
            PanelError::ConnectionRefused { .. } => "connection_refused",
            PanelError::Timeout(_) => "timeout",
            PanelError::CertificateNotTrusted { .. } => "certificate_not_trusted",
            PanelError::CertificateMismatch { .. } => "certificate_mismatch",
            PanelError::Tls(_) => "tls",
            PanelError::Network(_) => "network",
            PanelError::Unauthorized { .. } => "unauthorized",
            PanelError::Forbidden { .. } => "forbidden",
            PanelError::NotFound { .. } => "not_found",
            PanelError::NotThisPanel { .. } => "not_this_panel",
            PanelError::Conflict { .. } => "conflict",
            PanelError::Validation { .. } => "validation",
            PanelError::BadRequest { .. } => "bad_request",
            PanelError::Api { .. } => "api",
            PanelError::RateLimited { .. } => "rate_limited",
            PanelError::Server { .. } => "server",
            PanelError::Decode { .. } => "decode",
            PanelError::Unsupported(_) => "unsupported",
        }
    }
}
