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

mod billing;
mod cancel;
mod endpoints;
mod error;
mod escrow;
mod listing;
mod once;
mod receipt;
mod scrub;
mod token;
mod trace;
mod transport;
mod vbank;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

pub use billing::{Again, BillingKey, Onetime, Schedule};
pub use cancel::{Cancel, RefundAccount, Requester};
pub use error::{Error, ErrorKind};
pub use escrow::{Delivery, Party};
pub use listing::PaymentQuery;
pub use receipt::{ExternalReceipt, Receipt};
use token::{Secret, Tokens};
pub use vbank::Vbank;

#[doc(hidden)]
pub use transport::fuzz as __fuzz;

/// PortOne's V1 API.
pub const BASE_URL: &str = "https://api.iamport.kr";
/// The same API from fixed outbound addresses, for firewalls that allow-list
/// them.
pub const STATIC_IP_BASE_URL: &str = "https://static-api.iamport.kr";

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
    retry: Retry,
}

/// How lookups are retried: on a connection error, a timeout, a reset or a
/// 5xx, at most `attempts` more times, waiting about `backoff`, then twice
/// that, and so on, each wait with random jitter. Calls that change
/// something are never retried this way (their unknown outcomes are
/// resolved by lookup).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Retry {
    pub(crate) attempts: u32,
    pub(crate) backoff: Duration,
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
    /// unless the [`Expected`](portone_pg_core::rest::Expected) allows them,
    /// so a test payment is reported as such instead of as "not found".
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

    /// How many more times a lookup (a `GET`) is sent after a connection
    /// error, a timeout, a reset or a 5xx (default 2; 0 turns retries off).
    /// Calls that change something (cancels, charges, registrations) are
    /// never retried this way: an unknown outcome is resolved by looking
    /// the object up.
    pub fn retries(mut self, attempts: u32) -> Self {
        self.retry.attempts = attempts;
        self
    }

    /// The first wait before a retry (default 200 ms); each further wait
    /// doubles, and each is jittered between half and all of it.
    pub fn retry_backoff(mut self, backoff: Duration) -> Self {
        self.retry.backoff = backoff;
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
        // With only the ring backend, reqwest uses the process's default
        // rustls provider: install ring's unless the application chose one.
        #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Another thread may have installed one meanwhile: either is fine.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
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
                retry: self.retry,
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
    retry: Retry,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base)
            .field("include_sandbox", &self.shared.include_sandbox)
            .finish_non_exhaustive()
    }
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
            retry: Retry {
                attempts: 2,
                backoff: Duration::from_millis(200),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The TLS backend the features chose is there: building a client for
    /// the HTTPS API works (with `rustls-ring` alone, by installing ring).
    #[test]
    fn a_client_for_the_https_api_builds_with_the_chosen_tls_backend() {
        let client = Client::builder("key", "secret").build().unwrap();
        assert!(format!("{client:?}").contains(BASE_URL));
    }
}
