//! The access token: cached, timed by the server's clock, refreshed by one
//! request at a time whose result every waiting caller shares.
//!
//! PortOne's rules
//! ([v1auth.mdx](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/api/rest-v1/_components/v1auth.mdx)):
//! a token lives 30 minutes; asking again before expiry returns the same
//! token, five minutes longer if less than one minute was left; the response
//! carries the server's `now` so the caller can time the token without
//! trusting its own clock.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::Error;

/// A string that never appears in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Secret(value)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The longest a token is used, whatever the server says: a lifetime near
/// the 64-bit limit must neither overflow a clock nor pin one token forever.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// What `POST /users/getToken` answered.
pub(crate) struct Issued {
    pub token: Secret,
    /// `expired_at - now`, both from the server: positive; the cache uses
    /// at most [`MAX_LIFETIME`] of it.
    pub lifetime: Duration,
}

/// The token in use and when to stop using it.
struct Cached {
    token: Arc<Secret>,
    refresh_at: Instant,
}

/// A refresh in flight: its result, once there, for every caller waiting.
type Refresh = watch::Receiver<Option<Result<Arc<Secret>, Error>>>;

#[derive(Default)]
struct State {
    current: Option<Cached>,
    /// The token `current` replaced. A server may still echo it in an
    /// error, so errors are scrubbed of it too.
    previous: Option<Arc<Secret>>,
    refresh: Option<Refresh>,
}

/// The token cache of one client (shared by all its clones).
pub(crate) struct Tokens {
    state: Mutex<State>,
    margin: Duration,
}

impl Tokens {
    pub(crate) fn new(margin: Duration) -> Self {
        Tokens {
            state: Mutex::new(State::default()),
            margin,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is consistent after every statement: a panic elsewhere
        // while it was held leaves nothing half-written.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A token to use: the cached one while it is fresh, else a new one.
    /// `stale` names a token the API just refused (401): it is replaced
    /// unless another task already replaced it.
    ///
    /// One refresh is in flight at a time and every caller that needs a
    /// token meanwhile waits for its result — a token, or the failure, which
    /// they all get at once. So with the token endpoint down, the slowest
    /// caller waits one timeout, however many there are; the next call after
    /// a failure tries again.
    pub(crate) async fn get<F, Fut>(
        &self,
        stale: Option<&Arc<Secret>>,
        fetch: F,
    ) -> Result<Arc<Secret>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Issued, Error>>,
    {
        let done = loop {
            let mut refresh = {
                let mut state = self.lock();
                if let Some(cached) = &state.current {
                    let refused = stale.is_some_and(|s| Arc::ptr_eq(s, &cached.token));
                    if !refused && Instant::now() < cached.refresh_at {
                        return Ok(Arc::clone(&cached.token));
                    }
                }
                match &state.refresh {
                    // A closed channel is a refresh whose caller was dropped
                    // mid-request: nobody will answer it.
                    Some(refresh) if refresh.has_changed().is_ok() => refresh.clone(),
                    _ => {
                        let (done, refresh) = watch::channel(None);
                        state.refresh = Some(refresh);
                        break done;
                    }
                }
            };
            if let Ok(result) = refresh.wait_for(Option::is_some).await
                && let Some(result) = &*result
            {
                return result.clone();
            }
        };
        self.lead(done, fetch).await
    }

    /// Makes the token request for every waiting caller.
    async fn lead<F, Fut>(
        &self,
        done: watch::Sender<Option<Result<Arc<Secret>, Error>>>,
        fetch: F,
    ) -> Result<Arc<Secret>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Issued, Error>>,
    {
        // Timed from before the request: the server's lifetime counts from
        // its `now`, which is no earlier than this.
        let asked_at = Instant::now();
        let result = fetch().await.map(|issued| {
            let lifetime = issued.lifetime.min(MAX_LIFETIME);
            // Refresh a margin before expiry, but never spend less than half
            // of a short lifetime on one token.
            let usable = lifetime.saturating_sub(self.margin).max(lifetime / 2);
            // Unrepresentable only at the clock's very end: then the token
            // serves this call and the next one asks again.
            let refresh_at = asked_at.checked_add(usable).unwrap_or(asked_at);
            (Arc::new(issued.token), refresh_at)
        });
        let result = {
            let mut state = self.lock();
            state.refresh = None;
            result.map(|(token, refresh_at)| {
                if let Some(replaced) = state.current.take() {
                    state.previous = Some(replaced.token);
                }
                state.current = Some(Cached {
                    token: Arc::clone(&token),
                    refresh_at,
                });
                token
            })
        };
        done.send_replace(Some(result.clone()));
        result
    }

    /// Forgets `token` if it is the current one, so that the next call asks
    /// for another: after a 401 on a call that is not retried.
    pub(crate) fn forget(&self, token: &Arc<Secret>) {
        let mut state = self.lock();
        if state
            .current
            .as_ref()
            .is_some_and(|cached| Arc::ptr_eq(&cached.token, token))
        {
            state.previous = state.current.take().map(|cached| cached.token);
        }
    }

    /// The current and the previous token, for scrubbing errors.
    pub(crate) fn known(&self) -> Vec<Arc<Secret>> {
        let state = self.lock();
        let current = state.current.as_ref().map(|cached| &cached.token);
        current
            .into_iter()
            .chain(state.previous.as_ref())
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn issued(token: String, seconds: u64) -> Issued {
        Issued {
            token: Secret::new(token),
            lifetime: Duration::from_secs(seconds),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn reuses_until_the_margin_then_refreshes_and_replaces_a_refused_token_once() {
        let tokens = Tokens::new(Duration::from_secs(60));
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            let n = fetches.fetch_add(1, Ordering::SeqCst);
            Ok(issued(format!("t{n}"), 1800))
        };
        let first = tokens.get(None, fetch).await.unwrap();
        let again = tokens.get(None, fetch).await.unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        tokio::time::advance(Duration::from_secs(1800 - 61)).await;
        assert!(Arc::ptr_eq(&first, &tokens.get(None, fetch).await.unwrap()));
        tokio::time::advance(Duration::from_secs(2)).await;
        let second = tokens.get(None, fetch).await.unwrap();
        assert_eq!(second.expose(), "t1");
        // Two tasks saw `first` refused: only a refusal of the current token
        // causes a fetch.
        let replaced = tokens.get(Some(&second), fetch).await.unwrap();
        assert_eq!(replaced.expose(), "t2");
        let same = tokens.get(Some(&second), fetch).await.unwrap();
        assert!(Arc::ptr_eq(&replaced, &same));
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
        assert_eq!(format!("{replaced:?}"), "[redacted]");
        let known: Vec<_> = tokens
            .known()
            .iter()
            .map(|t| t.expose().to_owned())
            .collect();
        assert_eq!(known, ["t2", "t1"]);
        tokens.forget(&replaced);
        assert_eq!(tokens.get(None, fetch).await.unwrap().expose(), "t3");
    }

    #[tokio::test(start_paused = true)]
    async fn absurd_lifetimes_are_clamped_to_a_day() {
        let tokens = Tokens::new(Duration::from_secs(60));
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            fetches.fetch_add(1, Ordering::SeqCst);
            Ok(issued("t".into(), u64::MAX))
        };
        tokens.get(None, fetch).await.unwrap();
        tokio::time::advance(MAX_LIFETIME - Duration::from_secs(61)).await;
        tokens.get(None, fetch).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        tokens.get(None, fetch).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn every_waiter_shares_one_failure_and_the_next_call_tries_again() {
        let tokens = Arc::new(Tokens::new(Duration::from_secs(60)));
        let fetches = Arc::new(AtomicUsize::new(0));
        let failing = |fetches: Arc<AtomicUsize>| async move {
            fetches.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(10)).await;
            Err::<Issued, _>(Error::new(ErrorKind::Timeout, "POST /users/getToken"))
        };
        let started = Instant::now();
        let waiters: Vec<_> = (0..16)
            .map(|_| {
                let (tokens, fetches) = (Arc::clone(&tokens), Arc::clone(&fetches));
                tokio::spawn(async move {
                    let result = tokens.get(None, || failing(fetches)).await;
                    (result.map(|_| ()).unwrap_err().kind(), started.elapsed())
                })
            })
            .collect();
        for waiter in waiters {
            let (kind, waited) = waiter.await.unwrap();
            assert_eq!(kind, ErrorKind::Timeout);
            assert_eq!(waited, Duration::from_secs(10));
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        let token = tokens
            .get(None, || async { Ok(issued("t".into(), 1800)) })
            .await
            .unwrap();
        assert_eq!(token.expose(), "t");
    }

    #[tokio::test(start_paused = true)]
    async fn a_leader_dropped_mid_request_hands_the_refresh_to_a_waiter() {
        let tokens = Arc::new(Tokens::new(Duration::from_secs(60)));
        let leader = {
            let tokens = Arc::clone(&tokens);
            tokio::spawn(async move {
                tokens
                    .get(None, || async {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        Ok(issued("never".into(), 1800))
                    })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        let waiter = {
            let tokens = Arc::clone(&tokens);
            tokio::spawn(async move {
                tokens
                    .get(None, || async { Ok(issued("mine".into(), 1800)) })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        leader.abort();
        let token = waiter.await.unwrap().unwrap();
        assert_eq!(token.expose(), "mine");
    }
}
