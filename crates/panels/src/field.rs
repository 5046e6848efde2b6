//! What is wrong with one field of a form, as a closed code with its values: the UI words it in
//! the reader's language (`fieldProblem.<code>`), the CLI prints the English `message`.

use serde::Serialize;

use crate::PanelKind;

/// A problem with one form field: `field` is the form's input name, `problem` the code the UI
/// translates, `message` the same in English (for the CLI and logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldError {
    pub field: String,
    pub problem: FieldProblem,
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        problem: FieldProblem,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            problem,
            message: message.into(),
        }
    }

    /// A message the panel attached to one field of a rejected request (Marzban's 422
    /// `{detail: {field: msg}}`, for instance): the panel's own words, carried as they are.
    pub fn from_panel(field: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        FieldError {
            field: field.into(),
            problem: FieldProblem::Panel { text: text.clone() },
            message: text,
        }
    }
}

/// Every way Paneldeck finds a form field wrong. The field itself says what it is (its label
/// is on the form), so the codes say only what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(
    tag = "code",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum FieldProblem {
    /// Empty, and it has to be filled in.
    Required,
    /// Empty password given: leave it out to have one generated instead.
    BlankPassword,
    TooLong {
        max: u32,
    },
    NoSpaces,
    /// Not a Marzban username: only a-z, A-Z, 0-9, `_`, `-`, `@` and `.`, starting with `min`
    /// to `max` of a-z, A-Z, 0-9 and `_` (the server's regex; `marzban::username_ok`).
    UsernameFormat {
        min: u32,
        max: u32,
    },
    /// A limit of 0; empty means unlimited.
    NotPositive,
    /// A whole number outside `min..=max` (empty means the default).
    OutOfRange {
        #[specta(type = f64)]
        min: u64,
        #[specta(type = f64)]
        max: u64,
    },
    /// A number of days below one.
    AtLeastOneDay,
    /// No expiry date picked where one is needed.
    PickExpiry,
    /// A list left empty where at least one item is needed.
    PickAtLeastOne,
    OnHoldNeedsPeriod,
    OnHoldNoExpiry,
    /// Inbounds were picked for a protocol the user does not have.
    InboundsOutsideProtocols {
        protocol: String,
    },
    TemplateGone,
    UnknownServer {
        id: String,
    },
    UnknownPermissions {
        names: Vec<String>,
    },
    /// 3x-ui before v3.1 keeps each client on exactly one inbound.
    LegacyOneInbound,
    /// 3x-ui before v3.1 has no client groups.
    LegacyNoGroups,
    /// A bulk create names a panel its request has no form for.
    NoForm {
        kind: PanelKind,
        panel: String,
    },
    /// A bulk name pattern that cannot be expanded.
    BadPattern {
        pattern: String,
        why: PatternProblem,
    },
    TooManyNames {
        pattern: String,
        /// A JS number holds it exactly (up to 2^53).
        #[specta(type = f64)]
        max: u64,
    },
    InvalidUrl,
    InvalidFingerprint,
    InvalidColor,
    NameTaken,
    /// A panel's kind is fixed once it is added.
    KindFixed,
    /// A relative path; `example` is the full path it may have meant.
    NotAbsolute {
        example: String,
    },
    FileTooBig {
        #[specta(type = f64)]
        bytes: u64,
        #[specta(type = f64)]
        max: u64,
    },
    /// The panel's own text for this field (it has no code).
    Panel {
        text: String,
    },
}

/// Why a bulk name pattern (`shop-{001..250}`) cannot be expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum PatternProblem {
    EmptyName,
    UnclosedBrace,
    SeveralRanges,
    NoRange,
    NotNumbers,
    NumberTooLarge,
    RangeGoesDown,
}
