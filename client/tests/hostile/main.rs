//! The client against servers that misbehave on purpose, on 127.0.0.1:
//! redirects, objects of other payments, refunds claimed but not made,
//! absurd token lifetimes, echoed secrets, a token endpoint that hangs, and
//! 401s on calls that were carried out. Each test is bounded by the client's
//! timeouts and the server's own limits.

mod server;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portone_pg_client::{Cancel, Client, ErrorKind};
use portone_pg_core::rest::Expected;
use portone_pg_core::{Amount, Status};
use portone_pg_fake::{FakeApi, Fault, NewPayment, Route};
use server::{Reply, Request, Server, ok, payment, redirect, reply, token};

const KEY: &str = "imp_key_5417";
const SECRET: &str = r#"imp_secret_Qx9/zT+wR2"q"#;

/// A client without retries: each scripted reply is the one it acts on.
fn client(url: &str) -> Client {
    Client::builder(KEY, SECRET)
        .base_url(url)
        .timeout(Duration::from_millis(800))
        .retries(0)
        .build()
        .unwrap()
}

/// A handler that issues tokens and hands every other request to `rest`.
fn with_tokens(
    rest: impl Fn(&Request) -> Reply + Send + Sync + 'static,
) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
    move |request| match request.path() {
        "/users/getToken" => token("tok_0123456789abcdef", 1800),
        _ => rest(request),
    }
}

// --- 1. redirects --------------------------------------------------------

/// A server that must never be reached: it serves a paid object and takes
/// whatever is sent to it.
async fn elsewhere() -> Server {
    Server::start(|request| match request.path() {
        "/users/getToken" => token("tok_stolen", 1800),
        _ => ok(&payment("imp_1", "order-1", 1004, "")),
    })
    .await
}

#[tokio::test]
async fn a_redirected_token_request_sends_no_credentials_elsewhere() {
    let thief = elsewhere().await;
    for status in [301, 302, 307, 308] {
        let target = format!("{}/users/getToken?imp_secret=leak", thief.url());
        let api = Server::start(move |_| redirect(status, &target)).await;
        let error = client(api.url()).payment("imp_1").await.unwrap_err();
        assert_eq!(
            (error.kind(), error.status(), error.endpoint()),
            (ErrorKind::Redirect, Some(status), "POST /users/getToken")
        );
        let message = error.message().unwrap();
        assert!(message.contains(thief.url()), "{message}");
        assert!(!error.to_string().contains("leak"), "{error}");
        assert!(!error.to_string().contains("/users/getToken?"), "{error}");
    }
    assert!(thief.received().is_empty(), "{:?}", thief.received());
}

#[tokio::test]
async fn a_redirected_lookup_never_confirms_another_hosts_payment() {
    let thief = elsewhere().await;
    let target = format!("{}/payments/imp_1", thief.url());
    let api = Server::start(with_tokens(move |_| redirect(302, &target))).await;
    let client = client(api.url());
    let expected = Expected::new("order-1", Amount::from(1004));
    let error = client.confirm("imp_1", &expected).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect, "{error}");
    assert_eq!(
        client.payment("imp_1").await.unwrap_err().kind(),
        ErrorKind::Redirect
    );
    assert!(thief.received().is_empty());
}

#[tokio::test]
async fn a_relative_or_missing_location_names_only_an_origin() {
    let api = Server::start(with_tokens(|request| match request.path() {
        "/payments/imp_1" => redirect(303, "/elsewhere?token=abc#frag"),
        _ => {
            Reply::Raw(b"HTTP/1.1 307 X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec())
        }
    }))
    .await;
    let client = client(api.url());
    let error = client.payment("imp_1").await.unwrap_err();
    assert_eq!(
        error.message(),
        Some(&*format!("HTTP 303 to {}", api.url()))
    );
    let error = client.payment("imp_2").await.unwrap_err();
    assert_eq!(
        (error.kind(), error.message()),
        (
            ErrorKind::Redirect,
            Some("HTTP 307 without a usable Location")
        )
    );
}

#[tokio::test]
async fn a_redirected_cancel_is_resolved_by_lookup_and_never_followed() {
    let thief = elsewhere().await;
    let target = format!("{}/payments/cancel", thief.url());
    let api = Server::start(with_tokens(move |request| match request.path() {
        "/payments/cancel" => redirect(307, &target),
        _ => ok(&payment("imp_1", "order-1", 1004, "")),
    }))
    .await;
    let error = client(api.url())
        .cancel(Cancel::full("imp_1"))
        .await
        .unwrap_err();
    // Sent twice (the lookups show nothing happened), never followed.
    assert_eq!(error.kind(), ErrorKind::CancelOutcomeUnknown, "{error}");
    assert_eq!(api.count("POST", "/payments/cancel"), 2);
    assert!(thief.received().is_empty());
}

// --- 2. objects of other payments ------------------------------------------

#[tokio::test]
async fn confirm_and_payment_refuse_another_payments_object() {
    // The object is paid, for the order and the amount: only its id is
    // wrong, and even an Expected without an imp_uid must not pass it.
    let api = Server::start(with_tokens(|_| {
        ok(&payment("imp_other", "order-1", 1004, ""))
    }))
    .await;
    let client = client(api.url());
    let expected = Expected::new("order-1", Amount::from(1004));
    let error = client.confirm("imp_asked", &expected).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Body, "{error}");
    assert!(error.to_string().contains("another payment"), "{error}");
    assert_eq!(
        client.payment("imp_asked").await.unwrap_err().kind(),
        ErrorKind::Body
    );
    assert_eq!(
        client.certification("imp_asked").await.unwrap_err().kind(),
        ErrorKind::Body
    );
}

#[tokio::test]
async fn payments_accepts_only_the_ids_asked_for_each_once() {
    let api = Server::start(with_tokens(|request| {
        let list = match request.target.contains("imp_b") {
            true => [
                payment("imp_a", "o-a", 1, ""),
                payment("imp_c", "o-c", 1, ""),
            ],
            false => [
                payment("imp_a", "o-a", 1, ""),
                payment("imp_a", "o-a", 1, ""),
            ],
        };
        ok(&format!("[{}]", list.join(",")))
    }))
    .await;
    let client = client(api.url());
    let foreign = client.payments(&["imp_a", "imp_b"]).await.unwrap_err();
    assert_eq!(foreign.kind(), ErrorKind::Body, "{foreign}");
    let twice = client.payments(&["imp_a", "imp_d"]).await.unwrap_err();
    assert_eq!(twice.kind(), ErrorKind::Body, "{twice}");
}

#[tokio::test]
async fn find_and_find_all_accept_only_the_order_and_status_asked_for() {
    let api = Server::start(with_tokens(|request| match request.path() {
        "/payments/find/order-1" => ok(&payment("imp_1", "order-2", 1004, "")),
        "/payments/find/order-1/cancelled" => ok(&payment("imp_1", "order-1", 1004, "")),
        _ => ok(&format!(
            r#"{{"total":2,"previous":0,"next":0,"list":[{},{}]}}"#,
            payment("imp_1", "order-1", 1004, ""),
            payment("imp_2", "order-9", 1004, "")
        )),
    }))
    .await;
    let client = client(api.url());
    let error = client.find("order-1", None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Body, "{error}");
    let error = client
        .find("order-1", Some(&Status::Cancelled))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Body, "{error}");
    let error = client.find_all("order-1", None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Body, "{error}");
}

#[tokio::test]
async fn prepare_refuses_a_registration_of_another_order_or_amount() {
    let api = Server::start(with_tokens(|request| match request.method.as_str() {
        "POST" => ok(r#"{"merchant_uid":"order-2","amount":1004}"#),
        "PUT" => ok(r#"{"merchant_uid":"order-1","amount":1}"#),
        _ => ok(r#"{"merchant_uid":"order-3","amount":1004}"#),
    }))
    .await;
    let client = client(api.url());
    let error = client.prepared("order-1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Body, "{error}");
    let error = client
        .update_prepared("order-1", Amount::from(1004))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Body, "{error}");
    // The POST's reply is foreign, and the read-back shows another order:
    // nothing proves the registration.
    let error = client
        .prepare("order-1", Amount::from(1004))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error}");
}

// --- 3. refunds claimed but not made ----------------------------------------

/// A payment of 1004 that a cancel endpoint answers "done" for without
/// changing: `reply` is what the cancel answers.
async fn lying_cancels(reply: &'static str) -> Server {
    Server::start(with_tokens(move |request| match request.path() {
        "/payments/cancel" => ok(reply),
        _ => ok(&payment("imp_1", "order-1", 1004, "")),
    }))
    .await
}

#[tokio::test]
async fn a_done_that_shows_no_refund_is_not_ok() {
    let unchanged = payment("imp_1", "order-1", 1004, "");
    let no_entry = payment("imp_1", "order-1", 1004, r#","cancel_amount":1004"#);
    let no_total = payment(
        "imp_1",
        "order-1",
        1004,
        r#","cancel_history":[{"amount":1004,"cancellation_id":"c1"}]"#,
    );
    let other = payment(
        "imp_other",
        "order-1",
        1004,
        r#","status":"cancelled","cancel_amount":1004,"cancel_history":[{"amount":1004}]"#,
    )
    .replace(r#""status":"paid","#, "");
    for reply in [unchanged, no_entry, no_total, other] {
        let api = lying_cancels(Box::leak(reply.into_boxed_str())).await;
        let error = client(api.url())
            .cancel(Cancel::full("imp_1"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::CancelOutcomeUnknown, "{error}");
        // The lookup showed nothing changed: sent once more, never a third time.
        assert_eq!(api.count("POST", "/payments/cancel"), 2);
    }
}

#[tokio::test]
async fn a_done_that_shows_no_refund_is_ok_once_a_lookup_shows_it() {
    // The reply is unusable, but the payment did change.
    let cancels = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&cancels);
    let refunded = payment(
        "imp_1",
        "order-1",
        1004,
        r#","cancel_amount":300,"cancel_history":[{"amount":300,"cancellation_id":"c1"}]"#,
    );
    let api = Server::start(with_tokens(move |request| match request.path() {
        "/payments/cancel" => {
            seen.fetch_add(1, Ordering::SeqCst);
            ok(&payment("imp_1", "order-1", 1004, ""))
        }
        _ if seen.load(Ordering::SeqCst) > 0 => ok(&refunded),
        _ => ok(&payment("imp_1", "order-1", 1004, "")),
    }))
    .await;
    let after = client(api.url())
        .cancel(Cancel::partial("imp_1", Amount::from(300)))
        .await
        .unwrap();
    assert_eq!(after.cancel_amount, Some(Amount::from(300)));
    assert_eq!(cancels.load(Ordering::SeqCst), 1);
}

// --- 4. token lifetimes ----------------------------------------------------

#[tokio::test]
async fn no_token_lifetime_panics_and_absurd_ones_are_refused_or_clamped() {
    let pairs: &[(&str, &str, bool)] = &[
        ("9223372036854775807", "0", true),
        ("9223372036854775807", "-9223372036854775808", false),
        ("-9223372036854775808", "9223372036854775807", false),
        ("1700000000", "1700000000", false),
        ("0", "1700000000", false),
        ("18446744073709551615", "0", false),
        ("1e30", "0", false),
        ("1700000001.5", "1700000000", false),
        ("\"1700001800\"", "1700000000", false),
        ("1700000001", "1700000000", true),
    ];
    for &(expired_at, now, usable) in pairs {
        let body = format!(r#"{{"access_token":"tok_1","expired_at":{expired_at},"now":{now}}}"#);
        let api = Server::start(move |request| match request.path() {
            "/users/getToken" => ok(&body),
            _ => ok(&payment("imp_1", "order-1", 1004, "")),
        })
        .await;
        let result = client(api.url()).payment("imp_1").await;
        match usable {
            true => assert!(result.is_ok(), "{expired_at} - {now}: {result:?}"),
            false => {
                let error = result.unwrap_err();
                assert_eq!(
                    (error.kind(), error.endpoint()),
                    (ErrorKind::Body, "POST /users/getToken"),
                    "{expired_at} - {now}: {error}"
                );
            }
        }
    }
}

// --- 5. echoed secrets -------------------------------------------------------

/// Where a server echoes what it was sent.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// The token endpoint's refusal message.
    TokenRefusal,
    /// A call's refusal message (`code != 0`).
    ApiMessage,
    /// A proxy's HTML error page.
    HtmlPage,
    /// A 200 whose body is not JSON.
    PlainBody,
    /// A payment object whose merchant_uid holds it (a verification finding).
    VerifyFinding,
}

#[derive(Clone, Copy, Debug)]
enum Echoed {
    Key,
    Secret,
    /// JSON-escaped, as a server quoting the request body would.
    SecretEscaped,
    /// Percent-encoded, as in a form or a URL.
    SecretEncoded,
    Token,
    PreviousToken,
}

/// One test per secret per place.
macro_rules! echo_tests {
    ($($name:ident: $place:ident, $echo:ident;)*) => {
        $(
            #[tokio::test]
            async fn $name() {
                check_echo(Place::$place, Echoed::$echo).await;
            }
        )*
    };
}

echo_tests! {
    key_in_token_refusal: TokenRefusal, Key;
    secret_in_token_refusal: TokenRefusal, Secret;
    secret_escaped_in_token_refusal: TokenRefusal, SecretEscaped;
    secret_encoded_in_token_refusal: TokenRefusal, SecretEncoded;
    token_in_token_refusal: TokenRefusal, Token;
    previous_token_in_token_refusal: TokenRefusal, PreviousToken;
    key_in_api_message: ApiMessage, Key;
    secret_in_api_message: ApiMessage, Secret;
    secret_escaped_in_api_message: ApiMessage, SecretEscaped;
    secret_encoded_in_api_message: ApiMessage, SecretEncoded;
    token_in_api_message: ApiMessage, Token;
    previous_token_in_api_message: ApiMessage, PreviousToken;
    key_in_html_page: HtmlPage, Key;
    secret_in_html_page: HtmlPage, Secret;
    secret_escaped_in_html_page: HtmlPage, SecretEscaped;
    secret_encoded_in_html_page: HtmlPage, SecretEncoded;
    token_in_html_page: HtmlPage, Token;
    previous_token_in_html_page: HtmlPage, PreviousToken;
    key_in_plain_body: PlainBody, Key;
    secret_in_plain_body: PlainBody, Secret;
    secret_escaped_in_plain_body: PlainBody, SecretEscaped;
    secret_encoded_in_plain_body: PlainBody, SecretEncoded;
    token_in_plain_body: PlainBody, Token;
    previous_token_in_plain_body: PlainBody, PreviousToken;
    key_in_verify_finding: VerifyFinding, Key;
    secret_in_verify_finding: VerifyFinding, Secret;
    secret_escaped_in_verify_finding: VerifyFinding, SecretEscaped;
    secret_encoded_in_verify_finding: VerifyFinding, SecretEncoded;
    token_in_verify_finding: VerifyFinding, Token;
    previous_token_in_verify_finding: VerifyFinding, PreviousToken;
}

async fn check_echo(place: Place, echo: Echoed) {
    // Tokens are issued in turn: the first call gets tok_A…, a refusal (401)
    // makes the client ask again and get tok_B…; the echo then names the
    // previous or the current one.
    let issued = Arc::new(Mutex::new(0usize));
    let refused_once = Arc::new(Mutex::new(false));
    let text = move |issued: usize| -> String {
        match echo {
            Echoed::Key => KEY.to_owned(),
            Echoed::Secret => SECRET.to_owned(),
            Echoed::SecretEscaped => serde_json::to_string(SECRET)
                .unwrap()
                .trim_matches('"')
                .to_owned(),
            Echoed::SecretEncoded => "imp_secret_Qx9%2FzT%2BwR2%22q".to_owned(),
            Echoed::Token => format!("tok_{issued}_f00dfeedcafe"),
            Echoed::PreviousToken => format!("tok_{}_f00dfeedcafe", issued.saturating_sub(1)),
        }
    };
    let needs_refresh = matches!(echo, Echoed::PreviousToken);
    let api = {
        let issued = Arc::clone(&issued);
        Server::start(move |request| {
            if request.path() == "/users/getToken" {
                let mut n = issued.lock().unwrap();
                // The token endpoint itself refuses, quoting the request's
                // credentials, only once a token was issued (so the token
                // places can be tested there too).
                if matches!(place, Place::TokenRefusal) && *n > usize::from(needs_refresh) {
                    let quoted = format!("invalid credentials {} for {}", text(*n), request.body_text());
                    return reply(401, "application/json", &serde_json::json!({"code": -1, "message": quoted, "response": null}).to_string());
                }
                *n += 1;
                return token(&format!("tok_{}_f00dfeedcafe", *n), 1800);
            }
            let n = *issued.lock().unwrap();
            let mut refused = refused_once.lock().unwrap();
            if needs_refresh && !*refused {
                *refused = true;
                return reply(401, "application/json", r#"{"code":-1,"message":"Unauthorized","response":null}"#);
            }
            let secret = text(n);
            let auth = request.header("authorization").unwrap_or("").to_owned();
            match place {
                // Refused token requests are forced below by expiring the
                // token: here, a refusal that triggers a new token request.
                Place::TokenRefusal => reply(401, "application/json", r#"{"code":-1,"message":"expired","response":null}"#),
                Place::ApiMessage => reply(
                    400,
                    "application/json",
                    &serde_json::json!({"code": 1, "message": format!("bad request from {secret} ({auth})"), "response": null}).to_string(),
                ),
                Place::HtmlPage => reply(502, "text/html", &format!("<html><pre>{auth}\n{secret}</pre></html>")),
                Place::PlainBody => reply(200, "text/plain", &format!("ok {secret}")),
                Place::VerifyFinding => {
                    let quoted = serde_json::to_string(&secret).unwrap();
                    ok(&payment("imp_1", quoted.trim_matches('"'), 1004, ""))
                }
            }
        })
        .await
    };
    let client = client(api.url());
    if matches!(echo, Echoed::Token | Echoed::PreviousToken) || matches!(place, Place::TokenRefusal)
    {
        // Make the client hold a token (and, for the previous one, a second).
        let _ = client.payment("imp_warm").await;
    }
    let error = match place {
        Place::VerifyFinding => client
            .confirm("imp_1", &Expected::new("order-1", Amount::from(1004)))
            .await
            .unwrap_err(),
        _ => client.payment("imp_1").await.unwrap_err(),
    };
    let secret = text(*issued.lock().unwrap());
    let shown = [
        error.to_string(),
        format!("{error:?}"),
        error.message().unwrap_or_default().to_owned(),
        error.body_excerpt().unwrap_or_default().to_owned(),
        error.verify().map(ToString::to_string).unwrap_or_default(),
    ];
    for text in &shown {
        for leaked in [KEY, SECRET, &secret, "f00dfeedcafe"] {
            assert!(
                !text.contains(leaked),
                "{place:?}/{echo:?}: {leaked} in {text}"
            );
        }
    }
    assert!(
        shown.iter().any(|text| text.contains("[redacted]")),
        "{place:?}/{echo:?}: nothing was echoed? {shown:?}"
    );
}

// --- 6. waiters behind a dead token endpoint -------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_waiters_behind_a_hanging_token_endpoint_wait_one_timeout() {
    let answering = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let api = {
        let answering = Arc::clone(&answering);
        Server::start(move |request| match request.path() {
            "/users/getToken" if !answering.load(Ordering::SeqCst) => {
                Reply::Hang(Duration::from_secs(20))
            }
            "/users/getToken" => token("tok_fresh", 1800),
            _ => ok(&payment("imp_1", "order-1", 1004, "")),
        })
        .await
    };
    let timeout = Duration::from_millis(500);
    // Without retries: the waiters share one token request and its timeout.
    let client = Client::builder(KEY, SECRET)
        .base_url(api.url())
        .timeout(timeout)
        .retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let waiters: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let result = client.payment("imp_1").await;
                (result.map(|_| ()), started.elapsed())
            })
        })
        .collect();
    let mut slowest = Duration::ZERO;
    for waiter in waiters {
        let (result, waited) = waiter.await.unwrap();
        let error = result.unwrap_err();
        assert_eq!(
            (error.kind(), error.endpoint()),
            (ErrorKind::Timeout, "POST /users/getToken")
        );
        slowest = slowest.max(waited);
    }
    // One timeout (plus scheduling), where waiting in turn would take 16.
    assert!(
        slowest < timeout * 3,
        "the slowest of 16 waited {slowest:?}"
    );
    assert_eq!(api.count("POST", "/users/getToken"), 1);
    // The next call tries again.
    answering.store(true, Ordering::SeqCst);
    client.payment("imp_1").await.unwrap();
    assert_eq!(api.count("POST", "/users/getToken"), 2);
}

// --- 7. 401 on calls that were carried out -----------------------------------

fn fake_client(fake: &FakeApi) -> Client {
    Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .build()
        .unwrap()
}

fn unauthorized() -> Fault {
    Fault::AppliedThenReply {
        status: 401,
        body: r#"{"code":-1,"message":"Unauthorized","response":null}"#.into(),
    }
}

#[tokio::test]
async fn a_cancel_applied_then_answered_401_is_reported_done_not_refused() {
    let fake = FakeApi::start().await.unwrap();
    let client = fake_client(&fake);
    let imp_uid = fake
        .create(NewPayment::paid("order-1", Amount::from(1004)))
        .unwrap();
    fake.fail_next(Route::Cancel, unauthorized());
    let after = client
        .cancel(Cancel::partial(&imp_uid, Amount::from(300)))
        .await
        .unwrap();
    assert_eq!(after.cancel_amount, Some(Amount::from(300)));
    assert_eq!(
        (fake.cancellations(&imp_uid), fake.requests(Route::Cancel)),
        (1, 1)
    );
    // The token was replaced for the lookup that resolved it.
    assert_eq!(fake.requests(Route::Token), 2);

    // A 401 before anything happened: the lookup shows nothing, sent once more.
    let second = fake
        .create(NewPayment::paid("order-2", Amount::from(1004)))
        .unwrap();
    fake.fail_next(
        Route::Cancel,
        Fault::Reply {
            status: 401,
            body: r#"{"code":-1,"message":"Unauthorized","response":null}"#.into(),
        },
    );
    let before = fake.requests(Route::Cancel);
    client.cancel(Cancel::full(&second)).await.unwrap();
    assert_eq!(fake.requests(Route::Cancel) - before, 2);
    assert_eq!(fake.cancellations(&second), 1);
}

#[tokio::test]
async fn a_revocation_and_a_registration_applied_then_answered_401_are_done() {
    let fake = FakeApi::start().await.unwrap();
    let client = fake_client(&fake);
    let vbank = fake
        .create(NewPayment::vbank_ready("order-1", Amount::from(1004)))
        .unwrap();
    fake.fail_next(Route::RevokeVbank, unauthorized());
    let revoked = client.revoke_vbank(&vbank).await.unwrap();
    assert_eq!(revoked.status, Status::Cancelled);
    assert_eq!(fake.requests(Route::RevokeVbank), 1);

    fake.fail_next(Route::Prepare, unauthorized());
    let prepared = client.prepare("order-2", Amount::from(5000)).await.unwrap();
    assert_eq!(prepared.amount, Amount::from(5000));
    assert_eq!(fake.requests(Route::Prepare), 1);

    // A lookup is still retried once after a 401, as before.
    fake.revoke_token();
    client.payment(&vbank).await.unwrap();
}

// --- ids -------------------------------------------------------------------

#[tokio::test]
async fn ids_with_control_characters_are_refused_before_sending() {
    let api = Server::start(with_tokens(|_| ok(&payment("imp_1", "order-1", 1004, "")))).await;
    let client = client(api.url());
    for id in ["imp_1\0", "imp\n1", "imp_1\u{7f}", "imp_1\u{85}"] {
        let error = client.payment(id).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{id:?}");
        let error = client.find(id, None).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{id:?}");
        let error = client.cancel(Cancel::full(id)).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{id:?}");
    }
    assert!(api.received().is_empty(), "{:?}", api.received());
}
