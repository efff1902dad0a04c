//! How a call travels: the token, the request (never redirected), the
//! reply read within bounds, the envelope's verdict, and the error scrubbed
//! of every secret before it leaves the client.

use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use portone_pg_core::Amount;
use portone_pg_core::rest::{ApiResponse, Payload, Verdict, parse_envelope};
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::{Deserialize, Serialize};

use crate::scrub::Scrubber;
use crate::token::{Issued, Secret};
use crate::trace::Call;
use crate::{Client, Error, ErrorKind};

/// The largest reply body read (a `findAll` page of 1000 payments fits).
const MAX_BODY: usize = 16 << 20;

/// A path segment: everything but unreserved characters is escaped, so an id
/// cannot leave its segment.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What `POST /users/getToken` answers: the token, when it expires, and
/// the server's clock.
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

/// `serialize_with` for an amount: [`Exact`].
pub(crate) fn exact<S: serde::Serializer>(amount: &Amount, s: S) -> Result<S::Ok, S::Error> {
    Exact(amount).serialize(s)
}

/// `serialize_with` for an optional amount: [`Exact`], or `null`.
pub(crate) fn exact_opt<S: serde::Serializer>(
    amount: &Option<Amount>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match amount {
        Some(amount) => Exact(amount).serialize(s),
        None => s.serialize_none(),
    }
}

/// The buyer's name, email address and phone number in a request body:
/// personal data, kept out of `Debug`.
#[derive(Clone, Default, Serialize)]
pub(crate) struct Buyer {
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_tel: Option<String>,
}

impl Buyer {
    pub(crate) fn new(name: &str, email: Option<&str>, tel: Option<&str>) -> Self {
        Buyer {
            buyer_name: Some(name.to_owned()),
            buyer_email: email.map(str::to_owned),
            buyer_tel: tel.map(str::to_owned),
        }
    }

    /// Its details, for scrubbing from errors.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = String> + '_ {
        [&self.buyer_name, &self.buyer_email, &self.buyer_tel]
            .into_iter()
            .flatten()
            .cloned()
    }
}

impl std::fmt::Debug for Buyer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted buyer]")
    }
}

pub(crate) fn segment(endpoint: &'static str, id: &str) -> Result<String, Error> {
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

/// A request body as JSON; a value that does not serialize is an
/// [`ErrorKind::InvalidRequest`] error.
pub(crate) fn json_body(endpoint: &'static str, value: &impl Serialize) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value)
        .map_err(|e| Error::new(ErrorKind::InvalidRequest, endpoint).with_source(e))
}

/// Whether a lookup's failure may pass: nothing answered, or the server
/// failed (a 5xx, with or without the API's envelope).
fn transient(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::Transport => true,
        ErrorKind::Status | ErrorKind::Api => error.status().is_some_and(|s| s >= 500),
        _ => false,
    }
}

/// The wait before retry `attempt` (0-based): `base`, doubled per attempt,
/// jittered between half and all of it so that clients that failed
/// together do not retry together.
fn backoff(base: Duration, attempt: u32) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let full = base.saturating_mul(1 << attempt.min(10));
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(attempt);
    let fraction = (hasher.finish() % 1000) as u32;
    full / 2 + (full / 2) * fraction / 1000
}

fn is_json(body: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
}

/// Whether a call may be sent again after a 401 (a refused token).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// A lookup: a 401 means nothing was read; refresh the token and retry.
    Safe,
    /// A call that changes something. A server can apply it and still answer
    /// 401, so the 401 is an unknown outcome for the caller to resolve by
    /// looking up, never a blind resend.
    Never,
}

/// Every request a public method makes goes through here.
impl Client {
    /// Runs a public method's work inside its span; the error it returns is
    /// scrubbed of the key, the secret and the tokens, whichever path it
    /// took.
    pub(crate) async fn run<T>(
        &self,
        call: &Call,
        work: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        self.run_scrubbing(call, &[], work).await
    }

    /// [`run`](Self::run), also scrubbing the call's own secrets (a card's
    /// details) from its error.
    pub(crate) async fn run_scrubbing<T>(
        &self,
        call: &Call,
        secrets: &[String],
        work: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        call.run(work).await.map_err(|error| {
            let tokens = self.shared.tokens.known();
            let scrubber = Scrubber::new(
                [self.shared.key.expose(), self.shared.secret.expose()]
                    .into_iter()
                    .chain(tokens.iter().map(|token| token.expose()))
                    .chain(secrets.iter().map(String::as_str)),
            );
            error.scrubbed(&scrubber)
        })
    }

    /// One authorised call: the cached token, then the envelope. A 401
    /// means the token was refused: it is replaced, and a [`Replay::Safe`]
    /// call is sent once more. A [`Replay::Safe`] call that meets a
    /// connection error, a timeout, a reset or a 5xx is sent again, as
    /// [`ClientBuilder::retries`](crate::ClientBuilder::retries) allows.
    pub(crate) async fn call<T: Payload>(
        &self,
        call: &Call,
        endpoint: &'static str,
        replay: Replay,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<T, Error> {
        let retry = self.shared.retry;
        let mut attempt = 0;
        loop {
            let result = self.attempt(call, endpoint, replay, &request).await;
            match result {
                Err(error)
                    if replay == Replay::Safe && attempt < retry.attempts && transient(&error) =>
                {
                    tokio::time::sleep(backoff(retry.backoff, attempt)).await;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    async fn attempt<T: Payload>(
        &self,
        call: &Call,
        endpoint: &'static str,
        replay: Replay,
        request: &impl Fn() -> reqwest::RequestBuilder,
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
        self.execute(endpoint, request.header(AUTHORIZATION, authorization))
            .await
    }

    /// Sends a request, with the agency's `Tier` header when one is set. A
    /// redirect is an error, never followed.
    async fn execute(
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

    /// A request carrying a JSON body, for [`call`](Self::call).
    pub(crate) fn json_request(
        &self,
        method: reqwest::Method,
        url: &str,
        body: &[u8],
    ) -> reqwest::RequestBuilder {
        self.shared
            .http
            .request(method, url)
            .header("content-type", "application/json")
            .body(body.to_vec())
    }

    /// `{base}/{path}/{id}/…`, each id escaped into one path segment.
    pub(crate) fn url(
        &self,
        endpoint: &'static str,
        path: &str,
        ids: &[&str],
    ) -> Result<String, Error> {
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
            let response = self.execute(ENDPOINT, request).await?;
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
/// computed without overflow (the token cache clamps it to a day).
fn issued(auth: Auth, status: u16) -> Result<Issued, Error> {
    match auth.expired_at.checked_sub(auth.now) {
        Some(seconds) if seconds > 0 => Ok(Issued {
            token: Secret::new(auth.access_token),
            lifetime: Duration::from_secs(seconds.unsigned_abs()),
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
        Ok(envelope) => match envelope.verdict() {
            Verdict::Response(response) if success => Ok(response),
            Verdict::Response(_) => Err(Error::new(kind, endpoint).with_status(status)),
            Verdict::Empty => Err(Error::new(kind, endpoint)
                .with_status(status)
                .with_message("code 0 without a response")),
            Verdict::Refused { code, message } => Err(Error::api(endpoint, status, code, message)),
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
pub mod fuzz {
    use portone_pg_core::rest::{Certification, Payment, PaymentPage, Prepared};

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
    use portone_pg_core::rest::Payment;

    use super::*;
    use crate::endpoints::PrepareBody;

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
