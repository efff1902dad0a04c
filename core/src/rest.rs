//! The REST payment object, `GET /payments/{imp_uid}`: the only proof of a
//! payment, and [`Payment::verify`], the only way this crate hands out a
//! "paid" fact.
//!
//! ```
//! # use portone_pg_core as portone_pg;
//! use portone_pg::rest::{ApiResponse, Expected, Payment, Settlement};
//! use portone_pg::Amount;
//!
//! // The body your server fetched with GET /payments/imp_245081751564.
//! let body = br#"{"code":0,"message":null,"response":{"imp_uid":"imp_245081751564",
//!   "merchant_uid":"order-1","amount":1004,"cancel_amount":0,"currency":"KRW","status":"paid",
//!   "pay_method":"card","pg_provider":"kcp","paid_at":1654780104}}"#;
//! let payment = ApiResponse::<Payment>::from_json(body)?.into_result()?;
//!
//! // Compare with the order you stored before opening the payment window.
//! let expected = Expected::new("order-1", Amount::from(1004)).imp_uid("imp_245081751564");
//! let verified = payment.verify(&expected).expect("the amounts agree");
//! assert_eq!(verified.settlement(), Settlement::Paid);
//!
//! // A tampered amount is refused, saying what differs.
//! let err = payment.verify(&Expected::new("order-1", Amount::from(100_000))).unwrap_err();
//! assert_eq!(err.to_string(), "amount: expected 100000, the payment says 1004");
//! # Ok::<(), portone_pg::Error>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::parse::ctx::{ReadError, TextDeserializer, read_json};
use crate::parse::object::{json_object, path};
use crate::value::{Currency, EmbPgProvider, PayMethod, Status};
use crate::{Amount, CustomData, Flag, Integer, Timestamp};

json_object! {
    /// `PaymentAnnotation` of the V1 REST API: a payment as PortOne records it.
    ///
    /// Only the properties every object has are plain values; everything
    /// else is an `Option`, because older objects (2017–2018) lack newer
    /// keys such as `card_number`, `pg_id` or `started_at`, and PGs leave
    /// many `null`. Unknown keys are kept in `extra`. Personal data is
    /// redacted in `Debug`.
    pub struct Payment ("payment") {
        /// i'mport's payment id.
        imp_uid: String, id;
        /// The merchant's order id.
        merchant_uid: String, id;
        /// The amount approved (the callback calls it `paid_amount`).
        amount: Amount, required;
        /// `ready`, `paid`, `cancelled` or `failed`.
        status: Status, required;
        /// The amount refunded so far (0 when none).
        cancel_amount: Amount, optional;
        /// The currency (`KRW` by default).
        currency: Currency, optional;
        /// The pay method code; `paypal_v2` always reports `paypal`.
        pay_method: PayMethod, optional;
        /// Where the payment was made: `pc`, `mobile` or `api`.
        channel: String, optional;
        /// The PG code (`PgProvider::from_code` reads it).
        pg_provider: String, optional;
        /// The easy-pay brand of a hub payment.
        emb_pg_provider: EmbPgProvider, optional;
        /// The PG's transaction id.
        pg_tid: String, optional;
        /// The PG store id (MID) the payment went through.
        pg_id: String, optional;
        /// Whether it went through a test channel.
        sandbox: Flag, optional;
        /// Whether it is an escrow payment.
        escrow: Flag, optional;
        /// The card approval number.
        apply_num: String, optional;
        /// The bank code of a transfer.
        bank_code: String, optional;
        /// The bank name of a transfer.
        bank_name: String, optional;
        /// The card company code.
        card_code: String, optional;
        /// The card company name.
        card_name: String, optional;
        /// The card issuer code (new-module PGs only).
        card_issuer_code: String, optional;
        /// The card issuer name (new-module PGs only).
        card_issuer_name: String, optional;
        /// The card publisher code (new-module PGs only).
        card_publisher_code: String, optional;
        /// The card publisher name (new-module PGs only).
        card_publisher_name: String, optional;
        /// Instalment months; 0 is a lump sum.
        card_quota: Integer, optional;
        /// The masked card number.
        card_number: String, pii;
        /// 0 credit, 1 check card; `null` for some PGs.
        card_type: Integer, optional;
        /// The virtual account's bank code.
        vbank_code: String, optional;
        /// The virtual account's bank name.
        vbank_name: String, optional;
        /// The virtual account number.
        vbank_num: String, pii;
        /// The virtual account's holder; `null` for Toss Payments.
        vbank_holder: String, optional;
        /// The deposit deadline.
        vbank_date: Timestamp, optional;
        /// When the virtual account was issued.
        vbank_issued_at: Timestamp, optional;
        /// The order name.
        name: String, optional;
        /// The buyer's name.
        buyer_name: String, pii;
        /// The buyer's e-mail.
        buyer_email: String, pii;
        /// The buyer's phone number.
        buyer_tel: String, pii;
        /// The buyer's address.
        buyer_addr: String, pii;
        /// The buyer's postcode.
        buyer_postcode: String, pii;
        /// The merchant's data, stored as a JSON string.
        custom_data: CustomData, optional;
        /// The buyer's user agent.
        user_agent: String, optional;
        /// When the payment window opened.
        started_at: Timestamp, optional;
        /// When it was paid; 0 if not.
        paid_at: Timestamp, optional;
        /// When it failed; 0 if not.
        failed_at: Timestamp, optional;
        /// When it was cancelled; 0 if not.
        cancelled_at: Timestamp, optional;
        /// Why it failed.
        fail_reason: String, optional;
        /// Why it was cancelled.
        cancel_reason: String, optional;
        /// The sales slip URL.
        receipt_url: String, optional;
        /// Every (partial) cancellation.
        cancel_history: Vec<Cancellation>, optional;
        /// Deposits into a fixed virtual account.
        deposit_history: Vec<Deposit>, optional;
        /// Deprecated: the cancellation slips' URLs.
        cancel_receipt_urls: Vec<String>, optional;
        /// Whether a cash receipt was issued.
        cash_receipt_issued: Flag, optional;
        /// The billing key this payment issued or used.
        customer_uid: String, pii;
        /// `issue`, `payment` or `payment.scheduled`.
        customer_uid_usage: String, optional;
        /// A card company promotion applied.
        promotion: Promotion, optional;
    }
}

json_object! {
    /// `PaymentCancelAnnotation`: one (partial) cancellation.
    pub struct Cancellation ("cancellation") {
        /// The PG's transaction id of the cancellation.
        pg_tid: String, optional;
        /// The amount cancelled.
        amount: Amount, required;
        /// When.
        cancelled_at: Timestamp, optional;
        /// Why.
        reason: String, optional;
        /// The cancellation's id; absent from 2022 objects although the
        /// current schema requires it.
        cancellation_id: String, optional;
        /// The cancellation slip's URL.
        receipt_url: String, optional;
    }
}

json_object! {
    /// `VbankDepositAnnotation`: one deposit into a fixed virtual account.
    pub struct Deposit ("deposit") {
        /// The PG's transaction id of the deposit.
        pg_tid: String, optional;
        /// The amount deposited.
        amount: Amount, required;
        /// Who deposited.
        depositor_name: String, pii;
        /// When.
        deposited_at: Timestamp, optional;
    }
}

json_object! {
    /// A card company promotion.
    pub struct Promotion ("promotion") {
        /// The promotion's id.
        id: String, optional;
        /// The discount.
        discount: Amount, optional;
    }
}

json_object! {
    /// `CertificationAnnotation`: an identity verification as PortOne
    /// records it, `GET /certifications/{imp_uid}`
    /// ([spec](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L8121)).
    ///
    /// Everything that identifies the person is redacted in `Debug`.
    pub struct Certification ("certification") {
        /// i'mport's certification id.
        imp_uid: String, id;
        /// The merchant's id for it.
        merchant_uid: String, optional;
        /// The provider's transaction id.
        pg_tid: String, optional;
        /// The provider: `danal`, `kcp_v2`, ….
        pg_provider: String, required;
        /// Whether the person was verified.
        certified: Flag, optional;
        /// When.
        certified_at: Timestamp, optional;
        /// The verified name.
        name: String, pii;
        /// `male` or `female`.
        gender: String, pii;
        /// `YYYY-MM-DD`.
        birthday: String, pii;
        /// Whether the person is a foreigner (always false unless the
        /// contract with Danal asks for it).
        foreigner: Flag, required;
        /// Like `foreigner`, from the provider's newer field.
        foreigner_v2: Flag, optional;
        /// The phone number used, digits only.
        phone: String, pii;
        /// The phone's carrier: `SKT`, `KT`, `LGT`, `SKT_MVNO`, ….
        carrier: String, optional;
        /// The person's unique key (CI).
        unique_key: String, pii;
        /// The person's key unique to the merchant's site (DI).
        unique_in_site: String, pii;
        /// Where the certification was requested from.
        origin: String, optional;
    }
}

json_object! {
    /// `PaymentPrepareAnnotation`: an amount registered before the payment
    /// window opens (`POST /payments/prepare`): a window opened for this
    /// `merchant_uid` with another amount is refused by PortOne
    /// ([spec](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L4421)).
    pub struct Prepared ("prepared") {
        /// The order's id.
        merchant_uid: String, required;
        /// The amount registered.
        amount: Amount, required;
        /// The currency registered; `None` means the currency is not checked.
        currency: Currency, optional;
    }
}

json_object! {
    /// `PagedPaymentAnnotation`: one page of payments, as
    /// `GET /payments/findAll/{merchant_uid}` answers.
    pub struct PaymentPage ("page") {
        /// How many payments match in all.
        total: Integer, required;
        /// The previous page's number, 0 when none.
        previous: Integer, required;
        /// The next page's number, 0 when none.
        next: Integer, required;
        /// The payments on this page.
        list: Vec<Payment>, optional;
    }
}

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

impl Payload for Payment {
    fn parse_envelope(json: &[u8]) -> Result<ApiResponse<Self>, Error> {
        parse_envelope(json)
    }
}

impl Payload for Vec<Payment> {
    fn parse_envelope(json: &[u8]) -> Result<ApiResponse<Self>, Error> {
        parse_envelope(json)
    }
}

impl Payload for Certification {
    fn parse_envelope(json: &[u8]) -> Result<ApiResponse<Self>, Error> {
        parse_envelope(json)
    }
}

impl Payload for Prepared {
    fn parse_envelope(json: &[u8]) -> Result<ApiResponse<Self>, Error> {
        parse_envelope(json)
    }
}

impl Payload for PaymentPage {
    fn parse_envelope(json: &[u8]) -> Result<ApiResponse<Self>, Error> {
        parse_envelope(json)
    }
}

impl<T: Payload> ApiResponse<T> {
    /// Parses an envelope.
    ///
    /// An error names the property by its path (`response.cancel_history[0].amount`)
    /// and leaves out the value found, which may be personal data.
    pub fn from_json(json: &[u8]) -> Result<Self, Error> {
        T::parse_envelope(json)
    }
}

impl<T> ApiResponse<T> {
    /// The payload, or an [`ErrorKind::Api`] error carrying the API's code
    /// and message; `code` 0 without a `response` is a
    /// [`ErrorKind::MissingField`] error naming `response`.
    pub fn into_result(self) -> Result<T, Error> {
        match (self.code, self.response) {
            (0, Some(response)) => Ok(response),
            (0, None) => Err(Error::new(
                ErrorKind::MissingField,
                "the API answered code 0 without a response",
            )
            .with_field("response")),
            (code, _) => Err(Error::api(code, self.message)),
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

/// What the merchant's order says the payment must be.
///
/// The merchant_uid and amount always, the currency always (KRW unless set:
/// PortOne's default), the imp_uid when given, and never a test-channel
/// payment unless [`allow_sandbox`](Self::allow_sandbox) says so.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::rest::Expected;
/// use portone_pg::{Amount, Currency};
///
/// let krw = Expected::new("order-1", Amount::from(1004));
/// let usd = Expected::new("order-2", "10.50".parse::<Amount>()?).currency(Currency::Usd);
/// # let _ = (krw, usd);
/// # Ok::<(), portone_pg::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    merchant_uid: String,
    amount: Amount,
    currency: Currency,
    imp_uid: Option<String>,
    allow_sandbox: bool,
}

impl Expected {
    /// The order's id and amount, from the merchant's own records (never from
    /// the callback), in KRW.
    pub fn new(merchant_uid: impl Into<String>, amount: Amount) -> Self {
        Expected {
            merchant_uid: merchant_uid.into(),
            amount,
            currency: Currency::Krw,
            imp_uid: None,
            allow_sandbox: false,
        }
    }

    /// The order's currency, when it is not KRW (`Currency::Usd` for a USD
    /// order). The currency is always compared: a USD 10 payment never
    /// passes for a 10 KRW order.
    pub fn currency(mut self, currency: Currency) -> Self {
        self.currency = currency;
        self
    }

    /// Accept payments made through a PortOne test channel (`sandbox: true`).
    ///
    /// For test configurations only. Test-channel payments move no money;
    /// since 2026-01-26 PortOne marks them so that a free test payment
    /// cannot be presented as a real one, and [`Payment::verify`] refuses
    /// them unless this is set.
    pub fn allow_sandbox(mut self) -> Self {
        self.allow_sandbox = true;
        self
    }

    /// Also require the `imp_uid` the callback or redirect gave.
    pub fn imp_uid(mut self, imp_uid: impl Into<String>) -> Self {
        self.imp_uid = Some(imp_uid.into());
        self
    }
}

/// Where a verified payment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// Paid in full: fulfil the order.
    Paid,
    /// A virtual account was issued and awaits the deposit (`status` `ready`):
    /// tell the buyer where to pay; the deposit arrives as a `paid` webhook.
    AwaitingDeposit,
}

/// A payment checked against the order: the only "paid" fact this crate
/// hands out. Built by [`Payment::verify`].
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedPayment {
    payment: Payment,
    settlement: Settlement,
}

impl VerifiedPayment {
    /// Paid, or a virtual account awaiting its deposit.
    pub fn settlement(&self) -> Settlement {
        self.settlement
    }

    /// The verified payment object.
    pub fn payment(&self) -> &Payment {
        &self.payment
    }

    /// The verified payment object, owned.
    pub fn into_payment(self) -> Payment {
        self.payment
    }
}

/// Why a payment does not match its order; each says expected versus found.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not paid: `failed`, `cancelled`, or `ready` without a virtual account.
    Status {
        /// The payment's status.
        found: Status,
    },
    /// Part of the amount was refunded.
    Cancelled {
        /// The amount refunded.
        cancel_amount: Amount,
    },
    /// Another order's payment.
    MerchantUid {
        /// The order's id.
        expected: String,
        /// The payment's.
        found: String,
    },
    /// Another amount than the order's: the classic tampered callback.
    Amount {
        /// The order's amount.
        expected: Amount,
        /// The payment's.
        found: Amount,
    },
    /// Another currency (a payment that states none is in KRW).
    Currency {
        /// The order's currency.
        expected: Currency,
        /// The payment's.
        found: Currency,
    },
    /// A payment through a PortOne test channel (`sandbox: true`): no money
    /// moved. Refused unless [`Expected::allow_sandbox`] is set.
    Sandbox,
    /// Another payment than the one the callback named.
    ImpUid {
        /// The id the callback or redirect gave.
        expected: String,
        /// The payment's.
        found: String,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Status { found } => write!(
                f,
                "status: expected paid (or ready with a virtual account), the payment says {found}"
            ),
            VerifyError::Cancelled { cancel_amount } => {
                write!(
                    f,
                    "cancel_amount: expected 0, the payment says {cancel_amount}"
                )
            }
            VerifyError::MerchantUid { expected, found } => {
                write!(
                    f,
                    "merchant_uid: expected {expected:?}, the payment says {found:?}"
                )
            }
            VerifyError::Amount { expected, found } => {
                write!(f, "amount: expected {expected}, the payment says {found}")
            }
            VerifyError::Currency { expected, found } => {
                write!(f, "currency: expected {expected}, the payment says {found}")
            }
            VerifyError::Sandbox => f.write_str(
                "sandbox: the payment was made through a test channel and moved no money",
            ),
            VerifyError::ImpUid { expected, found } => {
                write!(
                    f,
                    "imp_uid: expected {expected:?}, the payment says {found:?}"
                )
            }
        }
    }
}

impl std::error::Error for VerifyError {}

impl Payment {
    /// What can still be refunded: `amount - cancel_amount` (a payment
    /// without `cancel_amount` has refunded nothing). This is the `checksum`
    /// a cancel request sends so that PortOne refuses it when the merchant's
    /// view is stale
    /// ([guide](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/opi/ko/integration/cancel/v1/basic.mdx)).
    /// `None` only when the subtraction overflows.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::rest::{ApiResponse, Payment};
    /// use portone_pg::Amount;
    ///
    /// let body = br#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","merchant_uid":"o-1",
    ///   "amount":1004,"cancel_amount":300,"status":"paid"}}"#;
    /// let payment = ApiResponse::<Payment>::from_json(body)?.into_result()?;
    /// assert_eq!(payment.cancellable_amount(), Some(Amount::from(704)));
    /// # Ok::<(), portone_pg::Error>(())
    /// ```
    pub fn cancellable_amount(&self) -> Option<Amount> {
        match self.cancel_amount {
            Some(cancelled) => self.amount.checked_sub(cancelled),
            None => Some(self.amount),
        }
    }

    /// Checks the payment against the order: the merchant_uid, the amount
    /// (by value: `1004` equals `1004.00`) and the currency must be equal
    /// (an object without `currency` is in KRW), the imp_uid too when
    /// `expected` names it; the status must be `paid` with nothing refunded,
    /// or `ready` for an issued virtual account; and the payment must not be
    /// a test-channel one (`sandbox: true`) unless `expected` allows it. An
    /// object without `sandbox` (before 2026-01-26) is not a test payment.
    pub fn verify(&self, expected: &Expected) -> Result<VerifiedPayment, VerifyError> {
        self.verify_identity(expected)?;
        if let Some(cancel_amount) = &self.cancel_amount
            && !cancel_amount.is_zero()
        {
            return Err(VerifyError::Cancelled {
                cancel_amount: *cancel_amount,
            });
        }
        let settlement = match self.status {
            Status::Paid => Settlement::Paid,
            Status::Ready
                if self.pay_method == Some(PayMethod::Vbank) && self.vbank_num.is_some() =>
            {
                Settlement::AwaitingDeposit
            }
            _ => {
                return Err(VerifyError::Status {
                    found: self.status.clone(),
                });
            }
        };
        Ok(VerifiedPayment {
            payment: self.clone(),
            settlement,
        })
    }

    /// The half of [`verify`](Self::verify) about identity: whether this is
    /// the order's payment at all — its merchant_uid, amount and currency,
    /// its imp_uid when `expected` names one, and no test channel unless
    /// allowed — whatever its status. A refunded or failed payment of the
    /// order passes; a ledger that follows an order through its refunds
    /// checks this, then reads the status and the refunds itself.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::rest::{ApiResponse, Expected, Payment, VerifyError};
    /// use portone_pg::Amount;
    ///
    /// let body = br#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","merchant_uid":"o-1",
    ///   "amount":1004,"cancel_amount":1004,"status":"cancelled"}}"#;
    /// let payment = ApiResponse::<Payment>::from_json(body)?.into_result()?;
    /// let order = Expected::new("o-1", Amount::from(1004));
    /// assert_eq!(payment.verify_identity(&order), Ok(()));
    /// assert!(matches!(payment.verify(&order), Err(VerifyError::Cancelled { .. })));
    /// # Ok::<(), portone_pg::Error>(())
    /// ```
    pub fn verify_identity(&self, expected: &Expected) -> Result<(), VerifyError> {
        if let Some(imp_uid) = &expected.imp_uid
            && *imp_uid != self.imp_uid
        {
            return Err(VerifyError::ImpUid {
                expected: imp_uid.clone(),
                found: self.imp_uid.clone(),
            });
        }
        if self.merchant_uid != expected.merchant_uid {
            return Err(VerifyError::MerchantUid {
                expected: expected.merchant_uid.clone(),
                found: self.merchant_uid.clone(),
            });
        }
        if self.amount != expected.amount {
            return Err(VerifyError::Amount {
                expected: expected.amount,
                found: self.amount,
            });
        }
        let currency = self.currency.as_ref().unwrap_or(&Currency::Krw);
        if *currency != expected.currency {
            return Err(VerifyError::Currency {
                expected: expected.currency.clone(),
                found: currency.clone(),
            });
        }
        if !expected.allow_sandbox && self.sandbox.is_some_and(Flag::get) {
            return Err(VerifyError::Sandbox);
        }
        Ok(())
    }
}
