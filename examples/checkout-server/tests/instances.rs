//! The reference server as separate OS processes on one Postgres database:
//! two instances racing over HTTP, and instances killed (SIGKILL) at chosen
//! points and restarted. PortOne is one fake V1 API in this process.
//!
//! Needs `PORTONE_LEDGER_POSTGRES_URL` (`bash scripts/postgres.sh start
//! DIR`); without it the tests say they were skipped, except under
//! `CI=true`, where that is a failure.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portone_pg::Amount;
use portone_pg_fake::{FakeApi, Fault, NewPayment, Route, WebhookFormat};
use portone_pg_ledger::store::PostgresStore;
use portone_pg_ledger::{JobKind, Ledger};
use serde_json::Value;

/// A fresh database on the test server, or `None` (skipped) without one.
async fn database() -> Option<String> {
    use sqlx::Connection;
    let var = "PORTONE_LEDGER_POSTGRES_URL";
    let Ok(admin) = std::env::var(var) else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true and {var} is not set: the Postgres tests cannot run");
        }
        eprintln!("SKIPPED: {var} is not set; start a server with scripts/postgres.sh");
        return None;
    };
    let name = format!(
        "checkout_{}_{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos() ^ rand_suffix()
    );
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    Some(format!("{}/{name}", admin.rsplit_once('/').unwrap().0))
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_007
}

async fn fake() -> FakeApi {
    FakeApi::builder()
        .max_requests(200_000)
        .max_lifetime(Duration::from_secs(600))
        .start()
        .await
        .unwrap()
}

/// One server process; killed (SIGKILL) when dropped.
struct Instance {
    child: Child,
    lines: mpsc::Receiver<String>,
    url: String,
}

impl Instance {
    /// Starts the server on a free port against `database` and the fake,
    /// with extra settings; waits until it listens.
    fn start(database: &str, fake: &FakeApi, settings: &[(&str, &str)]) -> Instance {
        let mut command = Command::new(env!("CARGO_BIN_EXE_checkout-server"));
        command
            .env("DATABASE_URL", database)
            .env("CHECKOUT_ADDR", "127.0.0.1:0")
            .env("IMP_KEY", fake.key())
            .env("IMP_SECRET", fake.secret())
            .env("PORTONE_API_URL", fake.url())
            .env("CHECKOUT_WORKER_EVERY", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (name, value) in settings {
            command.env(name, value);
        }
        let mut child = command.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut instance = Instance {
            child,
            lines,
            url: String::new(),
        };
        let line = instance.wait_for("listening on ");
        instance.url = line.trim_start_matches("listening on ").to_owned();
        instance
    }

    /// The next line starting with `prefix` (within 30 s).
    fn wait_for(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(_) => panic!("the server did not print {prefix:?} in time"),
            }
        }
    }

    fn kill(mut self) {
        // SIGKILL on Unix: no destructor, no flush, no goodbye.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn post(
    http: &reqwest::Client,
    url: String,
    content_type: &str,
    body: String,
) -> (u16, Value) {
    let response = http
        .post(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(http: &reqwest::Client, url: String) -> Value {
    serde_json::from_str(&http.get(url).send().await.unwrap().text().await.unwrap()).unwrap()
}

async fn open(http: &reqwest::Client, instance: &Instance, merchant_uid: &str, amount: u64) {
    let body = format!(r#"{{"merchant_uid":"{merchant_uid}","amount":"{amount}"}}"#);
    let (status, answer) = post(
        http,
        format!("{}/orders", instance.url),
        "application/json",
        body,
    )
    .await;
    assert_eq!(status, 201, "{answer}");
}

/// `count` settles of one payment at once, over the three doors of every
/// instance; how many said they made the transition.
async fn knock(instances: &[&Instance], imp_uid: &str, merchant_uid: &str, count: usize) -> usize {
    let http = reqwest::Client::new();
    let tasks: Vec<_> = (0..count)
        .map(|n| {
            let base = instances[n % instances.len()].url.clone();
            let request = match n % 3 {
                0 => http
                    .post(format!("{base}/portone/callback?pg=tosspayments"))
                    .header("content-type", "application/json")
                    .body(format!(r#"{{"imp_uid":"{imp_uid}","merchant_uid":"{merchant_uid}"}}"#)),
                1 => http.get(format!(
                    "{base}/portone/redirect?imp_uid={imp_uid}&merchant_uid={merchant_uid}&imp_success=true"
                )),
                _ => http
                    .post(format!("{base}/portone/webhook"))
                    .header("content-type", "application/json")
                    .body(format!(r#"{{"imp_uid":"{imp_uid}","merchant_uid":"{merchant_uid}","status":"paid"}}"#)),
            };
            tokio::spawn(async move {
                let response = request.send().await.unwrap();
                assert_eq!(response.status().as_u16(), 200);
                let text = response.text().await.unwrap();
                text == "handled" || text.contains(r#""first":true"#)
            })
        })
        .collect();
    let mut first = 0;
    for task in tasks {
        first += usize::from(task.await.unwrap());
    }
    first
}

async fn jobs(ledger: &Ledger<PostgresStore>) -> Vec<(String, JobKind)> {
    let mut jobs = Vec::new();
    while let Some(job) = ledger.next_job(Duration::from_secs(60)).await.unwrap() {
        jobs.push((job.merchant_uid().to_owned(), job.kind().clone()));
        job.done().await.unwrap();
    }
    jobs
}

fn observer(fake: &FakeApi) -> portone_pg::client::Client {
    portone_pg::client::Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_database_settle_cancel_and_refund_once() {
    let Some(database) = database().await else {
        return;
    };
    let fake = fake().await;
    let a = Instance::start(&database, &fake, &[]);
    let b = Instance::start(&database, &fake, &[]);
    let both = [&a, &b];
    let http = reqwest::Client::new();
    let ledger = Ledger::new(
        observer(&fake),
        PostgresStore::connect(&database).await.unwrap(),
    );
    const ROUNDS: usize = 8;
    for i in 0..ROUNDS {
        // Paid: 64 settles over both instances' three doors.
        let m = format!("order-{i}");
        open(&http, if i % 2 == 0 { &a } else { &b }, &m, 1000).await;
        let imp_uid = fake
            .create(NewPayment::paid(&m, Amount::from(1000)))
            .unwrap();
        assert_eq!(knock(&[&a, &b], &imp_uid, &m, 64).await, 1, "round {i}");
        let order = get(&http, format!("{}/orders/{m}", b.url)).await;
        assert_eq!(order["history"].as_array().unwrap().len(), 1, "{order}");
        assert_eq!(jobs(&ledger).await, [(m.clone(), JobKind::Fulfil)]);

        // A console refund announced to both instances many times at once.
        fake.send_webhooks_to(&format!("{}/portone/webhook", a.url), WebhookFormat::Form);
        fake.console_cancel(&imp_uid, Some(Amount::from(100)))
            .await
            .unwrap();
        fake.send_webhooks_to(&format!("{}/portone/webhook", b.url), WebhookFormat::Json);
        let (copies, knocks) = tokio::join!(
            fake.send_webhook_copies(&imp_uid, 16),
            knock(&both, &imp_uid, &m, 16)
        );
        assert!(copies.iter().all(|s| *s == Some(200)), "{copies:?}");
        let _ = knocks;
        let cancelled: Vec<_> = jobs(&ledger).await;
        assert_eq!(cancelled.len(), 1, "round {i}: {cancelled:?}");

        // Refunds with one key, sent to both instances at once.
        let refunds: Vec<_> = (0..16)
            .map(|n| {
                let base = if n % 2 == 0 {
                    a.url.clone()
                } else {
                    b.url.clone()
                };
                let (http, m) = (http.clone(), m.clone());
                tokio::spawn(async move {
                    post(
                        &http,
                        format!("{base}/orders/{m}/refund"),
                        "application/json",
                        format!(r#"{{"amount":"300","key":"refund-{m}"}}"#),
                    )
                    .await
                })
            })
            .collect();
        for refund in refunds {
            let (status, order) = refund.await.unwrap();
            assert_eq!(
                (status, &order["cancelled_amount"]),
                (200, &"400".into()),
                "{order}"
            );
        }
        assert_eq!(fake.cancellations(&imp_uid), 2, "round {i}");
        assert_eq!(jobs(&ledger).await.len(), 1, "round {i}");
    }
    println!(
        "two instances: {ROUNDS} rounds, each: 64 settles (1 first, 1 Fulfil job), 1 console refund announced 32 times (1 Cancelled job), 16 keyed refunds (1 at PortOne)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_after_the_commit_before_the_reply_nothing_is_doubled() {
    let Some(database) = database().await else {
        return;
    };
    let fake = fake().await;
    let http = reqwest::Client::new();
    let mut held = Instance::start(&database, &fake, &[("CHECKOUT_HOLD", "after_door")]);
    open(&http, &held, "order-1", 1004).await;
    let imp_uid = fake
        .create(NewPayment::paid("order-1", Amount::from(1004)))
        .unwrap();
    fake.send_webhooks_to(
        &format!("{}/portone/webhook", held.url),
        WebhookFormat::Json,
    );
    let delivery = tokio::spawn({
        let imp_uid = imp_uid.clone();
        let http = http.clone();
        let url = format!("{}/portone/webhook", held.url);
        async move {
            http.post(url)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"imp_uid":"{imp_uid}","merchant_uid":"order-1","status":"paid"}}"#
                ))
                .send()
                .await
        }
    });
    held.wait_for("held after /portone/webhook");
    held.kill();
    // PortOne sees a failed delivery and re-sends it, to a restarted server.
    assert!(delivery.await.unwrap().is_err());
    let restarted = Instance::start(&database, &fake, &[]);
    let (status, answer) = post(
        &http,
        format!("{}/portone/webhook", restarted.url),
        "application/json",
        format!(r#"{{"imp_uid":"{imp_uid}","merchant_uid":"order-1","status":"paid"}}"#),
    )
    .await;
    assert_eq!((status, answer), (200, Value::from("duplicate")));
    let order = get(&http, format!("{}/orders/order-1", restarted.url)).await;
    assert_eq!(
        (&order["state"], order["history"].as_array().unwrap().len()),
        (&"paid".into(), 1)
    );
    let ledger = Ledger::new(
        observer(&fake),
        PostgresStore::connect(&database).await.unwrap(),
    );
    assert_eq!(
        jobs(&ledger).await,
        [("order-1".to_owned(), JobKind::Fulfil)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_holding_a_job_lease_the_job_is_offered_again() {
    let Some(database) = database().await else {
        return;
    };
    let fake = fake().await;
    let http = reqwest::Client::new();
    let worker = [("CHECKOUT_WORKER_EVERY", "1"), ("CHECKOUT_JOB_LEASE", "2")];
    let mut held = Instance::start(
        &database,
        &fake,
        &[worker[0], worker[1], ("CHECKOUT_HOLD", "job")],
    );
    open(&http, &held, "order-1", 1004).await;
    let imp_uid = fake
        .create(NewPayment::paid("order-1", Amount::from(1004)))
        .unwrap();
    assert_eq!(knock(&[&held], &imp_uid, "order-1", 3).await, 1);
    let line = held.wait_for("held job ");
    assert_eq!(line, "held job order-1/fulfil");
    held.kill();
    let mut restarted = Instance::start(&database, &fake, &worker);
    // Offered again once the dead worker's lease ends, and done once.
    let line = restarted.wait_for("job: ");
    assert_eq!(line, "job: fulfil order-1 (attempt 2)");
    let ledger = Ledger::new(
        observer(&fake),
        PostgresStore::connect(&database).await.unwrap(),
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(jobs(&ledger).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_between_the_refund_and_its_recording_the_refund_is_resolved_by_lookup() {
    let Some(database) = database().await else {
        return;
    };
    let fake = fake().await;
    let http = reqwest::Client::new();
    let lease = [("CHECKOUT_REFUND_LEASE", "2")];
    let first = Instance::start(&database, &fake, &lease);
    open(&http, &first, "order-1", 1000).await;
    let imp_uid = fake
        .create(NewPayment::paid("order-1", Amount::from(1000)))
        .unwrap();
    assert_eq!(knock(&[&first], &imp_uid, "order-1", 1).await, 1);
    // PortOne refunds, and its answer is held until after the kill.
    fake.fail_next(
        Route::Cancel,
        Fault::AppliedThenLost(Duration::from_secs(20)),
    );
    let refund = tokio::spawn({
        let (http, url) = (http.clone(), format!("{}/orders/order-1/refund", first.url));
        async move {
            http.post(url)
                .header("content-type", "application/json")
                .body(r#"{"amount":"300","key":"return-1"}"#)
                .send()
                .await
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while fake.cancellations(&imp_uid) == 0 {
        assert!(
            Instant::now() < deadline,
            "the refund never reached PortOne"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill();
    assert!(refund.await.unwrap().is_err());
    // Restarted; the same request again (same key): after the dead call's
    // lease the key is taken over, and the refund is found by lookup — not
    // sent a second time.
    let restarted = Instance::start(&database, &fake, &lease);
    let (status, order) = post(
        &http,
        format!("{}/orders/order-1/refund", restarted.url),
        "application/json",
        r#"{"amount":"300","key":"return-1"}"#.to_owned(),
    )
    .await;
    assert_eq!(
        (status, &order["cancelled_amount"]),
        (200, &"300".into()),
        "{order}"
    );
    assert_eq!(order["state"], "partially_cancelled");
    assert_eq!(fake.cancellations(&imp_uid), 1);
    let applied = fake.cancel_requests().iter().filter(|c| c.applied).count();
    assert_eq!(applied, 1);
}
