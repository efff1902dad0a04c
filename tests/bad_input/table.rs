//! The bad-input table: every row is hostile or broken input with the exact
//! result it must give — the variant it parses as, or the error kind with the
//! PG, the property and the position. Never a panic, never a wrong dispatch.

use portone_pg::rest::{ApiResponse, Expected, Payment};
use portone_pg::{Amount, Error, Outcome, PaymentResponse, RedirectResult, Webhook};

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

/// `ok <variant> imp_uid=<id or -> <outcome>` or the error.
fn claim<T>(
    result: Result<T, Error>,
    read: impl Fn(&T) -> (String, Option<String>, Outcome),
) -> String {
    summary(result, |value| {
        let (variant, imp_uid, outcome) = read(value);
        let outcome = format!("{outcome:?}");
        let outcome = outcome.split([' ', '{']).next().unwrap().to_owned();
        format!(
            "{variant} imp_uid={} {outcome}",
            imp_uid.as_deref().unwrap_or("-")
        )
    })
}

fn response_claim(response: &PaymentResponse) -> (String, Option<String>, Outcome) {
    (
        variant(response),
        response.imp_uid().map(str::to_owned),
        response.outcome(),
    )
}

fn redirect_claim(redirect: &RedirectResult) -> (String, Option<String>, Outcome) {
    (
        "redirect".into(),
        redirect.imp_uid().map(str::to_owned),
        redirect.outcome(),
    )
}

/// The envelope read through to its payment: API errors included.
fn rest_result(json: &str) -> String {
    summary(
        ApiResponse::<Payment>::from_json(json.as_bytes()).and_then(ApiResponse::into_result),
        |p| p.status.to_string(),
    )
}

/// A REST payment of `amount` (raw JSON) checked against a 1004 KRW order.
fn verify_amount(amount: &str) -> String {
    let body = format!(
        r#"{{"code":0,"message":null,"response":{{"imp_uid":"i","merchant_uid":"o","amount":{amount},"status":"paid"}}}}"#
    );
    match ApiResponse::<Payment>::from_json(body.as_bytes()).and_then(ApiResponse::into_result) {
        Ok(payment) => match payment.verify(&Expected::new("o", Amount::from(1004))) {
            Ok(_) => "verified".into(),
            Err(e) => format!("refused {e}"),
        },
        Err(e) => summary::<()>(Err(e), |_| String::new()),
    }
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
        // An id with a control character names no payment, however it
        // arrives.
        (
            "imp_uid with NUL",
            callback(&kcp_with("imp_uid", r#""imp_1\u0000""#)),
            "err InvalidValue pg=kcp field=imp_uid @1:64",
        ),
        (
            "merchant_uid with a line break, thin PG",
            callback_for("tosspayments", br#"{"imp_uid":"imp_1","merchant_uid":"o\n1"}"#),
            "err InvalidValue pg=tosspayments field=merchant_uid @1:41",
        ),
        (
            "txId (imp_uid's alias) with DEL",
            callback_for("tosspayments", "{\"txId\":\"imp_1\u{7f}\",\"merchant_uid\":\"o\"}".as_bytes()),
            "err InvalidValue pg=tosspayments field=imp_uid @1:16",
        ),
        (
            "unknown PG, imp_uid with a control character",
            callback(br#"{"pg_provider":"newpg","imp_uid":"imp_1\u0001","merchant_uid":"o"}"#),
            "err InvalidValue pg=newpg field=imp_uid",
        ),
        (
            "redirect imp_uid with %00",
            redirect("imp_uid=imp_1%00&merchant_uid=o&imp_success=true"),
            "err InvalidValue pg=- field=imp_uid",
        ),
        (
            "redirect merchant_uid with %0D%0A",
            redirect("imp_uid=imp_1&merchant_uid=o%0D%0Ax&imp_success=true"),
            "err InvalidValue pg=- field=merchant_uid",
        ),
        (
            "webhook form imp_uid with %00",
            form(b"imp_uid=imp_1%00&merchant_uid=o&status=paid"),
            "err InvalidValue pg=- field=imp_uid",
        ),
        (
            "webhook JSON merchant_uid with a tab",
            summary(
                Webhook::from_json(br#"{"imp_uid":"imp_1","merchant_uid":"o\t","status":"paid"}"#),
                |w| w.status().to_string(),
            ),
            "err InvalidValue pg=- field=merchant_uid @1:56",
        ),
        (
            "REST imp_uid with BEL",
            rest(r#"{"code":0,"message":null,"response":{"imp_uid":"imp\u0007","merchant_uid":"o","amount":1,"status":"paid"}}"#),
            "err InvalidValue pg=- field=response.imp_uid @1:105",
        ),
        (
            "REST merchant_uid with NUL",
            rest(r#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","merchant_uid":"o\u0000","amount":1,"status":"paid"}}"#),
            "err InvalidValue pg=- field=response.merchant_uid @1:107",
        ),
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
        // Arithmetic on input never overflows: exponents, shifts and digit
        // counts past i64 are errors, never a wrapped small amount, in every
        // channel and in both forms (number and string).
        (
            "amount 1.004e-99999999999999999999 (wrapped to 1004 before)",
            callback(&kcp_with("paid_amount", "1.004e-99999999999999999999")),
            "err InvalidValue pg=kcp field=paid_amount @1:82",
        ),
        (
            "amount \"1.004e-99999999999999999999\"",
            callback(&kcp_with("paid_amount", r#""1.004e-99999999999999999999""#)),
            "err InvalidValue pg=kcp field=paid_amount @1:84",
        ),
        (
            "amount with an exponent at i64::MIN",
            callback(&kcp_with("paid_amount", "1004e-9223372036854775808")),
            "err InvalidValue pg=kcp field=paid_amount @1:80",
        ),
        (
            "amount whose shift passes i64::MIN",
            callback(&kcp_with("paid_amount", "1.004e-9223372036854775807")),
            "err InvalidValue pg=kcp field=paid_amount @1:81",
        ),
        (
            "amount with an exponent at i64::MAX",
            callback(&kcp_with("paid_amount", "1e9223372036854775807")),
            "err InvalidValue pg=kcp field=paid_amount @1:76",
        ),
        (
            "amount with an exponent past i64::MAX",
            callback(&kcp_with("paid_amount", "1e99999999999999999999")),
            "err InvalidValue pg=kcp field=paid_amount @1:77",
        ),
        (
            "zero with an exponent at i64::MIN is zero",
            callback(&kcp_with("paid_amount", "0e-9223372036854775807")),
            "ok kcp",
        ),
        (
            "redirect: amount 1.004e-99999999999999999999",
            summary(
                PaymentResponse::from_query_with_pg(
                    "kcp",
                    "merchant_uid=o&paid_amount=1.004e-99999999999999999999",
                ),
                variant,
            ),
            "err InvalidValue pg=kcp field=paid_amount",
        ),
        (
            "REST: amount 1.004e-99999999999999999999",
            verify_amount("1.004e-99999999999999999999"),
            "err InvalidValue pg=- field=response.amount @1:106",
        ),
        (
            "REST: amount \"1.004e-99999999999999999999\"",
            verify_amount(r#""1.004e-99999999999999999999""#),
            "err InvalidValue pg=- field=response.amount @1:108",
        ),
        (
            "REST: amount 1004e-9223372036854775808",
            verify_amount("1004e-9223372036854775808"),
            "err InvalidValue pg=- field=response.amount @1:104",
        ),
        ("REST: 1004.00 verifies", verify_amount("1004.00"), "verified"),
        (
            "REST: a cancellation's amount past i64",
            rest(
                r#"{"code":0,"message":null,"response":{"imp_uid":"i","merchant_uid":"o","amount":1,"status":"cancelled","cancel_history":[{"amount":"1e-99999999999999999999"}]}}"#,
            ),
            "err InvalidValue pg=- field=response.cancel_history[0].amount @1:156",
        ),
        (
            "integer past i64",
            callback(&kcp_with("card_quota", "9223372036854775808")),
            "err InvalidValue pg=kcp field=card_quota @1:72",
        ),
        (
            "integer string past i64",
            callback(&kcp_with("card_quota", r#""-9223372036854775809""#)),
            "err InvalidValue pg=kcp field=card_quota @1:75",
        ),
        (
            "timestamp past i64",
            callback(&kcp_with("paid_at", "9223372036854775808")),
            "err InvalidValue pg=kcp field=paid_at @1:69",
        ),
        (
            "timestamp string past u64",
            callback(&kcp_with("paid_at", r#""99999999999999999999""#)),
            "err InvalidValue pg=kcp field=paid_at @1:72",
        ),
        (
            "timestamp with an exponent",
            callback(&kcp_with("paid_at", "1e9223372036854775807")),
            "err Syntax pg=kcp field=paid_at @1:62",
        ),
        (
            "REST: timestamp past i64",
            rest(
                r#"{"code":0,"message":null,"response":{"imp_uid":"i","merchant_uid":"o","amount":1,"status":"paid","paid_at":18446744073709551616}}"#,
            ),
            "err InvalidValue pg=- field=response.paid_at @1:127",
        ),
        // An empty id is no id.
        (
            "thin: imp_uid \"\" claims nothing",
            claim(
                PaymentResponse::from_json_with_pg("tosspayments", br#"{"imp_uid":"","merchant_uid":"o"}"#),
                response_claim,
            ),
            "ok tosspayments imp_uid=- Unknown",
        ),
        (
            "full: imp_uid \"\" is no id",
            claim(
                PaymentResponse::from_json(br#"{"pg_provider":"kcp","imp_uid":"","merchant_uid":"o"}"#),
                response_claim,
            ),
            "ok kcp imp_uid=- Unknown",
        ),
        (
            "unknown PG: imp_uid \"\" is no id",
            claim(
                PaymentResponse::from_json(br#"{"imp_uid":"","merchant_uid":"o"}"#),
                response_claim,
            ),
            "ok unknown imp_uid=- Unknown",
        ),
        (
            "redirect: imp_uid= is no id",
            claim(RedirectResult::from_query("imp_uid=&merchant_uid=o"), redirect_claim),
            "ok redirect imp_uid=- Unknown",
        ),
        (
            "JSON webhook: imp_uid \"\"",
            summary(
                Webhook::from_json(br#"{"imp_uid":"","merchant_uid":"o","status":"paid"}"#),
                |w| w.status().to_string(),
            ),
            "err InvalidValue pg=- field=imp_uid @1:49",
        ),
        (
            "form webhook: imp_uid=",
            form(b"imp_uid=&merchant_uid=o&status=paid"),
            "err InvalidValue pg=- field=imp_uid",
        ),
        (
            "REST: imp_uid \"\"",
            rest(r#"{"code":0,"message":null,"response":{"imp_uid":"","merchant_uid":"o","amount":1,"status":"paid"}}"#),
            "err InvalidValue pg=- field=response.imp_uid @1:96",
        ),
        // A success flag is honoured for every PG.
        (
            "thin redirect: imp_success=false is a failure",
            claim(
                PaymentResponse::from_query_with_pg("tosspayments", "imp_uid=imp_1&merchant_uid=o&imp_success=false"),
                response_claim,
            ),
            "ok tosspayments imp_uid=imp_1 Failure",
        ),
        (
            "thin callback: success:false is a failure",
            claim(
                PaymentResponse::from_json_with_pg("nice_v2", br#"{"imp_uid":"imp_1","merchant_uid":"o","success":false}"#),
                response_claim,
            ),
            "ok nice_v2 imp_uid=imp_1 Failure",
        ),
        (
            "success and imp_success that agree",
            claim(
                PaymentResponse::from_json(br#"{"pg_provider":"kcp","imp_uid":"imp_1","merchant_uid":"o","success":false,"imp_success":"false"}"#),
                response_claim,
            ),
            "ok kcp imp_uid=imp_1 Failure",
        ),
        (
            "imp_success and success that agree, on a thin PG",
            claim(
                PaymentResponse::from_query_with_pg("tosspayments", "imp_success=true&success=true&imp_uid=imp_1&merchant_uid=o"),
                response_claim,
            ),
            "ok tosspayments imp_uid=imp_1 Success",
        ),
        (
            "success and imp_success that disagree",
            callback(br#"{"pg_provider":"kcp","merchant_uid":"o","imp_success":true,"success":false}"#),
            "err InvalidValue pg=kcp field=success @1:75",
        ),
        (
            "redirect: imp_success and success that disagree",
            redirect("imp_uid=imp_1&imp_success=true&success=false"),
            "err InvalidValue pg=- field=success",
        ),
        // A nested m_redirect_url never clashes with the outer parameters.
        (
            "redirect: iOS return whose nested URL names another order",
            claim(
                RedirectResult::from_url("myapp://?imp_uid=imp_1%26merchant_uid=outer%26m_redirect_url=https%3A%2F%2Fshop.example%2Fdone%3Fimp_uid%3Dimp_2%26merchant_uid%3Dinner"),
                redirect_claim,
            ),
            "ok redirect imp_uid=imp_1 Success",
        ),
        (
            "typed redirect: the same, for the PG's type",
            claim(
                PaymentResponse::from_query_with_pg("html5_inicis", "imp_uid=imp_1%26merchant_uid=outer%26m_redirect_url=https%3A%2F%2Fshop.example%2Fdone%3Fimp_uid%3Dimp_2%26merchant_uid%3Dinner"),
                response_claim,
            ),
            "ok html5_inicis imp_uid=imp_1 Success",
        ),
        (
            "redirect: merchant parameters before PortOne's",
            claim(
                RedirectResult::from_query("couponId=&imp_uid=imp_1&merchant_uid=o&imp_success=true"),
                redirect_claim,
            ),
            "ok redirect imp_uid=imp_1 Success",
        ),
        // pg_type "certification" is never a payment.
        (
            "thin PG: pg_type certification",
            callback_for("tosspayments", br#"{"imp_uid":"i","merchant_uid":"o","pg_type":"certification"}"#),
            "err InvalidValue pg=tosspayments field=pg_type @1:60",
        ),
        (
            "thin PG's redirect: pg_type=certification",
            summary(
                PaymentResponse::from_query_with_pg("welcome", "imp_uid=i&merchant_uid=o&pg_type=certification"),
                variant,
            ),
            "err InvalidValue pg=welcome field=pg_type",
        ),
        (
            "unknown PG: pg_type certification",
            callback(br#"{"pg_provider":"newpg","merchant_uid":"o","pg_type":"certification"}"#),
            "err InvalidValue pg=- field=pg_type",
        ),
        (
            "full PG: pg_type certification before the tag",
            callback(br#"{"pg_type":"certification","pg_provider":"kcp","merchant_uid":"o"}"#),
            "err InvalidValue pg=kcp field=pg_type @1:26",
        ),
        // A failure body is a failure, not a parse error.
        (
            "pre-validation failure with the request's pg",
            claim(
                PaymentResponse::from_json_with_pg("kcp.T0000", br#"{"success":false,"imp_uid":null,"merchant_uid":"o","error_code":"F1002","error_msg":"already paid"}"#),
                response_claim,
            ),
            "ok kcp imp_uid=- Failure",
        ),
        (
            "bare failure callback",
            claim(
                PaymentResponse::from_json(br#"{"success":false,"imp_uid":"imp_1","merchant_uid":"o","pay_method":"card","pg_provider":"html5_inicis","pg_type":"payment","error_msg":"cancelled"}"#),
                response_claim,
            ),
            "ok html5_inicis imp_uid=imp_1 Failure",
        ),
        // Duplicates name their path; API errors are their own kind.
        (
            "REST: response.amount twice",
            rest(r#"{"code":0,"message":null,"response":{"imp_uid":"i","merchant_uid":"o","amount":1,"amount":2,"status":"paid"}}"#),
            "err DuplicateField pg=- field=response.amount @1:89",
        ),
        (
            "REST: an unknown key twice",
            rest(r#"{"code":0,"message":null,"response":{"imp_uid":"i","merchant_uid":"o","amount":1,"status":"paid","x":1,"x":2}}"#),
            "err DuplicateField pg=- field=response.x @1:106",
        ),
        (
            "REST: a cancellation's key twice",
            rest(r#"{"code":0,"message":null,"response":{"imp_uid":"i","merchant_uid":"o","amount":1,"status":"paid","cancel_history":[{"amount":1,"amount":1}]}}"#),
            "err DuplicateField pg=- field=response.cancel_history[0].amount @1:135",
        ),
        (
            "REST: code twice",
            rest(r#"{"code":0,"code":-1,"message":null,"response":null}"#),
            "err DuplicateField pg=- field=code @1:16",
        ),
        (
            "REST: code -1 is an API error",
            rest_result(r#"{"code":-1,"message":"존재하지 않는 결제정보입니다","response":null}"#),
            "err Api pg=- field=-",
        ),
        (
            "REST: code 0 without a response",
            rest_result(r#"{"code":0,"message":null,"response":null}"#),
            "err MissingField pg=- field=response",
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

/// Parses a body and serializes what it parsed.
type Reserialize = Box<dyn Fn(&[u8]) -> Result<String, Error>>;

/// Numbers kept outside the typed properties come back digit for digit, in
/// every place a value is kept, and typed amounts received as numbers go
/// back as the same numbers.
#[test]
fn kept_numbers_round_trip_digit_for_digit() {
    let numbers = [
        "123456789012345678901",
        "-98765432109876543210987654321",
        "18446744073709551616",
        "1e-400",
        "1E+400",
        "-0.0000000000000000000001",
        "0.1234567890123456789",
        "10.50",
        r#"{"nested":[123456789012345678901,1e-400]}"#,
    ];
    let mut rows = 0;
    for number in numbers {
        // (where, body, how to serialize what was parsed)
        let places: Vec<(&str, String, Reserialize)> = vec![
            (
                "a typed PG's extra",
                format!(r#"{{"pg_provider":"kcp","merchant_uid":"o","new_key":{number}}}"#),
                Box::new(|b: &[u8]| {
                    PaymentResponse::from_json(b).map(|r| serde_json::to_string(&r).unwrap())
                }),
            ),
            (
                "custom_data",
                format!(r#"{{"pg_provider":"kcp","merchant_uid":"o","custom_data":{number}}}"#),
                Box::new(|b: &[u8]| {
                    PaymentResponse::from_json(b).map(|r| serde_json::to_string(&r).unwrap())
                }),
            ),
            (
                "an unknown PG's response",
                format!(r#"{{"merchant_uid":"o","pg_provider":"newpg","x":{number}}}"#),
                Box::new(|b: &[u8]| {
                    PaymentResponse::from_json(b).map(|r| serde_json::to_string(&r).unwrap())
                }),
            ),
            (
                "a webhook's extra",
                format!(r#"{{"imp_uid":"i","merchant_uid":"o","status":"paid","extra":{number}}}"#),
                Box::new(|b: &[u8]| {
                    Webhook::from_json(b).map(|w| serde_json::to_string(&w).unwrap())
                }),
            ),
            (
                "a webhook's unknown key",
                format!(r#"{{"imp_uid":"i","merchant_uid":"o","status":"paid","x":{number}}}"#),
                Box::new(|b: &[u8]| {
                    Webhook::from_json(b).map(|w| serde_json::to_string(&w).unwrap())
                }),
            ),
            (
                "a REST payment's unknown key",
                format!(
                    r#"{{"imp_uid":"i","merchant_uid":"o","amount":1004,"status":"paid","x":{number}}}"#
                ),
                Box::new(|b: &[u8]| {
                    Payment::from_json(b).map(|p| serde_json::to_string(&p).unwrap())
                }),
            ),
        ];
        for (place, body, reserialize) in places {
            let out =
                reserialize(body.as_bytes()).unwrap_or_else(|e| panic!("{place}, {number}: {e}"));
            assert!(
                out.contains(&format!(":{number}")),
                "{place}: {number} came back as {out}"
            );
            rows += 1;
        }
    }
    assert_eq!(rows, 54);
    // Typed amounts received as JSON numbers go back as those numbers.
    for amount in [
        "1004",
        "10.50",
        "0.1234567890123456789",
        "12345678901234567.89",
        "-3",
    ] {
        let body = format!(r#"{{"pg_provider":"kcp","merchant_uid":"o","paid_amount":{amount}}}"#);
        let out =
            serde_json::to_string(&PaymentResponse::from_json(body.as_bytes()).unwrap()).unwrap();
        assert!(out.contains(&format!(r#""paid_amount":{amount}"#)), "{out}");
        let rest =
            format!(r#"{{"imp_uid":"i","merchant_uid":"o","amount":{amount},"status":"paid"}}"#);
        let out = serde_json::to_string(&Payment::from_json(rest.as_bytes()).unwrap()).unwrap();
        assert!(out.contains(&format!(r#""amount":{amount}"#)), "{out}");
    }
}

/// verify() refuses what is not a real payment of the order: another
/// currency (KRW unless the order says otherwise), and test-channel
/// payments unless the order allows them.
#[test]
fn verify_table() {
    use portone_pg::Currency;
    let payment = |extra: &str| {
        let body = format!(
            r#"{{"imp_uid":"i","merchant_uid":"o","amount":10,"status":"paid","pay_method":"card"{extra}}}"#
        );
        Payment::from_json(body.as_bytes()).unwrap()
    };
    let krw = Expected::new("o", Amount::from(10));
    let usd = krw.clone().currency(Currency::Usd);
    let rows: Vec<(&str, &str, &Expected, &str)> = vec![
        ("no currency reads as KRW", "", &krw, "ok"),
        ("KRW stated", r#","currency":"KRW""#, &krw, "ok"),
        (
            "USD 10 for a 10 KRW order",
            r#","currency":"USD""#,
            &krw,
            "currency: expected KRW, the payment says USD",
        ),
        (
            "KRW 10 for a USD 10 order",
            "",
            &usd,
            "currency: expected USD, the payment says KRW",
        ),
        ("USD for a USD order", r#","currency":"USD""#, &usd, "ok"),
        (
            "an unknown currency",
            r#","currency":"ZZZ""#,
            &krw,
            "currency: expected KRW, the payment says ZZZ",
        ),
        (
            "sandbox: true",
            r#","sandbox":true"#,
            &krw,
            "sandbox: the payment was made through a test channel and moved no money",
        ),
        (
            "sandbox: \"true\"",
            r#","sandbox":"true""#,
            &krw,
            "sandbox: the payment was made through a test channel and moved no money",
        ),
        ("sandbox: false", r#","sandbox":false"#, &krw, "ok"),
        ("no sandbox (before 2026-01-26)", "", &krw, "ok"),
    ];
    let allowed = krw.clone().allow_sandbox();
    let mut wrong = Vec::new();
    for (label, extra, expected, want) in rows.iter().copied().chain([(
        "sandbox allowed by the order",
        r#","sandbox":true"#,
        &allowed,
        "ok",
    )]) {
        let got = match payment(extra).verify(expected) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.to_string(),
        };
        if got != want {
            wrong.push(format!("{label}: expected {want}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
