//! PortOne's webhook, answered so that PortOne can act on the answer: 200
//! for everything handled, refused or not ours (a retry would not change
//! it), 4xx for a body that is not a webhook, 5xx only when a retry could
//! help. Every delivery is kept in the audit table.
//!
//! PortOne re-sends a webhook only on a network error or a 5xx, and only
//! for merchants who asked for re-sending
//! ([webhook guide](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/opi/ko/integration/webhook/readme-v1.mdx)).

use std::net::IpAddr;
use std::sync::Arc;

use portone_pg::Webhook;

use crate::order::Micros;
use crate::store::{Delivery, Store};
use crate::{Door, ErrorKind, Ledger, trace};

/// The addresses PortOne sends webhooks from, per its webhook guide. They
/// have changed before: configure your own list with [`Sources::new`] if
/// PortOne announces others.
pub const PORTONE_ADDRESSES: [&str; 3] = ["52.78.100.19", "52.78.48.223", "52.78.5.241"];

/// Which addresses may send webhooks, and which proxies in front of the
/// server may say who the sender was (`X-Forwarded-For`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sources {
    allowed: Vec<IpAddr>,
    proxies: Vec<IpAddr>,
}

impl Sources {
    /// PortOne's three addresses ([`PORTONE_ADDRESSES`]).
    pub fn portone() -> Self {
        Sources::new(
            PORTONE_ADDRESSES
                .iter()
                .filter_map(|address| address.parse().ok()),
        )
    }

    /// These addresses.
    pub fn new(allowed: impl IntoIterator<Item = IpAddr>) -> Self {
        Sources {
            allowed: allowed.into_iter().collect(),
            proxies: Vec::new(),
        }
    }

    /// Proxies whose `X-Forwarded-For` is believed: the sender is the last
    /// address before the trusted ones. Without this the header is ignored
    /// (anyone can send it).
    pub fn trust_proxies(mut self, proxies: impl IntoIterator<Item = IpAddr>) -> Self {
        self.proxies = proxies.into_iter().collect();
        self
    }

    /// The sender: the peer, or, when the peer is a trusted proxy, the
    /// address before the trusted proxies in `X-Forwarded-For`.
    pub fn sender(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let mut sender = peer?;
        let Some(forwarded) = forwarded_for else {
            return Some(sender);
        };
        for hop in forwarded.rsplit(',') {
            if !self.proxies.contains(&sender) {
                break;
            }
            sender = hop.trim().parse().ok()?;
        }
        Some(sender)
    }

    fn allows(&self, sender: Option<IpAddr>) -> bool {
        sender.is_some_and(|sender| self.allowed.contains(&sender))
    }
}

/// A webhook delivery as received.
#[derive(Clone, Debug, Default)]
pub struct Notification {
    /// The TCP peer's address.
    pub peer: Option<IpAddr>,
    /// The `X-Forwarded-For` header.
    pub forwarded_for: Option<String>,
    /// The `Content-Type` header.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

/// What the ledger made of a notification, and the HTTP status to answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// The payment was settled; `first` when this delivery made a
    /// transition (otherwise a duplicate, or news already had).
    Handled {
        /// Whether this delivery changed the order.
        first: bool,
    },
    /// The payment is not its order's (the order needs attention).
    Refused,
    /// No such order, or no such payment at PortOne: not this shop's, or
    /// forged.
    Unknown,
    /// The body is not a webhook (400).
    Malformed,
    /// The sender is not an allowed source (403).
    Forbidden,
    /// The store or PortOne could not be reached (503: PortOne re-sends).
    Unavailable,
}

impl Answer {
    /// The HTTP status to answer PortOne with.
    pub fn status(&self) -> u16 {
        match self {
            Answer::Handled { .. } | Answer::Refused | Answer::Unknown => 200,
            Answer::Malformed => 400,
            Answer::Forbidden => 403,
            Answer::Unavailable => 503,
        }
    }

    /// A word for the audit table and the response body.
    pub fn as_str(&self) -> &'static str {
        match self {
            Answer::Handled { first: true } => "handled",
            Answer::Handled { first: false } => "duplicate",
            Answer::Refused => "refused",
            Answer::Unknown => "unknown",
            Answer::Malformed => "malformed",
            Answer::Forbidden => "forbidden",
            Answer::Unavailable => "unavailable",
        }
    }
}

impl<S: Store> Ledger<S> {
    /// Accepts webhooks only from `sources` (off by default). With
    /// `Sources::portone()`, PortOne's three addresses.
    pub fn webhook_sources(self, sources: Sources) -> Self {
        Ledger {
            inner: Arc::new(self.inner.clone_with(|inner| inner.sources = Some(sources))),
        }
    }

    /// Handles a webhook delivery: checks its source (if configured), reads
    /// it, settles the payment it names and keeps the delivery in the audit
    /// table. Answer PortOne with [`Answer::status`].
    pub async fn notify(&self, notification: &Notification) -> Answer {
        let sources = self.inner.sources.as_ref();
        let sender = match sources {
            Some(sources) => {
                sources.sender(notification.peer, notification.forwarded_for.as_deref())
            }
            None => notification.peer,
        };
        let parsed = Webhook::from_body(&notification.content_type, &notification.body);
        let imp_uid = parsed.as_ref().ok().map(|w| w.imp_uid().to_owned());
        let answer = match (&parsed, sources) {
            (_, Some(sources)) if !sources.allows(sender) => Answer::Forbidden,
            (Err(_), _) => Answer::Malformed,
            (Ok(webhook), _) => match self.settle_via(webhook.imp_uid(), Door::Webhook).await {
                Ok(settled) => Answer::Handled {
                    first: settled.is_first() || !settled.recorded().is_empty(),
                },
                Err(error) if error.kind() == ErrorKind::Mismatch => Answer::Refused,
                Err(error) if error.kind() == ErrorKind::UnknownOrder => Answer::Unknown,
                Err(error) if error.is_transient() => Answer::Unavailable,
                // PortOne has no such payment: forged, or another shop's.
                Err(_) => Answer::Unknown,
            },
        };
        if !matches!(answer, Answer::Handled { .. }) {
            trace::notification(answer.as_str(), imp_uid.as_deref());
        }
        let delivery = Delivery {
            received_at: Micros::now(),
            source: sender.map(|s| s.to_string()),
            body: String::from_utf8_lossy(&notification.body).into_owned(),
            imp_uid,
            result: answer.as_str().to_owned(),
        };
        match self.inner.store.record_delivery(&delivery).await {
            Ok(()) => answer,
            // Not even the audit could be written: the store is down, and a
            // re-sent delivery may find it back.
            Err(_) => Answer::Unavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_sender_is_read_through_trusted_proxies_only() {
        let sources = Sources::portone().trust_proxies([ip("10.0.0.1"), ip("10.0.0.2")]);
        let forwarded = "1.2.3.4, 52.78.100.19, 10.0.0.2";
        assert_eq!(
            sources.sender(Some(ip("10.0.0.1")), Some(forwarded)),
            Some(ip("52.78.100.19"))
        );
        // An untrusted peer's header is not believed.
        assert_eq!(
            sources.sender(Some(ip("8.8.8.8")), Some("52.78.100.19")),
            Some(ip("8.8.8.8"))
        );
        assert!(sources.allows(Some(ip("52.78.5.241"))));
        assert!(!sources.allows(Some(ip("52.78.5.242"))));
        assert!(!sources.allows(None));
        // A garbled hop names no sender.
        assert_eq!(sources.sender(Some(ip("10.0.0.1")), Some("junk")), None);
    }
}
