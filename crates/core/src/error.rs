use paneldeck_panels::{FieldError, PanelError};
use serde::Serialize;

/// Closed set of error codes shared with the UI (generated into TypeScript). The UI picks its
/// words and layout by code; `message` is the English detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    NotFound,
    Conflict,
    Storage,
    Keyring,
    InvalidUrl,
    Dns,
    ConnectionRefused,
    Timeout,
    CertificateNotTrusted,
    CertificateMismatch,
    Tls,
    Network,
    Unauthorized,
    Forbidden,
    NotThisPanel,
    PanelRejected,
    RateLimited,
    PanelFailed,
    UnexpectedAnswer,
    Unsupported,
    Internal,
}

/// Everything the core can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{message}")]
    InvalidInput {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("local database error: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("could not open the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("the system keyring failed: {0}")]
    Keyring(String),
    #[error(transparent)]
    Panel(#[from] PanelError),
    #[error("{0}")]
    Internal(String),
}

impl CoreError {
    pub fn invalid(message: impl Into<String>) -> Self {
        CoreError::InvalidInput {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        CoreError::InvalidInput {
            message: message.clone(),
            fields: vec![FieldError {
                field: field.to_owned(),
                message,
            }],
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::InvalidInput { .. } => ErrorCode::InvalidInput,
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::Conflict(_) => ErrorCode::Conflict,
            CoreError::Storage(_) | CoreError::DataDir { .. } => ErrorCode::Storage,
            CoreError::Keyring(_) => ErrorCode::Keyring,
            CoreError::Internal(_) => ErrorCode::Internal,
            CoreError::Panel(p) => panel_code(p),
        }
    }
}

pub(crate) fn panel_code(err: &PanelError) -> ErrorCode {
    match err {
        PanelError::InvalidUrl(_) => ErrorCode::InvalidUrl,
        PanelError::Dns { .. } => ErrorCode::Dns,
        PanelError::ConnectionRefused { .. } => ErrorCode::ConnectionRefused,
        PanelError::Timeout(_) => ErrorCode::Timeout,
        PanelError::CertificateNotTrusted { .. } => ErrorCode::CertificateNotTrusted,
        PanelError::CertificateMismatch { .. } => ErrorCode::CertificateMismatch,
        PanelError::Tls(_) => ErrorCode::Tls,
        PanelError::Network(_) => ErrorCode::Network,
        PanelError::Unauthorized { .. } => ErrorCode::Unauthorized,
        PanelError::Forbidden { .. } => ErrorCode::Forbidden,
        PanelError::NotFound { .. } => ErrorCode::NotFound,
        PanelError::NotThisPanel { .. } => ErrorCode::NotThisPanel,
        PanelError::Conflict { .. } => ErrorCode::Conflict,
        PanelError::Validation { .. } | PanelError::BadRequest { .. } | PanelError::Api { .. } => {
            ErrorCode::PanelRejected
        }
        PanelError::RateLimited { .. } => ErrorCode::RateLimited,
        PanelError::Server { .. } => ErrorCode::PanelFailed,
        PanelError::Decode { .. } => ErrorCode::UnexpectedAnswer,
        PanelError::Unsupported(_) => ErrorCode::Unsupported,
    }
}

/// An error as it crosses to the UI or the CLI's JSON output: `{code, message, fields, fingerprint}`.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// Per-field messages for forms (the panel's own validation errors included).
    pub fields: Vec<FieldError>,
    /// For `certificate_not_trusted`: the SHA-256 fingerprint the user may confirm and pin.
    pub fingerprint: Option<String>,
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        let fields = match &err {
            CoreError::InvalidInput { fields, .. } => fields.clone(),
            CoreError::Panel(PanelError::Validation { fields }) => fields.clone(),
            _ => Vec::new(),
        };
        let fingerprint = match &err {
            CoreError::Panel(PanelError::CertificateNotTrusted { fingerprint }) => {
                Some(fingerprint.clone())
            }
            CoreError::Panel(PanelError::CertificateMismatch { actual, .. }) => {
                Some(actual.clone())
            }
            _ => None,
        };
        ApiError {
            code: err.code(),
            message: err.to_string(),
            fields,
            fingerprint,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
