//! The REST API's envelope (`{code, message, response}`), its verdict, and
//! the one parse of each payload type.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{
    AccountHolder, BillingKeyInfo, CashReceipt, Certification, EscrowDelivery, ExternalCashReceipt,
    Payment, PaymentBalance, PaymentPage, Prepared, ScheduledPayment, StandardCode,
};
use crate::error::{Error, ErrorKind};
use crate::parse::ctx::{ReadError, TextDeserializer, read_json};
use crate::parse::object::path;

/// The REST API's envelope: `code` 0 with a `response`, or an error code
/// (`-1`) with a `message` and `response: null`.
// Serialize and Deserialize are written out below rather than derived: the
// derive would be this crate's only use of serde_derive, and every user's
// cold build would compile it (and syn) for three fields.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// 0 on success.
    pub code: i64,
    /// The error message, if any.
    pub message: Option<String>,
    /// The payload; `None` on error.
    pub response: Option<T>,
}

impl<T: Serialize> Serialize for ApiResponse<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut envelope = serializer.serialize_struct("ApiResponse", 3)?;
        envelope.serialize_field("code", &self.code)?;
        envelope.serialize_field("message", &self.message)?;
        envelope.serialize_field("response", &self.response)?;
        envelope.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ApiResponse<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct(
            "ApiResponse",
            &["code", "message", "response"],
            EnvelopeVisitor(std::marker::PhantomData),
        )
    }
}

struct EnvelopeVisitor<T>(std::marker::PhantomData<T>);

/// Reads the value of `key`, recorded on the error path.
fn read<'de, A: serde::de::MapAccess<'de>, V: Deserialize<'de>>(
    map: &mut A,
    key: &str,
) -> Result<V, A::Error> {
    path::enter(key);
    let value = map.next_value()?;
    path::leave();
    Ok(value)
}

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for EnvelopeVisitor<T> {
    type Value = ApiResponse<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the REST API's envelope (code, message, response)")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let (mut code, mut message, mut response) = (None, None, None);
        while let Some(key) = map.next_key_seed(crate::value::kept::BorrowedText)? {
            // The messages name the key the way the path-tracking error
            // path reads them (`duplicate field `code``).
            match &*key {
                "code" if code.is_some() => return Err(A::Error::custom("duplicate field `code`")),
                "code" => code = Some(read(&mut map, "code")?),
                "message" if message.is_some() => {
                    return Err(A::Error::custom("duplicate field `message`"));
                }
                "message" => message = Some(read::<_, Option<String>>(&mut map, "message")?),
                "response" if response.is_some() => {
                    return Err(A::Error::custom("duplicate field `response`"));
                }
                "response" => response = Some(read::<_, Option<T>>(&mut map, "response")?),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(ApiResponse {
            code: code.ok_or_else(|| A::Error::custom("missing field `code`"))?,
            message: message.flatten(),
            response: response.flatten(),
        })
    }
}

/// A payload of the REST API's envelope, parsed by one function compiled in
/// portone-pg rather than instantiated in every crate that calls
/// [`ApiResponse::from_json`] (a generic serde parse costs seconds of each
/// release build of the calling crate).
///
/// Implemented for the payloads portone-pg knows. For a payload type of
/// your own, implement it with [`parse_envelope`]:
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::rest::{ApiResponse, Payload, parse_envelope};
///
/// #[derive(serde::Deserialize)]
/// struct Balance { amount: u64 }
///
/// impl Payload for Balance {
///     fn parse_envelope(json: &[u8]) -> Result<ApiResponse<Self>, portone_pg::Error> {
///         parse_envelope(json)
///     }
/// }
///
/// let balance = ApiResponse::<Balance>::from_json(br#"{"code":0,"message":null,"response":{"amount":3}}"#)?;
/// assert_eq!(balance.into_result()?.amount, 3);
/// # Ok::<(), portone_pg::Error>(())
/// ```
pub trait Payload: Sized {
    /// Parses an envelope carrying this payload.
    fn parse_envelope(json: &[u8]) -> Result<ApiResponse<Self>, Error>;
}

/// The payloads portone-pg knows, each parsed by one [`parse_envelope`].
macro_rules! payloads {
    ($($payload:ty),*) => {
        $(
            impl Payload for $payload {
                fn parse_envelope(json: &[u8]) -> Result<ApiResponse<Self>, Error> {
                    parse_envelope(json)
                }
            }
        )*
    };
}

payloads!(
    Payment,
    Vec<Payment>,
    Certification,
    Prepared,
    PaymentPage,
    BillingKeyInfo,
    Vec<BillingKeyInfo>,
    ScheduledPayment,
    Vec<ScheduledPayment>,
    StandardCode,
    Vec<StandardCode>,
    EscrowDelivery,
    CashReceipt,
    ExternalCashReceipt,
    PaymentBalance,
    AccountHolder
);

impl<T: Payload> ApiResponse<T> {
    /// Parses an envelope.
    ///
    /// An error names the property by its path (`response.cancel_history[0].amount`)
    /// and leaves out the value found, which may be personal data.
    pub fn from_json(json: &[u8]) -> Result<Self, Error> {
        T::parse_envelope(json)
    }
}

/// What an envelope says, whatever the HTTP status it came with.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict<T> {
    /// `code` 0 with a `response`.
    Response(T),
    /// `code` 0 without a `response`: the answer is missing.
    Empty,
    /// Any other `code`: the API refused, saying why in `message`.
    Refused {
        /// The API's code.
        code: i64,
        /// The API's message.
        message: Option<String>,
    },
}

impl<T> ApiResponse<T> {
    /// The envelope's verdict: the one place that decides what `code`,
    /// `message` and `response` mean together.
    pub fn verdict(self) -> Verdict<T> {
        match (self.code, self.response) {
            (0, Some(response)) => Verdict::Response(response),
            (0, None) => Verdict::Empty,
            (code, _) => Verdict::Refused {
                code,
                message: self.message,
            },
        }
    }

    /// The payload, or an [`ErrorKind::Api`] error carrying the API's code
    /// and message; `code` 0 without a `response` is a
    /// [`ErrorKind::MissingField`] error naming `response`.
    pub fn into_result(self) -> Result<T, Error> {
        match self.verdict() {
            Verdict::Response(response) => Ok(response),
            Verdict::Empty => Err(Error::new(
                ErrorKind::MissingField,
                "the API answered code 0 without a response",
            )
            .with_field("response")),
            Verdict::Refused { code, message } => Err(Error::api(code, message)),
        }
    }
}

/// Parses an envelope of any payload type: what [`Payload::parse_envelope`]
/// calls, and what an implementation for your own payload type calls.
///
/// An error names the property by its path (`response.cancel_history[0].amount`)
/// and leaves out the value found, which may be personal data.
pub fn parse_envelope<T: for<'de> Deserialize<'de>>(json: &[u8]) -> Result<ApiResponse<T>, Error> {
    let read = |reader: &mut TextDeserializer<'_>| ApiResponse::<T>::deserialize(reader);
    read_json(json, read).map_err(|_| {
        // Errors are rare: parse again, recording the path this time.
        let (result, path) = path::located(|| read_json(json, read).map(drop));
        envelope_error(result, path)
    })
}

/// The error of an envelope's second read, at the path where it stopped.
fn envelope_error(result: Result<(), ReadError>, mut path: String) -> Error {
    let error = match result {
        Err(ReadError::Json(error)) => error,
        Err(ReadError::NotUtf8(error)) if path.is_empty() => return error,
        Err(ReadError::NotUtf8(error)) => return error.with_field(path),
        Ok(()) => return Error::new(ErrorKind::Syntax, "the body did not parse"),
    };
    let mut kind = ErrorKind::InvalidValue;
    // A missing or repeated property is reported at its object: name it.
    let message = error.to_string();
    let named = [
        ("missing field `", ErrorKind::MissingField),
        ("duplicate field `", ErrorKind::DuplicateField),
        ("empty field `", ErrorKind::InvalidValue),
        ("invalid id field `", ErrorKind::InvalidValue),
    ]
    .into_iter()
    .find_map(|(prefix, kind)| {
        let name = message.strip_prefix(prefix)?.split('`').next()?;
        Some((name, kind))
    });
    if let Some((name, named_kind)) = named {
        kind = named_kind;
        path = if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
    }
    let error = Error::from_json(&error, kind).without_values();
    match path.as_str() {
        "" => error,
        path => error.with_field(path),
    }
}
