//! A PortOne (i'mport) V1 REST client that gets the money paths right:
//! cached, single-flight tokens timed by the server's clock; one error type
//! that treats `code != 0` as an error at any HTTP status and never holds a
//! key, secret or token (texts a server sends are scrubbed of them); no
//! redirect followed; every reply checked to be the object asked for;
//! `confirm` = fetch + [`verify`](portone_pg_core::rest::Payment::verify),
//! refusing test-channel payments; exact decimal amounts on the wire; and
//! cancels guarded by a checksum, proven by the reply or resolved by a
//! lookup, never resent blindly.
//!
//! ```no_run
//! # use portone_pg_core as portone_pg;
//! # use portone_pg_client as client;
//! use client::{Cancel, Client};
//! use portone_pg::rest::{Expected, Settlement};
//! use portone_pg::Amount;
//!
//! # async fn run() -> Result<(), client::Error> {
//! let client = Client::builder("imp_key", "imp_secret").build()?;
//! // Before opening the payment window: PortOne refuses a window for
//! // another amount.
//! client.prepare("order-1", Amount::from(1004)).await?;
//! // The callback, redirect or webhook named an imp_uid: only the REST
//! // object, checked against the order, says it was paid.
//! let expected = Expected::new("order-1", Amount::from(1004));
//! let verified = client.confirm("imp_123", &expected).await?;
//! assert_eq!(verified.settlement(), Settlement::Paid);
//! // Refund 300; the checksum (the balance read just before) makes a
//! // stale or repeated request fail instead of refunding twice.
//! client.cancel(Cancel::partial("imp_123", Amount::from(300)).reason("damaged")).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Tests run against `portone-pg-fake`, a fake V1 API on 127.0.0.1.
#![deny(missing_docs)]

mod cancel;
mod error;
mod once;
mod scrub;
mod token;
mod trace;

use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use portone_pg_core::rest::{
    ApiResponse, Certification, Expected, Payload, Payment, PaymentPage, Prepared, VerifiedPayment,
    parse_envelope,
};
use portone_pg_core::{Amount, Currency, Status};
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::{Deserialize, Serialize};

pub use cancel::{Cancel, RefundAccount, Requester};
pub use error::{Error, ErrorKind};
use once::{Probe, once};
use scrub::Scrubber;
use token::{Issued, MAX_LIFETIME, Secret, Tokens};
use trace::Call;

/// PortOne's V1 API.
pub const BASE_URL: &str = "https://api.iamport.kr";
/// The same API from fixed outbound addresses, for firewalls that allow-list
/// them.
pub const STATIC_IP_BASE_URL: &str = "https://static-api.iamport.kr";

/// The largest reply body read (a `findAll` page of 1000 payments fits).
const MAX_BODY: usize = 16 << 20;

/// A path segment: everything but unreserved characters is escaped, so an id
/// cannot leave its segment.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds a [`Client`]; [`Client::builder`] starts one.
#[derive(Debug)]
pub struct ClientBuilder {
    key: Secret,
    secret: Secret,
    base_url: String,
    tier: Option<String>,
    include_sandbox: bool,
    timeout: Duration,
    connect_timeout: Duration,
    token_margin: Duration,
}

impl ClientBuilder {
    /// Another base URL than `https://api.iamport.kr`: the fake in tests, a
    /// proxy. A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Calls `https://static-api.iamport.kr`, whose outbound addresses are
    /// fixed.
    pub fn static_ip(self) -> Self {
        self.base_url(STATIC_IP_BASE_URL)
    }

    /// Sends `Tier: <code>` with every call: an agency acting for one of its
    /// sub-merchants with the agency's key.
    pub fn tier(mut self, code: impl Into<String>) -> Self {
        self.tier = Some(code.into());
        self
    }

    /// Makes [`Client::payment`] see test-channel payments too
    /// (`include_sandbox=true`). Off by default: PortOne hides them since
    /// 2026-01-26. [`Client::confirm`] always asks for them and refuses them
    /// unless the [`Expected`] allows them, so a test payment is reported as
    /// such instead of as "not found".
    pub fn include_sandbox(mut self, include: bool) -> Self {
        self.include_sandbox = include;
        self
    }

    /// The whole request's timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connection timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long before its expiry a token is replaced (default 60 s; a
    /// token is always used for at least half its life).
    pub fn token_margin(mut self, margin: Duration) -> Self {
        self.token_margin = margin;
        self
    }

    /// The client. Fails on a base URL that is not `http://` or `https://`,
    /// a tier code that cannot be a header, or when the HTTP stack cannot
    /// start (no TLS backend).
    pub fn build(self) -> Result<Client, Error> {
        const BUILD: &str = "Client::build";
        let base = self.base_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("https://") || base.starts_with("http://"))
            || base.contains(['?', '#'])
        {
            return Err(Error::new(ErrorKind::InvalidRequest, BUILD)
                .with_message("the base URL must be an http:// or https:// URL without query"));
        }
        let tier = match self.tier {
            Some(code) => Some(HeaderValue::from_str(&code).map_err(|_| {
                Error::new(ErrorKind::InvalidRequest, BUILD)
                    .with_message("the tier code is not a valid header value")
            })?),
            None => None,
        };
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("portone-pg-client/", env!("CARGO_PKG_VERSION")))
            // PortOne's API never redirects; a redirect followed would send
            // the credentials elsewhere or trust another host's object.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::transport(BUILD, e))?;
        Ok(Client {
            shared: Arc::new(Shared {
                http,
                base,
                key: self.key,
                secret: self.secret,
                tier,
                include_sandbox: self.include_sandbox,
                tokens: Tokens::new(self.token_margin),
            }),
        })
    }
}

/// A V1 REST client. `Send + Sync`; clones share one connection pool and
/// one token cache, so clone it into every task or keep it in your state.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    http: reqwest::Client,
    base: String,
    key: Secret,
    secret: Secret,
    tier: Option<HeaderValue>,
    include_sandbox: bool,
    tokens: Tokens,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base)
            .field("include_sandbox", &self.shared.include_sandbox)
            .finish_non_exhaustive()
    }
}

/// `AuthAnnotation`.
#[derive(Deserialize)]
struct Auth {
    access_token: String,
    expired_at: i64,
    now: i64,
}

impl Payload for Auth {
    fn parse_envelope(json: &[u8]) -> Result<ApiResponse<Self>, portone_pg_core::Error> {
        parse_envelope(json)
    }
}

/// An envelope whose response is not read: what a refusal says.
#[derive(Deserialize)]
struct Bare {
    code: i64,
    message: Option<String>,
}

/// The body of `POST|PUT /payments/prepare`.
#[derive(Serialize)]
struct PrepareBody<'a> {
    merchant_uid: &'a str,
    amount: Exact<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'a str>,
}

/// An amount written as a JSON number with exactly its digits (`10.50`),
/// even one that was received as a string: never through `f64`.
pub(crate) struct Exact<'a>(pub &'a Amount);

impl Serialize for Exact<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let number = serde_json::value::RawValue::from_string(self.0.to_string())
            .map_err(serde::ser::Error::custom)?;
        number.serialize(s)
    }
}

fn segment(endpoint: &'static str, id: &str) -> Result<String, Error> {
    // "." and ".." would be resolved away by URL normalisation.
    if id.is_empty() || id == "." || id == ".." {
        return Err(Error::new(ErrorKind::InvalidRequest, endpoint)
            .with_message("the id is empty or a dot segment"));
    }
    if id.chars().any(char::is_control) {
        return Err(Error::new(ErrorKind::InvalidRequest, endpoint)
            .with_message("the id holds a control character: it names no payment"));
    }
    Ok(utf8_percent_encode(id, SEGMENT).to_string())
}

fn is_json(body: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
}

/// Whether a call may be sent again after a 401 (a refused token).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Replay {
    /// A lookup: a 401 means nothing was read; refresh the token and retry.
    Safe,
    /// A call that changes something. A server can apply it and still answer
    /// 401, so the 401 is an unknown outcome for the caller to resolve by
    /// looking up, never a blind resend.
    Never,
}

/// The error for a reply about another object than the one asked for.
pub(crate) fn foreign(endpoint: &'static str, what: &str) -> Error {
    Error::new(ErrorKind::Body, endpoint).with_message(format!(
        "the reply is about another {what} than the one asked for"
    ))
}

impl Client {
    /// A client for the REST API key and secret of the console's
    /// "V1 API" keys; configure it, then [`build`](ClientBuilder::build).
    pub fn builder(key: impl Into<String>, secret: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            key: Secret::new(key.into()),
            secret: Secret::new(secret.into()),
            base_url: BASE_URL.to_owned(),
            tier: None,
            include_sandbox: false,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            token_margin: Duration::from_secs(60),
        }
    }

    /// `GET /payments/{imp_uid}`: the payment as PortOne records it. An
    /// object for another `imp_uid` is an [`ErrorKind::Body`] error.
    pub async fn payment(&self, imp_uid: &str) -> Result<Payment, Error> {
        const ENDPOINT: &str = "GET /payments/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(
            &call,
            self.lookup(&call, imp_uid, self.shared.include_sandbox),
        )
        .await
    }

    /// `GET /payments/{imp_uid}?include_sandbox=true`: the payment, also
    /// when it was made through a test channel, whatever
    /// [`include_sandbox`](ClientBuilder::include_sandbox) says. For code
    /// that checks the object itself (a ledger), so that a test payment is
    /// seen and refused as one instead of reported as not found.
    pub async fn payment_including_sandbox(&self, imp_uid: &str) -> Result<Payment, Error> {
        const ENDPOINT: &str = "GET /payments/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(&call, self.lookup(&call, imp_uid, true)).await
    }

    async fn lookup(
        &self,
        call: &Call,
        imp_uid: &str,
        include_sandbox: bool,
    ) -> Result<Payment, Error> {
        const ENDPOINT: &str = "GET /payments/{imp_uid}";
        let mut url = self.url(ENDPOINT, "payments", &[imp_uid])?;
        if include_sandbox {
            url.push_str("?include_sandbox=true");
        }
        let payment: Payment = self
            .call(call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
            .await?;
        if payment.imp_uid != imp_uid {
            return Err(foreign(ENDPOINT, "payment"));
        }
        Ok(payment)
    }

    /// Fetches the payment and [verifies](Payment::verify) it against the
    /// order: the only way to a "paid" fact. The object must be the payment
    /// `imp_uid` names (otherwise an [`ErrorKind::Body`] error, whatever
    /// `expected` says). A test-channel payment is found (the lookup asks
    /// with `include_sandbox=true`) and refused unless `expected`
    /// [allows it](Expected::allow_sandbox). A mismatch is an
    /// [`ErrorKind::Verify`] error whose [`Error::verify`] says what differs.
    pub async fn confirm(
        &self,
        imp_uid: &str,
        expected: &Expected,
    ) -> Result<VerifiedPayment, Error> {
        const ENDPOINT: &str = "GET /payments/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(&call, async {
            let payment = self.lookup(&call, imp_uid, true).await?;
            payment
                .verify(expected)
                .map_err(|e| Error::verify_error(ENDPOINT, e))
        })
        .await
    }

    /// `GET /payments/find/{merchant_uid}[/{status}]`: the newest payment
    /// (by window opening) with this order id, of this status if given. An
    /// order id may have several payments (a failed attempt, then a paid
    /// one): filter by status, or use [`find_all`](Self::find_all). An
    /// object of another order or status is an [`ErrorKind::Body`] error.
    pub async fn find(
        &self,
        merchant_uid: &str,
        status: Option<&Status>,
    ) -> Result<Payment, Error> {
        const ENDPOINT: &str = "GET /payments/find/{merchant_uid}";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        let ids: Vec<&str> = std::iter::once(merchant_uid)
            .chain(status.map(Status::as_str))
            .collect();
        self.run(&call, async {
            let url = self.url(ENDPOINT, "payments/find", &ids)?;
            let payment: Payment = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            Self::of_order(ENDPOINT, &payment, merchant_uid, status)?;
            Ok(payment)
        })
        .await
    }

    /// A payment found by its order: that order's, of that status.
    fn of_order(
        endpoint: &'static str,
        payment: &Payment,
        merchant_uid: &str,
        status: Option<&Status>,
    ) -> Result<(), Error> {
        if payment.merchant_uid != merchant_uid {
            return Err(foreign(endpoint, "order"));
        }
        if status.is_some_and(|status| *status != payment.status) {
            return Err(Error::new(ErrorKind::Body, endpoint)
                .with_message("the reply is a payment of another status than the one asked for"));
        }
        Ok(())
    }

    /// `GET /payments/findAll/{merchant_uid}[/{status}]`, every page (1000
    /// per page, at most 100 pages): all payments with this order id. A
    /// payment of another order or status is an [`ErrorKind::Body`] error.
    pub async fn find_all(
        &self,
        merchant_uid: &str,
        status: Option<&Status>,
    ) -> Result<Vec<Payment>, Error> {
        const ENDPOINT: &str = "GET /payments/findAll/{merchant_uid}";
        const MAX_PAGES: i64 = 100;
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        let ids: Vec<&str> = std::iter::once(merchant_uid)
            .chain(status.map(Status::as_str))
            .collect();
        self.run(&call, async {
            let base = self.url(ENDPOINT, "payments/findAll", &ids)?;
            let mut all = Vec::new();
            let mut page = 1;
            loop {
                let url = format!("{base}?page={page}&limit=1000");
                let found: PaymentPage = self
                    .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                    .await?;
                for payment in found.list.unwrap_or_default() {
                    Self::of_order(ENDPOINT, &payment, merchant_uid, status)?;
                    all.push(payment);
                }
                let next = found.next.get();
                if next == 0 {
                    return Ok(all);
                }
                if next <= page || next > MAX_PAGES {
                    return Err(Error::new(ErrorKind::Body, ENDPOINT)
                        .with_message(format!("page {page} names page {next} as the next")));
                }
                page = next;
            }
        })
        .await
    }

    /// `GET /payments?imp_uid[]=…`: up to 100 payments at once. Ids PortOne
    /// does not find are left out (it answers 207); none found is a 404
    /// [`ErrorKind::Api`] error. A payment that was not asked for, or one
    /// returned twice, is an [`ErrorKind::Body`] error.
    pub async fn payments(&self, imp_uids: &[&str]) -> Result<Vec<Payment>, Error> {
        const ENDPOINT: &str = "GET /payments";
        let call = Call::new(ENDPOINT, None, None);
        self.run(&call, async {
            if imp_uids.is_empty() || imp_uids.len() > 100 {
                return Err(Error::new(ErrorKind::InvalidRequest, ENDPOINT)
                    .with_message("between 1 and 100 imp_uids"));
            }
            let mut url = format!("{}/payments?", self.shared.base);
            for (i, imp_uid) in imp_uids.iter().enumerate() {
                if i > 0 {
                    url.push('&');
                }
                url.push_str("imp_uid%5B%5D=");
                url.push_str(&segment(ENDPOINT, imp_uid)?);
            }
            let payments: Vec<Payment> = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            let mut unseen: std::collections::HashSet<&str> = imp_uids.iter().copied().collect();
            for payment in &payments {
                if !unseen.remove(payment.imp_uid.as_str()) {
                    return Err(foreign(ENDPOINT, "set of payments"));
                }
            }
            Ok(payments)
        })
        .await
    }

    /// `POST /payments/prepare`: registers the amount before the payment
    /// window opens; PortOne then refuses to open a window for this
    /// `merchant_uid` with another amount. The currency is not checked
    /// (see [`prepare_in`](Self::prepare_in)).
    ///
    /// When the outcome is unknown (a timeout, a 5xx, a 401 after sending),
    /// it reads the registration back: the amount asked for means it
    /// happened; none means it did not, and the request is sent once more;
    /// anything else is an [`ErrorKind::OutcomeUnknown`] error.
    pub async fn prepare(&self, merchant_uid: &str, amount: Amount) -> Result<Prepared, Error> {
        self.register(merchant_uid, &amount, None).await
    }

    /// [`prepare`](Self::prepare) with the currency checked too.
    pub async fn prepare_in(
        &self,
        merchant_uid: &str,
        amount: Amount,
        currency: &Currency,
    ) -> Result<Prepared, Error> {
        self.register(merchant_uid, &amount, Some(currency)).await
    }

    async fn register(
        &self,
        merchant_uid: &str,
        amount: &Amount,
        currency: Option<&Currency>,
    ) -> Result<Prepared, Error> {
        const ENDPOINT: &str = "POST /payments/prepare";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        let registered = |prepared: &Prepared| {
            prepared.amount == *amount
                && currency.is_none_or(|c| prepared.currency.as_ref() == Some(c))
        };
        let (call, registered) = (&call, &registered);
        let send = move || async move {
            let prepared = self
                .send_prepare(call, reqwest::Method::POST, merchant_uid, amount, currency)
                .await?;
            match registered(&prepared) {
                true => Ok(prepared),
                false => Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the reply registers another amount than the one sent")),
            }
        };
        let probe = move || async move {
            match self.read_prepared(call, merchant_uid).await {
                Ok(prepared) if registered(&prepared) => Ok(Probe::Applied(prepared)),
                Ok(_) => Ok(Probe::Other("another amount is registered".into())),
                Err(error) if error.kind() == ErrorKind::Api && error.status() == Some(404) => {
                    Ok(Probe::NotApplied)
                }
                Err(error) => Err(error),
            }
        };
        self.run(call, once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe))
            .await
    }

    /// `PUT /payments/prepare`: changes a registered amount (a 404
    /// [`ErrorKind::Api`] error when none was registered). Sending it twice
    /// registers the same amount, so it is retried after a 401 like a
    /// lookup.
    pub async fn update_prepared(
        &self,
        merchant_uid: &str,
        amount: Amount,
    ) -> Result<Prepared, Error> {
        const ENDPOINT: &str = "PUT /payments/prepare";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        self.run(&call, async {
            let prepared = self
                .send_prepare(&call, reqwest::Method::PUT, merchant_uid, &amount, None)
                .await?;
            if prepared.amount != amount {
                return Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the reply registers another amount than the one sent"));
            }
            Ok(prepared)
        })
        .await
    }

    async fn send_prepare(
        &self,
        call: &Call,
        method: reqwest::Method,
        merchant_uid: &str,
        amount: &Amount,
        currency: Option<&Currency>,
    ) -> Result<Prepared, Error> {
        let (endpoint, replay) = if method == reqwest::Method::PUT {
            ("PUT /payments/prepare", Replay::Safe)
        } else {
            ("POST /payments/prepare", Replay::Never)
        };
        let body = serde_json::to_vec(&PrepareBody {
            merchant_uid,
            amount: Exact(amount),
            currency: currency.map(Currency::as_str),
        })
        .map_err(|e| Error::new(ErrorKind::InvalidRequest, endpoint).with_source(e))?;
        let url = format!("{}/payments/prepare", self.shared.base);
        let prepared: Prepared = self
            .call(call, endpoint, replay, || {
                self.shared
                    .http
                    .request(method.clone(), &url)
                    .header("content-type", "application/json")
                    .body(body.clone())
            })
            .await?;
        if prepared.merchant_uid != merchant_uid {
            return Err(foreign(endpoint, "order"));
        }
        Ok(prepared)
    }

    /// `GET /payments/prepare/{merchant_uid}`: the registered amount.
    pub async fn prepared(&self, merchant_uid: &str) -> Result<Prepared, Error> {
        const ENDPOINT: &str = "GET /payments/prepare/{merchant_uid}";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        self.run(&call, self.read_prepared(&call, merchant_uid))
            .await
    }

    async fn read_prepared(&self, call: &Call, merchant_uid: &str) -> Result<Prepared, Error> {
        const ENDPOINT: &str = "GET /payments/prepare/{merchant_uid}";
        let url = self.url(ENDPOINT, "payments/prepare", &[merchant_uid])?;
        let prepared: Prepared = self
            .call(call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
            .await?;
        if prepared.merchant_uid != merchant_uid {
            return Err(foreign(ENDPOINT, "order"));
        }
        Ok(prepared)
    }

    /// `DELETE /vbanks/{imp_uid}`: revokes a virtual account before the
    /// deposit; returns the payment after (`status: cancelled`).
    ///
    /// When the outcome is unknown (a timeout, a 5xx, a 401 after sending,
    /// a reply that does not show the payment cancelled), it reads the
    /// payment: `cancelled` means it happened; still `ready` means it did
    /// not, and the request is sent once more; anything else is an
    /// [`ErrorKind::CancelOutcomeUnknown`] error.
    pub async fn revoke_vbank(&self, imp_uid: &str) -> Result<Payment, Error> {
        const ENDPOINT: &str = "DELETE /vbanks/{imp_uid}";
        let call = &Call::new(ENDPOINT, Some(imp_uid), None);
        let send = move || async move {
            let url = self.url(ENDPOINT, "vbanks", &[imp_uid])?;
            let payment: Payment = self
                .call(call, ENDPOINT, Replay::Never, || {
                    self.shared.http.delete(&url)
                })
                .await?;
            if payment.imp_uid != imp_uid {
                return Err(foreign(ENDPOINT, "payment"));
            }
            if payment.status != Status::Cancelled {
                return Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the reply does not show the payment cancelled"));
            }
            Ok(payment)
        };
        let probe = move || async move {
            let payment = self.lookup(call, imp_uid, true).await?;
            Ok(match payment.status {
                Status::Cancelled => Probe::Applied(payment),
                Status::Ready => Probe::NotApplied,
                _ => {
                    Probe::Other("the payment is neither cancelled nor awaiting its deposit".into())
                }
            })
        };
        self.run(
            call,
            once(ENDPOINT, ErrorKind::CancelOutcomeUnknown, send, probe),
        )
        .await
    }

    /// `GET /certifications/{imp_uid}`: an identity verification's result.
    pub async fn certification(&self, imp_uid: &str) -> Result<Certification, Error> {
        const ENDPOINT: &str = "GET /certifications/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(&call, async {
            let url = self.url(ENDPOINT, "certifications", &[imp_uid])?;
            let certification: Certification = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            if certification.imp_uid != imp_uid {
                return Err(foreign(ENDPOINT, "certification"));
            }
            Ok(certification)
        })
        .await
    }
}

/// The transport: every request a public method makes goes through here.
impl Client {
    /// Runs a public method's work inside its span; the error it returns is
    /// scrubbed of the key, the secret and the tokens, whichever path it
    /// took.
    async fn run<T>(
        &self,
        call: &Call,
        work: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        call.run(work).await.map_err(|error| {
            let tokens = self.shared.tokens.known();
            let scrubber = Scrubber::new(
                [self.shared.key.expose(), self.shared.secret.expose()]
                    .into_iter()
                    .chain(tokens.iter().map(|token| token.expose())),
            );
            error.scrubbed(&scrubber)
        })
    }

    /// One authorised call: the cached token, then the envelope. A 401
    /// means the token was refused: it is replaced, and a [`Replay::Safe`]
    /// call is sent once more.
    async fn call<T: Payload>(
        &self,
        call: &Call,
        endpoint: &'static str,
        replay: Replay,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<T, Error> {
        let token = self.token(None).await?;
        let mut response = self.send(endpoint, request(), &token).await?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            match replay {
                Replay::Safe => {
                    let token = self.token(Some(&token)).await?;
                    response = self.send(endpoint, request(), &token).await?;
                }
                Replay::Never => self.shared.tokens.forget(&token),
            }
        }
        let status = response.status().as_u16();
        call.status(status);
        let body = read_body(endpoint, response).await?;
        let result = decode(endpoint, status, &body, true);
        if let Err(error) = &result
            && let Some(code) = error.code()
        {
            call.code(code);
        }
        result
    }

    async fn send(
        &self,
        endpoint: &'static str,
        request: reqwest::RequestBuilder,
        token: &Secret,
    ) -> Result<reqwest::Response, Error> {
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
            .map_err(|_| {
                Error::new(ErrorKind::Body, "POST /users/getToken")
                    .with_message("the token is not a valid header value")
            })?;
        authorization.set_sensitive(true);
        self.dispatch(endpoint, request.header(AUTHORIZATION, authorization))
            .await
    }

    /// Sends a request, with the agency's `Tier` header when one is set. A
    /// redirect is an error, never followed.
    async fn dispatch(
        &self,
        endpoint: &'static str,
        mut request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error> {
        if let Some(tier) = &self.shared.tier {
            request = request.header("Tier", tier.clone());
        }
        let response = request
            .send()
            .await
            .map_err(|e| Error::transport(endpoint, e))?;
        if response.status().is_redirection() {
            return Err(redirected(endpoint, &response));
        }
        Ok(response)
    }

    /// `{base}/{path}/{id}/…`, each id escaped into one path segment.
    fn url(&self, endpoint: &'static str, path: &str, ids: &[&str]) -> Result<String, Error> {
        let mut url = format!("{}/{path}", self.shared.base);
        for id in ids {
            url.push('/');
            url.push_str(&segment(endpoint, id)?);
        }
        Ok(url)
    }

    async fn token(&self, refused: Option<&Arc<Secret>>) -> Result<Arc<Secret>, Error> {
        self.shared.tokens.get(refused, || self.fetch_token()).await
    }

    /// `POST /users/getToken`.
    async fn fetch_token(&self) -> Result<Issued, Error> {
        const ENDPOINT: &str = "POST /users/getToken";
        let call = Call::new(ENDPOINT, None, None);
        call.run(async {
            #[derive(Serialize)]
            struct Credentials<'a> {
                imp_key: &'a str,
                imp_secret: &'a str,
            }
            let body = serde_json::to_vec(&Credentials {
                imp_key: self.shared.key.expose(),
                imp_secret: self.shared.secret.expose(),
            })
            .map_err(|e| Error::new(ErrorKind::InvalidRequest, ENDPOINT).with_source(e))?;
            let request = self
                .shared
                .http
                .post(format!("{}/users/getToken", self.shared.base))
                .header("content-type", "application/json")
                .body(body);
            let response = self.dispatch(ENDPOINT, request).await?;
            let status = response.status().as_u16();
            call.status(status);
            let body = read_body(ENDPOINT, response).await?;
            // No excerpt: this body holds the token.
            let auth: Auth = decode(ENDPOINT, status, &body, false)?;
            issued(auth, status)
        })
        .await
    }
}

/// A token and its lifetime from the server's `expired_at - now`: positive,
/// computed without overflow, at most a day.
fn issued(auth: Auth, status: u16) -> Result<Issued, Error> {
    match auth.expired_at.checked_sub(auth.now) {
        Some(seconds) if seconds > 0 => Ok(Issued {
            token: Secret::new(auth.access_token),
            lifetime: Duration::from_secs(seconds.unsigned_abs()).min(MAX_LIFETIME),
        }),
        _ => Err(Error::new(ErrorKind::Body, "POST /users/getToken")
            .with_status(status)
            .with_message(
                "the token's lifetime (expired_at - now) is not a positive number of seconds",
            )),
    }
}

/// The error for a redirect: its status and the origin it pointed to,
/// never the path or query (they could carry anything).
fn redirected(endpoint: &'static str, response: &reqwest::Response) -> Error {
    let status = response.status().as_u16();
    let target = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .and_then(|location| response.url().join(location).ok())
        .map(|url| url.origin().ascii_serialization())
        .filter(|origin| origin != "null");
    let message = match target {
        Some(origin) => format!("HTTP {status} to {origin}"),
        None => format!("HTTP {status} without a usable Location"),
    };
    Error::new(ErrorKind::Redirect, endpoint)
        .with_status(status)
        .with_message(message)
}

/// Reads a reply body, at most [`MAX_BODY`] bytes.
async fn read_body(
    endpoint: &'static str,
    mut response: reqwest::Response,
) -> Result<Vec<u8>, Error> {
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::transport(endpoint, e).with_status(status))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Error::new(ErrorKind::Body, endpoint)
                .with_status(status)
                .with_message("the reply is larger than 16 MiB"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The envelope's verdict: the response for `code` 0 with a 2xx status; an
/// [`ErrorKind::Api`] error for any other code at any status; otherwise an
/// error keeping the status and, for a body that is not JSON, an excerpt.
fn decode<T: Payload>(
    endpoint: &'static str,
    status: u16,
    body: &[u8],
    excerpt: bool,
) -> Result<T, Error> {
    let success = (200..300).contains(&status);
    let kind = if success {
        ErrorKind::Body
    } else {
        ErrorKind::Status
    };
    match ApiResponse::<T>::from_json(body) {
        Ok(envelope) => match (envelope.code, envelope.response) {
            (0, Some(response)) if success => Ok(response),
            (0, Some(_)) => Err(Error::new(kind, endpoint).with_status(status)),
            (0, None) => Err(Error::new(kind, endpoint)
                .with_status(status)
                .with_message("code 0 without a response")),
            (code, _) => Err(Error::api(endpoint, status, code, envelope.message)),
        },
        Err(typed) => match serde_json::from_slice::<Bare>(body) {
            // A refusal whose `response` is not the usual shape.
            Ok(bare) if bare.code != 0 => {
                Err(Error::api(endpoint, status, bare.code, bare.message))
            }
            // The envelope, but the object is not what the API documents:
            // the parse error names the path, never the value.
            Ok(_) => Err(Error::new(kind, endpoint)
                .with_status(status)
                .with_source(typed)),
            Err(_) if excerpt && !is_json(body) => Err(Error::new(kind, endpoint)
                .with_status(status)
                .with_excerpt(body)),
            Err(_) => Err(Error::new(kind, endpoint).with_status(status)),
        },
    }
}

/// The reply decoding, for the fuzz target `client_reply` (fuzz/): not
/// part of the API.
#[doc(hidden)]
pub mod __fuzz {
    use super::*;

    /// The key and secret the fuzzed client holds.
    pub const SECRETS: [&str; 2] = ["fuzz-imp-key", "fuzz-imp-secret"];

    /// Decodes `body` with `status` as every reply the client reads, and
    /// returns the texts of the errors (Display and Debug), scrubbed as a
    /// call's errors are.
    pub fn reply(status: u16, body: &[u8]) -> Vec<String> {
        let scrubber = Scrubber::new(SECRETS);
        let errors = [
            decode::<Payment>("p", status, body, true).err(),
            decode::<Vec<Payment>>("l", status, body, true).err(),
            decode::<PaymentPage>("f", status, body, true).err(),
            decode::<Prepared>("r", status, body, true).err(),
            decode::<Certification>("c", status, body, true).err(),
            decode::<Auth>("t", status, body, false)
                .and_then(|auth| issued(auth, status))
                .err(),
        ];
        errors
            .into_iter()
            .flatten()
            .map(|error| {
                let error = error.scrubbed(&scrubber);
                format!("{error} {error:?}")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_decides_at_any_status() {
        const E: &str = "GET /payments/{imp_uid}";
        let refused = br#"{"code":-1,"message":"no such payment","response":null}"#;
        for status in [200, 404, 500] {
            let error = decode::<Payment>(E, status, refused, true).unwrap_err();
            assert_eq!(
                (error.kind(), error.code(), error.status()),
                (ErrorKind::Api, Some(-1), Some(status))
            );
            assert_eq!(error.message(), Some("no such payment"));
        }
        let odd = br#"{"code":1,"message":"refused","response":{"unexpected":true}}"#;
        assert_eq!(
            decode::<Payment>(E, 200, odd, true).unwrap_err().code(),
            Some(1)
        );
        let html = b"<html><body>502 Bad Gateway</body></html>";
        let error = decode::<Payment>(E, 502, html, true).unwrap_err();
        assert_eq!(
            (error.kind(), error.status()),
            (ErrorKind::Status, Some(502))
        );
        assert_eq!(
            error.body_excerpt(),
            Some("<html><body>502 Bad Gateway</body></html>")
        );
        let long = "x".repeat(10_000);
        let error = decode::<Payment>(E, 200, long.as_bytes(), true).unwrap_err();
        assert_eq!(error.body_excerpt().map(|e| e.chars().count()), Some(201));
        // JSON that is not the object: the path, no value, no excerpt.
        let wrong = br#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","merchant_uid":"o","amount":"lots","status":"paid"}}"#;
        let error = decode::<Payment>(E, 200, wrong, true).unwrap_err();
        assert_eq!(
            (error.kind(), error.body_excerpt()),
            (ErrorKind::Body, None)
        );
        assert!(error.to_string().contains("response.amount"), "{error}");
        assert!(!error.to_string().contains("lots"), "{error}");
        let Err(error) = decode::<Auth>("POST /users/getToken", 200, b"not json, token abc", false)
        else {
            panic!("a body that is not JSON decoded");
        };
        assert_eq!(error.body_excerpt(), None);
    }

    #[test]
    fn ids_stay_in_their_path_segment() {
        assert_eq!(segment("e", "imp_1").unwrap(), "imp_1");
        assert_eq!(segment("e", "a/b?c#d").unwrap(), "a%2Fb%3Fc%23d");
        assert_eq!(segment("e", "주문").unwrap(), "%EC%A3%BC%EB%AC%B8");
        for bad in ["", ".", ".."] {
            assert_eq!(
                segment("e", bad).unwrap_err().kind(),
                ErrorKind::InvalidRequest
            );
        }
    }

    #[test]
    fn amounts_go_out_as_exact_numbers() {
        let amount: Amount = serde_json::from_str(r#""10.50""#).unwrap();
        let body = serde_json::to_string(&PrepareBody {
            merchant_uid: "o",
            amount: Exact(&amount),
            currency: None,
        })
        .unwrap();
        assert_eq!(body, r#"{"merchant_uid":"o","amount":10.50}"#);
        let huge: Amount = "123456789012345678901234567890.123456789".parse().unwrap();
        let body = serde_json::to_string(&PrepareBody {
            merchant_uid: "o",
            amount: Exact(&huge),
            currency: Some("USD"),
        })
        .unwrap();
        assert!(
            body.contains(r#""amount":123456789012345678901234567890.123456789"#),
            "{body}"
        );
    }

    #[test]
    fn builder_refuses_unusable_settings_and_hides_secrets() {
        let builder = Client::builder("my-key", "my-very-secret");
        assert!(!format!("{builder:?}").contains("my-very-secret"));
        assert!(!format!("{builder:?}").contains("my-key"));
        let client = builder.base_url("http://127.0.0.1:9/").build().unwrap();
        assert!(!format!("{client:?}").contains("secret"));
        let error = Client::builder("k", "s")
            .base_url("ftp://x")
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest);
        let error = Client::builder("k", "s")
            .tier("bad\ntier")
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    }
}
