//! The contract other code depends on, written as it is documented: these
//! names and signatures must not change.

mod support;

use std::time::Duration;

use portone_pg::Amount;
use portone_pg_ledger::store::{MemoryStore, SqliteStore, Store};
use portone_pg_ledger::{Error, Job, JobKind, Ledger, Order, OrderState, Refund, Settled};
use support::{Db, client, fake, paid};

fn shareable<T: Send + Sync + Clone + 'static>() {}
fn sendable<F: Future + Send>(_: &F) {}

#[tokio::test]
async fn the_contract_compiles_as_written_and_holds() -> Result<(), Error> {
    shareable::<Ledger<MemoryStore>>();
    shareable::<Ledger<SqliteStore>>();
    let fake = fake().await;
    let db = Db::new();
    let store = SqliteStore::connect(&db.url()).await?; // creates its tables
    let ledger = Ledger::new(client(&fake), store);
    let order: Order = ledger.open("order-1", Amount::from(1004)).await?;
    assert_eq!(order.state(), OrderState::Pending);
    let imp_uid = paid(&fake, "order-1", 1004);
    let settle = ledger.settle(&imp_uid);
    sendable(&settle);
    let s: Settled = settle.await?;
    let first: bool = s.is_first();
    let state: OrderState = s.state();
    let _: &Order = s.order();
    assert!(first && state == OrderState::Paid);
    let order: Option<Order> = ledger.order("order-1").await?;
    let order = order.unwrap();
    let (_, _, _, _): (&str, Amount, OrderState, Option<&str>) = (
        order.merchant_uid(),
        order.amount(),
        order.state(),
        order.imp_uid(),
    );
    let _: Amount = order.cancelled_amount();
    let _: Order = ledger
        .refund(
            Refund::partial("order-1", Amount::from(300))
                .reason("one item")
                .key("return-17"),
        )
        .await?;
    let after: Order = ledger
        .refund(Refund::full("order-1").reason("changed mind"))
        .await?;
    assert_eq!(after.cancelled_amount(), Amount::from(1004));
    let mut kinds = Vec::new();
    while let Some(job) = ledger.next_job(Duration::from_secs(30)).await? {
        let job: Job = job;
        match job.kind() {
            JobKind::Fulfil => kinds.push("fulfil"),
            JobKind::Cancelled { cancellation_id } => {
                let _: &String = cancellation_id;
                kinds.push("cancelled")
            }
            _ => kinds.push("other"),
        }
        let (_, _): (&str, &str) = (job.merchant_uid(), job.key());
        job.done().await?;
    }
    assert_eq!(kinds, ["fulfil", "cancelled", "cancelled"]);
    let _report = ledger.reconcile(Duration::from_secs(600)).await?;
    for state in [
        OrderState::Pending,
        OrderState::AwaitingDeposit,
        OrderState::Paid,
        OrderState::PartiallyCancelled,
        OrderState::Cancelled,
        OrderState::Failed,
        OrderState::Expired,
        OrderState::NeedsAttention,
    ] {
        assert!(!state.as_str().is_empty());
    }
    // A mismatch names the difference.
    let tampered = fake
        .create(portone_pg_fake::NewPayment::paid(
            "order-2",
            Amount::from(1),
        ))
        .unwrap();
    ledger.open("order-2", Amount::from(1004)).await?;
    let e: Error = ledger.settle(&tampered).await.unwrap_err();
    assert!(e.verify().is_some());
    let memory = Ledger::new(client(&fake), MemoryStore::default());
    generic(&memory).await?;
    Ok(())
}

async fn generic<S: Store>(ledger: &Ledger<S>) -> Result<(), Error> {
    assert!(ledger.order("none").await?.is_none());
    Ok(())
}
