//! Events with the `tracing` feature; nothing without it. Fields are ids,
//! states, doors and amounts: never personal data.

use portone_pg::Amount;
use portone_pg::rest::VerifyError;

use crate::order::{Door, Transition};

/// An order changed state.
pub(crate) fn transition(merchant_uid: &str, transition: &Transition) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        target: "portone_pg_ledger",
        merchant_uid,
        from = transition.from.as_str(),
        to = transition.to.as_str(),
        door = transition.door.as_str(),
        imp_uid = transition.imp_uid.as_deref(),
        "transition"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (merchant_uid, transition);
}

/// A payment that is not its order's.
pub(crate) fn refused(merchant_uid: &str, door: Door, mismatch: &VerifyError) {
    #[cfg(feature = "tracing")]
    tracing::warn!(
        target: "portone_pg_ledger",
        merchant_uid,
        door = door.as_str(),
        reason = %mismatch,
        "payment refused"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (merchant_uid, door, mismatch);
}

/// A notification the ledger did not act on (unknown order, bad body,
/// refused source).
pub(crate) fn notification(result: &str, imp_uid: Option<&str>) {
    #[cfg(feature = "tracing")]
    tracing::warn!(target: "portone_pg_ledger", result, imp_uid, "notification not acted on");
    #[cfg(not(feature = "tracing"))]
    let _ = (result, imp_uid);
}

/// A refund sent to PortOne, and what came of it.
pub(crate) fn refund(merchant_uid: &str, amount: &Amount, result: &str) {
    #[cfg(feature = "tracing")]
    tracing::info!(target: "portone_pg_ledger", merchant_uid, amount = %amount, result, "refund");
    #[cfg(not(feature = "tracing"))]
    let _ = (merchant_uid, amount, result);
}
