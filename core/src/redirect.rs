//! The browser's return to `m_redirect_url`: a query string claiming what
//! happened, every value a string.

use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

use crate::value::KeptValue;

use crate::error::{Error, ErrorKind};
use crate::outcome::Outcome;
use crate::parse::query;
use crate::unknown::UnknownResponse;

/// A redirect result: `imp_uid`, `merchant_uid`, the flag (`imp_success`, or
/// `success` for some PGs, or none), `error_code` / `error_msg`, and every
/// other parameter kept.
///
/// It is a claim from the buyer's browser, like the callback: look the
/// payment up with `GET /payments/{imp_uid}` and
/// [`verify`](crate::rest::Payment::verify) it. For the PG-typed view of the
/// same query, use `PaymentResponse::from_query_with_pg`.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::{Outcome, RedirectResult};
///
/// let paid = RedirectResult::from_url(
///     "https://shop.example/payments/complete?imp_success=true&imp_uid=imp1234567890&merchant_uid=mid_123467890",
/// )?;
/// assert_eq!(paid.imp_uid(), Some("imp1234567890"));
/// assert_eq!(paid.outcome(), Outcome::Success);
///
/// // The iOS return from KG Inicis transfer: separators percent-encoded,
/// // the ids repeated inside a nested m_redirect_url, no flag.
/// let ios = RedirectResult::from_url(
///     "myapp://?imp_uid=imp_1%26merchant_uid=m_1%26m_redirect_url=https%3A%2F%2Fshop.example%2Fdone%3Fmerchant_uid%3Dm_1",
/// )?;
/// assert_eq!(ios.merchant_uid(), Some("m_1"));
/// assert_eq!(ios.outcome(), Outcome::Success);
/// # Ok::<(), portone_pg::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RedirectResult(UnknownResponse);

impl RedirectResult {
    /// Parses a query string, with or without its leading `?`.
    ///
    /// # Errors
    ///
    /// Malformed percent-encoding or bytes that are not UTF-8
    /// ([`ErrorKind::Syntax`]), a parameter repeated with another value
    /// ([`ErrorKind::DuplicateField`]), a flag that is not `true` / `false`,
    /// or `imp_success` and `success` that disagree
    /// ([`ErrorKind::InvalidValue`]).
    pub fn from_query(query: &str) -> Result<Self, Error> {
        let fields = query::parse(query)?;
        check_flags(&fields)?;
        UnknownResponse::from_fields(fields, None, |_| true).map(RedirectResult)
    }

    /// Parses the query of a whole URL (`https://…/done?imp_uid=…`), an app
    /// scheme return (`myapp://?imp_uid=…`, `myapp://imp_uid=…`) or a bare
    /// query. A `#fragment` is ignored.
    pub fn from_url(url: &str) -> Result<Self, Error> {
        let url = url.split_once('#').map_or(url, |(before, _)| before);
        let query = match url.split_once('?') {
            Some((_, query)) => query,
            None => match url.split_once("://") {
                Some((_, rest)) if rest.contains('=') => rest.trim_start_matches('/'),
                Some(_) => "",
                None => url,
            },
        };
        Self::from_query(query)
    }

    /// `imp_uid`; absent from some redirects (the docs' own success example).
    pub fn imp_uid(&self) -> Option<&str> {
        self.0.imp_uid()
    }

    /// `merchant_uid`.
    pub fn merchant_uid(&self) -> Option<&str> {
        self.0.merchant_uid()
    }

    /// What the redirect claims: its flag decides; without one, an error
    /// code or message means failure and an `imp_uid` success; with neither,
    /// [`Outcome::Unknown`].
    pub fn outcome(&self) -> Outcome {
        self.0.outcome()
    }

    /// Every parameter, decoded, as strings.
    pub fn fields(&self) -> &BTreeMap<String, KeptValue> {
        self.0.fields()
    }
}

impl Serialize for RedirectResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// `imp_success` / `success` must be `true` or `false`, and agree.
fn check_flags(fields: &BTreeMap<String, KeptValue>) -> Result<(), Error> {
    let mut seen: Option<&str> = None;
    for key in ["imp_success", "success"] {
        let Some(value) = fields.get(key).and_then(KeptValue::as_str) else {
            continue;
        };
        if value != "true" && value != "false" {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("invalid value: {value:?}, expected \"true\" or \"false\""),
            )
            .with_field(key));
        }
        if let Some(first) = seen
            && first != value
        {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("`imp_success` says {first} but `success` says {value}"),
            )
            .with_field(key));
        }
        seen = Some(value);
    }
    Ok(())
}
