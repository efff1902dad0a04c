//! Every order flow on the memory store and on a SQLite file, against the
//! fake V1 API over HTTP on 127.0.0.1.

mod support;

use std::time::Duration;

use portone_pg::rest::VerifyError;
use portone_pg::{Amount, Currency};
use portone_pg_fake::NewPayment;
use portone_pg_ledger::store::{MemoryStore, Store};
use portone_pg_ledger::{Door, ErrorKind, JobKind, Ledger, NewOrder, OrderState, Refund};
use support::{Db, client, fake, paid};

/// Runs a scenario on both stores.
macro_rules! on_every_store {
    ($($name:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(|| async { portone_pg_ledger::store::MemoryStore::default() }).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::Db::new();
                    super::$name(|| db.store()).await;
                }
            )*
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(pg) = super::support::Pg::database().await else {
                        return;
                    };
                    super::$name(|| pg.store()).await;
                }
            )*
        }
    };
}

on_every_store!(
    a_paid_order_is_fulfilled_once,
    a_virtual_account_is_issued_then_deposited,
    refunds_from_anywhere_are_recorded_once_each,
    a_stale_paid_object_changes_nothing,
    payments_that_are_not_the_orders_never_pay_it,
    refunds_through_the_ledger_with_a_key_happen_once,
    the_sweep_finds_lost_payments_and_expires_deadlines,
    a_second_attempt_for_a_paid_reference_needs_attention,
    jobs_come_oldest_first_and_come_back_after_their_lease,
    subscriptions_open_their_orders_and_settle_once,
);

async fn ledger<S: Store, F: Future<Output = S>>(
    fake: &portone_pg_fake::FakeApi,
    store: impl Fn() -> F,
) -> Ledger<S> {
    Ledger::new(client(fake), store().await)
}

/// The kinds of every job offered until none is left, each done.
async fn drain<S: Store>(ledger: &Ledger<S>) -> Vec<(String, JobKind)> {
    let mut jobs = Vec::new();
    while let Some(job) = ledger.next_job(Duration::from_secs(30)).await.unwrap() {
        jobs.push((job.merchant_uid().to_owned(), job.kind().clone()));
        assert!(job.done().await.unwrap());
    }
    jobs
}

async fn a_paid_order_is_fulfilled_once<S: Store, F: Future<Output = S>>(store: impl Fn() -> F) {
    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    let order = ledger.open("order-1", Amount::from(1004)).await.unwrap();
    assert_eq!(
        (order.state(), order.imp_uid()),
        (OrderState::Pending, None)
    );
    // The amount was registered: the fake refuses a window for another.
    assert!(
        fake.create(NewPayment::paid("order-1", Amount::from(4)))
            .is_err()
    );
    // Opening again returns the order; other terms are refused.
    ledger.open("order-1", Amount::from(1004)).await.unwrap();
    let error = ledger
        .open_order(NewOrder::new("order-1", Amount::from(1004)).reference("cart-9"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OrderExists);

    let imp_uid = paid(&fake, "order-1", 1004);
    let first = ledger.settle_via(&imp_uid, Door::Webhook).await.unwrap();
    assert!(first.is_first());
    assert_eq!(first.state(), OrderState::Paid);
    for door in [Door::Callback, Door::Redirect, Door::Webhook] {
        let again = ledger.settle_via(&imp_uid, door).await.unwrap();
        assert!(!again.is_first());
        assert_eq!(again.state(), OrderState::Paid);
    }
    let order = ledger.order("order-1").await.unwrap().unwrap();
    assert_eq!(
        (order.state(), order.imp_uid(), order.cancelled_amount()),
        (OrderState::Paid, Some(imp_uid.as_str()), Amount::from(0))
    );
    let history: Vec<_> = order
        .history()
        .iter()
        .map(|t| (t.from(), t.to(), t.door()))
        .collect();
    assert_eq!(
        history,
        [(OrderState::Pending, OrderState::Paid, Door::Webhook)]
    );
    assert_eq!(drain(&ledger).await, [("order-1".into(), JobKind::Fulfil)]);
    // An unknown payment, an unknown order.
    let error = ledger.settle("imp_000000000000").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Client);
    let stranger = paid(&fake, "not-ours", 10);
    assert_eq!(
        ledger.settle(&stranger).await.unwrap_err().kind(),
        ErrorKind::UnknownOrder
    );
}

async fn a_virtual_account_is_issued_then_deposited<S: Store, F: Future<Output = S>>(
    store: impl Fn() -> F,
) {
    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    ledger.open("order-v", Amount::from(50_000)).await.unwrap();
    let imp_uid = fake
        .create(NewPayment::vbank_ready("order-v", Amount::from(50_000)))
        .unwrap();
    let issued = ledger.settle(&imp_uid).await.unwrap();
    assert!(issued.is_first());
    assert_eq!(issued.state(), OrderState::AwaitingDeposit);
    assert!(issued.order().deposit_deadline().is_some());
    // No job before the money arrives.
    assert!(drain(&ledger).await.is_empty());
    fake.deposit(&imp_uid).await.unwrap();
    let paid = ledger.settle(&imp_uid).await.unwrap();
    assert!(paid.is_first());
    assert_eq!(paid.state(), OrderState::Paid);
    assert!(!ledger.settle(&imp_uid).await.unwrap().is_first());
    assert_eq!(drain(&ledger).await, [("order-v".into(), JobKind::Fulfil)]);
}

async fn refunds_from_anywhere_are_recorded_once_each<S: Store, F: Future<Output = S>>(
    store: impl Fn() -> F,
) {
    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    ledger.open("order-c", Amount::from(1000)).await.unwrap();
    let imp_uid = paid(&fake, "order-c", 1000);
    ledger.settle(&imp_uid).await.unwrap();
    drain(&ledger).await;
    // Two refunds in the console; the ledger hears of them late, twice.
    fake.console_cancel(&imp_uid, Some(Amount::from(300)))
        .await
        .unwrap();
    fake.console_cancel(&imp_uid, Some(Amount::from(200)))
        .await
        .unwrap();
    let seen = ledger.settle(&imp_uid).await.unwrap();
    assert!(seen.is_first());
    assert_eq!(seen.state(), OrderState::PartiallyCancelled);
    assert_eq!(seen.recorded().len(), 2);
    assert_eq!(seen.order().cancelled_amount(), Amount::from(500));
    let again = ledger.settle(&imp_uid).await.unwrap();
    assert!(!again.is_first() && again.recorded().is_empty());
    let jobs = drain(&ledger).await;
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    assert!(
        jobs.iter()
            .all(|(_, kind)| matches!(kind, JobKind::Cancelled { .. }))
    );
    // The rest, refunded: cancelled, cancel_amount as PortOne says.
    fake.console_cancel(&imp_uid, None).await.unwrap();
    let all = ledger.settle(&imp_uid).await.unwrap();
    assert_eq!(all.state(), OrderState::Cancelled);
    assert_eq!(
        all.order().cancelled_amount(),
        fake.cancel_amount(&imp_uid).unwrap()
    );
    assert_eq!(drain(&ledger).await.len(), 1);
    let states: Vec<_> = all.order().history().iter().map(|t| t.to()).collect();
    assert_eq!(
        states,
        [
            OrderState::Paid,
            OrderState::PartiallyCancelled,
            OrderState::Cancelled
        ]
    );

    // A payment first seen already partly refunded: paid (fulfilled), then
    // partially cancelled, in one call.
    ledger.open("order-d", Amount::from(1000)).await.unwrap();
    let late = paid(&fake, "order-d", 1000);
    fake.console_cancel(&late, Some(Amount::from(100)))
        .await
        .unwrap();
    let seen = ledger.settle(&late).await.unwrap();
    assert_eq!(seen.state(), OrderState::PartiallyCancelled);
    let jobs: Vec<_> = drain(&ledger).await.into_iter().map(|(_, k)| k).collect();
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0], JobKind::Fulfil);
}

async fn a_stale_paid_object_changes_nothing<S: Store, F: Future<Output = S>>(
    store: impl Fn() -> F,
) {
    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    ledger.open("order-s", Amount::from(1000)).await.unwrap();
    let imp_uid = paid(&fake, "order-s", 1000);
    // Read before the refund, applied after it.
    let stale = ledger.client().payment(&imp_uid).await.unwrap();
    ledger.settle(&imp_uid).await.unwrap();
    fake.console_cancel(&imp_uid, None).await.unwrap();
    ledger.settle(&imp_uid).await.unwrap();
    let applied = ledger.apply(&stale, Door::Webhook).await.unwrap();
    assert!(!applied.is_first());
    assert_eq!(applied.state(), OrderState::Cancelled);
    assert_eq!(applied.order().cancelled_amount(), Amount::from(1000));
    let order = ledger.order("order-s").await.unwrap().unwrap();
    assert_eq!(order.state(), OrderState::Cancelled);
    assert_eq!(order.history().len(), 2);
}

async fn payments_that_are_not_the_orders_never_pay_it<S: Store, F: Future<Output = S>>(
    store: impl Fn() -> F,
) {
    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    // The payments are made before their orders are opened (and their
    // amounts registered), so that the window "opens" for another amount
    // or currency: what a tampered page does where prepare is not used.
    type Case = (&'static str, NewPayment, fn(&VerifyError) -> bool);
    let cases: [Case; 3] = [
        (
            "order-amount",
            NewPayment::paid("order-amount", Amount::from(4)),
            |e| matches!(e, VerifyError::Amount { .. }),
        ),
        (
            "order-currency",
            NewPayment::paid("order-currency", Amount::from(1004)).currency("USD"),
            |e| matches!(e, VerifyError::Currency { .. }),
        ),
        (
            "order-sandbox",
            NewPayment::paid("order-sandbox", Amount::from(1004)).sandbox(),
            |e| matches!(e, VerifyError::Sandbox),
        ),
    ];
    for (merchant_uid, payment, expected) in cases {
        let imp_uid = fake.create(payment).unwrap();
        ledger.open(merchant_uid, Amount::from(1004)).await.unwrap();
        for _ in 0..2 {
            let error = ledger.settle(&imp_uid).await.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Mismatch, "{error}");
            assert!(expected(error.verify().unwrap()), "{error}");
            assert!(!error.is_transient());
        }
        let order = ledger.order(merchant_uid).await.unwrap().unwrap();
        assert_eq!(order.state(), OrderState::NeedsAttention, "{merchant_uid}");
        assert!(order.attention().is_some());
        assert!(order.history().iter().all(|t| t.to() != OrderState::Paid));
    }
    let jobs = drain(&ledger).await;
    assert!(
        jobs.iter().all(|(_, kind)| *kind != JobKind::Fulfil),
        "{jobs:?}"
    );
    // A sandbox payment on an order that allows them pays it.
    let imp_uid = fake
        .create(NewPayment::paid("order-test", Amount::from(1004)).sandbox())
        .unwrap();
    ledger
        .open_order(NewOrder::new("order-test", Amount::from(1004)).allow_sandbox())
        .await
        .unwrap();
    assert_eq!(
        ledger.settle(&imp_uid).await.unwrap().state(),
        OrderState::Paid
    );
    // And a USD order paid in USD.
    let imp_uid = fake
        .create(NewPayment::paid("order-usd", "10.50".parse().unwrap()).currency("USD"))
        .unwrap();
    ledger
        .open_order(NewOrder::new("order-usd", "10.50".parse().unwrap()).currency(Currency::Usd))
        .await
        .unwrap();
    assert_eq!(
        ledger.settle(&imp_uid).await.unwrap().state(),
        OrderState::Paid
    );
}

async fn refunds_through_the_ledger_with_a_key_happen_once<S: Store, F: Future<Output = S>>(
    store: impl Fn() -> F,
) {
    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    ledger.open("order-r", Amount::from(1000)).await.unwrap();
    let imp_uid = paid(&fake, "order-r", 1000);
    // Not paid yet in the ledger: nothing to refund.
    let error = ledger.refund(Refund::full("order-r")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotRefundable);
    ledger.settle(&imp_uid).await.unwrap();
    let part = Refund::partial("order-r", Amount::from(300))
        .reason("one item")
        .key("return-17");
    let after = ledger.refund(part.clone()).await.unwrap();
    assert_eq!(after.cancelled_amount(), Amount::from(300));
    assert_eq!(after.state(), OrderState::PartiallyCancelled);
    // The same key again: the first result, no second refund.
    let again = ledger.refund(part).await.unwrap();
    assert_eq!(again.cancelled_amount(), Amount::from(300));
    assert_eq!(fake.cancellations(&imp_uid), 1);
    // A refund the ledger did not hear of (the console) is recorded before
    // the next one is sent, whose checksum is then right.
    fake.console_cancel(&imp_uid, Some(Amount::from(100)))
        .await
        .unwrap();
    let rest = ledger
        .refund(Refund::full("order-r").reason("changed mind"))
        .await
        .unwrap();
    assert_eq!(rest.state(), OrderState::Cancelled);
    assert_eq!(rest.cancelled_amount(), Amount::from(1000));
    assert_eq!(fake.cancellations(&imp_uid), 3);
    let cancelled_jobs = drain(&ledger)
        .await
        .into_iter()
        .filter(|(_, k)| matches!(k, JobKind::Cancelled { .. }))
        .count();
    assert_eq!(cancelled_jobs, 3);
    // More than the balance.
    ledger.open("order-r2", Amount::from(1000)).await.unwrap();
    let second = paid(&fake, "order-r2", 1000);
    ledger.settle(&second).await.unwrap();
    let error = ledger
        .refund(Refund::partial("order-r2", Amount::from(1001)))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotRefundable);
    assert_eq!(fake.cancellations(&second), 0);
}

async fn the_sweep_finds_lost_payments_and_expires_deadlines<S: Store, F: Future<Output = S>>(
    store: impl Fn() -> F,
) {
    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    ledger.open("order-lost", Amount::from(1000)).await.unwrap();
    ledger
        .open("order-never", Amount::from(1000))
        .await
        .unwrap();
    ledger
        .open("order-vbank", Amount::from(1000))
        .await
        .unwrap();
    let lost = paid(&fake, "order-lost", 1000);
    let _ = lost;
    let vbank = fake
        .create(NewPayment::vbank_ready("order-vbank", Amount::from(1000)))
        .unwrap();
    ledger.settle(&vbank).await.unwrap();
    // Orders younger than the age are left alone.
    let report = ledger.reconcile(Duration::from_secs(3600)).await.unwrap();
    assert_eq!(report.checked, 0);
    let report = ledger.reconcile(Duration::ZERO).await.unwrap();
    assert_eq!(report.checked, 3, "{report:?}");
    assert_eq!(
        report.changed,
        [(
            "order-lost".to_owned(),
            OrderState::Pending,
            OrderState::Paid
        )]
    );
    assert_eq!(report.not_found, 1);
    assert!(report.failed.is_empty(), "{report:?}");
    // The deadline passes (the fake's clock, then the ledger's view of it:
    // three days later the account is still unpaid).
    fake.shift_clock(-4 * 86_400);
    let reissued = fake
        .create(NewPayment::vbank_ready("order-late", Amount::from(1000)))
        .unwrap();
    fake.shift_clock(4 * 86_400);
    ledger.open("order-late", Amount::from(1000)).await.unwrap();
    ledger.settle(&reissued).await.unwrap();
    let report = ledger.reconcile(Duration::ZERO).await.unwrap();
    assert_eq!(report.expired, ["order-late".to_owned()], "{report:?}");
    let expired = ledger.order("order-late").await.unwrap().unwrap();
    assert_eq!(expired.state(), OrderState::Expired);
    // A deposit after the deadline: attention and a refund job, never paid.
    fake.deposit(&reissued).await.unwrap();
    let late = ledger.settle(&reissued).await.unwrap();
    assert_eq!(late.state(), OrderState::NeedsAttention);
    let jobs: Vec<_> = drain(&ledger)
        .await
        .into_iter()
        .filter(|(m, _)| m == "order-late")
        .map(|(_, k)| k)
        .collect();
    assert!(jobs.contains(&JobKind::Expired), "{jobs:?}");
    assert!(jobs.contains(&JobKind::RefundSurplus {
        imp_uid: reissued.clone()
    }));
    assert!(!jobs.contains(&JobKind::Fulfil));

    // An expired account revoked afterwards: cancelled, nothing to give back.
    fake.shift_clock(-4 * 86_400);
    let revoked = fake
        .create(NewPayment::vbank_ready("order-revoked", Amount::from(1000)))
        .unwrap();
    fake.shift_clock(4 * 86_400);
    ledger
        .open("order-revoked", Amount::from(1000))
        .await
        .unwrap();
    ledger.settle(&revoked).await.unwrap();
    let report = ledger.reconcile(Duration::ZERO).await.unwrap();
    assert_eq!(report.expired, ["order-revoked".to_owned()], "{report:?}");
    ledger.client().revoke_vbank(&revoked).await.unwrap();
    let settled = ledger.settle(&revoked).await.unwrap();
    assert_eq!(settled.state(), OrderState::Cancelled);
    assert_eq!(settled.order().attention(), None);
    let jobs: Vec<_> = drain(&ledger).await.into_iter().map(|(_, k)| k).collect();
    assert_eq!(jobs, [JobKind::Expired]);
}

async fn a_second_attempt_for_a_paid_reference_needs_attention<S: Store, F: Future<Output = S>>(
    store: impl Fn() -> F,
) {
    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    for attempt in ["cart-1-a", "cart-1-b"] {
        ledger
            .open_order(NewOrder::new(attempt, Amount::from(2000)).reference("cart-1"))
            .await
            .unwrap();
    }
    // An attempt that failed before the one that paid.
    let failed = fake
        .create(NewPayment::failed("cart-1-a", Amount::from(2000)))
        .unwrap();
    let first = paid(&fake, "cart-1-a", 2000);
    let second = paid(&fake, "cart-1-b", 2000);
    assert_eq!(
        ledger.settle(&first).await.unwrap().state(),
        OrderState::Paid
    );
    // The failed attempt's object, arriving late, changes nothing.
    let stays = ledger.settle(&failed).await.unwrap();
    assert_eq!((stays.state(), stays.is_first()), (OrderState::Paid, false));
    assert_eq!(stays.order().imp_uid(), Some(first.as_str()));
    let surplus = ledger.settle(&second).await.unwrap();
    assert_eq!(surplus.state(), OrderState::NeedsAttention);
    assert!(surplus.order().attention().unwrap().contains("cart-1-a"));
    let jobs = drain(&ledger).await;
    assert_eq!(
        jobs,
        [
            ("cart-1-a".to_owned(), JobKind::Fulfil),
            ("cart-1-b".to_owned(), JobKind::Attention),
            (
                "cart-1-b".to_owned(),
                JobKind::RefundSurplus { imp_uid: second }
            ),
        ]
    );
}

async fn jobs_come_oldest_first_and_come_back_after_their_lease<S: Store, F: Future<Output = S>>(
    store: impl Fn() -> F,
) {
    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    for n in 0..3 {
        let m = format!("order-{n}");
        ledger.open(&m, Amount::from(100)).await.unwrap();
        let imp_uid = paid(&fake, &m, 100);
        ledger.settle(&imp_uid).await.unwrap();
    }
    // Claimed and never finished: offered again once the lease ends.
    let held = ledger
        .next_job(Duration::from_millis(200))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((held.merchant_uid(), held.attempts()), ("order-0", 1));
    let key = held.key().to_owned();
    let next = ledger
        .next_job(Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.merchant_uid(), "order-1");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let again = ledger
        .next_job(Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.key(), again.attempts()), (key.as_str(), 2));
    // The first holder's lease ended: its done() does not end the job.
    assert!(!held.done().await.unwrap());
    assert!(again.done().await.unwrap());
    assert!(next.done().await.unwrap());
    let last = ledger
        .next_job(Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.merchant_uid(), "order-2");
    assert!(last.done().await.unwrap());
    assert!(
        ledger
            .next_job(Duration::from_secs(30))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_memory_store_is_built_by_default() {
    let fake = fake().await;
    let ledger = Ledger::new(client(&fake), MemoryStore::default());
    assert!(ledger.order("none").await.unwrap().is_none());
}

async fn subscriptions_open_their_orders_and_settle_once<S: Store, F: Future<Output = S>>(
    store: impl Fn() -> F,
) {
    use portone_pg_client::{Again, BillingKey, Schedule};

    let fake = fake().await;
    let ledger = ledger(&fake, store).await;
    let card = BillingKey::card("4092-0230-1234-5678", "2029-12", "880101");
    ledger
        .client()
        .issue_billing_key("cust_1", card)
        .await
        .unwrap();

    // Charged now: the call settles the order; the charge's webhook later
    // finds it done.
    let charged = ledger
        .charge(Again::new("cust_1", "sub-1", Amount::from(9900), "Plan"))
        .await
        .unwrap();
    assert!(charged.is_first());
    assert_eq!(charged.state(), OrderState::Paid);
    let paid = ledger
        .client()
        .find("sub-1", Some(&portone_pg::Status::Paid))
        .await
        .unwrap();
    let webhook = ledger
        .settle_via(&paid.imp_uid, Door::Webhook)
        .await
        .unwrap();
    assert!(!webhook.is_first());

    // Scheduled: pending until PortOne runs it, then settled once however
    // often its news arrives.
    let at = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
        + 3600;
    let order = ledger
        .schedule(
            "cust_1",
            Schedule::new("sub-2", at, Amount::from(9900), "Plan"),
        )
        .await
        .unwrap();
    assert_eq!(order.state(), OrderState::Pending);
    fake.shift_clock(3601);
    let (status, imp_uid) = fake.schedule_status("sub-2").unwrap();
    assert_eq!(status, "executed");
    let imp_uid = imp_uid.unwrap();
    let (first, again) = tokio::join!(
        ledger.settle_via(&imp_uid, Door::Webhook),
        ledger.settle_via(&imp_uid, Door::Webhook)
    );
    let (first, again) = (first.unwrap(), again.unwrap());
    assert!(first.is_first() != again.is_first());
    assert_eq!(first.state(), OrderState::Paid);
    let mut jobs = drain(&ledger).await;
    jobs.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        jobs,
        vec![
            ("sub-1".to_owned(), JobKind::Fulfil),
            ("sub-2".to_owned(), JobKind::Fulfil)
        ]
    );
}
