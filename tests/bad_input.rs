//! The bad-input table: every row is hostile or broken input with the exact
//! result it must give — the variant it parses as, or the error kind with the
//! PG, the property and the position. Never a panic, never a wrong dispatch.

use portone_pg::rest::{ApiResponse, Payment};
use portone_pg::{Error, PaymentResponse, RedirectResult, Webhook};

/// `ok <variant code>` or `err <kind> pg=<pg> field=<field> [@line:column]`.
fn summary<T>(result: Result<T, Error>, ok: impl Fn(&T) -> String) -> String {
    match result {
        Ok(value) => format!("ok {}", ok(&value)),
        Err(e) => {
            let mut s = format!(
                "err {:?} pg={} field={}",
                e.kind(),
                e.pg().unwrap_or("-"),
                e.field().unwrap_or("-")
            );
            if let Some(p) = e.position() {
                s.push_str(&format!(" @{}:{}", p.line, p.column));
            }
            s
        }
    }
}

fn variant(response: &PaymentResponse) -> String {
    match response {
        PaymentResponse::Unknown(_) => "unknown".into(),
        known => known.provider().unwrap().to_string(),
    }
}

fn callback(json: &[u8]) -> String {
    summary(PaymentResponse::from_json(json), variant)
}

fn callback_for(pg: &str, json: &[u8]) -> String {
    summary(PaymentResponse::from_json_with_pg(pg, json), variant)
}

/// A KCP body with one more property, written as raw JSON.
fn kcp_with(key: &str, raw: &str) -> Vec<u8> {
    format!(r#"{{"pg_provider":"kcp","merchant_uid":"o","{key}":{raw}}}"#).into_bytes()
}

fn redirect(query: &str) -> String {
    summary(RedirectResult::from_query(query), |r| {
        format!("{:?}", r.outcome())
            .split([' ', '{'])
            .next()
            .unwrap()
            .to_owned()
    })
}

fn form(body: &[u8]) -> String {
    summary(
        Webhook::from_body("application/x-www-form-urlencoded", body),
        |w| w.status().to_string(),
    )
}

fn rest(json: &str) -> String {
    summary(ApiResponse::<Payment>::from_json(json.as_bytes()), |r| {
        r.response
            .as_ref()
            .map_or("none".into(), |p| p.status.to_string())
    })
}

#[test]
fn every_row_gives_its_exact_result() {
    let deep = format!(
        r#"{{"pg_provider":"kcp","merchant_uid":"o","custom_data":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let huge_value = "가".repeat(2_000_000); // 6 MB of UTF-8
    let huge = format!(r#"{{"pg_provider":"kcp","merchant_uid":"o","buyer_addr":"{huge_value}"}}"#);
    let huge_key = format!(
        r#"{{"pg_provider":"kcp","merchant_uid":"o","{}":1}}"#,
        "k".repeat(3_000_000)
    );

    let rows: Vec<(&str, String, &str)> = vec![
        // A wrong type for every runtime type.
        (
            "string given a number",
            callback(&kcp_with("apply_num", "123")),
            "err InvalidValue pg=kcp field=apply_num @1:55",
        ),
        (
            "flag given \"yes\"",
            callback(&kcp_with("success", r#""yes""#)),
            "err InvalidValue pg=kcp field=success @1:55",
        ),
        (
            "amount given \"ten\"",
            callback(&kcp_with("paid_amount", r#""ten""#)),
            "err InvalidValue pg=kcp field=paid_amount @1:60",
        ),
        (
            "integer given \"abc\"",
            callback(&kcp_with("card_quota", r#""abc""#)),
            "err InvalidValue pg=kcp field=card_quota @1:58",
        ),
        (
            "timestamp given \"yesterday\"",
            callback(&kcp_with("paid_at", r#""yesterday""#)),
            "err InvalidValue pg=kcp field=paid_at @1:61",
        ),
        (
            "custom_data takes any JSON",
            callback(&kcp_with("custom_data", r#"[1,{"a":null}]"#)),
            "ok kcp",
        ),
        (
            "pay_method given a number",
            callback(&kcp_with("pay_method", "1")),
            "err InvalidValue pg=kcp field=pay_method @1:54",
        ),
        (
            "status given a boolean",
            callback(&kcp_with("status", "true")),
            "err InvalidValue pg=kcp field=status @1:53",
        ),
        (
            "currency given an object",
            callback(&kcp_with("currency", "{}")),
            "err InvalidValue pg=kcp field=currency @1:53",
        ),
        (
            "emb_pg_provider given an array",
            callback(&kcp_with("emb_pg_provider", "[]")),
            "err InvalidValue pg=kcp field=emb_pg_provider @1:60",
        ),
        (
            "pg_provider given a number",
            callback(br#"{"merchant_uid":"o","pg_provider":5}"#),
            "err InvalidValue pg=- field=pg_provider @1:35",
        ),
        (
            "merchant_uid given a number",
            callback(br#"{"pg_provider":"kcp","merchant_uid":87}"#),
            "err InvalidValue pg=kcp field=merchant_uid @1:38",
        ),
        (
            "an always property missing",
            callback(br#"{"pg_provider":"kcp","imp_uid":"i"}"#),
            "err MissingField pg=kcp field=merchant_uid",
        ),
        // Amounts.
        (
            "amount past i128",
            callback(&kcp_with(
                "paid_amount",
                "340282366920938463463374607431768211456",
            )),
            "err InvalidValue pg=kcp field=paid_amount @1:94",
        ),
        (
            "negative amount (a refund's sign is kept)",
            callback(&kcp_with("paid_amount", "-1004")),
            "ok kcp",
        ),
        (
            "amount 1e400",
            callback(&kcp_with("paid_amount", "1e400")),
            "err InvalidValue pg=kcp field=paid_amount @1:60",
        ),
        (
            "amount \"NaN\"",
            callback(&kcp_with("paid_amount", r#""NaN""#)),
            "err InvalidValue pg=kcp field=paid_amount @1:60",
        ),
        (
            "amount \"Infinity\"",
            callback(&kcp_with("paid_amount", r#""Infinity""#)),
            "err InvalidValue pg=kcp field=paid_amount @1:65",
        ),
        (
            "amount \"-inf\"",
            callback(&kcp_with("paid_amount", r#""-inf""#)),
            "err InvalidValue pg=kcp field=paid_amount @1:61",
        ),
        (
            "amount \"\"",
            callback(&kcp_with("paid_amount", r#""""#)),
            "err InvalidValue pg=kcp field=paid_amount @1:57",
        ),
        // Not an object, or not JSON.
        ("empty body", callback(b""), "err Syntax pg=- field=- @1:1"),
        (
            "null body",
            callback(b"null"),
            "err NotAnObject pg=- field=- @1:4",
        ),
        (
            "array body",
            callback(b"[]"),
            "err NotAnObject pg=- field=- @1:1",
        ),
        (
            "string body",
            callback(br#""kcp""#),
            "err NotAnObject pg=- field=- @1:5",
        ),
        (
            "truncated",
            callback(br#"{"pg_provider":"kcp","merchant_uid":"o""#),
            "err Syntax pg=kcp field=- @1:39",
        ),
        (
            "trailing garbage",
            callback(br#"{"pg_provider":"kcp","merchant_uid":"o"} x"#),
            "err Syntax pg=kcp field=- @1:42",
        ),
        (
            "invalid UTF-8 in a value",
            callback(b"{\"pg_provider\":\"kcp\",\"merchant_uid\":\"o\",\"name\":\"\xff\"}"),
            "err Syntax pg=kcp field=name @1:49",
        ),
        (
            "a byte order mark",
            callback(b"\xef\xbb\xbf{\"pg_provider\":\"kcp\",\"merchant_uid\":\"o\"}"),
            "err Syntax pg=- field=- @1:1",
        ),
        (
            "100k-deep custom_data",
            callback(deep.as_bytes()),
            // Kept values nest as deep as serde_json allows (128 levels), so
            // they can always be read again; refused after the value is read.
            "err InvalidValue pg=kcp field=custom_data @1:200055",
        ),
        ("a 6 MB string is kept", callback(huge.as_bytes()), "ok kcp"),
        (
            "a 3 MB unknown key is kept",
            callback(huge_key.as_bytes()),
            "ok kcp",
        ),
        // Duplicates.
        (
            "the tag twice",
            callback(br#"{"pg_provider":"kcp","merchant_uid":"o","pg_provider":"nice"}"#),
            "err DuplicateField pg=kcp field=pg_provider @1:53",
        ),
        (
            "the tag twice, first null",
            callback(br#"{"pg_provider":null,"merchant_uid":"o","pg_provider":"kcp"}"#),
            "err DuplicateField pg=- field=pg_provider @1:52",
        ),
        (
            "a field twice",
            callback(br#"{"pg_provider":"kcp","merchant_uid":"o","merchant_uid":"p"}"#),
            "err DuplicateField pg=kcp field=merchant_uid @1:54",
        ),
        (
            "a field and its alias",
            callback(
                br#"{"pg_provider":"kcp","merchant_uid":"o","success":true,"imp_success":false}"#,
            ),
            "err InvalidValue pg=kcp field=success @1:75",
        ),
        (
            "an unknown key twice",
            callback(br#"{"pg_provider":"kcp","merchant_uid":"o","x":1,"x":2}"#),
            "err DuplicateField pg=kcp field=x @1:52",
        ),
        // Where the tag is, and is not.
        (
            "the tag escaped",
            callback(br#"{"pg_\u0070rovider":"kcp","merchant_uid":"o"}"#),
            "ok kcp",
        ),
        (
            "the tag's value escaped",
            callback(br#"{"pg_provider":"\u006bcp","merchant_uid":"o"}"#),
            "ok kcp",
        ),
        (
            "the tag inside custom_data",
            callback(br#"{"custom_data":{"pg_provider":"kcp"},"merchant_uid":"o"}"#),
            "ok unknown",
        ),
        (
            "the tag's text inside a string",
            callback(br#"{"name":"\"pg_provider\":\"kcp\"","merchant_uid":"o"}"#),
            "ok unknown",
        ),
        (
            "a code without a schema",
            callback(br#"{"pg_provider":"newpg","merchant_uid":"o"}"#),
            "ok unknown",
        ),
        (
            "the tag \"null\" with a hint",
            callback_for("kcp", br#"{"pg_provider":"null","merchant_uid":"o"}"#),
            "ok kcp",
        ),
        ("a certification result posted as a payment", callback(br#"{"pg_provider":"danal","pg_type":"certification","merchant_uid":"o","success":true}"#), "err InvalidValue pg=danal field=pg_type @1:48"),
        // Hints.
        (
            "a hint the body contradicts",
            callback_for("nice", br#"{"pg_provider":"kcp","merchant_uid":"o"}"#),
            "err ProviderMismatch pg=nice field=pg_provider",
        ),
        (
            "a related module's body decides",
            callback_for(
                "html5_inicis",
                br#"{"pg_provider":"inicis_unified","merchant_uid":"o"}"#,
            ),
            "ok inicis_unified",
        ),
        (
            "a hint with a space",
            callback_for("kcp dev", br#"{"merchant_uid":"o"}"#),
            "err InvalidPg pg=- field=-",
        ),
        (
            "an empty hint",
            callback_for("", br#"{"merchant_uid":"o"}"#),
            "err InvalidPg pg=- field=-",
        ),
        (
            "a thin body takes the hint's type",
            callback_for(
                "tosspayments.store-1",
                br#"{"imp_uid":"i","merchant_uid":"o"}"#,
            ),
            "ok tosspayments",
        ),
        (
            "a thin PG's body with full-object keys keeps them in extra",
            callback_for(
                "tosspayments",
                br#"{"imp_uid":"i","merchant_uid":"o","paid_amount":"ten"}"#,
            ),
            "ok tosspayments",
        ),
        // Redirect query strings.
        (
            "redirect: %zz",
            redirect("imp_uid=imp_1&merchant_uid=%zz"),
            "err Syntax pg=- field=merchant_uid",
        ),
        (
            "redirect: truncated UTF-8",
            redirect("imp_uid=imp_1&merchant_uid=%e2%82"),
            "err Syntax pg=- field=merchant_uid",
        ),
        (
            "redirect: a lone %",
            redirect("imp_uid=imp_1&merchant_uid=o%"),
            "err Syntax pg=- field=merchant_uid",
        ),
        (
            "redirect: a key repeated with another value",
            redirect("imp_uid=imp_1&merchant_uid=o&imp_uid=imp_2"),
            "err DuplicateField pg=- field=imp_uid",
        ),
        (
            "redirect: a key repeated with the same value",
            redirect("imp_uid=imp_1&merchant_uid=o&imp_uid=imp_1&imp_success=true"),
            "ok Success",
        ),
        (
            "redirect: imp_success=maybe",
            redirect("imp_uid=imp_1&merchant_uid=o&imp_success=maybe"),
            "err InvalidValue pg=- field=imp_success",
        ),
        (
            "redirect: typed dispatch, amount \"ten\"",
            summary(
                PaymentResponse::from_query_with_pg("kcp", "merchant_uid=o&paid_amount=ten"),
                variant,
            ),
            "err InvalidValue pg=kcp field=paid_amount",
        ),
        // Form webhooks.
        (
            "form webhook: %G1",
            form(b"imp_uid=%G1&merchant_uid=o&status=paid"),
            "err Syntax pg=- field=imp_uid",
        ),
        (
            "form webhook: invalid UTF-8 escaped",
            form(b"imp_uid=i&merchant_uid=%ff&status=paid"),
            "err Syntax pg=- field=merchant_uid",
        ),
        (
            "form webhook: a repeated key",
            form(b"imp_uid=i&merchant_uid=o&status=paid&status=paid"),
            "err DuplicateField pg=- field=status",
        ),
        (
            "form webhook: JSON sent as a form",
            form(br#"{"imp_uid":"i","merchant_uid":"o","status":"paid"}"#),
            "err MissingField pg=- field=imp_uid",
        ),
        (
            "webhook: unknown content type",
            summary(Webhook::from_body("text/plain", b"{}"), |w| {
                w.status().to_string()
            }),
            "err InvalidValue pg=- field=content-type",
        ),
        // REST objects.
        (
            "REST: amount \"1,000\"",
            rest(
                r#"{"code":0,"message":null,"response":{"imp_uid":"i","merchant_uid":"o","amount":"1,000","status":"paid"}}"#,
            ),
            "err InvalidValue pg=- field=response.amount @1:86",
        ),
        (
            "REST: status missing",
            rest(
                r#"{"code":0,"message":null,"response":{"imp_uid":"i","merchant_uid":"o","amount":1}}"#,
            ),
            "err MissingField pg=- field=response.status @1:81",
        ),
        (
            "REST: a cancellation's amount",
            rest(
                r#"{"code":0,"message":null,"response":{"imp_uid":"i","merchant_uid":"o","amount":1,"status":"cancelled","cancel_history":[{"pg_tid":"t","amount":"x","cancelled_at":1}]}}"#,
            ),
            "err InvalidValue pg=- field=response.cancel_history[0].amount @1:146",
        ),
        (
            "REST: the API's error envelope",
            rest(r#"{"code":-1,"message":"not found","response":null}"#),
            "ok none",
        ),
    ];
    assert!(rows.len() >= 40, "{} rows", rows.len());
    let mut wrong = Vec::new();
    for (label, got, expected) in &rows {
        if got != expected {
            wrong.push(format!(
                "{label}:\n    expected {expected}\n    got      {got}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} rows differ:\n{}",
        wrong.len(),
        rows.len(),
        wrong.join("\n")
    );
}

#[test]
fn a_huge_value_is_kept_whole() {
    let value = "가".repeat(2_000_000);
    let body = format!(r#"{{"pg_provider":"kcp","merchant_uid":"o","buyer_addr":"{value}"}}"#);
    let Ok(PaymentResponse::Kcp(kcp)) = PaymentResponse::from_json(body.as_bytes()) else {
        panic!("not kcp");
    };
    assert_eq!(kcp.buyer_addr.as_deref().map(str::len), Some(6_000_000));
}

#[test]
fn a_negative_amount_keeps_its_sign() {
    let Ok(PaymentResponse::Kcp(kcp)) =
        PaymentResponse::from_json(&kcp_with("paid_amount", "-1004"))
    else {
        panic!("not kcp");
    };
    assert_eq!(kcp.paid_amount.unwrap().to_string(), "-1004");
}
