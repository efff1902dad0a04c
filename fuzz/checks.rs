#![allow(dead_code)] // each target uses one of these

//! What must hold for any input. The fuzz targets run these on what the
//! fuzzer generates; `tests/bad_input/fuzz_regressions.rs` runs them on the inputs the
//! fuzzer once found failing, and on the seeds.
//!
//! Beyond "never panics": the one-pass and two-pass dispatch agree, the flat
//! reader of the compact parsers reads what serde_json reads, and a parsed
//! response serializes to JSON that parses back to the same value.

use portone_pg::__private::Readers;
use portone_pg::rest::{ApiResponse, Expected, Payment};
use portone_pg::{Amount, PaymentResponse, RedirectResult, Webhook};

/// Request `pg` parameters a fuzz input picks from by its first byte.
const HINTS: &[&str] = &[
    "kcp",
    "html5_inicis",
    "inicis",
    "inicis_unified",
    "tosspayments",
    "nice_v2",
    "nice_V2",
    "kakaopay",
    "danal",
    "ksnet.store",
    "newpg",
    "",
    ".",
    "kcp.",
    "kcp.T0000",
];

fn agree(
    one: &Result<PaymentResponse, portone_pg::Error>,
    two: &Result<PaymentResponse, portone_pg::Error>,
) {
    match (one, two) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "one pass and two pass differ"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "errors differ"),
        _ => panic!("one pass {one:?}, two pass {two:?}"),
    }
}

/// Serialized and parsed again (with the request's `pg` it was parsed
/// with), a response is the same value.
fn round_trip(response: &PaymentResponse, hint: Option<&str>) {
    let json = serde_json::to_vec(response).expect("a response serializes");
    let again = match hint {
        Some(pg) => PaymentResponse::from_json_with_pg(pg, &json),
        None => PaymentResponse::from_json(&json),
    };
    let again = again
        .unwrap_or_else(|e| panic!("re-parse failed: {e}\n{}", String::from_utf8_lossy(&json)));
    assert_eq!(&again, response, "round trip changed the value");
}

/// `PaymentResponse::from_json`.
pub fn payment_from_json(data: &[u8]) {
    let one = PaymentResponse::from_json(data);
    let two = portone_pg::__private::two_pass::<PaymentResponse>(None, data);
    agree(&one, &two);
    if let Ok(response) = &one {
        let _ = (
            response.imp_uid(),
            response.merchant_uid(),
            response.outcome(),
        );
        let _ = format!("{response:?}");
        round_trip(response, None);
    }
}

/// `PaymentResponse::from_json_with_pg`: the first byte picks the hint.
pub fn payment_from_json_with_pg(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let hint = HINTS[usize::from(pick) % HINTS.len()];
    let one = PaymentResponse::from_json_with_pg(hint, body);
    let two = portone_pg::__private::two_pass::<PaymentResponse>(Some(hint), body);
    match (&one, &two) {
        // An unusable hint fails before any parse, in both.
        (Err(a), Err(b)) if hint.is_empty() || hint.starts_with('.') => {
            assert_eq!(a.kind(), b.kind());
        }
        _ => agree(&one, &two),
    }
    if let Ok(response) = &one {
        round_trip(response, Some(hint));
    }
    // The flat reader of the compact parsers, where it reads the body, reads
    // what serde_json reads.
    let compact = |readers| portone_pg::__private::compact::<PaymentResponse>(hint, body, readers);
    if let Some(flat) = compact(Readers::FlatOnly) {
        assert_eq!(
            Some(flat),
            compact(Readers::SerdeJsonOnly),
            "the flat reader and serde_json differ"
        );
    }
}

/// `RedirectResult::from_query` and `PaymentResponse::from_query`, on text.
pub fn redirect_from_query(data: &[u8]) {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(redirect) = RedirectResult::from_query(query) {
        let _ = (
            redirect.imp_uid(),
            redirect.merchant_uid(),
            redirect.outcome(),
        );
        let _ = format!("{redirect:?}");
    }
    let _ = RedirectResult::from_url(query);
    if let Ok(response) = PaymentResponse::from_query(query) {
        let _ = (response.outcome(), format!("{response:?}"));
    }
    let _ = PaymentResponse::from_query_with_pg("kcp", query);
}

/// `Webhook::from_body`: the first byte picks the content type.
pub fn webhook_from_body(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let content_type = match pick % 4 {
        0 => "application/json",
        1 => "application/x-www-form-urlencoded",
        2 => "application/x-www-form-urlencoded; charset=UTF-8",
        _ => "text/plain",
    };
    if let Ok(webhook) = Webhook::from_body(content_type, body) {
        let _ = (webhook.imp_uid(), webhook.merchant_uid(), webhook.status());
        let _ = format!("{webhook:?}");
        let json = serde_json::to_vec(&webhook).expect("a webhook serializes");
        let again = Webhook::from_json(&json).expect("its JSON parses again");
        assert_eq!(again.imp_uid(), webhook.imp_uid());
    }
}

/// The REST envelope and payment, then `verify`.
pub fn rest_payment(data: &[u8]) {
    let Ok(envelope) = ApiResponse::<Payment>::from_json(data) else {
        return;
    };
    if let Ok(payment) = envelope.into_result() {
        let _ = format!("{payment:?}");
        let expected = Expected::new(payment.merchant_uid.clone(), Amount::from(1004));
        let _ = payment.verify(&expected);
        let json = serde_json::to_vec(&payment).expect("a payment serializes");
        let again: Payment = serde_json::from_slice(&json).expect("its JSON parses again");
        assert_eq!(again, payment, "round trip changed the payment");
    }
}

/// The client's reading of a reply (first two bytes: the HTTP status):
/// never a panic, and no error text holding the client's key or secret,
/// however the body echoes them.
#[cfg(feature = "client")]
pub fn client_reply(data: &[u8]) {
    use portone_pg::client::__fuzz;
    let (status, body) = match data {
        [a, b, body @ ..] => (100 + u16::from_be_bytes([*a, *b]) % 500, body),
        _ => return,
    };
    for text in __fuzz::reply(status, body) {
        for secret in __fuzz::SECRETS {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
