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
    /// No byte came for this long (connecting, or while waiting for or reading the answer).
    #[error("the panel sent nothing for {} s (connect/read timeout)", .0.as_secs_f32())]
    Timeout(Duration),
    /// The whole request, retries included, took longer than its deadline (a panel that
    /// drips its answer never trips the read timeout).
    #[error("the panel did not finish answering within the {} s deadline for a whole request", .0.as_secs())]
    Deadline(Duration),
    /// The panel answered with a redirect this layer refuses to follow.
    #[error("the panel redirected to {location}; not followed: {refused}")]
    Redirected {
        location: String,
        refused: RedirectRefusal,
    },
    /// The answer grew past the panel's size cap; reading stopped there.
    #[error("the panel's answer is larger than the {} MiB allowed for this panel (raise the panel's answer size limit if it is really that large)", limit_bytes >> 20)]
    AnswerTooLarge { limit_bytes: u64 },
    #[error("the panel's certificate is not trusted (self-signed or unknown issuer); its SHA-256 fingerprint is {fingerprint} — pin it if you recognise it")]
    CertificateNotTrusted { fingerprint: String },
    /// The pinned panel presented another certificate: possibly someone in between.
    #[error("the certificate changed since you pinned it — this can be an interception; re-pin only if you changed it (pinned {expected}, now {actual})")]
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

/// Why a redirect was not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RedirectRefusal {
    /// Another scheme, host or port: the credentials would go to someone else.
    #[error("it points to another server")]
    OtherOrigin,
    /// Only GET and HEAD are followed, so a body (a password) is never sent again.
    #[error("only reads are followed, never a request that sends data")]
    NotARead,
    #[error("too many redirects")]
    TooMany,
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
                | PanelError::Deadline(_)
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
            PanelError::Deadline(_) => "deadline",
            PanelError::Redirected { .. } => "redirected",
            PanelError::AnswerTooLarge { .. } => "answer_too_large",
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
