//! Faults on a real SQLite file: a store that fails in the middle of a
//! transition, webhooks that are lost, and a second OS process settling
//! the same orders on the same file.

mod support;

use std::process::Command;
use std::time::Duration;

use portone_pg::Amount;
use portone_pg_fake::{NewPayment, WebhookFormat};
use portone_pg_ledger::{Answer, JobKind, Ledger, Notification, OrderState};
use support::{Db, client, fake, paid};

/// A webhook delivery as the axum door would pass it on.
fn webhook(imp_uid: &str, merchant_uid: &str) -> Notification {
    Notification {
        peer: Some("127.0.0.1".parse().unwrap()),
        forwarded_for: None,
        content_type: "application/json".into(),
        body: format!(
            r#"{{"imp_uid":"{imp_uid}","merchant_uid":"{merchant_uid}","status":"paid"}}"#
        )
        .into_bytes(),
    }
}

#[tokio::test]
async fn notifications_are_answered_so_that_portone_retries_only_what_can_succeed() {
    let fake = fake().await;
    let db = Db::new();
    let ledger = Ledger::new(client(&fake), db.store().await);
    ledger.open("order-1", Amount::from(1004)).await.unwrap();
    let imp_uid = paid(&fake, "order-1", 1004);
    let answers = [
        ledger.notify(&webhook(&imp_uid, "order-1")).await,
        ledger.notify(&webhook(&imp_uid, "order-1")).await,
        // No such payment at PortOne: forged, a retry cannot help.
        ledger.notify(&webhook("imp_000000000000", "order-1")).await,
        // Another shop's order.
        ledger
            .notify(&webhook(&paid(&fake, "elsewhere", 10), "elsewhere"))
            .await,
        ledger
            .notify(&Notification {
                content_type: "application/json".into(),
                body: b"{not json".to_vec(),
                ..Notification::default()
            })
            .await,
    ];
    let statuses: Vec<_> = answers.iter().map(|a| (a.as_str(), a.status())).collect();
    assert_eq!(
        statuses,
        [
            ("handled", 200),
            ("duplicate", 200),
            ("unknown", 200),
            ("unknown", 200),
            ("malformed", 400)
        ]
    );
    // With the allowlist on, only PortOne's addresses (through a trusted
    // proxy's header) are heard.
    let guarded = ledger.clone().webhook_sources(
        portone_pg_ledger::Sources::portone().trust_proxies(["127.0.0.1".parse().unwrap()]),
    );
    assert_eq!(
        guarded.notify(&webhook(&imp_uid, "order-1")).await,
        Answer::Forbidden
    );
    let mut forwarded = webhook(&imp_uid, "order-1");
    forwarded.forwarded_for = Some("52.78.48.223".into());
    assert_eq!(
        guarded.notify(&forwarded).await,
        Answer::Handled { first: false }
    );
    // PortOne unreachable: 503, so that it re-sends.
    let unreachable = Ledger::new(
        portone_pg::client::Client::builder("k", "s")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap(),
        db.store().await,
    );
    assert_eq!(
        unreachable.notify(&webhook(&imp_uid, "order-1")).await,
        Answer::Unavailable
    );
}

#[tokio::test]
async fn lost_webhooks_are_found_by_the_sweep() {
    let fake = fake().await;
    let db = Db::new();
    let ledger = Ledger::new(client(&fake), db.store().await);
    let doors = support::Doors::serve(ledger.clone(), Some(&fake)).await;
    fake.send_webhooks_to(&doors.url("/portone/webhook"), WebhookFormat::Form);
    ledger.open("order-v", Amount::from(5000)).await.unwrap();
    let imp_uid = fake
        .create(NewPayment::vbank_ready("order-v", Amount::from(5000)))
        .unwrap();
    assert_eq!(fake.send_webhook(&imp_uid).await, Some(200));
    // The deposit's webhook never arrives.
    fake.lose_webhooks(1);
    fake.deposit(&imp_uid).await.unwrap();
    assert_eq!(fake.webhooks().last().unwrap().http_status, None);
    let order = ledger.order("order-v").await.unwrap().unwrap();
    assert_eq!(order.state(), OrderState::AwaitingDeposit);
    let report = ledger.reconcile(Duration::ZERO).await.unwrap();
    assert_eq!(
        report.changed,
        [(
            "order-v".to_owned(),
            OrderState::AwaitingDeposit,
            OrderState::Paid
        )]
    );
    let job = ledger
        .next_job(Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (job.kind(), job.merchant_uid()),
        (&JobKind::Fulfil, "order-v")
    );
}

/// The environment that makes `second_process` run (the parent sets it).
const CHILD_DB: &str = "PORTONE_LEDGER_TEST_CHILD_DB";
const CHILD_FAKE: &str = "PORTONE_LEDGER_TEST_CHILD_FAKE";
const CHILD_IMP_UIDS: &str = "PORTONE_LEDGER_TEST_CHILD_IMP_UIDS";
const ORDERS: usize = 24;
const SETTLES: usize = 16;

/// Settles every payment `SETTLES` times at once through its own pool;
/// how many calls made a transition.
async fn settle_storm(
    db_url: &str,
    client: portone_pg::client::Client,
    imp_uids: &[String],
) -> usize {
    let store = portone_pg_ledger::store::SqliteStore::connect(db_url)
        .await
        .unwrap();
    let ledger = Ledger::new(client, store);
    let tasks: Vec<_> = imp_uids
        .iter()
        .flat_map(|imp_uid| std::iter::repeat_n(imp_uid.clone(), SETTLES))
        .map(|imp_uid| {
            let ledger = ledger.clone();
            tokio::spawn(async move { ledger.settle(&imp_uid).await.unwrap().is_first() })
        })
        .collect();
    let mut first = 0;
    for task in tasks {
        first += usize::from(task.await.unwrap());
    }
    first
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_on_one_file_make_each_transition_once() {
    let fake = fake().await;
    let db = Db::new();
    let ledger = Ledger::new(client(&fake), db.store().await);
    let mut imp_uids = Vec::new();
    for n in 0..ORDERS {
        let m = format!("order-{n}");
        ledger.open(&m, Amount::from(100)).await.unwrap();
        imp_uids.push(paid(&fake, &m, 100));
    }
    let child = tokio::task::spawn_blocking({
        let (db, url, ids) = (db.url(), fake.url(), imp_uids.join(","));
        let (key, secret) = (fake.key().to_owned(), fake.secret().to_owned());
        move || {
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "second_process", "--ignored", "--nocapture"])
                .env(CHILD_DB, db)
                .env(CHILD_FAKE, format!("{url} {key} {secret}"))
                .env(CHILD_IMP_UIDS, ids)
                .output()
                .unwrap()
        }
    });
    let here = settle_storm(&db.url(), client(&fake), &imp_uids).await;
    let output = child.await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let there: usize = stdout
        .lines()
        .find_map(|line| line.strip_prefix("FIRST="))
        .expect("the second process reports")
        .parse()
        .unwrap();
    assert_eq!(here + there, ORDERS, "here {here}, there {there}");
    let mut fulfil = 0;
    while let Some(job) = ledger.next_job(Duration::from_secs(30)).await.unwrap() {
        assert_eq!(job.kind(), &JobKind::Fulfil);
        fulfil += 1;
        job.done().await.unwrap();
    }
    assert_eq!(fulfil, ORDERS);
    println!(
        "two processes: {ORDERS} orders x {SETTLES} settles each in both: {here} + {there} first transitions"
    );
}

/// The second process of `two_processes_on_one_file_make_each_transition_once`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "run by two_processes_on_one_file_make_each_transition_once as its second process"]
async fn second_process() {
    let db = std::env::var(CHILD_DB).expect("started by the parent test");
    let fake = std::env::var(CHILD_FAKE).unwrap();
    let mut fake = fake.split(' ');
    let (url, key, secret) = (
        fake.next().unwrap(),
        fake.next().unwrap(),
        fake.next().unwrap(),
    );
    let client = portone_pg::client::Client::builder(key, secret)
        .base_url(url)
        .build()
        .unwrap();
    let imp_uids: Vec<String> = std::env::var(CHILD_IMP_UIDS)
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    let first = settle_storm(&db, client, &imp_uids).await;
    println!("FIRST={first}");
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;
    use portone_pg_ledger::Door;
    use portone_pg_ledger::store::PostgresStore;

    pub(super) async fn ledger(fake: &portone_pg_fake::FakeApi) -> Option<Ledger<PostgresStore>> {
        let pg = support::Pg::database().await?;
        Some(Ledger::new(client(fake), pg.store().await))
    }

    #[tokio::test]
    async fn a_connection_dropped_mid_transaction_leaves_nothing() {
        let fake = fake().await;
        let Some(ledger) = ledger(&fake).await else {
            return;
        };
        let pool = ledger.store().pool().clone();
        ledger.open("order-1", Amount::from(1004)).await.unwrap();
        let imp_uid = paid(&fake, "order-1", 1004);
        let payment = ledger.client().payment(&imp_uid).await.unwrap();
        // The server ends the transaction's connection before the commit.
        let mut tx = pool.begin().await.unwrap();
        assert!(
            ledger
                .apply_in(&mut tx, &payment, Door::Callback)
                .await
                .unwrap()
                .is_first()
        );
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(pid)
            .execute(&pool)
            .await
            .unwrap();
        assert!(tx.commit().await.is_err());
        let order = ledger.order("order-1").await.unwrap().unwrap();
        assert_eq!(
            (order.state(), order.history().len()),
            (OrderState::Pending, 0)
        );
        assert!(
            ledger
                .next_job(Duration::from_secs(30))
                .await
                .unwrap()
                .is_none()
        );
        // And a settle afterwards goes through.
        assert!(ledger.settle(&imp_uid).await.unwrap().is_first());
    }

    #[tokio::test]
    async fn instances_starting_together_create_the_tables_once() {
        let Some(pg) = support::Pg::database().await else {
            return;
        };
        let options = || {
            portone_pg_ledger::store::PostgresOptions::default()
                .schema("shop_ledger")
                .unwrap()
                .max_connections(2)
        };
        let starts: Vec<_> = (0..8)
            .map(|_| {
                let (url, options) = (pg.url.clone(), options());
                tokio::spawn(async move { PostgresStore::connect_with(&url, options).await })
            })
            .collect();
        for start in starts {
            start.await.unwrap().unwrap();
        }
        let store = PostgresStore::connect_with(&pg.url, options())
            .await
            .unwrap();
        let tables: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'shop_ledger'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(tables, 8);
        let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM portone_ledger_version")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(versions, 1);
        assert!(
            portone_pg_ledger::store::PostgresOptions::default()
                .schema("x; DROP TABLE y")
                .is_err()
        );
    }
}

/// What keeps a test's database alive (a temporary directory).
type Keep = Box<dyn std::any::Any + Send>;

/// A SQLite ledger on a file of its own, kept while `Keep` lives.
async fn sqlite_ledger(
    fake: &portone_pg_fake::FakeApi,
) -> Option<(Keep, Ledger<portone_pg_ledger::store::SqliteStore>)> {
    let db = Db::new();
    let ledger = Ledger::new(client(fake), db.store().await);
    Some((Box::new(db), ledger))
}

/// A Postgres ledger on a database of its own.
#[cfg(feature = "postgres")]
async fn postgres_ledger(
    fake: &portone_pg_fake::FakeApi,
) -> Option<(Keep, Ledger<portone_pg_ledger::store::PostgresStore>)> {
    Some((Box::new(()), postgres::ledger(fake).await?))
}

/// The faults each SQL store must survive, written once for both: a
/// database error in the middle of a transition (a trigger on the jobs
/// table), and the application's own transaction rolled back or committed
/// with its own write.
macro_rules! store_faults {
    (
        $module:ident, $feature:literal,
        ledger: $ledger:path,
        begin: $begin:ident ( $($arg:expr)? ),
        fail: [$($fail:literal),*],
        heal: $heal:literal $(,)?
    ) => {
        #[cfg(feature = $feature)]
        mod $module {
            use super::*;
            use portone_pg_ledger::Door;

            #[tokio::test]
            async fn a_store_failing_mid_transition_leaves_nothing_half_written() {
                let fake = fake().await;
                let Some((_keep, ledger)) = $ledger(&fake).await else { return };
                ledger.open("order-1", Amount::from(1004)).await.unwrap();
                let imp_uid = paid(&fake, "order-1", 1004);
                // The job's insert fails after the order's row was updated in
                // the same transaction: a real database error.
                let pool = ledger.store().pool();
                $(sqlx::query($fail).execute(pool).await.unwrap();)*
                let answer = ledger.notify(&webhook(&imp_uid, "order-1")).await;
                assert_eq!((answer.clone(), answer.status()), (Answer::Unavailable, 503));
                let order = ledger.order("order-1").await.unwrap().unwrap();
                assert_eq!((order.state(), order.history().len()), (OrderState::Pending, 0));
                assert!(ledger.next_job(Duration::from_secs(30)).await.unwrap().is_none());
                // The store is back; PortOne re-sends after the 5xx.
                sqlx::query($heal).execute(pool).await.unwrap();
                let answer = ledger.notify(&webhook(&imp_uid, "order-1")).await;
                assert_eq!(answer, Answer::Handled { first: true });
                let job = ledger.next_job(Duration::from_secs(30)).await.unwrap().unwrap();
                assert_eq!(job.kind(), &JobKind::Fulfil);
                // Every delivery is in the audit table, with its answer.
                let results: Vec<(String, Option<String>)> = sqlx::query_as(
                    "SELECT result, source FROM portone_deliveries ORDER BY received_at",
                )
                .fetch_all(pool)
                .await
                .unwrap();
                let source = Some("127.0.0.1".to_owned());
                assert_eq!(
                    results,
                    [("unavailable".to_owned(), source.clone()), ("handled".to_owned(), source)]
                );
            }

            #[tokio::test]
            async fn a_transition_commits_with_the_applications_own_writes_or_not_at_all() {
                let fake = fake().await;
                let Some((_keep, ledger)) = $ledger(&fake).await else { return };
                let pool = ledger.store().pool().clone();
                for statement in [
                    "CREATE TABLE stock (sku TEXT PRIMARY KEY, left_over BIGINT NOT NULL)",
                    "INSERT INTO stock VALUES ('carrot-10kg', 5)",
                ] {
                    sqlx::query(statement).execute(&pool).await.unwrap();
                }
                ledger.open("order-1", Amount::from(1004)).await.unwrap();
                let imp_uid = paid(&fake, "order-1", 1004);
                let payment = ledger.client().payment(&imp_uid).await.unwrap();
                let stock = || async {
                    sqlx::query_scalar::<_, i64>("SELECT left_over FROM stock")
                        .fetch_one(&pool)
                        .await
                        .unwrap()
                };
                let take = "UPDATE stock SET left_over = left_over - 1";
                // Applied, the stock taken, then rolled back: nothing happened.
                let mut tx = pool.$begin($($arg)?).await.unwrap();
                assert!(ledger.apply_in(&mut tx, &payment, Door::Callback).await.unwrap().is_first());
                sqlx::query(take).execute(&mut *tx).await.unwrap();
                tx.rollback().await.unwrap();
                let order = ledger.order("order-1").await.unwrap().unwrap();
                assert_eq!((order.state(), stock().await), (OrderState::Pending, 5));
                assert!(ledger.next_job(Duration::from_secs(30)).await.unwrap().is_none());
                // Committed: the transition, its job and the stock together.
                let mut tx = pool.$begin($($arg)?).await.unwrap();
                let settled = ledger.apply_in(&mut tx, &payment, Door::Callback).await.unwrap();
                if settled.is_first() {
                    sqlx::query(take).execute(&mut *tx).await.unwrap();
                }
                tx.commit().await.unwrap();
                let order = ledger.order("order-1").await.unwrap().unwrap();
                assert_eq!((order.state(), stock().await), (OrderState::Paid, 4));
                let job = ledger.next_job(Duration::from_secs(30)).await.unwrap().unwrap();
                assert_eq!(job.kind(), &JobKind::Fulfil);
                // A third time: not first, so the application takes nothing.
                let mut tx = pool.$begin($($arg)?).await.unwrap();
                let settled = ledger.apply_in(&mut tx, &payment, Door::Webhook).await.unwrap();
                assert!(!settled.is_first());
                tx.commit().await.unwrap();
                assert_eq!(stock().await, 4);
            }
        }
    };
}

store_faults!(
    sqlite_store, "sqlite",
    ledger: sqlite_ledger,
    begin: begin_with("BEGIN IMMEDIATE"),
    fail: ["CREATE TRIGGER fail_jobs BEFORE INSERT ON portone_jobs BEGIN SELECT RAISE(ABORT, 'injected'); END"],
    heal: "DROP TRIGGER fail_jobs",
);

store_faults!(
    postgres_store, "postgres",
    ledger: postgres_ledger,
    begin: begin(),
    fail: [
        "CREATE FUNCTION fail_jobs() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER fail_jobs BEFORE INSERT ON portone_jobs FOR EACH ROW EXECUTE FUNCTION fail_jobs()"
    ],
    heal: "DROP TRIGGER fail_jobs ON portone_jobs",
);
