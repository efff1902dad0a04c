//! Removing the key, the secret and the tokens from texts a server sent.
//!
//! A misconfigured proxy's error page can show the request's headers (the
//! bearer token), a refusal can quote the credentials it was sent; those
//! texts become error messages, which end up in logs. Every error a call
//! returns is scrubbed of every secret the client knows, in the forms a
//! server is likely to echo it: as sent, JSON-escaped and percent-encoded.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use portone_pg_core::rest::VerifyError;
use portone_pg_core::{Currency, Status};

/// What a secret is replaced with.
pub(crate) const MARKER: &str = "[redacted]";

/// The secrets to remove, each in every form it may be echoed in.
pub(crate) struct Scrubber {
    needles: Vec<String>,
}

impl Scrubber {
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut needles = Vec::new();
        for secret in secrets.into_iter().filter(|s| !s.is_empty()) {
            let json = serde_json::to_string(secret).unwrap_or_default();
            let json = json.trim_matches('"');
            let strict = utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string();
            let component = utf8_percent_encode(secret, crate::transport::SEGMENT).to_string();
            for form in [secret, json, &strict, &component] {
                if !form.is_empty() && !needles.iter().any(|n| n == form) {
                    needles.push(form.to_owned());
                }
            }
        }
        Scrubber { needles }
    }

    /// `text` with every occurrence of a secret replaced by [`MARKER`];
    /// `None` when it holds none. Occurrences that overlap (one secret
    /// inside another) become one marker.
    pub(crate) fn scrub(&self, text: &str) -> Option<String> {
        let mut hidden = vec![false; text.len()];
        let mut found = false;
        for needle in &self.needles {
            for (at, _) in text.match_indices(needle.as_str()) {
                hidden[at..at + needle.len()].fill(true);
                found = true;
            }
        }
        if !found {
            return None;
        }
        let mut clean = String::with_capacity(text.len());
        let mut in_secret = false;
        for (at, ch) in text.char_indices() {
            match (hidden[at], in_secret) {
                (true, false) => clean.push_str(MARKER),
                (true, true) => {}
                (false, _) => clean.push(ch),
            }
            in_secret = hidden[at];
        }
        Some(clean)
    }

    /// A verification's findings with the payment's strings scrubbed (a
    /// server chooses them).
    pub(crate) fn scrub_verify(&self, verify: VerifyError) -> VerifyError {
        let text = |found: String| self.scrub(&found).unwrap_or(found);
        match verify {
            VerifyError::Status { found } => VerifyError::Status {
                found: Status::from_code(&text(found.as_str().to_owned())),
            },
            VerifyError::Currency { expected, found } => VerifyError::Currency {
                expected,
                found: Currency::from_code(&text(found.as_str().to_owned())),
            },
            VerifyError::MerchantUid { expected, found } => VerifyError::MerchantUid {
                expected,
                found: text(found),
            },
            VerifyError::ImpUid { expected, found } => VerifyError::ImpUid {
                expected,
                found: text(found),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_every_secret_becomes_one_marker() {
        let scrubber = Scrubber::new(["key-1", "s3cr\"t/+_", "", "tok"]);
        assert_eq!(scrubber.scrub("nothing here"), None);
        assert_eq!(
            scrubber
                .scrub("imp_key=key-1&imp_secret=s3cr%22t%2F%2B_ s3cr%22t%2F%2B%5F")
                .as_deref(),
            Some("imp_key=[redacted]&imp_secret=[redacted] [redacted]")
        );
        assert_eq!(
            scrubber
                .scrub(r#"{"imp_secret":"s3cr\"t/+_"} Bearer tok"#)
                .as_deref(),
            Some(r#"{"imp_secret":"[redacted]"} Bearer [redacted]"#)
        );
        // Adjacent and overlapping secrets, and text around multi-byte
        // characters.
        assert_eq!(
            scrubber.scrub("토큰:key-1tokkey-1!").as_deref(),
            Some("토큰:[redacted]!")
        );
    }

    #[test]
    fn verification_findings_are_scrubbed() {
        let scrubber = Scrubber::new(["tok"]);
        let verify = scrubber.scrub_verify(VerifyError::MerchantUid {
            expected: "order-1".into(),
            found: "xtokx".into(),
        });
        assert_eq!(verify.to_string().matches("tok").count(), 0, "{verify}");
        let verify = scrubber.scrub_verify(VerifyError::Status {
            found: Status::from_code("tok"),
        });
        assert!(!verify.to_string().contains("tok"), "{verify}");
    }
}
