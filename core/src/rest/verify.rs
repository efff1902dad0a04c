//! Checking a payment object against the order: the only way this crate
//! hands out a "paid" fact.

use std::fmt;

use super::Payment;
use crate::value::{Currency, PayMethod, Status};
use crate::{Amount, Flag};

/// What the merchant's order says the payment must be.
///
/// The merchant_uid and amount always, the currency always (KRW unless set:
/// PortOne's default), the imp_uid when given, and never a test-channel
/// payment unless [`allow_sandbox`](Self::allow_sandbox) says so.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::rest::Expected;
/// use portone_pg::{Amount, Currency};
///
/// let krw = Expected::new("order-1", Amount::from(1004));
/// let usd = Expected::new("order-2", "10.50".parse::<Amount>()?).currency(Currency::Usd);
/// # let _ = (krw, usd);
/// # Ok::<(), portone_pg::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    merchant_uid: String,
    amount: Amount,
    currency: Currency,
    imp_uid: Option<String>,
    allow_sandbox: bool,
}

impl Expected {
    /// The order's id and amount, from the merchant's own records (never from
    /// the callback), in KRW.
    pub fn new(merchant_uid: impl Into<String>, amount: Amount) -> Self {
        Expected {
            merchant_uid: merchant_uid.into(),
            amount,
            currency: Currency::Krw,
            imp_uid: None,
            allow_sandbox: false,
        }
    }

    /// The order's currency, when it is not KRW (`Currency::Usd` for a USD
    /// order). The currency is always compared: a USD 10 payment never
    /// passes for a 10 KRW order.
    pub fn currency(mut self, currency: Currency) -> Self {
        self.currency = currency;
        self
    }

    /// Accept payments made through a PortOne test channel (`sandbox: true`).
    ///
    /// For test configurations only. Test-channel payments move no money;
    /// since 2026-01-26 PortOne marks them so that a free test payment
    /// cannot be presented as a real one, and [`Payment::verify`] refuses
    /// them unless this is set.
    pub fn allow_sandbox(mut self) -> Self {
        self.allow_sandbox = true;
        self
    }

    /// Also require the `imp_uid` the callback or redirect gave.
    pub fn imp_uid(mut self, imp_uid: impl Into<String>) -> Self {
        self.imp_uid = Some(imp_uid.into());
        self
    }
}

/// Where a verified payment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// Paid in full: fulfil the order.
    Paid,
    /// A virtual account was issued and awaits the deposit (`status` `ready`):
    /// tell the buyer where to pay; the deposit arrives as a `paid` webhook.
    AwaitingDeposit,
}

/// A payment checked against the order: the only "paid" fact this crate
/// hands out. Built by [`Payment::verify`].
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedPayment {
    payment: Payment,
    settlement: Settlement,
}

impl VerifiedPayment {
    /// Paid, or a virtual account awaiting its deposit.
    pub fn settlement(&self) -> Settlement {
        self.settlement
    }

    /// The verified payment object.
    pub fn payment(&self) -> &Payment {
        &self.payment
    }

    /// The verified payment object, owned.
    pub fn into_payment(self) -> Payment {
        self.payment
    }
}

/// Why a payment does not match its order; each says expected versus found.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not paid: `failed`, `cancelled`, or `ready` without a virtual account.
    Status {
        /// The payment's status.
        found: Status,
    },
    /// Part of the amount was refunded.
    Cancelled {
        /// The amount refunded.
        cancel_amount: Amount,
    },
    /// Another order's payment.
    MerchantUid {
        /// The order's id.
        expected: String,
        /// The payment's.
        found: String,
    },
    /// Another amount than the order's: the classic tampered callback.
    Amount {
        /// The order's amount.
        expected: Amount,
        /// The payment's.
        found: Amount,
    },
    /// Another currency (a payment that states none is in KRW).
    Currency {
        /// The order's currency.
        expected: Currency,
        /// The payment's.
        found: Currency,
    },
    /// A payment through a PortOne test channel (`sandbox: true`): no money
    /// moved. Refused unless [`Expected::allow_sandbox`] is set.
    Sandbox,
    /// Another payment than the one the callback named.
    ImpUid {
        /// The id the callback or redirect gave.
        expected: String,
        /// The payment's.
        found: String,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Status { found } => write!(
                f,
                "status: expected paid (or ready with a virtual account), the payment says {found}"
            ),
            VerifyError::Cancelled { cancel_amount } => {
                write!(
                    f,
                    "cancel_amount: expected 0, the payment says {cancel_amount}"
                )
            }
            VerifyError::MerchantUid { expected, found } => {
                write!(
                    f,
                    "merchant_uid: expected {expected:?}, the payment says {found:?}"
                )
            }
            VerifyError::Amount { expected, found } => {
                write!(f, "amount: expected {expected}, the payment says {found}")
            }
            VerifyError::Currency { expected, found } => {
                write!(f, "currency: expected {expected}, the payment says {found}")
            }
            VerifyError::Sandbox => f.write_str(
                "sandbox: the payment was made through a test channel and moved no money",
            ),
            VerifyError::ImpUid { expected, found } => {
                write!(
                    f,
                    "imp_uid: expected {expected:?}, the payment says {found:?}"
                )
            }
        }
    }
}

impl std::error::Error for VerifyError {}

impl Payment {
    /// What can still be refunded: `amount - cancel_amount` (a payment
    /// without `cancel_amount` has refunded nothing). This is the `checksum`
    /// a cancel request sends so that PortOne refuses it when the merchant's
    /// view is stale
    /// ([guide](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/opi/ko/integration/cancel/v1/basic.mdx)).
    /// `None` only when the subtraction overflows.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::rest::{ApiResponse, Payment};
    /// use portone_pg::Amount;
    ///
    /// let body = br#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","merchant_uid":"o-1",
    ///   "amount":1004,"cancel_amount":300,"status":"paid"}}"#;
    /// let payment = ApiResponse::<Payment>::from_json(body)?.into_result()?;
    /// assert_eq!(payment.cancellable_amount(), Some(Amount::from(704)));
    /// # Ok::<(), portone_pg::Error>(())
    /// ```
    pub fn cancellable_amount(&self) -> Option<Amount> {
        match self.cancel_amount {
            Some(cancelled) => self.amount.checked_sub(cancelled),
            None => Some(self.amount),
        }
    }

    /// Checks the payment against the order: the merchant_uid, the amount
    /// (by value: `1004` equals `1004.00`) and the currency must be equal
    /// (an object without `currency` is in KRW), the imp_uid too when
    /// `expected` names it; the status must be `paid` with nothing refunded,
    /// or `ready` for an issued virtual account; and the payment must not be
    /// a test-channel one (`sandbox: true`) unless `expected` allows it. An
    /// object without `sandbox` (before 2026-01-26) is not a test payment.
    pub fn verify(&self, expected: &Expected) -> Result<VerifiedPayment, VerifyError> {
        self.verify_identity(expected)?;
        if let Some(cancel_amount) = &self.cancel_amount
            && !cancel_amount.is_zero()
        {
            return Err(VerifyError::Cancelled {
                cancel_amount: *cancel_amount,
            });
        }
        let settlement = match self.status {
            Status::Paid => Settlement::Paid,
            Status::Ready
                if self.pay_method == Some(PayMethod::Vbank) && self.vbank_num.is_some() =>
            {
                Settlement::AwaitingDeposit
            }
            _ => {
                return Err(VerifyError::Status {
                    found: self.status.clone(),
                });
            }
        };
        Ok(VerifiedPayment {
            payment: self.clone(),
            settlement,
        })
    }

    /// The half of [`verify`](Self::verify) about identity: whether this is
    /// the order's payment at all — its merchant_uid, amount and currency,
    /// its imp_uid when `expected` names one, and no test channel unless
    /// allowed — whatever its status. A refunded or failed payment of the
    /// order passes; a ledger that follows an order through its refunds
    /// checks this, then reads the status and the refunds itself.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::rest::{ApiResponse, Expected, Payment, VerifyError};
    /// use portone_pg::Amount;
    ///
    /// let body = br#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","merchant_uid":"o-1",
    ///   "amount":1004,"cancel_amount":1004,"status":"cancelled"}}"#;
    /// let payment = ApiResponse::<Payment>::from_json(body)?.into_result()?;
    /// let order = Expected::new("o-1", Amount::from(1004));
    /// assert_eq!(payment.verify_identity(&order), Ok(()));
    /// assert!(matches!(payment.verify(&order), Err(VerifyError::Cancelled { .. })));
    /// # Ok::<(), portone_pg::Error>(())
    /// ```
    pub fn verify_identity(&self, expected: &Expected) -> Result<(), VerifyError> {
        if let Some(imp_uid) = &expected.imp_uid
            && *imp_uid != self.imp_uid
        {
            return Err(VerifyError::ImpUid {
                expected: imp_uid.clone(),
                found: self.imp_uid.clone(),
            });
        }
        if self.merchant_uid != expected.merchant_uid {
            return Err(VerifyError::MerchantUid {
                expected: expected.merchant_uid.clone(),
                found: self.merchant_uid.clone(),
            });
        }
        if self.amount != expected.amount {
            return Err(VerifyError::Amount {
                expected: expected.amount,
                found: self.amount,
            });
        }
        let currency = self.currency.as_ref().unwrap_or(&Currency::Krw);
        if *currency != expected.currency {
            return Err(VerifyError::Currency {
                expected: expected.currency.clone(),
                found: currency.clone(),
            });
        }
        if !expected.allow_sandbox && self.sandbox.is_some_and(Flag::get) {
            return Err(VerifyError::Sandbox);
        }
        Ok(())
    }
}
