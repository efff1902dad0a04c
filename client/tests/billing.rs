//! Billing keys, charges of stored cards and scheduled payments, over real
//! HTTP on 127.0.0.1 against the fake V1 API.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use portone_pg_client::{Again, BillingKey, Client, ErrorKind, Onetime, Schedule};
use portone_pg_core::{Amount, Status};
use portone_pg_fake::{FakeApi, Fault, Route, WebhookFormat};

const CARD: &str = "4092-0230-1234-5678";
const EXPIRY: &str = "2029-12";
const BIRTH: &str = "880101";

fn client(fake: &FakeApi) -> Client {
    Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

fn card() -> BillingKey {
    BillingKey::card(CARD, EXPIRY, BIRTH).password_2digits("12")
}

fn now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// The card's details in any form a server might echo them.
fn assert_no_card(text: &str) {
    for secret in [CARD, "4092023012345678", EXPIRY, "202912", BIRTH] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// How many payments of the order are paid, in the fake.
async fn paid_count(client: &Client, merchant_uid: &str) -> usize {
    match client.find_all(merchant_uid, Some(&Status::Paid)).await {
        Ok(payments) => payments.len(),
        Err(error) if error.status() == Some(404) => 0,
        Err(error) => panic!("{error}"),
    }
}

#[tokio::test]
async fn a_stored_card_is_issued_read_charged_and_deleted() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let key = client.issue_billing_key("cust_1", card()).await.unwrap();
    assert_eq!(key.customer_uid.as_deref(), Some("cust_1"));
    assert_eq!(key.card_number.as_deref(), Some("409202******5678"));
    assert!(
        !format!("{key:?}").contains("cust_1"),
        "customer_uid is redacted"
    );

    let read = client.billing_key("cust_1").await.unwrap();
    assert_eq!(read, key);
    // Several at once: those found (HTTP 207 when some are missing).
    let some = client.billing_keys(&["cust_1", "cust_none"]).await.unwrap();
    assert_eq!(some.len(), 1);

    let paid = client
        .again(Again::new(
            "cust_1",
            "order-2",
            Amount::from(9900),
            "Monthly plan",
        ))
        .await
        .unwrap();
    assert_eq!(
        (paid.status.clone(), paid.amount),
        (Status::Paid, Amount::from(9900))
    );
    assert_eq!(paid.customer_uid.as_deref(), Some("cust_1"));
    // One payment per merchant_uid: a second charge of the order is refused.
    let again = client
        .again(Again::new(
            "cust_1",
            "order-2",
            Amount::from(9900),
            "Monthly plan",
        ))
        .await
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Api, "{again}");
    assert_eq!(paid_count(&client, "order-2").await, 1);

    client.delete_billing_key("cust_1").await.unwrap();
    let gone = client.billing_key("cust_1").await.unwrap_err();
    assert_eq!((gone.kind(), gone.status()), (ErrorKind::Api, Some(404)));
    let charge = client
        .again(Again::new(
            "cust_1",
            "order-3",
            Amount::from(9900),
            "Monthly plan",
        ))
        .await
        .unwrap_err();
    assert_eq!(charge.kind(), ErrorKind::Api);
}

#[tokio::test]
async fn a_declined_charge_is_an_error_naming_the_failed_payment() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    client.issue_billing_key("cust_1", card()).await.unwrap();
    fake.decline_charges("cust_1", Some("[FAKE] 잔액부족"));
    let declined = client
        .again(Again::new("cust_1", "order-1", Amount::from(5000), "Plan"))
        .await
        .unwrap_err();
    assert_eq!(declined.kind(), ErrorKind::ChargeDeclined);
    assert!(declined.to_string().contains("잔액부족"), "{declined}");
    let failed = declined.payment().expect("the declined payment");
    assert_eq!(
        (failed.merchant_uid.as_str(), &failed.status),
        ("order-1", &Status::Failed)
    );
    assert_eq!(failed.fail_reason.as_deref(), Some("[FAKE] 잔액부족"));
    assert!(!format!("{declined:?}").contains("cust_1"), "{declined:?}");
    // The declined attempt does not hold the order: a later charge pays it.
    fake.decline_charges("cust_1", None);
    let paid = client
        .again(Again::new("cust_1", "order-1", Amount::from(5000), "Plan"))
        .await
        .unwrap();
    assert_eq!(paid.status, Status::Paid);
}

#[tokio::test]
async fn a_charge_whose_reply_is_lost_is_found_by_lookup_and_not_resent() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    client.issue_billing_key("cust_1", card()).await.unwrap();
    for (merchant_uid, fault) in [
        (
            "order-502",
            Fault::AppliedThenReply {
                status: 502,
                body: "<html>Bad Gateway</html>".into(),
            },
        ),
        ("order-lost", Fault::AppliedThenLost(Duration::from_secs(4))),
    ] {
        fake.fail_next(Route::Again, fault);
        let before = fake.requests(Route::Again);
        let paid = client
            .again(Again::new(
                "cust_1",
                merchant_uid,
                Amount::from(9900),
                "Plan",
            ))
            .await
            .unwrap();
        assert_eq!(
            (paid.merchant_uid.as_str(), paid.status.clone()),
            (merchant_uid, Status::Paid)
        );
        assert_eq!(
            fake.requests(Route::Again) - before,
            1,
            "{merchant_uid}: resent"
        );
        assert_eq!(paid_count(&client, merchant_uid).await, 1);
    }
}

#[tokio::test]
async fn a_charge_that_never_happened_is_sent_once_more_and_charges_once() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    client.issue_billing_key("cust_1", card()).await.unwrap();
    fake.fail_next(
        Route::Again,
        Fault::Reply {
            status: 503,
            body: "<html>maintenance</html>".into(),
        },
    );
    let paid = client
        .again(Again::new("cust_1", "order-1", Amount::from(9900), "Plan"))
        .await
        .unwrap();
    assert_eq!(paid.status, Status::Paid);
    assert_eq!(fake.requests(Route::Again), 2);
    assert_eq!(paid_count(&client, "order-1").await, 1);

    // Twice unanswered: never a third send, an unknown outcome instead.
    for _ in 0..2 {
        fake.fail_next(
            Route::Again,
            Fault::Reply {
                status: 503,
                body: "<html>maintenance</html>".into(),
            },
        );
    }
    let before = fake.requests(Route::Again);
    let unknown = client
        .again(Again::new("cust_1", "order-2", Amount::from(9900), "Plan"))
        .await
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::ChargeOutcomeUnknown, "{unknown}");
    assert_eq!(fake.requests(Route::Again) - before, 2);
    assert_eq!(paid_count(&client, "order-2").await, 0);
}

#[tokio::test]
async fn a_resend_refused_because_the_first_went_through_returns_the_payment() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    client.issue_billing_key("cust_1", card()).await.unwrap();
    // Charged, the reply lost, and the lookup after it not yet showing the
    // payment: the resend is refused as a second payment of the order.
    fake.fail_next(
        Route::Again,
        Fault::AppliedThenReply {
            status: 502,
            body: "<html>Bad Gateway</html>".into(),
        },
    );
    fake.fail_next(
        Route::Find,
        Fault::Reply {
            status: 404,
            body: r#"{"code":-1,"message":"none yet","response":null}"#.into(),
        },
    );
    let paid = client
        .again(Again::new("cust_1", "order-1", Amount::from(9900), "Plan"))
        .await
        .unwrap();
    assert_eq!(
        (paid.merchant_uid.as_str(), paid.status.clone()),
        ("order-1", Status::Paid)
    );
    assert_eq!(fake.requests(Route::Again), 2);
    assert_eq!(paid_count(&client, "order-1").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_charges_of_one_order_charge_it_once() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    client.issue_billing_key("cust_1", card()).await.unwrap();
    let charges = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .again(Again::new("cust_1", "order-1", Amount::from(9900), "Plan"))
                .await
        })
    });
    let mut paid = 0;
    for charge in charges.collect::<Vec<_>>() {
        match charge.await.unwrap() {
            Ok(_) => paid += 1,
            Err(error) => assert_eq!(error.kind(), ErrorKind::Api, "{error}"),
        }
    }
    assert_eq!(paid, 1);
    assert_eq!(paid_count(&client, "order-1").await, 1);
}

#[tokio::test]
async fn card_details_never_reach_debug_or_an_error() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let key = card().cvc("123");
    assert_no_card(&format!("{key:?}"));
    let echoing = format!(
        "<html>card {CARD} ({}) expiry {EXPIRY} birth {BIRTH}</html>",
        "4092023012345678"
    );
    fake.fail_next(
        Route::BillingKey,
        Fault::Reply {
            status: 500,
            body: echoing.clone(),
        },
    );
    // Refused twice: the first reply is an unknown outcome, the lookup finds
    // no key, the resend meets the second fault.
    fake.fail_next(
        Route::BillingKey,
        Fault::Reply {
            status: 404,
            body: r#"{"code":1,"message":"none","response":null}"#.into(),
        },
    );
    fake.fail_next(
        Route::BillingKey,
        Fault::Reply {
            status: 500,
            body: echoing.clone(),
        },
    );
    let error = client.issue_billing_key("cust_1", key).await.unwrap_err();
    for text in [
        error.to_string(),
        format!("{error:?}"),
        error.message().unwrap_or_default().to_owned(),
        error.body_excerpt().unwrap_or_default().to_owned(),
    ] {
        assert_no_card(&text);
    }

    let onetime = Onetime::card("order-9", Amount::from(100), "Plan", CARD, EXPIRY, BIRTH);
    assert_no_card(&format!("{onetime:?}"));
    fake.fail_next(
        Route::Onetime,
        Fault::Reply {
            status: 400,
            body: echoing,
        },
    );
    let error = client.onetime(onetime).await.unwrap_err();
    assert_no_card(&error.to_string());
    assert_no_card(&format!("{error:?}"));
}

#[tokio::test]
async fn onetime_charges_a_card_and_stores_it_only_when_asked() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    let paid = client
        .onetime(Onetime::card(
            "order-1",
            Amount::from(1000),
            "Plan",
            CARD,
            EXPIRY,
            BIRTH,
        ))
        .await
        .unwrap();
    assert_eq!(paid.status, Status::Paid);
    assert!(!fake.has_billing_key("onetime-order-1"));
    let stored = client
        .onetime(
            Onetime::card("order-2", Amount::from(1000), "Plan", CARD, EXPIRY, BIRTH)
                .store_as("cust_7"),
        )
        .await
        .unwrap();
    assert_eq!(stored.customer_uid.as_deref(), Some("cust_7"));
    assert!(fake.has_billing_key("cust_7"));
}

#[tokio::test]
async fn a_subscriptions_life_from_key_to_deletion() {
    let fake = FakeApi::start().await.unwrap();
    fake.send_webhooks_to("http://127.0.0.1:9/webhook", WebhookFormat::Json);
    let client = client(&fake);
    client.issue_billing_key("cust_1", card()).await.unwrap();
    let first = client
        .again(Again::new(
            "cust_1",
            "sub-0",
            Amount::from(9900),
            "Monthly plan",
        ))
        .await
        .unwrap();
    assert_eq!(first.status, Status::Paid);
    // The next three months.
    let at = now() + 3600;
    let made = client
        .schedule(
            "cust_1",
            &[
                Schedule::new("sub-1", at, Amount::from(9900), "Monthly plan"),
                Schedule::new("sub-2", at + 86_400, Amount::from(9900), "Monthly plan"),
                Schedule::new(
                    "sub-3",
                    at + 60 * 86_400,
                    Amount::from(9900),
                    "Monthly plan",
                ),
            ],
        )
        .await
        .unwrap();
    assert_eq!(made.len(), 3);
    assert!(
        made.iter()
            .all(|s| s.schedule_status == "scheduled" && s.imp_uid.is_none())
    );
    // Scheduling an order twice is refused.
    let twice = client
        .schedule(
            "cust_1",
            &[Schedule::new("sub-1", at, Amount::from(9900), "Plan")],
        )
        .await
        .unwrap_err();
    assert_eq!(twice.kind(), ErrorKind::Api);

    let moved = client.reschedule("sub-2", at + 2 * 86_400).await.unwrap();
    assert_eq!(moved.schedule_at.unix_seconds(), Some(at + 2 * 86_400));

    fake.shift_clock(3601);
    let ran = client.scheduled("sub-1").await.unwrap();
    assert_eq!(ran.schedule_status, "executed");
    assert_eq!(ran.payment_status, Some(Status::Paid));
    let imp_uid = ran.imp_uid.clone().unwrap();
    let payment = client.payment(&imp_uid).await.unwrap();
    assert_eq!(
        (payment.merchant_uid.as_str(), payment.amount),
        ("sub-1", Amount::from(9900))
    );
    assert_eq!(
        payment.customer_uid_usage.as_deref(),
        Some("payment.scheduled")
    );
    // Its webhook went out (the receiver is unreachable; the attempt is recorded).
    let mut webhooks = Vec::new();
    for _ in 0..50 {
        webhooks = fake.webhooks();
        if !webhooks.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(webhooks.len(), 1);
    assert_eq!(
        (
            webhooks[0].merchant_uid.as_str(),
            webhooks[0].status.as_str()
        ),
        ("sub-1", "paid")
    );

    let listed = client
        .schedules_of("cust_1", at - 10, at + 3 * 86_400, None)
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    // The buyer asks for the first month back: the scheduled payment is
    // an ordinary payment, verified and refunded like any other.
    let verified = payment
        .verify(&portone_pg_core::rest::Expected::new(
            "sub-1",
            Amount::from(9900),
        ))
        .unwrap();
    let refunded = client
        .cancel(
            portone_pg_client::Cancel::full(verified.payment().imp_uid.clone()).reason("refund"),
        )
        .await
        .unwrap();
    assert_eq!(refunded.status, Status::Cancelled);

    let revoked = client.unschedule("cust_1", &["sub-2"]).await.unwrap();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].schedule_status, "revoked");
    // An empty list would withdraw everything: refused before sending.
    let before = fake.requests(Route::Unschedule);
    let empty = client.unschedule("cust_1", &[]).await.unwrap_err();
    assert_eq!(empty.kind(), ErrorKind::InvalidRequest, "{empty}");
    assert_eq!(fake.requests(Route::Unschedule), before);
    let rest = client.unschedule_all("cust_1").await.unwrap();
    assert_eq!(
        rest.iter()
            .map(|s| s.merchant_uid.as_str())
            .collect::<Vec<_>>(),
        ["sub-3"]
    );
    fake.shift_clock(90 * 86_400);
    for merchant_uid in ["sub-2", "sub-3"] {
        assert_eq!(
            client
                .scheduled(merchant_uid)
                .await
                .unwrap()
                .schedule_status,
            "revoked"
        );
        assert_eq!(paid_count(&client, merchant_uid).await, 0);
    }
    client.delete_billing_key("cust_1").await.unwrap();
    assert!(!fake.has_billing_key("cust_1"));
}

#[tokio::test]
async fn a_schedule_whose_reply_is_lost_is_found_by_lookup() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    client.issue_billing_key("cust_1", card()).await.unwrap();
    fake.fail_next(
        Route::Schedule,
        Fault::AppliedThenReply {
            status: 500,
            body: "oops".into(),
        },
    );
    let at = now() + 3600;
    let made = client
        .schedule(
            "cust_1",
            &[Schedule::new("sub-1", at, Amount::from(9900), "Plan")],
        )
        .await
        .unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(fake.requests(Route::Schedule), 1);
}

#[tokio::test]
async fn a_failed_schedule_is_retried_or_scheduled_again_and_listed() {
    let fake = FakeApi::start().await.unwrap();
    let client = client(&fake);
    client.issue_billing_key("cust_1", card()).await.unwrap();
    let at = now() + 3600;
    client
        .schedule(
            "cust_1",
            &[
                Schedule::new("sub-1", at, Amount::from(9900), "Plan"),
                Schedule::new("sub-2", at, Amount::from(9900), "Plan"),
            ],
        )
        .await
        .unwrap();
    fake.decline_charges("cust_1", Some("[FAKE] 한도초과"));
    fake.shift_clock(3601);
    let failed = client.scheduled("sub-1").await.unwrap();
    assert_eq!(failed.payment_status, Some(Status::Failed));
    fake.decline_charges("cust_1", None);

    // Retried now, the reply lost: found paid, not charged again.
    fake.fail_next(
        Route::Scheduled,
        Fault::AppliedThenReply {
            status: 502,
            body: "<html>Bad Gateway</html>".into(),
        },
    );
    // The first request to the route is the retry's schedule lookup.
    fake.fail_next(
        Route::Scheduled,
        Fault::AppliedThenReply {
            status: 502,
            body: "<html>Bad Gateway</html>".into(),
        },
    );
    let paid = client.retry_schedule("sub-1").await.unwrap();
    assert_eq!(
        (paid.merchant_uid.as_str(), paid.status.clone()),
        ("sub-1", Status::Paid)
    );
    assert_eq!(paid_count(&client, "sub-1").await, 1);

    // The other, scheduled again for tomorrow.
    let fake_now = client
        .scheduled("sub-2")
        .await
        .unwrap()
        .executed_at
        .unwrap()
        .unix_seconds()
        .unwrap();
    let moved = client
        .schedule_again("sub-2", fake_now + 86_400)
        .await
        .unwrap();
    assert_eq!(moved.schedule_status, "scheduled");
    let listed = client
        .schedules(fake_now, fake_now + 2 * 86_400, Some("scheduled"), 1)
        .await
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|s| s.merchant_uid.as_str())
            .collect::<Vec<_>>(),
        ["sub-2"]
    );

    let payments = client.billing_key_payments("cust_1", 1).await.unwrap();
    // Two declined when the schedules ran, one paid by the retry.
    assert_eq!(payments.total.get(), 3);
}
