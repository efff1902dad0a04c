//! The client's one error type.

use std::fmt;
use std::sync::Arc;

use portone_pg_core::rest::{Payment, VerifyError};

use crate::scrub::Scrubber;

/// What went wrong, in the terms a caller branches on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered with `code != 0` (at any HTTP status): see
    /// [`Error::code`] and [`Error::message`]. For a cancel, PortOne refused
    /// it: nothing was refunded.
    Api,
    /// An HTTP error status without the API's envelope (a proxy's error page,
    /// a bare 502): see [`Error::status`] and [`Error::body_excerpt`].
    Status,
    /// A successful HTTP status whose body is not the expected object (not
    /// JSON, a wrong type, too large), or is about another payment or order
    /// than the one asked for, or — for a call that changes something —
    /// does not show the change.
    Body,
    /// No answer within the configured timeout.
    Timeout,
    /// The connection could not be made: nothing was sent.
    Connect,
    /// The request failed in transit (reset, broken pipe, TLS).
    Transport,
    /// [`Client::confirm`](crate::Client::confirm): the payment does not match
    /// the order; see [`Error::verify`].
    Verify,
    /// A cancel (or a virtual account's revocation) whose outcome could not
    /// be determined: the request may have reached PortOne, and the lookup
    /// that should have told was not conclusive. Look the payment up before
    /// doing anything else.
    CancelOutcomeUnknown,
    /// Another request that changes something (`POST /payments/prepare`,
    /// a billing key, a schedule, a receipt) whose outcome could not be
    /// determined, for the same reasons as
    /// [`CancelOutcomeUnknown`](Self::CancelOutcomeUnknown).
    OutcomeUnknown,
    /// A charge of a card ([`Client::again`](crate::Client::again),
    /// [`onetime`](crate::Client::onetime),
    /// [`retry_schedule`](crate::Client::retry_schedule)) whose outcome
    /// could not be determined: the request may have reached PortOne, and
    /// neither the lookup of the order's paid payment nor the one resend
    /// it allows settled it. Nothing more was sent; look the order up
    /// (`find(merchant_uid, Some(&Status::Paid))`) before charging again.
    ChargeOutcomeUnknown,
    /// The server answered with a redirect (3xx). PortOne's API never
    /// redirects, and following one could send the credentials or trust a
    /// payment object from another host, so none is followed; the
    /// [`message`](Error::message) names the status and the target's origin.
    Redirect,
    /// A charge ([`Client::again`](crate::Client::again),
    /// [`onetime`](crate::Client::onetime)) that PortOne carried out and the
    /// card company declined: the payment exists with `status: failed`.
    /// [`Error::payment`] is that payment (its `fail_reason` says why) and
    /// the [`message`](Error::message) names it with PortOne's reason.
    ChargeDeclined,
    /// The request was not sent because an argument is unusable (an empty
    /// id, more than 100 ids, an invalid base URL or header).
    InvalidRequest,
}

/// An error from a [`Client`](crate::Client) call.
///
/// Carries the HTTP status, the API's `code` and `message` where there were
/// any, and for replies that were not JSON a short excerpt of the body. Never
/// the key, the secret, a token or a payment's personal data.
#[derive(Clone)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    endpoint: &'static str,
    status: Option<u16>,
    code: Option<i64>,
    message: Option<String>,
    excerpt: Option<String>,
    verify: Option<VerifyError>,
    payment: Option<Payment>,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// The longest body excerpt kept, in characters.
const EXCERPT: usize = 200;

impl Error {
    pub(crate) fn new(kind: ErrorKind, endpoint: &'static str) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                endpoint,
                status: None,
                code: None,
                message: None,
                excerpt: None,
                verify: None,
                payment: None,
                source: None,
            }),
        }
    }

    pub(crate) fn api(
        endpoint: &'static str,
        status: u16,
        code: i64,
        message: Option<String>,
    ) -> Self {
        let mut error = Error::new(ErrorKind::Api, endpoint).with_status(status);
        error.inner.code = Some(code);
        error.inner.message = message;
        error
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.inner.source = Some(Arc::new(source));
        self
    }

    pub(crate) fn verify_error(endpoint: &'static str, verify: VerifyError) -> Self {
        let mut error = Error::new(ErrorKind::Verify, endpoint);
        error.inner.verify = Some(verify);
        error
    }

    /// A declined charge: its payment, and PortOne's reason in the message.
    pub(crate) fn declined(endpoint: &'static str, payment: Payment) -> Self {
        let reason = payment.fail_reason.as_deref().unwrap_or("no reason given");
        let message = format!(
            "{} was not paid ({}): {reason}",
            payment.imp_uid, payment.status
        );
        let mut error = Error::new(ErrorKind::ChargeDeclined, endpoint).with_message(message);
        error.inner.payment = Some(payment);
        error
    }

    /// Keeps the start of a body that is not JSON, for diagnosis.
    pub(crate) fn with_excerpt(mut self, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let mut excerpt: String = text.chars().take(EXCERPT).collect();
        if text.chars().nth(EXCERPT).is_some() {
            excerpt.push('…');
        }
        self.inner.excerpt = Some(excerpt);
        self
    }

    /// From a transport failure; the URL is dropped (it holds ids only, but
    /// errors should say the endpoint, not echo input).
    pub(crate) fn transport(endpoint: &'static str, error: reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            ErrorKind::Timeout
        } else if error.is_connect() {
            ErrorKind::Connect
        } else if error.is_builder() {
            ErrorKind::InvalidRequest
        } else {
            ErrorKind::Transport
        };
        let status = error.status().map(|s| s.as_u16());
        let mut error = Error::new(kind, endpoint).with_source(error.without_url());
        error.inner.status = status;
        error
    }

    /// The error with every text taken from a reply — the API's message, a
    /// body's excerpt, a parse error, a verification's findings — scrubbed
    /// of the secrets `scrubber` knows. A server may echo the credentials or
    /// the token anywhere (an HTML page showing the request's headers, a
    /// refusal quoting its body); no error may hold them.
    pub(crate) fn scrubbed(mut self, scrubber: &Scrubber) -> Self {
        let inner = &mut *self.inner;
        for text in [&mut inner.message, &mut inner.excerpt]
            .into_iter()
            .flatten()
        {
            if let Some(clean) = scrubber.scrub(text) {
                *text = clean;
            }
        }
        if let Some(source) = &inner.source {
            // The chain as Debug shows it includes what Display shows.
            let shown = format!("{source} {source:?}");
            if scrubber.scrub(&shown).is_some() {
                let text = scrubber.scrub(&source.to_string());
                inner.source = Some(Arc::new(Scrubbed(text.unwrap_or_default())));
            }
        }
        if let Some(verify) = inner.verify.take() {
            inner.verify = Some(scrubber.scrub_verify(verify));
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The API's `code` when it answered with `code != 0`.
    pub fn code(&self) -> Option<i64> {
        self.inner.code
    }

    /// The HTTP status of the reply, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The API's `message`, or what the client found out.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// [`Client::confirm`](crate::Client::confirm)'s reason for refusing the
    /// payment.
    pub fn verify(&self) -> Option<&VerifyError> {
        self.inner.verify.as_ref()
    }

    /// The payment of an [`ErrorKind::ChargeDeclined`] charge: PortOne made
    /// it, with `status: failed` and the card company's `fail_reason`.
    /// Its personal data stays out of `Debug`, like any
    /// [`Payment`]'s.
    pub fn payment(&self) -> Option<&Payment> {
        self.inner.payment.as_ref()
    }

    /// The start of a reply body that was not JSON (at most 200 characters).
    /// Never kept for the token endpoint, whose body holds the token.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.inner.excerpt.as_deref()
    }

    /// The endpoint called, as a template: `GET /payments/{imp_uid}`.
    pub fn endpoint(&self) -> &'static str {
        self.inner.endpoint
    }

    /// Whether PortOne answered "no such thing": HTTP 404 with its
    /// envelope (no payment of that `imp_uid`, no key of that
    /// `customer_uid`, no receipt yet).
    pub fn is_not_found(&self) -> bool {
        self.inner.kind == ErrorKind::Api && self.inner.status == Some(404)
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        write!(f, "{}: ", inner.endpoint)?;
        match inner.kind {
            ErrorKind::Api => write!(f, "the API answered code {}", inner.code.unwrap_or(0))?,
            ErrorKind::Status => {
                f.write_str("the server answered an error without the API's envelope")?
            }
            ErrorKind::Body => f.write_str("the reply is not the expected object")?,
            ErrorKind::Timeout => f.write_str("no answer within the timeout")?,
            ErrorKind::Connect => f.write_str("could not connect")?,
            ErrorKind::Transport => f.write_str("the request failed in transit")?,
            ErrorKind::Verify => f.write_str("the payment does not match the order")?,
            ErrorKind::CancelOutcomeUnknown => {
                f.write_str(
                    "the cancel's outcome is unknown; look the payment up before retrying",
                )?;
            }
            ErrorKind::OutcomeUnknown => {
                f.write_str("the outcome is unknown; look it up before retrying")?;
            }
            ErrorKind::Redirect => {
                f.write_str("the server answered with a redirect, which was not followed")?;
            }
            ErrorKind::ChargeOutcomeUnknown => {
                f.write_str(
                    "the charge's outcome is unknown; look the order's paid payment up before charging again",
                )?;
            }
            ErrorKind::ChargeDeclined => f.write_str("the charge was declined")?,
            ErrorKind::InvalidRequest => f.write_str("invalid request")?,
        }
        if let Some(status) = inner.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(verify) = &inner.verify {
            write!(f, ": {verify}")?;
        }
        if let Some(message) = &inner.message {
            write!(f, ": {message}")?;
        }
        if let Some(source) = &inner.source {
            write!(f, ": {source}")?;
        }
        if let Some(excerpt) = &inner.excerpt {
            write!(f, "; body starts {excerpt:?}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Error")
            .field("kind", &inner.kind)
            .field("endpoint", &inner.endpoint)
            .field("status", &inner.status)
            .field("code", &inner.code)
            .field("message", &inner.message)
            .field("verify", &inner.verify)
            .field("payment", &inner.payment)
            .field("body_excerpt", &inner.excerpt)
            .field("source", &inner.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.source {
            Some(source) => Some(&**source),
            None => self.inner.verify.as_ref().map(|v| v as _),
        }
    }
}

/// A source error whose text held a secret, as text with the secret
/// replaced.
struct Scrubbed(String);

impl fmt::Display for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for Scrubbed {}
