//! What a callback claims happened.

use std::fmt;

/// What a payment response *claims* happened in the buyer's browser.
///
/// This is not proof of payment. A callback or redirect is produced by
/// JavaScript the buyer controls, its `success` flag only means "the payment
/// window finished normally" (it can even be `false` for a payment that later
/// completes), and thin PGs send no flag at all. The only proof is the REST
/// payment object fetched with `GET /payments/{imp_uid}`, whose `status` and
/// `amount` you compare with your order.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Outcome;
///
/// let outcome = Outcome::Failure { code: Some("F1002".into()), message: None };
/// assert!(!outcome.is_success());
/// assert_eq!(outcome.to_string(), "failure (F1002)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The response claims the payment window succeeded (approval, or a
    /// virtual account issued).
    Success,
    /// The response reports a failure: user cancel, card refusal,
    /// pre-validation error (`F1002`: order already paid), …
    Failure {
        /// The PG's or i'mport's raw error code (`error_code`), if any; PGs
        /// have no shared code system and often send none.
        code: Option<String>,
        /// The raw error message (`error_msg`), if any; some PGs require it to
        /// be shown to the buyer unmodified.
        message: Option<String>,
    },
    /// The response does not say: no success flag and no error.
    Unknown,
}

impl Outcome {
    /// Whether this is [`Outcome::Success`].
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Success)
    }

    /// Decides by a success flag, for PGs that send one (`success` /
    /// `imp_success`). Without the flag (redirects that carry none, such as
    /// KG Inicis transfers), the official SDKs' rule applies, as in
    /// [`from_errors`](Self::from_errors).
    pub fn from_flag(
        flag: Option<bool>,
        imp_uid_present: bool,
        code: Option<&str>,
        message: Option<&str>,
    ) -> Self {
        match flag {
            Some(true) => Outcome::Success,
            Some(false) => Outcome::failure(code, message),
            None => Outcome::from_errors(imp_uid_present, code, message),
        }
    }

    /// Decides by the absence of errors, for thin PGs that send no flag: an
    /// error code or message means failure; otherwise an `imp_uid` means
    /// success.
    pub fn from_errors(imp_uid_present: bool, code: Option<&str>, message: Option<&str>) -> Self {
        if present(code) || present(message) {
            Outcome::failure(code, message)
        } else if imp_uid_present {
            Outcome::Success
        } else {
            Outcome::Unknown
        }
    }

    fn failure(code: Option<&str>, message: Option<&str>) -> Self {
        Outcome::Failure {
            code: code.filter(|c| present(Some(c))).map(str::to_owned),
            message: message.filter(|m| present(Some(m))).map(str::to_owned),
        }
    }
}

/// An empty string carries no error; only a non-empty one counts.
fn present(text: Option<&str>) -> bool {
    text.is_some_and(|t| !t.is_empty())
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Success => f.write_str("success"),
            Outcome::Unknown => f.write_str("unknown"),
            Outcome::Failure { code, message } => {
                f.write_str("failure")?;
                match (code, message) {
                    (Some(c), Some(m)) => write!(f, " ({c}: {m})"),
                    (Some(c), None) => write!(f, " ({c})"),
                    (None, Some(m)) => write!(f, " ({m})"),
                    (None, None) => Ok(()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_rule() {
        assert_eq!(
            Outcome::from_flag(Some(true), true, None, None),
            Outcome::Success
        );
        assert_eq!(
            Outcome::from_flag(
                Some(false),
                true,
                None,
                Some("사용자가 결제를 취소하셨습니다")
            ),
            Outcome::Failure {
                code: None,
                message: Some("사용자가 결제를 취소하셨습니다".into())
            }
        );
        assert_eq!(
            Outcome::from_flag(None, false, None, None),
            Outcome::Unknown
        );
        assert_eq!(
            Outcome::from_flag(None, false, Some("F1002"), None),
            Outcome::Failure {
                code: Some("F1002".into()),
                message: None
            }
        );
    }

    #[test]
    fn no_error_rule() {
        assert_eq!(Outcome::from_errors(true, None, None), Outcome::Success);
        assert_eq!(
            Outcome::from_errors(true, Some(""), Some("")),
            Outcome::Success
        );
        assert_eq!(Outcome::from_errors(false, None, None), Outcome::Unknown);
        assert!(matches!(
            Outcome::from_errors(true, None, Some("에러코드 : ")),
            Outcome::Failure { .. }
        ));
    }
}
