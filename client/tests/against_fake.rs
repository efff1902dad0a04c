//! The client over real HTTP on 127.0.0.1, against the fake V1 API.

use std::time::Duration;

use portone_pg_client::{
    Cancel, Client, Delivery, ErrorKind, ExternalReceipt, Party, PaymentQuery, Receipt,
    RefundAccount, Requester, Vbank,
};
use portone_pg_core::rest::{Expected, Settlement, VerifyError};
use portone_pg_core::{Amount, Currency, Status};
use portone_pg_fake::{FakeApi, Fault, NewPayment, Route};

fn client(fake: &FakeApi) -> Client {
    Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .build()
        .unwrap()
}

/// A card payment approved in the fake; its imp_uid.
fn paid(fake: &FakeApi, merchant_uid: &str, won: i64) -> String {
    fake.create(NewPayment::paid(merchant_uid, Amount::from(won)))
        .unwrap()
}

fn amount(text: &str) -> Amount {
    text.parse().unwrap()
}

/// The texts an error or a Debug must never contain.
fn assert_no_secret(text: &str, fake: &FakeApi) {
    assert!(!text.contains(fake.secret()), "secret in {text}");
    assert!(!text.contains("Bearer"), "token in {text}");
}

// --- retries -------------------------------------------------------------------

fn maintenance() -> Fault {
    Fault::Reply {
        status: 503,
        body: "<html>maintenance</html>".into(),
    }
}

#[tokio::test]
async fn a_lookup_is_retried_after_5xx_and_timeouts_and_only_so_often() {
    let fake = FakeApi::start().await.unwrap();
    let imp_uid = paid(&fake, "order-1", 1004);
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .timeout(Duration::from_millis(300))
        .retry_backoff(Duration::from_millis(10))
        .build()
        .unwrap();
    // Two failures, then the answer: the default two retries reach it.
    fake.fail_next(Route::Payment, maintenance());
    fake.fail_next(Route::Payment, Fault::Slow(Duration::from_millis(600)));
    assert_eq!(client.payment(&imp_uid).await.unwrap().imp_uid, imp_uid);
    assert_eq!(fake.requests(Route::Payment), 3);
    // Three failures: the third is the error, after three requests.
    for _ in 0..3 {
        fake.fail_next(Route::Payment, maintenance());
    }
    let error = client.payment(&imp_uid).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Status, Some(503))
    );
    assert_eq!(fake.requests(Route::Payment), 6);
    // A refusal (4xx) is an answer, not retried.
    let missing = client.payment("imp_none").await.unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert_eq!(fake.requests(Route::Payment), 7);
    // Off.
    let once = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .retries(0)
        .build()
        .unwrap();
    fake.fail_next(Route::Payment, maintenance());
    once.payment(&imp_uid).await.unwrap_err();
    assert_eq!(fake.requests(Route::Payment), 8);
}

#[tokio::test]
async fn a_call_that_changes_something_is_not_retried_blindly() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    // Registered by the first request, whose reply is a 503: the lookup
    // finds it, so the request is not sent again.
    fake.fail_next(
        Route::Prepare,
        Fault::AppliedThenReply {
            status: 503,
            body: "<html>maintenance</html>".into(),
        },
    );
    client.prepare("order-1", Amount::from(1004)).await.unwrap();
    assert_eq!(fake.requests(Route::Prepare), 1);
}

// --- tokens ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_on_a_fresh_client_make_one_token_request() {
    let fake = FakeApi::start().await.unwrap();
    let imp_uid = paid(&fake, "order-1", 1004);
    let client = client(&fake);
    let calls = (0..50).map(|_| {
        let client = client.clone();
        let imp_uid = imp_uid.clone();
        tokio::spawn(async move { client.payment(&imp_uid).await })
    });
    for call in calls.collect::<Vec<_>>() {
        assert_eq!(call.await.unwrap().unwrap().amount, Amount::from(1004));
    }
    assert_eq!(fake.requests(Route::Token), 1);
    assert_eq!(fake.requests(Route::Payment), 50);
    // And it is reused afterwards.
    for _ in 0..10 {
        client.payment(&imp_uid).await.unwrap();
    }
    assert_eq!(fake.requests(Route::Token), 1);
}

/// A fake whose clock is `skew` seconds off the local one, issuing
/// 2-second tokens; a paid payment; a client replacing tokens 0.5 s early.
async fn skewed(skew: i64) -> (FakeApi, String, Client) {
    let fake = FakeApi::builder()
        .token_lifetime(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    fake.shift_clock(skew);
    let imp_uid = paid(&fake, "order-1", 1004);
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .token_margin(Duration::from_millis(500))
        .build()
        .unwrap();
    (fake, imp_uid, client)
}

#[tokio::test]
async fn a_server_clock_hours_behind_does_not_make_every_call_refresh() {
    let (fake, imp_uid, client) = skewed(-3 * 3600).await;
    for _ in 0..10 {
        client.payment(&imp_uid).await.unwrap();
    }
    // A client timing the token by its own clock (expired_at - local now)
    // would see it expired three hours ago and ask ten times.
    assert_eq!(fake.requests(Route::Token), 1);
}

#[tokio::test]
async fn a_server_clock_hours_ahead_still_refreshes_before_expiry() {
    let (fake, imp_uid, client) = skewed(3 * 3600).await;
    client.payment(&imp_uid).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1700)).await;
    client.payment(&imp_uid).await.unwrap();
    // Refreshed before the server refused it: no 401 and no retry (a client
    // using its own clock would think the token lives three more hours).
    assert_eq!(fake.requests(Route::Token), 2);
    assert_eq!(fake.requests(Route::Payment), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_costs_one_refresh_and_one_retry_however_many_tasks_meet_it() {
    let fake = FakeApi::start().await.unwrap();
    let imp_uid = paid(&fake, "order-1", 1004);
    let client = client(&fake);
    client.payment(&imp_uid).await.unwrap();
    fake.revoke_token();
    client.payment(&imp_uid).await.unwrap();
    assert_eq!(fake.requests(Route::Token), 2);
    assert_eq!(fake.requests(Route::Payment), 3);

    fake.expire_token();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            let imp_uid = imp_uid.clone();
            tokio::spawn(async move { client.payment(&imp_uid).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(fake.requests(Route::Token), 3);
}

// --- errors ----------------------------------------------------------------

#[tokio::test]
async fn every_error_shape_keeps_status_code_and_message_and_no_secret() {
    let fake = FakeApi::start().await.unwrap();
    let imp_uid = paid(&fake, "order-1", 1004);
    // Without retries: each fault below is the answer.
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .timeout(Duration::from_millis(400))
        .retries(0)
        .build()
        .unwrap();

    // code != 0 with a 404.
    let error = client.payment("imp_000000000000").await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (ErrorKind::Api, Some(404), Some(-1))
    );
    assert!(error.message().is_some());
    assert_no_secret(&format!("{error} {error:?}"), &fake);

    // code != 0 with HTTP 200.
    fake.fail_next(
        Route::Payment,
        Fault::Reply {
            status: 200,
            body: r#"{"code":1,"message":"refused","response":null}"#.into(),
        },
    );
    let error = client.payment(&imp_uid).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.code(), error.message()),
        (ErrorKind::Api, Some(200), Some(1), Some("refused"))
    );

    // A proxy's error page.
    fake.fail_next(
        Route::Payment,
        Fault::Reply {
            status: 502,
            body: "<html>502 Bad Gateway</html>".into(),
        },
    );
    let error = client.payment(&imp_uid).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Status, Some(502))
    );
    assert_eq!(error.body_excerpt(), Some("<html>502 Bad Gateway</html>"));
    assert_eq!(error.code(), None);

    // 200 with something else than JSON, and JSON of the wrong shape.
    fake.fail_next(
        Route::Payment,
        Fault::Reply {
            status: 200,
            body: "OK".into(),
        },
    );
    let error = client.payment(&imp_uid).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.body_excerpt()),
        (ErrorKind::Body, Some("OK"))
    );
    fake.fail_next(
        Route::Payment,
        Fault::Reply {
            status: 200,
            body: r#"{"code":0,"message":null,"response":{"imp_uid":"x","merchant_uid":"o","amount":[1],"status":"paid","buyer_name":"홍길동"}}"#.into(),
        },
    );
    let error = client.payment(&imp_uid).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.body_excerpt()),
        (ErrorKind::Body, None)
    );
    assert!(error.to_string().contains("response.amount"), "{error}");
    assert!(!error.to_string().contains("홍길동"), "{error}");
    fake.fail_next(
        Route::Payment,
        Fault::Reply {
            status: 200,
            body: r#"{"code":0,"message":null,"response":null}"#.into(),
        },
    );
    assert_eq!(
        client.payment(&imp_uid).await.unwrap_err().kind(),
        ErrorKind::Body
    );

    // Too slow.
    fake.fail_next(Route::Payment, Fault::Slow(Duration::from_secs(2)));
    let error = client.payment(&imp_uid).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");

    // Nothing listening.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let nowhere = Client::builder("k", "s").base_url(url).build().unwrap();
    assert_eq!(
        nowhere.payment("imp_1").await.unwrap_err().kind(),
        ErrorKind::Connect
    );

    // Wrong credentials: the token endpoint's refusal.
    let wrong = Client::builder(fake.key(), "not-the-secret")
        .base_url(fake.url())
        .build()
        .unwrap();
    let error = wrong.payment(&imp_uid).await.unwrap_err();
    assert_eq!((error.kind(), error.status()), (ErrorKind::Api, Some(401)));
    assert_eq!(error.endpoint(), "POST /users/getToken");
    assert!(!format!("{error} {error:?} {wrong:?}").contains("not-the-secret"));

    // A token reply that is not JSON: no excerpt (it could hold the token).
    let fresh = client_for(&fake);
    fake.fail_next(
        Route::Token,
        Fault::Reply {
            status: 200,
            body: "access_token=abc".into(),
        },
    );
    let error = fresh.payment(&imp_uid).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.body_excerpt()),
        (ErrorKind::Body, None)
    );

    // Ids that would leave their path segment are refused before sending.
    let before = fake.requests(Route::Payments);
    assert_eq!(
        client.payment("").await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    assert_eq!(
        client.payment("..").await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    assert_eq!(fake.requests(Route::Payments), before);
    let error = client.payment("a/../../users/getToken").await.unwrap_err();
    assert_eq!((error.kind(), error.status()), (ErrorKind::Api, Some(404)));
}

fn client_for(fake: &FakeApi) -> Client {
    client(fake)
}

// --- confirm -----------------------------------------------------------------

#[tokio::test]
async fn confirm_verifies_the_rest_object_against_the_order() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let order = |uid: &str, won: i64| Expected::new(uid, Amount::from(won));

    let paid = paid(&fake, "order-1", 1004);
    let verified = client
        .confirm(&paid, &order("order-1", 1004))
        .await
        .unwrap();
    assert_eq!(verified.settlement(), Settlement::Paid);
    assert_eq!(verified.payment().imp_uid, paid);

    let vbank = fake
        .create(NewPayment::vbank_ready("order-2", Amount::from(50_000)))
        .unwrap();
    let verified = client
        .confirm(&vbank, &order("order-2", 50_000))
        .await
        .unwrap();
    assert_eq!(verified.settlement(), Settlement::AwaitingDeposit);
    fake.deposit(&vbank).await.unwrap();
    let verified = client
        .confirm(&vbank, &order("order-2", 50_000))
        .await
        .unwrap();
    assert_eq!(verified.settlement(), Settlement::Paid);

    let tampered = client
        .confirm(&paid, &order("order-1", 100_000))
        .await
        .unwrap_err();
    assert_eq!(tampered.kind(), ErrorKind::Verify);
    assert!(matches!(
        tampered.verify(),
        Some(VerifyError::Amount { .. })
    ));

    let other_order = client
        .confirm(&paid, &order("order-9", 1004))
        .await
        .unwrap_err();
    assert!(matches!(
        other_order.verify(),
        Some(VerifyError::MerchantUid { .. })
    ));

    let failed = fake
        .create(NewPayment::failed("order-3", Amount::from(1004)))
        .unwrap();
    let error = client
        .confirm(&failed, &order("order-3", 1004))
        .await
        .unwrap_err();
    assert!(matches!(
        error.verify(),
        Some(VerifyError::Status {
            found: Status::Failed
        })
    ));

    client.cancel(Cancel::full(&paid)).await.unwrap();
    let error = client
        .confirm(&paid, &order("order-1", 1004))
        .await
        .unwrap_err();
    assert!(
        matches!(error.verify(), Some(VerifyError::Cancelled { .. })),
        "{error}"
    );

    // A test-channel payment is found, and refused unless allowed.
    let sandbox = fake
        .create(NewPayment::paid("order-4", Amount::from(1004)).sandbox())
        .unwrap();
    assert_eq!(
        client.payment(&sandbox).await.unwrap_err().status(),
        Some(404)
    );
    let error = client
        .confirm(&sandbox, &order("order-4", 1004))
        .await
        .unwrap_err();
    assert_eq!(error.verify(), Some(&VerifyError::Sandbox));
    let allowed = order("order-4", 1004).allow_sandbox();
    assert!(client.confirm(&sandbox, &allowed).await.is_ok());

    let usd = fake
        .create(NewPayment::paid("order-5", amount("10.50")).currency("USD"))
        .unwrap();
    let in_krw = client
        .confirm(&usd, &Expected::new("order-5", amount("10.5")))
        .await;
    assert!(matches!(
        in_krw.unwrap_err().verify(),
        Some(VerifyError::Currency { .. })
    ));
    let in_usd = Expected::new("order-5", amount("10.5")).currency(Currency::Usd);
    assert_eq!(
        client
            .confirm(&usd, &in_usd)
            .await
            .unwrap()
            .payment()
            .amount
            .to_string(),
        "10.50"
    );
}

// --- prepare -----------------------------------------------------------------

#[tokio::test]
async fn prepare_registers_exact_amounts_and_blocks_a_window_for_another() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let prepared = client.prepare("order-1", Amount::from(1004)).await.unwrap();
    assert_eq!(
        (prepared.merchant_uid.as_str(), prepared.amount),
        ("order-1", Amount::from(1004))
    );
    assert_eq!(
        client.prepared("order-1").await.unwrap().amount,
        Amount::from(1004)
    );

    // The window is refused for another amount, opened for the prepared one.
    assert!(
        fake.create(NewPayment::paid("order-1", Amount::from(4)))
            .is_err()
    );
    assert!(
        fake.create(NewPayment::paid("order-1", Amount::from(1004)))
            .is_ok()
    );

    // Exact digits both ways, no f64 on the wire.
    let exact = amount("0.1234567890123456789");
    let prepared = client
        .prepare_in("order-2", exact, &Currency::Usd)
        .await
        .unwrap();
    assert_eq!(prepared.amount.to_string(), "0.1234567890123456789");
    assert_eq!(prepared.currency, Some(Currency::Usd));
    assert!(
        fake.create(NewPayment::paid("order-2", exact)).is_err(),
        "prepared in USD"
    );

    let updated = client
        .update_prepared("order-1", Amount::from(2000))
        .await
        .unwrap();
    assert_eq!(updated.amount, Amount::from(2000));
    let missing = client
        .update_prepared("order-none", Amount::from(1))
        .await
        .unwrap_err();
    assert_eq!(
        (missing.kind(), missing.status()),
        (ErrorKind::Api, Some(404))
    );
    let twice = client
        .prepare("order-1", Amount::from(1))
        .await
        .unwrap_err();
    assert_eq!(twice.code(), Some(1));
}

// --- cancel ------------------------------------------------------------------

#[tokio::test]
async fn partial_and_full_cancels_send_the_balance_of_each_moment_as_checksum() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let imp_uid = paid(&fake, "order-1", 1004);

    let after = client
        .cancel(
            Cancel::partial(&imp_uid, Amount::from(300))
                .reason("one item returned")
                .tax_free(Amount::from(0))
                .vat_amount(Amount::from(27))
                .requester(Requester::Customer),
        )
        .await
        .unwrap();
    assert_eq!(
        (after.status.clone(), after.cancel_amount),
        (Status::Paid, Some(Amount::from(300)))
    );
    let after = client
        .cancel(Cancel::partial(&imp_uid, amount("200.0")))
        .await
        .unwrap();
    assert_eq!(after.cancellable_amount(), Some(Amount::from(504)));
    let after = client
        .cancel(Cancel::full(&imp_uid).reason("closing"))
        .await
        .unwrap();
    assert_eq!(after.status, Status::Cancelled);
    assert_eq!(after.cancel_history.as_ref().map(Vec::len), Some(3));

    let sent = fake.cancel_requests();
    let checksums: Vec<_> = sent.iter().map(|c| c.checksum).collect();
    let expected = [1004, 704, 504].map(|won| Some(Amount::from(won)));
    assert_eq!(checksums, expected);
    assert_eq!(sent[0].amount, Some(Amount::from(300)));
    assert_eq!(sent[0].reason.as_deref(), Some("one item returned"));
    assert_eq!(sent[0].vat_amount, Some(Amount::from(27)));
    assert_eq!(sent[0].requester.as_deref(), Some("customer"));
    assert_eq!(sent[2].amount, None);

    // Nothing left: PortOne refuses, with its code and message.
    let error = client.cancel(Cancel::full(&imp_uid)).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (ErrorKind::Api, Some(200), Some(1))
    );
    assert_eq!(fake.cancellations(&imp_uid), 3);
}

#[tokio::test]
async fn a_stale_checksum_refunds_nothing() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let imp_uid = paid(&fake, "order-1", 1004);
    client
        .cancel(Cancel::partial(&imp_uid, Amount::from(300)))
        .await
        .unwrap();
    // The merchant's books still say 1004 are refundable.
    let stale = Cancel::partial(&imp_uid, Amount::from(300)).checksum(Amount::from(1004));
    let error = client.cancel(stale).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(fake.cancel_amount(&imp_uid), Some(Amount::from(300)));
}

#[tokio::test]
async fn a_cancel_whose_reply_is_lost_is_resolved_by_lookup_and_refunded_once() {
    let fake = FakeApi::start().await.unwrap();
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();

    // Applied, then the reply never arrives in time.
    let lost = paid(&fake, "order-1", 1004);
    fake.fail_next(
        Route::Cancel,
        Fault::AppliedThenLost(Duration::from_secs(3)),
    );
    let after = client
        .cancel(Cancel::partial(&lost, Amount::from(300)))
        .await
        .unwrap();
    assert_eq!(after.cancel_amount, Some(Amount::from(300)));
    assert_eq!(
        (fake.cancellations(&lost), fake.cancel_requests().len()),
        (1, 1)
    );

    // Applied, then a 502 from a proxy.
    let proxied = paid(&fake, "order-2", 1004);
    fake.fail_next(
        Route::Cancel,
        Fault::AppliedThenReply {
            status: 502,
            body: "Bad Gateway".into(),
        },
    );
    let after = client.cancel(Cancel::full(&proxied)).await.unwrap();
    assert_eq!(after.status, Status::Cancelled);
    assert_eq!(fake.cancellations(&proxied), 1);

    // Not applied (a 503 before anything happened): sent once more, with the
    // same checksum, and applied once.
    let unavailable = paid(&fake, "order-3", 1004);
    fake.fail_next(
        Route::Cancel,
        Fault::Reply {
            status: 503,
            body: "busy".into(),
        },
    );
    let before = fake.requests(Route::Cancel);
    let after = client
        .cancel(Cancel::partial(&unavailable, Amount::from(4)))
        .await
        .unwrap();
    assert_eq!(after.cancel_amount, Some(Amount::from(4)));
    assert_eq!(fake.requests(Route::Cancel) - before, 2);
    // The resend carried the checksum read before the first send.
    let resent = fake.cancel_requests().pop().unwrap();
    assert_eq!(resent.checksum, Some(Amount::from(1004)));
    assert_eq!(fake.cancellations(&unavailable), 1);

    // Not applied twice: the caller is told the outcome is unknown, after two
    // sends, never a third.
    let down = paid(&fake, "order-4", 1004);
    for _ in 0..2 {
        fake.fail_next(
            Route::Cancel,
            Fault::Reply {
                status: 503,
                body: "busy".into(),
            },
        );
    }
    let error = client.cancel(Cancel::full(&down)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::CancelOutcomeUnknown);
    assert_eq!(fake.cancellations(&down), 0);
    assert_eq!(fake.requests(Route::Cancel), 1 + 1 + 2 + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_full_cancels_refund_once() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let imp_uid = paid(&fake, "order-1", 1004);
    // Both read the balance before either sends.
    fake.fail_next(Route::Cancel, Fault::Slow(Duration::from_millis(200)));
    let tasks: Vec<_> = (0..2)
        .map(|_| {
            let client = client.clone();
            let imp_uid = imp_uid.clone();
            tokio::spawn(async move { client.cancel(Cancel::full(imp_uid)).await })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    let refused: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!((results.len() - refused.len(), refused.len()), (1, 1));
    assert_eq!(refused[0].kind(), ErrorKind::Api);
    assert_eq!(fake.cancellations(&imp_uid), 1);
    assert_eq!(fake.cancel_amount(&imp_uid), Some(Amount::from(1004)));
}

#[tokio::test]
async fn virtual_account_refunds_carry_the_account_and_keep_it_out_of_debug() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let imp_uid = fake
        .create(NewPayment::vbank_ready("order-1", Amount::from(5000)))
        .unwrap();
    fake.deposit(&imp_uid).await.unwrap();
    let without = client.cancel(Cancel::full(&imp_uid)).await.unwrap_err();
    assert_eq!(without.code(), Some(1));
    let cancel = Cancel::full(&imp_uid)
        .refund_to(RefundAccount::new("홍길동", "004", "12345678901234").tel("01012345678"));
    assert!(!format!("{cancel:?}").contains("12345678901234"));
    assert!(!format!("{cancel:?}").contains("홍길동"));
    client.cancel(cancel).await.unwrap();
    let sent = fake.cancel_requests().pop().unwrap();
    assert_eq!(sent.refund_account.as_deref(), Some("12345678901234"));
    assert_eq!(sent.refund_holder.as_deref(), Some("홍길동"));
    assert_eq!(sent.refund_tel.as_deref(), Some("01012345678"));
}

// --- lookups -----------------------------------------------------------------

#[tokio::test]
async fn find_lookups_revoke_and_certifications() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let failed = fake
        .create(NewPayment::failed("order-1", Amount::from(1004)))
        .unwrap();
    let paid = paid(&fake, "order-1", 1004);
    assert_eq!(
        client
            .find("order-1", Some(&Status::Paid))
            .await
            .unwrap()
            .imp_uid,
        paid
    );
    assert_eq!(
        client
            .find("order-1", Some(&Status::Failed))
            .await
            .unwrap()
            .imp_uid,
        failed
    );
    let all = client.find_all("order-1", None).await.unwrap();
    let mut ids: Vec<_> = all.iter().map(|p| p.imp_uid.clone()).collect();
    ids.sort();
    assert_eq!(ids, [failed.clone(), paid.clone()]);
    assert_eq!(
        client.find("order-x", None).await.unwrap_err().status(),
        Some(404)
    );

    let found = client
        .payments(&[&paid, "imp_missing", &failed])
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    let too_many: Vec<&str> = vec!["imp_1"; 101];
    assert_eq!(
        client.payments(&too_many).await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );

    let vbank = fake
        .create(NewPayment::vbank_ready("order-2", Amount::from(9000)))
        .unwrap();
    let revoked = client.revoke_vbank(&vbank).await.unwrap();
    assert_eq!(revoked.status, Status::Cancelled);
    assert_eq!(
        client.revoke_vbank(&paid).await.unwrap_err().kind(),
        ErrorKind::Api
    );

    let certified = fake.certify("cert-1", "홍길동", "01012345678");
    let certification = client.certification(&certified).await.unwrap();
    assert_eq!(certification.pg_provider, "danal");
    assert!(certification.certified.is_some_and(|f| f.get()));
    assert!(!format!("{certification:?}").contains("01012345678"));
    assert!(!format!("{certification:?}").contains("홍길동"));
    // Deleted, the reply lost: the read after it shows it gone, done once.
    fake.fail_next(
        Route::Certification,
        Fault::AppliedThenReply {
            status: 502,
            body: "<html>Bad Gateway</html>".into(),
        },
    );
    let deleted = client.delete_certification(&certified).await.unwrap();
    assert_eq!(deleted.imp_uid, certified);
    let gone = client.certification(&certified).await.unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
    let twice = client.delete_certification(&certified).await.unwrap_err();
    assert_eq!(twice.status(), Some(404), "{twice}");
}

#[test]
fn the_client_is_shared_across_tasks() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Client>();
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    error::<portone_pg_client::Error>();
}

#[tokio::test]
async fn the_token_never_appears_in_debug_or_errors() {
    let fake = FakeApi::start().await.unwrap();
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .retries(0)
        .build()
        .unwrap();
    let imp_uid = paid(&fake, "order-1", 1004);
    client.payment(&imp_uid).await.unwrap();
    // Before expiry PortOne (and the fake) hand out the same token again:
    // this is the client's token.
    let reply = reqwest::Client::new()
        .post(format!("{}/users/getToken", fake.url()))
        .header("content-type", "application/json")
        .body(r#"{"imp_key":"imp_key","imp_secret":"imp_secret"}"#)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    let token = body["response"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut texts = vec![format!("{client:?}")];
    fake.fail_next(
        Route::Payment,
        Fault::Reply {
            status: 500,
            body: "oops".into(),
        },
    );
    let errors = [
        client.payment(&imp_uid).await.unwrap_err(),
        client.payment("imp_none").await.unwrap_err(),
        client.cancel(Cancel::full("imp_none")).await.unwrap_err(),
        client
            .confirm(&imp_uid, &Expected::new("order-1", Amount::from(1)))
            .await
            .unwrap_err(),
    ];
    for error in &errors {
        texts.push(format!("{error} {error:?}"));
    }
    for text in texts {
        assert!(!text.contains(&token), "token in {text}");
        assert_no_secret(&text, &fake);
    }
}

// --- lists -------------------------------------------------------------------

#[tokio::test]
async fn payments_are_listed_by_status_a_page_at_a_time_and_codes_in_full() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    for i in 0..5 {
        paid(&fake, &format!("order-{i}"), 1000 + i);
    }
    fake.create(NewPayment::failed("order-x", Amount::from(10)))
        .unwrap();
    let query = PaymentQuery::status(Status::Paid).limit(2);
    let first = client.payments_by_status(&query).await.unwrap();
    assert_eq!((first.total.get(), first.next.get()), (5, 2));
    assert_eq!(first.list.as_ref().map(Vec::len), Some(2));
    let last = client
        .payments_by_status(&query.clone().page(3))
        .await
        .unwrap();
    assert_eq!(
        (last.list.as_ref().map(Vec::len), last.next.get()),
        (Some(1), 0)
    );
    let all = client
        .payments_by_status(&PaymentQuery::all().limit(100))
        .await
        .unwrap();
    assert_eq!(all.total.get(), 6);
    // A page holding a payment of another status is not believed.
    fake.fail_next(
        Route::PaymentsByStatus,
        Fault::Reply {
            status: 200,
            body: serde_json::json!({"code": 0, "message": null, "response": {
                "total": 1, "previous": 0, "next": 0,
                "list": [{"imp_uid": "imp_1", "merchant_uid": "o", "amount": 1, "status": "failed"}]
            }})
            .to_string(),
        },
    );
    let foreign = client.payments_by_status(&query).await.unwrap_err();
    assert_eq!(foreign.kind(), ErrorKind::Body);

    let banks = client.banks().await.unwrap();
    assert!(banks.iter().any(|b| b.code == "004"));
    let cards = client.cards().await.unwrap();
    assert!(cards.iter().any(|c| c.code == "366"));
    assert_eq!(client.bank("004").await.unwrap().name, "KB국민은행");
    assert_eq!(client.card("366").await.unwrap().name, "신한카드");
    let none = client.bank("999").await.unwrap_err();
    assert_eq!(none.status(), Some(404), "{none}");
}

// --- virtual accounts issued by API ---------------------------------------------

#[tokio::test]
async fn a_virtual_account_is_issued_changed_paid_and_not_issued_twice() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let due = fake_now(&client, &fake).await + 3 * 86_400;
    let account = client
        .issue_vbank(Vbank::new("order-1", Amount::from(25_000), "088", due).holder("상점"))
        .await
        .unwrap();
    assert_eq!(
        (account.status.clone(), account.amount),
        (Status::Ready, Amount::from(25_000))
    );
    assert_eq!(account.vbank_code.as_deref(), Some("088"));
    assert_eq!(account.vbank_holder.as_deref(), Some("상점"));
    assert!(!format!("{account:?}").contains(account.vbank_num.as_deref().unwrap()));

    let changed = client
        .change_vbank(
            &account.imp_uid,
            Some(Amount::from(20_000)),
            Some(due + 86_400),
        )
        .await
        .unwrap();
    assert_eq!(changed.amount, Amount::from(20_000));
    assert_eq!(
        changed.vbank_date.and_then(|d| d.unix_seconds()),
        Some(due + 86_400)
    );
    let nothing = client
        .change_vbank(&account.imp_uid, None, None)
        .await
        .unwrap_err();
    assert_eq!(nothing.kind(), ErrorKind::InvalidRequest);

    // Issued, but the reply lost: found by lookup, not issued again.
    fake.fail_next(
        Route::IssueVbank,
        Fault::AppliedThenReply {
            status: 502,
            body: "<html>Bad Gateway</html>".into(),
        },
    );
    let second = client
        .issue_vbank(Vbank::new("order-2", Amount::from(9_000), "004", due))
        .await
        .unwrap();
    assert_eq!(second.merchant_uid, "order-2");
    assert_eq!(fake.requests(Route::IssueVbank), 2);
    assert_eq!(
        client
            .find_all("order-2", Some(&Status::Ready))
            .await
            .unwrap()
            .len(),
        1
    );
    // An unknown bank is refused before anything is issued.
    let refused = client
        .issue_vbank(Vbank::new("order-3", Amount::from(9_000), "999", due))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Api);
}

/// The fake's clock, read from a payment it stamps.
async fn fake_now(client: &Client, fake: &FakeApi) -> i64 {
    let imp_uid = paid(fake, "clock", 1);
    let payment = client.payment(&imp_uid).await.unwrap();
    payment.started_at.and_then(|t| t.unix_seconds()).unwrap()
}

// --- escrow deliveries and cash receipts ------------------------------------------

#[tokio::test]
async fn an_escrow_delivery_is_registered_once_read_and_changed() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let imp_uid = fake
        .create(NewPayment::paid("order-1", Amount::from(30_000)).escrow())
        .unwrap();
    let delivery = Delivery::new("CJGLS", "646712345678", 1_764_900_000)
        .sender(Party::new(
            "포트원 상점",
            "02-1234-5678",
            "서울시 강남구",
            "06236",
        ))
        .receiver(Party::new(
            "홍길동",
            "010-1234-5678",
            "서울시 성동구",
            "04799",
        ));
    assert!(!format!("{delivery:?}").contains("홍길동"));
    // Registered, the reply lost: read back, not registered twice.
    fake.fail_next(
        Route::Escrow,
        Fault::AppliedThenReply {
            status: 502,
            body: "<html>Bad Gateway</html>".into(),
        },
    );
    let registered = client
        .register_escrow_delivery(&imp_uid, &delivery)
        .await
        .unwrap();
    assert_eq!(registered.invoice, "646712345678");
    assert_eq!(client.escrow_delivery(&imp_uid).await.unwrap(), registered);
    let changed = client
        .update_escrow_delivery(
            &imp_uid,
            &Delivery::new("HANJIN", "500012345678", 1_764_900_000),
        )
        .await
        .unwrap();
    assert_eq!(
        (changed.company.as_str(), changed.invoice.as_str()),
        ("HANJIN", "500012345678")
    );
    // Not an escrow payment: refused.
    let plain = paid(&fake, "order-2", 1000);
    let refused = client
        .register_escrow_delivery(&plain, &delivery)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Api);
}

#[tokio::test]
async fn a_cash_receipt_is_issued_read_and_revoked_and_its_identifier_kept_out_of_sight() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let imp_uid = fake
        .create(NewPayment::paid("order-1", Amount::from(12_000)).pay_method("trans"))
        .unwrap();
    let receipt = Receipt::person("010-9876-5432");
    assert!(!format!("{receipt:?}").contains("9876"));
    let issued = client.issue_cash_receipt(&imp_uid, &receipt).await.unwrap();
    assert_eq!(
        (issued.amount, issued.receipt_type()),
        (Amount::from(12_000), Some("person"))
    );
    assert_eq!(client.cash_receipt(&imp_uid).await.unwrap(), issued);
    let again = client
        .issue_cash_receipt(&imp_uid, &receipt)
        .await
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Api);
    // Revoked, the reply lost: read back, done.
    fake.fail_next(
        Route::Receipt,
        Fault::AppliedThenReply {
            status: 500,
            body: "oops".into(),
        },
    );
    let revoked = client.revoke_cash_receipt(&imp_uid).await.unwrap();
    assert!(revoked.cancelled_at.is_some_and(|at| !at.is_unset()));
    // A card payment has no cash receipt; the identifier stays out of the error.
    let card = paid(&fake, "order-2", 1000);
    fake.fail_next(
        Route::Receipt,
        Fault::Reply {
            status: 400,
            body: "<html>bad identifier 010-9876-5432</html>".into(),
        },
    );
    let error = client
        .issue_cash_receipt(&card, &receipt)
        .await
        .unwrap_err();
    assert!(!error.to_string().contains("9876") && !format!("{error:?}").contains("9876"));
}

#[tokio::test]
async fn an_external_sales_receipt_is_issued_once_read_and_revoked_keeping_the_buyer_out_of_sight()
{
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let receipt = ExternalReceipt::new(
        "channel-key-1",
        "Counter sale",
        amount("33000"),
        Receipt::person("010-9876-5432"),
    )
    .buyer("홍길동", Some("buyer@example.com"), Some("010-9876-5432"));
    let shown = format!("{receipt:?}");
    assert!(
        !shown.contains("9876") && !shown.contains("홍길동"),
        "{shown}"
    );
    // Issued, the reply lost: read back, not sent again.
    fake.fail_next(
        Route::Receipt,
        Fault::AppliedThenReply {
            status: 502,
            body: "<html>Bad Gateway</html>".into(),
        },
    );
    let issued = client
        .issue_external_receipt("sale-1", &receipt)
        .await
        .unwrap();
    assert_eq!(
        (
            issued.merchant_uid.as_str(),
            issued.amount,
            issued.vat,
            issued.receipt_type()
        ),
        (
            "sale-1",
            amount("33000"),
            Some(amount("3000")),
            Some("person")
        )
    );
    assert_eq!(fake.requests(Route::Receipt), 2, "one POST, one read back");
    assert_eq!(client.external_receipt("sale-1").await.unwrap(), issued);
    let twice = client
        .issue_external_receipt("sale-1", &receipt)
        .await
        .unwrap_err();
    assert_eq!(twice.kind(), ErrorKind::Api, "{twice}");
    let revoked = client.revoke_external_receipt("sale-1").await.unwrap();
    assert!(revoked.is_revoked());
    // Not a payment's receipt: the two kinds are kept apart.
    let missing = client.cash_receipt("sale-1").await.unwrap_err();
    assert_eq!(missing.status(), Some(404));
    // A refusal echoing the buyer keeps them out of the error.
    fake.fail_next(
        Route::Receipt,
        Fault::Reply {
            status: 400,
            body: "<html>refused 홍길동 buyer@example.com</html>".into(),
        },
    );
    let error = client
        .issue_external_receipt("sale-2", &receipt)
        .await
        .unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(
        !text.contains("홍길동") && !text.contains("buyer@example.com"),
        "{text}"
    );
}

#[tokio::test]
async fn a_payco_payments_balance_follows_its_refunds() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let imp_uid = fake
        .create(NewPayment::paid("order-1", amount("11000")).pg_provider("payco"))
        .unwrap();
    let balance = client.payment_balance(&imp_uid).await.unwrap();
    assert_eq!(balance.amount, amount("11000"));
    assert_eq!(
        (balance.primary.supply, balance.primary.vat),
        (amount("10000"), amount("1000"))
    );
    client
        .cancel(Cancel::partial(&imp_uid, amount("5500")).checksum(amount("11000")))
        .await
        .unwrap();
    let balance = client.payment_balance(&imp_uid).await.unwrap();
    assert_eq!(
        (balance.primary.supply, balance.primary.vat),
        (amount("5000"), amount("500"))
    );
    assert_eq!(balance.histories.as_ref().map(Vec::len), Some(2));
    // Other PGs' payments have none.
    let card = paid(&fake, "order-2", 1000);
    let error = client.payment_balance(&card).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api, "{error}");
}

#[tokio::test]
async fn an_accounts_holder_is_looked_up_and_the_number_kept_out_of_errors() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    fake.add_account("004", "12345678901234", "홍길동");
    let holder = client
        .account_holder("004", "12345678901234")
        .await
        .unwrap();
    assert_eq!(holder.bank_holder.as_deref(), Some("홍길동"));
    assert!(!format!("{holder:?}").contains("홍길동"));
    let unknown = client
        .account_holder("004", "99999999999999")
        .await
        .unwrap_err();
    assert_eq!(unknown.status(), Some(404), "{unknown}");
    fake.fail_next(
        Route::AccountHolder,
        Fault::Reply {
            status: 400,
            body: "<html>no account 12345678901234</html>".into(),
        },
    );
    let error = client
        .account_holder("004", "12345678901234")
        .await
        .unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(!text.contains("12345678901234"), "{text}");
}
