//! Calls that change something (a refund, a revocation, a registration)
//! are never resent blindly: when their outcome is unknown, a lookup says
//! whether they happened.

use crate::{Error, ErrorKind};

/// What the lookup after an unknown outcome found.
pub(crate) enum Probe<T> {
    /// The change asked for is there: this is the object after it.
    Applied(T),
    /// Nothing changed: the request was not carried out, and may be sent
    /// once more.
    NotApplied,
    /// Something else changed: resending could not do what was asked.
    Other(String),
}

/// Whether a failed send of `endpoint` may have been carried out. A refusal
/// in the envelope, an invalid request and a failure before the request was
/// sent (a connection never made, a token that could not be had) were not;
/// a timeout, a broken reply, a 5xx, a redirect, a reply that does not show
/// the change, and a 401 (a server can apply a call and still answer so)
/// may have been.
pub(crate) fn outcome_unknown(endpoint: &'static str, error: &Error) -> bool {
    if error.endpoint() != endpoint {
        return false;
    }
    if error.status() == Some(401) {
        return true;
    }
    match error.kind() {
        ErrorKind::Timeout | ErrorKind::Transport | ErrorKind::Body | ErrorKind::Redirect => true,
        ErrorKind::Status => error.status().is_none_or(|s| s >= 500),
        _ => false,
    }
}

/// Sends the request of `endpoint` (`send` also checks that the reply shows
/// the change); on an unknown outcome asks `probe`, sends once more only
/// when the probe proves nothing happened, and otherwise returns an error of
/// kind `unknown`.
// Closures returning futures rather than `AsyncFn`: the futures of async
// closures are not yet provably `Send`, and a caller's `tokio::spawn` needs
// that.
pub(crate) async fn once<T, S, P>(
    endpoint: &'static str,
    unknown: ErrorKind,
    send: impl Fn() -> S,
    probe: impl Fn() -> P,
) -> Result<T, Error>
where
    S: Future<Output = Result<T, Error>>,
    P: Future<Output = Result<Probe<T>, Error>>,
{
    let failed = |why: String| Error::new(unknown, endpoint).with_message(why);
    let mut last = match send().await {
        Err(error) if outcome_unknown(endpoint, &error) => error,
        result => return result,
    };
    let mut resent = false;
    loop {
        match probe().await {
            Err(lookup) => {
                return Err(failed(format!(
                    "{last}; the lookup after it failed: {lookup}"
                )));
            }
            Ok(Probe::Applied(after)) => return Ok(after),
            Ok(Probe::NotApplied) if !resent => {
                resent = true;
                match send().await {
                    Err(error) if outcome_unknown(endpoint, &error) => last = error,
                    result => return result,
                }
            }
            Ok(Probe::NotApplied) => {
                return Err(failed(format!(
                    "{last}; sent twice, not applied either time"
                )));
            }
            Ok(Probe::Other(what)) => {
                return Err(failed(format!("{last}; {what}: not resent")));
            }
        }
    }
}
