//! Why a row of a file cannot be imported, as a code with its arguments: the UI words it in
//! the reader's language (`importProblem.<code>`), the CLI in English
//! ([`Display`](std::fmt::Display)). Values quoted from the file are clipped to 40 characters.

use serde::Serialize;

/// What a whole number counts, in "expected a whole number of …".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum CountUnit {
    Days,
    Bytes,
    Ips,
    Devices,
}

/// One problem with one row or with the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(
    tag = "code",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ImportProblem {
    FileEmpty,
    FileTooLarge {
        max_mb: u32,
    },
    /// A CSV header in one column holding another separator (`;`, a tab, `|`).
    WrongSeparator {
        separator: String,
    },
    ColumnTwice,
    UnknownColumn,
    NoNameColumn,
    UnclosedQuote,
    FieldCount {
        found: u32,
        expected: u32,
    },
    FieldTooLong {
        bytes: u32,
        max: u32,
    },
    /// A cell that is not UTF-8, from its `byte` (1-based).
    CellNotUtf8 {
        byte: u32,
    },
    FileNotUtf8,
    /// A row the CSV reader cannot read; `detail` is the reader's own (English) words.
    UnreadableRow {
        detail: String,
    },
    /// The JSON parser's own (English) words, with its line and column.
    JsonUnreadable {
        detail: String,
    },
    UnknownFormat {
        value: String,
    },
    NewerVersion {
        version: u32,
        supported: u32,
    },
    NoAccountsList,
    ExpectedObject,
    ExpectedList,
    ExpectedValue,
    NameEmpty,
    /// A control character (a line break, ESC, NUL…) in an account name, shown as `U+XXXX`.
    NameControlCharacter {
        character: String,
    },
    UnknownKind {
        value: String,
    },
    UnknownStatus {
        value: String,
    },
    NotWholeNumberOf {
        unit: CountUnit,
        value: String,
    },
    NotWholeNumber {
        value: String,
    },
    NotANumber {
        value: String,
    },
    NotATime {
        value: String,
    },
    NotADuration {
        value: String,
    },
    NotABoolean {
        value: String,
    },
    NotAUuid {
        value: String,
    },
    ClientNoEmail,
    NotInboundIds,
    Duplicate {
        name: String,
        #[specta(type = specta_typescript::Number)]
        first_line: u64,
    },
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ImportProblem as P;
        match self {
            P::FileEmpty => f.write_str("the file is empty"),
            P::FileTooLarge { max_mb } => write!(f, "the file is larger than {max_mb} MB"),
            P::WrongSeparator { separator } => {
                let shown = if separator == "\t" {
                    "tabs".to_owned()
                } else {
                    format!("'{separator}'")
                };
                write!(f, "the columns are separated by {shown}; this importer expects commas (see docs/formats.md)")
            }
            P::ColumnTwice => f.write_str("the column appears twice; the first is used"),
            P::UnknownColumn => f.write_str("unknown column, ignored"),
            P::NoNameColumn => f.write_str("the header has no 'name' column"),
            P::UnclosedQuote => f.write_str(
                "a quote opened here is never closed (the rest of the file would be one field)",
            ),
            P::FieldCount { found, expected } => {
                write!(f, "{found} field(s) where the header has {expected}")
            }
            P::FieldTooLong { bytes, max } => {
                write!(f, "the field is {bytes} bytes; at most {max} are accepted")
            }
            P::CellNotUtf8 { byte } => write!(
                f,
                "not valid UTF-8 (byte {byte} of the field); save the file as UTF-8"
            ),
            P::FileNotUtf8 => f.write_str("not valid UTF-8; save the file as UTF-8"),
            P::UnreadableRow { detail } => write!(f, "cannot read the row: {detail}"),
            P::JsonUnreadable { detail } => write!(f, "the JSON cannot be read: {detail}"),
            P::UnknownFormat { value } => write!(f, "unknown format '{value}'"),
            P::NewerVersion { version, supported } => write!(
                f,
                "schema version {version} is newer than this Paneldeck reads ({supported})"
            ),
            P::NoAccountsList => f.write_str("the file has no 'accounts' list"),
            P::ExpectedObject => f.write_str("expected an object"),
            P::ExpectedList => f.write_str("expected a list of texts or numbers"),
            P::ExpectedValue => f.write_str("expected a value, got an object"),
            P::NameEmpty => f.write_str("the account name is empty"),
            P::NameControlCharacter { character } => write!(
                f,
                "the account name holds the control character {character}; names are plain text"
            ),
            P::UnknownKind { value } => write!(
                f,
                "expected xui, marzban, pasarguard, userpass or pterodactyl, got '{value}'"
            ),
            P::UnknownStatus { value } => write!(f, "unknown status '{value}'"),
            P::NotWholeNumberOf { unit, value } => {
                let unit = match unit {
                    CountUnit::Days => "days",
                    CountUnit::Bytes => "bytes",
                    CountUnit::Ips => "IPs",
                    CountUnit::Devices => "devices",
                };
                write!(
                    f,
                    "expected a whole number of {unit} (0 or more), got '{value}'"
                )
            }
            P::NotWholeNumber { value } => write!(f, "expected a whole number, got {value}"),
            P::NotANumber { value } => write!(f, "expected a number, got '{value}'"),
            P::NotATime { value } => write!(
                f,
                "expected epoch milliseconds or an ISO-8601 date, got '{value}'"
            ),
            P::NotADuration { value } => {
                write!(f, "expected milliseconds (0 or more), got '{value}'")
            }
            P::NotABoolean { value } => write!(f, "expected true or false, got '{value}'"),
            P::NotAUuid { value } => write!(f, "'{value}' is not a UUID"),
            P::ClientNoEmail => f.write_str("the client has no email"),
            P::NotInboundIds => f.write_str("expected a list of inbound ids (numbers)"),
            P::Duplicate { name, first_line } => {
                write!(f, "duplicate account '{name}' (first on line {first_line})")
            }
        }
    }
}

/// A count for a message, saturating.
pub(super) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
