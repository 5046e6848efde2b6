use paneldeck_panels::{redact::cut, FieldError, FieldProblem, PanelError};
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
    /// The panel pointed elsewhere and the redirect was not followed (credentials stay home).
    Redirected,
    /// The panel's answer was larger than its size cap.
    AnswerTooLarge,
    /// The system refused access to a file or folder.
    PermissionDenied,
    /// No space left on the disk (or over the user's quota).
    DiskFull,
    FileNotFound,
    FileExists,
    /// A portable profile file did not open with the passphrase given.
    WrongPassphrase,
    /// An update was refused: a bad signature, an unusable manifest, or no key to check with.
    UpdateRejected,
    /// The provider blocked the account: its API takes only a disable or a delete.
    AccountBlocked,
    /// An edit was not sent: the account changed on the panel since the form was opened
    /// (`ApiError::changes` says how); the form is to be checked against the panel's values.
    ChangedOnPanel,
    /// Any other failure reading or writing a file.
    Io,
    /// The user stopped a long job (an export, QR images, a sync) before it ended.
    Cancelled,
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
    /// A file or folder could not be read or written.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done: `read`, `write`, `create`, …
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("the system keyring failed: {0}")]
    Keyring(String),
    #[error(transparent)]
    Panel(#[from] PanelError),
    #[error("the passphrase is wrong (or the file was changed); nothing was imported")]
    WrongPassphrase,
    #[error("{0}")]
    UpdateRejected(String),
    /// The user stopped the job; what it was writing was not written.
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    AccountBlocked(String),
    #[error("changed on the panel since the form was opened: {}", crate::bulk::live::changes_english(.0))]
    ChangedOnPanel(Vec<crate::bulk::FieldChange>),
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

    /// One field is wrong: `problem` for the UI, `message` its English wording.
    pub fn invalid_field(field: &str, problem: FieldProblem, message: impl Into<String>) -> Self {
        let message = message.into();
        CoreError::InvalidInput {
            message: message.clone(),
            fields: vec![FieldError::new(field, problem, message)],
        }
    }

    /// `action` (`read`, `write`, …) failed on `path`.
    pub fn io(path: &std::path::Path, action: &'static str, source: std::io::Error) -> Self {
        CoreError::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::InvalidInput { .. } => ErrorCode::InvalidInput,
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::Conflict(_) => ErrorCode::Conflict,
            CoreError::Storage(e) => storage_code(e),
            CoreError::DataDir { source, .. } | CoreError::Io { source, .. } => io_code(source),
            CoreError::Keyring(_) => ErrorCode::Keyring,
            CoreError::WrongPassphrase => ErrorCode::WrongPassphrase,
            CoreError::UpdateRejected(_) => ErrorCode::UpdateRejected,
            CoreError::AccountBlocked(_) => ErrorCode::AccountBlocked,
            CoreError::ChangedOnPanel(_) => ErrorCode::ChangedOnPanel,
            CoreError::Cancelled => ErrorCode::Cancelled,
            CoreError::Internal(_) => ErrorCode::Internal,
            CoreError::Panel(p) => panel_code(p),
        }
    }
}

/// The code of a failed file operation, from the system's error kind.
fn io_code(err: &std::io::Error) -> ErrorCode {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::PermissionDenied | K::ReadOnlyFilesystem => ErrorCode::PermissionDenied,
        K::StorageFull | K::QuotaExceeded => ErrorCode::DiskFull,
        K::NotFound => ErrorCode::FileNotFound,
        K::AlreadyExists => ErrorCode::FileExists,
        _ => ErrorCode::Io,
    }
}

/// A full disk or a database file the system will not let us write has its own code.
fn storage_code(err: &rusqlite::Error) -> ErrorCode {
    use rusqlite::ffi::ErrorCode as S;
    match err.sqlite_error_code() {
        Some(S::DiskFull) => ErrorCode::DiskFull,
        Some(S::ReadOnly | S::PermissionDenied) => ErrorCode::PermissionDenied,
        _ => ErrorCode::Storage,
    }
}

pub(crate) fn panel_code(err: &PanelError) -> ErrorCode {
    match err {
        PanelError::InvalidUrl(_) => ErrorCode::InvalidUrl,
        PanelError::Dns { .. } => ErrorCode::Dns,
        PanelError::ConnectionRefused { .. } => ErrorCode::ConnectionRefused,
        PanelError::Timeout(_) | PanelError::Deadline(_) => ErrorCode::Timeout,
        PanelError::Redirected { .. } => ErrorCode::Redirected,
        PanelError::AnswerTooLarge { .. } => ErrorCode::AnswerTooLarge,
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

/// Longest message an [`ApiError`] carries.
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// An error as it crosses to the UI or the CLI's JSON output: `{code, message, fields, fingerprint}`.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// Per-field messages for forms (the panel's own validation errors included).
    pub fields: Vec<FieldError>,
    /// For `certificate_not_trusted`: the SHA-256 fingerprint the user may confirm and pin.
    pub fingerprint: Option<String>,
    /// For `changed_on_panel`: what changed, as seen → now.
    pub changes: Vec<crate::bulk::FieldChange>,
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        ApiError::from(&err)
    }
}

impl From<&CoreError> for ApiError {
    fn from(err: &CoreError) -> Self {
        let fields = match err {
            CoreError::InvalidInput { fields, .. } => fields.clone(),
            CoreError::Panel(PanelError::Validation { fields }) => fields.clone(),
            _ => Vec::new(),
        };
        let fingerprint = match err {
            CoreError::Panel(PanelError::CertificateNotTrusted { fingerprint }) => {
                Some(fingerprint.clone())
            }
            CoreError::Panel(PanelError::CertificateMismatch { actual, .. }) => {
                Some(actual.clone())
            }
            _ => None,
        };
        let changes = match err {
            CoreError::ChangedOnPanel(changes) => changes.clone(),
            _ => Vec::new(),
        };
        ApiError {
            code: err.code(),
            // Shown, logged and stored: never the megabytes a hostile panel may have sent.
            message: cut(&err.to_string(), MAX_MESSAGE_BYTES).into_owned(),
            fields,
            fingerprint,
            changes,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_cut_to_a_few_kib() {
        let huge = CoreError::Panel(PanelError::Decode {
            path: "x".repeat(3 * MAX_MESSAGE_BYTES),
            message: "y".repeat(3 * MAX_MESSAGE_BYTES),
        });
        let api = ApiError::from(huge);
        assert!(
            api.message.len() <= MAX_MESSAGE_BYTES + 4,
            "{}",
            api.message.len()
        );
        assert!(api.message.ends_with('…'));
    }

    #[test]
    fn disk_and_permission_errors_have_their_own_codes() {
        use std::io::{Error, ErrorKind};
        let path = std::path::Path::new("/x/accounts.csv");
        for (kind, code) in [
            (ErrorKind::PermissionDenied, ErrorCode::PermissionDenied),
            (ErrorKind::ReadOnlyFilesystem, ErrorCode::PermissionDenied),
            (ErrorKind::StorageFull, ErrorCode::DiskFull),
            (ErrorKind::NotFound, ErrorCode::FileNotFound),
            (ErrorKind::AlreadyExists, ErrorCode::FileExists),
            (ErrorKind::UnexpectedEof, ErrorCode::Io),
        ] {
            let api = ApiError::from(CoreError::io(path, "write", Error::new(kind, "boom")));
            assert_eq!(api.code, code, "{kind:?}");
            assert_eq!(api.message, "could not write /x/accounts.csv: boom");
        }
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        assert_eq!(CoreError::Storage(full).code(), ErrorCode::DiskFull);
    }
}
