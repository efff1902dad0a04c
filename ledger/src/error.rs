//! The ledger's one error type.

use std::fmt;

use portone_pg::rest::VerifyError;
use portone_pg_client as client;

/// What went wrong, in the terms a caller branches on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The payment names an order the ledger does not have (a notification
    /// for another shop, or forged). Nothing changed.
    UnknownOrder,
    /// The payment is not the order's: another amount, currency, merchant_uid
    /// or imp_uid, or a test-channel payment where none is allowed. See
    /// [`Error::verify`]. The order, if money moved, now needs attention; it
    /// never became paid.
    Mismatch,
    /// PortOne could not be asked, or refused: see [`Error::client_error`].
    Client,
    /// The database failed; nothing was half-written.
    Store,
    /// [`Ledger::open`](crate::Ledger::open) for an order id that exists
    /// with another amount, currency or reference.
    OrderExists,
    /// A refund the order's state or balance does not allow.
    NotRefundable,
    /// A refund with this idempotency key is being carried out by another
    /// call that has not finished in time; ask again later.
    RefundInProgress,
}

/// An error from a [`Ledger`](crate::Ledger) call.
pub struct Error {
    kind: ErrorKind,
    message: String,
    verify: Option<VerifyError>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            verify: None,
            source: None,
        }
    }

    pub(crate) fn mismatch(merchant_uid: &str, verify: VerifyError) -> Self {
        let mut error = Error::new(
            ErrorKind::Mismatch,
            format!("order {merchant_uid:?}: the payment is not the order's"),
        );
        error.verify = Some(verify);
        error
    }

    pub(crate) fn client(error: client::Error) -> Self {
        Error {
            kind: ErrorKind::Client,
            message: "PortOne".into(),
            verify: error.verify().cloned(),
            source: Some(Box::new(error)),
        }
    }

    pub(crate) fn store(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error {
            kind: ErrorKind::Store,
            message: "the store".into(),
            verify: None,
            source: Some(Box::new(error)),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// For [`ErrorKind::Mismatch`]: what differs between the payment and the
    /// order.
    pub fn verify(&self) -> Option<&VerifyError> {
        self.verify.as_ref()
    }

    /// For [`ErrorKind::Client`]: the client's error (status, API code).
    pub fn client_error(&self) -> Option<&client::Error> {
        self.source.as_deref()?.downcast_ref()
    }

    /// Whether asking again later could succeed: the store or PortOne was
    /// unreachable, or another call holds the refund. A webhook answers 5xx
    /// only for these, so that PortOne re-sends.
    pub fn is_transient(&self) -> bool {
        match self.kind {
            ErrorKind::Store | ErrorKind::RefundInProgress => true,
            ErrorKind::Client => self.client_error().is_none_or(|e| {
                use client::ErrorKind as K;
                matches!(
                    e.kind(),
                    K::Timeout | K::Connect | K::Transport | K::Status | K::CancelOutcomeUnknown
                ) || e.status().is_some_and(|s| s >= 500 || s == 429)
            }),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(verify) = &self.verify {
            write!(f, ": {verify}")?;
        }
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("verify", &self.verify)
            .field("source", &self.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.source {
            Some(source) => Some(&**source),
            None => self.verify.as_ref().map(|v| v as _),
        }
    }
}
