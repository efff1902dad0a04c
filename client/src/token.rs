//! The access token: cached, timed by the server's clock, refreshed by one
//! task at a time.
//!
//! PortOne's rules
//! ([v1auth.mdx](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/api/rest-v1/_components/v1auth.mdx)):
//! a token lives 30 minutes; asking again before expiry returns the same
//! token, five minutes longer if less than one minute was left; the response
//! carries the server's `now` so the caller can time the token without
//! trusting its own clock.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

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

/// The token in use and when to stop using it.
struct Cached {
    token: Arc<Secret>,
    refresh_at: Instant,
}

/// The token cache of one client (shared by all its clones).
pub(crate) struct Tokens {
    current: Mutex<Option<Cached>>,
    margin: Duration,
}

/// What `POST /users/getToken` answered.
pub(crate) struct Issued {
    pub token: Secret,
    /// `expired_at - now`, both from the server, in seconds.
    pub lifetime: i64,
}

impl Tokens {
    pub(crate) fn new(margin: Duration) -> Self {
        Tokens {
            current: Mutex::new(None),
            margin,
        }
    }

    /// A token to use: the cached one while it is fresh, else a new one.
    /// `stale` names a token the API just refused (401): it is replaced
    /// unless another task already replaced it.
    ///
    /// The lock is held while fetching, so however many tasks arrive, one
    /// request is in flight and the others wait for its result.
    pub(crate) async fn get<F, Fut>(
        &self,
        stale: Option<&Arc<Secret>>,
        fetch: F,
    ) -> Result<Arc<Secret>, crate::Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Issued, crate::Error>>,
    {
        let mut current = self.current.lock().await;
        if let Some(cached) = &*current {
            let refused = stale.is_some_and(|s| Arc::ptr_eq(s, &cached.token));
            if !refused && Instant::now() < cached.refresh_at {
                return Ok(Arc::clone(&cached.token));
            }
        }
        // Timed from before the request: the server's lifetime counts from
        // its `now`, which is no earlier than this.
        let asked_at = Instant::now();
        let issued = fetch().await?;
        let lifetime = Duration::from_secs(u64::try_from(issued.lifetime).unwrap_or(0));
        // Refresh a margin before expiry, but never spend less than half of
        // a short lifetime on one token.
        let usable = lifetime.saturating_sub(self.margin).max(lifetime / 2);
        let token = Arc::new(issued.token);
        *current = Some(Cached {
            token: Arc::clone(&token),
            refresh_at: asked_at + usable,
        });
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(start_paused = true)]
    async fn reuses_until_the_margin_then_refreshes_and_replaces_a_refused_token_once() {
        let tokens = Tokens::new(Duration::from_secs(60));
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            let n = fetches.fetch_add(1, Ordering::SeqCst);
            Ok(Issued {
                token: Secret::new(format!("t{n}")),
                lifetime: 1800,
            })
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
    }
}
