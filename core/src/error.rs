//! The one error type of portone-pg.

use std::fmt;

/// What went wrong, in a form code can branch on.
///
/// The human-readable details (PG, field, position, expected versus found)
/// are on [`Error`] itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not well-formed JSON (or ends early, or has trailing bytes).
    Syntax,
    /// The top-level JSON value is not an object.
    NotAnObject,
    /// A property has a value of the wrong type or an unusable value
    /// (`"paid_amount": "abc"`, `"success": "yes"`, an amount out of range).
    InvalidValue,
    /// A property this PG always sends is absent (or `null`).
    MissingField,
    /// A property appears twice, directly or through an alias
    /// (`success` and `imp_success`).
    DuplicateField,
    /// The `pg_provider` in the body contradicts the caller's `pg` hint, or the
    /// type being parsed.
    ProviderMismatch,
    /// The `pg` parameter given by the caller is not a usable PG code.
    InvalidPg,
    /// `into_success` (of a generated PG type) was called on a response that
    /// does not claim success: see its [`Outcome`](crate::Outcome).
    NotSuccess,
    /// The response claims success but lacks a property this PG always sends
    /// on success.
    Incomplete,
    /// The REST API answered with an error envelope (`code` other than 0):
    /// [`Error::api_code`] and [`Error::api_message`] say what it said
    /// (`-1` "존재하지 않는 결제정보입니다" for an unknown `imp_uid`).
    Api,
}

/// Position of an error in the JSON input (1-based line and column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in bytes).
    pub column: usize,
}

/// Error returned by every fallible operation of portone-pg.
///
/// It names the PG (when known), the property, what was expected and what was
/// found, and where in the input; it never contains the input itself beyond
/// what serde reports for a wrong value.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::{Amount, ErrorKind};
///
/// let err = "12,000".parse::<Amount>().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidValue);
/// assert_eq!(err.to_string(), "invalid amount \"12,000\": expected a decimal number such as 1004 or 10.50");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    pg: Option<String>,
    field: Option<String>,
    message: String,
    position: Option<Position>,
    api: Option<(i64, Option<String>)>,
}

impl Error {
    /// A new error of `kind` with a message saying what was expected and found.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            pg: None,
            field: None,
            message: message.into(),
            position: None,
            api: None,
        }))
    }

    /// The REST API's error envelope: `code` (not 0) and its `message`.
    pub fn api(code: i64, message: Option<String>) -> Self {
        let mut error = Error::new(
            ErrorKind::Api,
            format!(
                "the API answered code {code}: {}",
                message.as_deref().unwrap_or("no message")
            ),
        );
        error.0.api = Some((code, message));
        error
    }

    /// The API's `code`, for an [`ErrorKind::Api`] error.
    pub fn api_code(&self) -> Option<i64> {
        self.0.api.as_ref().map(|(code, _)| *code)
    }

    /// The API's `message`, for an [`ErrorKind::Api`] error that had one.
    pub fn api_message(&self) -> Option<&str> {
        self.0
            .api
            .as_ref()
            .and_then(|(_, message)| message.as_deref())
    }

    /// The same error, attributed to the PG with code `pg`.
    #[must_use]
    pub fn with_pg(mut self, pg: impl Into<String>) -> Self {
        self.0.pg = Some(pg.into());
        self
    }

    /// The same error, attributed to the property `field`.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.0.field = Some(field.into());
        self
    }

    /// The same error, located at `position` in the input.
    #[must_use]
    pub fn with_position(mut self, position: Position) -> Self {
        self.0.position = Some(position);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The code of the PG concerned (`"kcp"`), when known.
    pub fn pg(&self) -> Option<&str> {
        self.0.pg.as_deref()
    }

    /// The property concerned (`"paid_amount"`), when there is one.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// Where in the JSON input, when known.
    pub fn position(&self) -> Option<Position> {
        self.0.position
    }

    /// The description alone, without PG, property or position.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The same error with every value serde quoted in the message (`"…"`
    /// or `` `…` ``) left out, for a property holding personal data.
    pub(crate) fn without_values(mut self) -> Self {
        let mut out = String::with_capacity(self.0.message.len());
        let mut chars = self.0.message.chars().peekable();
        while let Some(c) = chars.next() {
            let close = match c {
                '"' => '"',
                '`' => '`',
                _ => {
                    out.push(c);
                    continue;
                }
            };
            // Skip to the closing quote; serde writes strings with `{:?}`,
            // so a quote inside one is escaped.
            while let Some(c) = chars.next() {
                if c == '\\' {
                    chars.next();
                } else if c == close {
                    break;
                }
            }
            if out.ends_with(' ') {
                out.pop();
            }
        }
        self.0.message = out;
        self
    }

    /// The same error without a position: for parses of values kept apart
    /// from the body, whose positions would point into the value alone.
    pub(crate) fn without_position(mut self) -> Self {
        self.0.position = None;
        self
    }

    /// Converts a serde_json error, keeping its position and classifying it.
    pub(crate) fn from_json(err: &serde_json::Error, fallback: ErrorKind) -> Self {
        use serde_json::error::Category;
        let kind = match err.classify() {
            Category::Syntax | Category::Eof | Category::Io => ErrorKind::Syntax,
            Category::Data => fallback,
        };
        let mut message = err.to_string();
        let position = (err.line() != 0).then(|| Position {
            line: err.line(),
            // serde_json says column 0 before the first byte of a line.
            column: err.column().max(1),
        });
        if err.line() != 0 {
            // serde_json appends the position to its message; we keep it apart.
            let suffix = format!(" at line {} column {}", err.line(), err.column());
            if message.ends_with(&suffix) {
                message.truncate(message.len() - suffix.len());
            }
        }
        let mut error = Error::new(kind, message);
        error.0.position = position;
        error
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(pg) = &self.0.pg {
            write!(f, "{pg}: ")?;
        }
        if let Some(field) = &self.0.field {
            write!(f, "`{field}`: ")?;
        }
        f.write_str(&self.0.message)?;
        if let Some(p) = self.0.position {
            write!(f, " at line {} column {}", p.line, p.column)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("pg", &self.0.pg)
            .field("field", &self.0.field)
            .field("message", &self.0.message)
            .field("position", &self.0.position)
            .field("api_code", &self.api_code())
            .finish()
    }
}

impl std::error::Error for Error {}
