//! Extractors for the three ways a payment result reaches a server — the
//! `IMP.request_pay` callback your page posts, the `m_redirect_url`
//! redirect, PortOne's webhook — for axum (feature `axum`) and actix-web
//! (feature `actix-web`). The same three types serve both frameworks.
//!
//! | extractor | reads | from |
//! |---|---|---|
//! | [`Callback`] | [`PaymentResponse`] | a JSON body, the PG from the query's `pg` ([`CallbackConfig`]) |
//! | [`Redirect`] | [`RedirectResult`] | the query string |
//! | [`WebhookEvent`] | [`Webhook`] | a JSON or form body, chosen by `Content-Type` |
//!
//! A request they cannot read is a [`Rejection`]: 400 with the library's
//! error text (it names the PG and the field, never a personal value), 415
//! for a content type that is neither JSON nor a form, 413 (or the
//! framework's own status) for a body over the framework's limit. All three
//! are claims or events: confirm with the REST API before fulfilling.

#[cfg(feature = "actix-web")]
mod actix;
#[cfg(feature = "axum")]
mod axum;

use std::borrow::Cow;
use std::fmt;

use crate::{PaymentResponse, RedirectResult, Webhook};

/// The callback object your page posted: the body as JSON, typed by the PG
/// the request's query names (`?pg=kcp.T0000`, the `pg` you passed to
/// `IMP.request_pay`), which thin PGs need because their bodies name no PG.
/// Without the parameter the body's `pg_provider` decides, unless
/// [`CallbackConfig::require_pg`] says otherwise.
#[derive(Debug)]
pub struct Callback(pub PaymentResponse);

/// The redirect to `m_redirect_url`, read from the query string.
#[derive(Debug)]
pub struct Redirect(pub RedirectResult);

/// PortOne's webhook, read as JSON or as a form by its `Content-Type`
/// (parameters such as `charset` are ignored).
#[derive(Debug)]
pub struct WebhookEvent(pub Webhook);

/// How [`Callback`] finds the request's `pg`: add it to the request's
/// extensions (axum: `Extension(config)` layer; actix-web: `app_data(config)`)
/// to change the defaults (the query parameter `pg`, optional).
#[derive(Clone, Debug)]
pub struct CallbackConfig {
    param: Cow<'static, str>,
    required: bool,
}

impl Default for CallbackConfig {
    fn default() -> Self {
        CallbackConfig {
            param: Cow::Borrowed("pg"),
            required: false,
        }
    }
}

impl CallbackConfig {
    /// Reads the PG from this query parameter instead of `pg`.
    pub fn param(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.param = name.into();
        self
    }

    /// Refuses a callback without the parameter (400) instead of relying on
    /// the body's `pg_provider`.
    pub fn require_pg(mut self) -> Self {
        self.required = true;
        self
    }
}

/// Why an extractor refused a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Rejection {
    /// The body or query did not parse (400).
    Invalid(crate::Error),
    /// The `Content-Type` is not one the extractor reads (415).
    UnsupportedMediaType {
        /// The content type received (empty when none).
        found: String,
        /// What the extractor reads.
        expected: &'static str,
    },
    /// The query lacks the PG parameter that [`CallbackConfig::require_pg`]
    /// requires (400).
    MissingPg {
        /// The parameter's name.
        param: String,
    },
    /// The body could not be read: too large for the framework's limit
    /// (413), or the connection failed.
    Body {
        /// The HTTP status to answer.
        status: u16,
        /// What the framework said.
        message: String,
    },
}

impl Rejection {
    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            Rejection::Invalid(_) | Rejection::MissingPg { .. } => 400,
            Rejection::UnsupportedMediaType { .. } => 415,
            Rejection::Body { status, .. } => *status,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Invalid(error) => error.fmt(f),
            Rejection::UnsupportedMediaType { found, expected } => {
                write!(f, "content type {found:?}: expected {expected}")
            }
            Rejection::MissingPg { param } => {
                write!(f, "the query has no `{param}` parameter naming the PG")
            }
            Rejection::Body { message, .. } => write!(f, "the body could not be read: {message}"),
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Rejection::Invalid(error) => Some(error),
            _ => None,
        }
    }
}

/// The media type of a `Content-Type` value, lowercased, without
/// parameters.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// `application/json` or a `+json` type.
fn is_json(media: &str) -> bool {
    media == JSON || (media.starts_with("application/") && media.ends_with("+json"))
}

impl Callback {
    /// The framework-neutral read: the content type, the query, the body.
    fn read(
        content_type: &str,
        query: &str,
        body: &[u8],
        config: &CallbackConfig,
    ) -> Result<Self, Rejection> {
        let media = media_type(content_type);
        if !is_json(&media) {
            return Err(Rejection::UnsupportedMediaType {
                found: content_type.to_owned(),
                expected: JSON,
            });
        }
        let pg = crate::query::param(query, &config.param).map_err(Rejection::Invalid)?;
        let parsed = match pg {
            Some(pg) => PaymentResponse::from_json_with_pg(&pg, body),
            None if config.required => {
                return Err(Rejection::MissingPg {
                    param: config.param.clone().into_owned(),
                });
            }
            None => PaymentResponse::from_json(body),
        };
        parsed.map(Callback).map_err(Rejection::Invalid)
    }
}

impl Redirect {
    fn read(query: &str) -> Result<Self, Rejection> {
        RedirectResult::from_query(query)
            .map(Redirect)
            .map_err(Rejection::Invalid)
    }
}

impl WebhookEvent {
    fn read(content_type: &str, body: &[u8]) -> Result<Self, Rejection> {
        let media = media_type(content_type);
        let parsed = if is_json(&media) {
            Webhook::from_json(body)
        } else if media == FORM {
            Webhook::from_form(body)
        } else {
            return Err(Rejection::UnsupportedMediaType {
                found: content_type.to_owned(),
                expected: "application/json or application/x-www-form-urlencoded",
            });
        };
        parsed.map(WebhookEvent).map_err(Rejection::Invalid)
    }
}
