//! What a PG's schema file says about each property it lists, readable at
//! run time: for tools that show a response next to its schema (the
//! `inspect` example), and for code that wants to know what a PG promises.

use std::fmt;

use crate::error::{Error, ErrorKind};
use crate::value::{
    Amount, Currency, CustomData, EmbPgProvider, FieldValue, Flag, Integer, PayMethod, Status,
    Timestamp,
};

/// How reliably a PG sends a property, as its schema file grades it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Presence {
    /// In every response of the PG, success or failure.
    Always,
    /// In every response that claims success.
    OnSuccess,
    /// Sometimes.
    Optional,
}

impl Presence {
    /// The schema files' name: `always`, `on_success`, `optional`.
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Always => "always",
            Presence::OnSuccess => "on_success",
            Presence::Optional => "optional",
        }
    }
}

impl fmt::Display for Presence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One property a PG's schema lists: its key, its presence, and whether it
/// is personal data (redacted in `Debug`).
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::{Presence, SchemaField};
///
/// let field = SchemaField { name: "paid_amount", presence: Presence::OnSuccess, personal: false };
/// assert_eq!(field.presence.to_string(), "on_success");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SchemaField {
    /// The JSON key (`paid_amount`).
    pub name: &'static str,
    /// How reliably the PG sends it.
    pub presence: Presence,
    /// Personal data: `Debug` shows `<redacted>`, errors leave its value out.
    pub personal: bool,
}

/// How a PG's response says it succeeded, as its schema file's `success`
/// says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SuccessRule {
    /// The `success` flag (`imp_success` in a redirect) decides.
    Flag,
    /// An `imp_uid` and no error code or message: the new-module PGs'
    /// callbacks, which carry no flag.
    NoError,
}

/// How a PG's payment window opens on one kind of device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WindowMode {
    /// An overlay in the page; the result comes back to the callback.
    Iframe,
    /// A popup window; the result comes back to the callback.
    Popup,
    /// The page is replaced; the result comes back to `m_redirect_url`.
    Redirect,
}

/// A PG's payment window, as its schema file's `[window]` table (or its
/// shape's) says: for tools that stand in for the browser SDK (the fake's
/// payment window).
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::{PaymentWindow, WindowMode};
///
/// let window = PaymentWindow {
///     pc: WindowMode::Iframe,
///     mobile: WindowMode::Redirect,
///     popup_param: Some("popup"),
///     redirect_flag: "imp_success",
/// };
/// assert_eq!(window.mode(true, false), WindowMode::Redirect);
/// assert_eq!(window.mode(false, true), WindowMode::Popup);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PaymentWindow {
    /// On a desktop.
    pub pc: WindowMode,
    /// On a phone (the SDK reads "phone" from the user agent).
    pub mobile: WindowMode,
    /// A `request_pay` parameter that, `true`, opens a popup instead.
    pub popup_param: Option<&'static str>,
    /// The redirect query's success flag: `imp_success`, or the name the
    /// PG's guide gives (`imp_status`).
    pub redirect_flag: &'static str,
}

impl PaymentWindow {
    /// The mode for a phone or a desktop, given whether the request set
    /// [`popup_param`](Self::popup_param) to `true`.
    pub fn mode(&self, mobile: bool, popup_asked: bool) -> WindowMode {
        match (popup_asked && self.popup_param.is_some(), mobile) {
            (true, _) => WindowMode::Popup,
            (false, true) => self.mobile,
            (false, false) => self.pc,
        }
    }
}

/// Reads `json`, one JSON value, as a property of the schema value type
/// `value_type` (`amount`, `flag`, `timestamp` … as `schemas/fields.toml`
/// names them) is read in a response, with the same leniency: `Ok(true)`
/// for a value, `Ok(false)` for no value (`null` or `"null"`), or the
/// error a parse would report. For tools that check captured responses
/// against a schema file that is not compiled (the `inspect` example's
/// `--draft-schema` and `--check-schema`).
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::check_value;
///
/// assert_eq!(check_value("amount", r#""1004""#)?, true); // a numeric string
/// assert_eq!(check_value("flag", "null")?, false);
/// assert!(check_value("amount", r#""1,004""#).is_err());
/// assert!(check_value("colour", "1").is_err()); // no such type
/// # Ok::<(), portone_pg::Error>(())
/// ```
///
/// # Errors
///
/// The value is not of the type, or no value type has that name.
pub fn check_value(value_type: &str, json: &str) -> Result<bool, Error> {
    fn read<T: FieldValue>(json: &str) -> Result<bool, Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        let value = T::deserialize_field(&mut de)
            .and_then(|value| de.end().map(|()| value))
            .map_err(|e| Error::new(ErrorKind::InvalidValue, e.to_string()))?;
        Ok(value.is_some())
    }
    match value_type {
        // A PG code is any string: unknown codes are kept, never refused.
        "string" | "pg_provider" => read::<String>(json),
        "flag" => read::<Flag>(json),
        "amount" => read::<Amount>(json),
        "integer" => read::<Integer>(json),
        "timestamp" => read::<Timestamp>(json),
        "custom_data" => read::<CustomData>(json),
        "pay_method" => read::<PayMethod>(json),
        "status" => read::<Status>(json),
        "currency" => read::<Currency>(json),
        "emb_pg_provider" => read::<EmbPgProvider>(json),
        other => Err(Error::new(
            ErrorKind::InvalidValue,
            format!("no value type `{other}` (schemas/README.md lists them)"),
        )),
    }
}
