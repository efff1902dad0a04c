//! Races: many settles of one payment at once, through the three doors over
//! real HTTP, on several `Ledger` values sharing one store (a SQLite file,
//! each with its own pool; or one memory store). Each race runs in a
//! bounded loop so that a rare interleaving shows.

mod support;

use std::sync::Arc;
use std::time::Duration;

use portone_pg::Amount;
use portone_pg_fake::{FakeApi, NewPayment};
use portone_pg_ledger::store::{MemoryStore, Store};
use portone_pg_ledger::{JobKind, Ledger, OrderState, Refund};
use support::{Db, Doors, client, fake, paid};

/// Ledgers on one store, each serving the doors on its own port.
struct Shop<S: Store> {
    ledgers: Vec<Ledger<S>>,
    doors: Vec<Doors>,
    http: reqwest::Client,
}

impl<S: Store> Shop<S> {
    async fn new(fake: &FakeApi, stores: Vec<S>) -> Self {
        let ledgers: Vec<_> = stores
            .into_iter()
            .map(|store| Ledger::new(client(fake), store))
            .collect();
        let mut doors = Vec::new();
        for ledger in &ledgers {
            doors.push(Doors::serve(ledger.clone(), None).await);
        }
        Shop {
            ledgers,
            doors,
            http: reqwest::Client::new(),
        }
    }

    /// `count` settles of `imp_uid` at once, spread over the three doors
    /// and every server; how many said they made a transition.
    async fn knock(&self, imp_uid: &str, merchant_uid: &str, count: usize) -> usize {
        let barrier = Arc::new(tokio::sync::Barrier::new(count));
        let knocks = (0..count).map(|n| {
            let doors = &self.doors[n % self.doors.len()];
            let request = match n % 3 {
                0 => self
                    .http
                    .post(doors.url("/portone/callback?pg=tosspayments"))
                    .header("content-type", "application/json")
                    .body(format!(
                        r#"{{"imp_uid":"{imp_uid}","merchant_uid":"{merchant_uid}"}}"#
                    )),
                1 => self.http.get(doors.url(&format!(
                    "/portone/redirect?imp_uid={imp_uid}&merchant_uid={merchant_uid}&imp_success=true"
                ))),
                _ => self
                    .http
                    .post(doors.url("/portone/webhook"))
                    .header("content-type", "application/json")
                    .body(format!(
                        r#"{{"imp_uid":"{imp_uid}","merchant_uid":"{merchant_uid}","status":"paid"}}"#
                    )),
            };
            let barrier = Arc::clone(&barrier);
            async move {
                barrier.wait().await;
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let text = response.text().await.unwrap();
                assert_eq!(status, 200, "{text}");
                // The webhook answers a word, the others JSON.
                text == "handled" || text.contains(r#""first":true"#)
            }
        });
        let results = futures_join(knocks.collect()).await;
        results.into_iter().filter(|first| *first).count()
    }

    /// Every job offered until none is left, each done.
    async fn jobs(&self) -> Vec<(String, JobKind)> {
        let mut jobs = Vec::new();
        let ledger = &self.ledgers[0];
        while let Some(job) = ledger.next_job(Duration::from_secs(30)).await.unwrap() {
            jobs.push((job.merchant_uid().to_owned(), job.kind().clone()));
            job.done().await.unwrap();
        }
        jobs
    }
}

/// Runs futures concurrently on their own tasks; their results in order.
async fn futures_join<F>(futures: Vec<F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let tasks: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

const LEDGERS: usize = 4;
const KNOCKS: usize = 64;

/// 64 settles of one paid order, per iteration: one first transition, one
/// Fulfil job, one row in the history.
async fn paid_once<S: Store>(stores: Vec<S>, iterations: usize) {
    let fake = fake().await;
    let shop = Shop::new(&fake, stores).await;
    for i in 0..iterations {
        let m = format!("order-{i}");
        shop.ledgers[i % LEDGERS]
            .open(&m, Amount::from(1004))
            .await
            .unwrap();
        let imp_uid = paid(&fake, &m, 1004);
        let first = shop.knock(&imp_uid, &m, KNOCKS).await;
        assert_eq!(first, 1, "iteration {i}: {first} first transitions");
        let order = shop.ledgers[0].order(&m).await.unwrap().unwrap();
        assert_eq!(order.state(), OrderState::Paid);
        assert_eq!(order.history().len(), 1, "iteration {i}");
        assert_eq!(shop.jobs().await, [(m, JobKind::Fulfil)], "iteration {i}");
    }
    println!(
        "paid: {iterations} iterations of {KNOCKS} settles, one first transition and one job each"
    );
}

/// The same for a virtual account: issued (one first AwaitingDeposit, no
/// job), then deposited (one first Paid, one Fulfil job).
async fn deposited_once<S: Store>(stores: Vec<S>, iterations: usize) {
    let fake = fake().await;
    let shop = Shop::new(&fake, stores).await;
    for i in 0..iterations {
        let m = format!("vbank-{i}");
        shop.ledgers[0].open(&m, Amount::from(5000)).await.unwrap();
        let imp_uid = fake
            .create(NewPayment::vbank_ready(&m, Amount::from(5000)))
            .unwrap();
        assert_eq!(shop.knock(&imp_uid, &m, KNOCKS).await, 1, "issue {i}");
        assert!(shop.jobs().await.is_empty());
        fake.deposit(&imp_uid).await.unwrap();
        assert_eq!(shop.knock(&imp_uid, &m, KNOCKS).await, 1, "deposit {i}");
        let order = shop.ledgers[1].order(&m).await.unwrap().unwrap();
        let states: Vec<_> = order.history().iter().map(|t| t.to()).collect();
        assert_eq!(states, [OrderState::AwaitingDeposit, OrderState::Paid]);
        assert_eq!(shop.jobs().await, [(m, JobKind::Fulfil)]);
    }
    println!("vbank: {iterations} iterations, one first transition per state change");
}

/// Refunds made in the console, each announced by a webhook delivered
/// many times at once while the callback door also settles: each
/// cancellation recorded once, one job each, the total as PortOne's.
async fn cancelled_once<S: Store>(stores: Vec<S>, iterations: usize) {
    let fake = fake().await;
    let shop = Shop::new(&fake, stores).await;
    let target = format!("http://{}/portone/webhook", shop.doors[0].addr);
    fake.send_webhooks_to(&target, portone_pg_fake::WebhookFormat::Form);
    for i in 0..iterations {
        let m = format!("refunded-{i}");
        shop.ledgers[0].open(&m, Amount::from(1000)).await.unwrap();
        let imp_uid = paid(&fake, &m, 1000);
        shop.knock(&imp_uid, &m, 8).await;
        shop.jobs().await;
        for amount in [100, 200] {
            fake.console_cancel(&imp_uid, Some(Amount::from(amount)))
                .await
                .unwrap();
            let copies = fake.send_webhook_copies(&imp_uid, 16);
            let knocks = shop.knock(&imp_uid, &m, 16);
            let (statuses, _) = tokio::join!(copies, knocks);
            assert!(statuses.iter().all(|s| *s == Some(200)), "{statuses:?}");
        }
        let order = shop.ledgers[2].order(&m).await.unwrap().unwrap();
        assert_eq!(
            order.cancelled_amount(),
            fake.cancel_amount(&imp_uid).unwrap()
        );
        assert_eq!(order.cancelled_amount(), Amount::from(300));
        assert_eq!(order.state(), OrderState::PartiallyCancelled);
        let jobs = shop.jobs().await;
        assert_eq!(jobs.len(), 2, "iteration {i}: {jobs:?}");
        assert!(
            jobs.iter()
                .all(|(_, k)| matches!(k, JobKind::Cancelled { .. }))
        );
    }
    println!("cancelled: {iterations} iterations, each cancellation_id once");
}

/// 16 refunds with one key at once, over every ledger: one refund at the
/// fake, every call told the same result.
async fn refunded_once<S: Store>(stores: Vec<S>, iterations: usize) {
    let fake = fake().await;
    let shop = Shop::new(&fake, stores).await;
    for i in 0..iterations {
        let m = format!("keyed-{i}");
        shop.ledgers[0].open(&m, Amount::from(1000)).await.unwrap();
        let imp_uid = paid(&fake, &m, 1000);
        shop.ledgers[0].settle(&imp_uid).await.unwrap();
        let calls: Vec<_> = (0..16)
            .map(|n| {
                let ledger = shop.ledgers[n % LEDGERS].clone();
                let refund = Refund::partial(m.clone(), Amount::from(400)).key(format!("key-{i}"));
                async move { ledger.refund(refund).await }
            })
            .collect();
        for result in futures_join(calls).await {
            let order = result.unwrap();
            assert_eq!(order.cancelled_amount(), Amount::from(400), "iteration {i}");
        }
        assert_eq!(fake.cancellations(&imp_uid), 1, "iteration {i}");
    }
    println!("refunds: {iterations} iterations of 16 calls with one key, one refund each");
}

fn memory() -> Vec<MemoryStore> {
    let store = MemoryStore::default();
    vec![store; LEDGERS]
}

async fn sqlite(db: &Db) -> Vec<portone_pg_ledger::store::SqliteStore> {
    let mut stores = Vec::new();
    for _ in 0..LEDGERS {
        stores.push(db.store().await);
    }
    stores
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_sixty_four_settles_pay_once() {
    paid_once(memory(), 20).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_sixty_four_settles_pay_once() {
    let db = Db::new();
    paid_once(sqlite(&db).await, 12).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_a_virtual_account_is_issued_and_paid_once() {
    deposited_once(memory(), 10).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_a_virtual_account_is_issued_and_paid_once() {
    let db = Db::new();
    deposited_once(sqlite(&db).await, 6).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_duplicated_cancelled_webhooks_record_each_cancellation_once() {
    cancelled_once(memory(), 10).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_duplicated_cancelled_webhooks_record_each_cancellation_once() {
    let db = Db::new();
    cancelled_once(sqlite(&db).await, 6).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_sixteen_refunds_with_one_key_refund_once() {
    refunded_once(memory(), 10).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_sixteen_refunds_with_one_key_refund_once() {
    let db = Db::new();
    refunded_once(sqlite(&db).await, 6).await;
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;

    /// One database, `LEDGERS` pools on it.
    async fn stores() -> Option<Vec<portone_pg_ledger::store::PostgresStore>> {
        let pg = support::Pg::database().await?;
        let mut stores = Vec::new();
        for _ in 0..LEDGERS {
            stores.push(pg.store().await);
        }
        Some(stores)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sixty_four_settles_pay_once() {
        let Some(stores) = stores().await else { return };
        paid_once(stores, 12).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_virtual_account_is_issued_and_paid_once() {
        let Some(stores) = stores().await else { return };
        deposited_once(stores, 6).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn duplicated_cancelled_webhooks_record_each_cancellation_once() {
        let Some(stores) = stores().await else { return };
        cancelled_once(stores, 6).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sixteen_refunds_with_one_key_refund_once() {
        let Some(stores) = stores().await else { return };
        refunded_once(stores, 6).await;
    }
}
