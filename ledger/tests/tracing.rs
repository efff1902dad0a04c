//! With the `tracing` feature: an event per transition, per refused payment
//! or notification and per refund, with ids, states and doors only.
#![cfg(feature = "tracing")]

mod support;

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use portone_pg::Amount;
use portone_pg_fake::NewPayment;
use portone_pg_ledger::{Ledger, Notification, Refund};
use support::{Db, client, fake, paid};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every event as its fields, `name=value`, joined.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Fields(Vec<String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "portone_pg_ledger"
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0.join(" "));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn transitions_refusals_and_refunds_are_events_without_personal_data() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let fake = fake().await;
    let db = Db::new();
    let ledger = Ledger::new(client(&fake), db.store().await);
    ledger.open("order-1", Amount::from(1004)).await.unwrap();
    let imp_uid = paid(&fake, "order-1", 1004);
    ledger.settle(&imp_uid).await.unwrap();
    ledger
        .refund(Refund::partial("order-1", Amount::from(4)))
        .await
        .unwrap();
    let tampered = fake
        .create(NewPayment::paid("order-2", Amount::from(1)))
        .unwrap();
    ledger.open("order-2", Amount::from(1004)).await.unwrap();
    ledger.settle(&tampered).await.unwrap_err();
    ledger
        .notify(&Notification {
            content_type: "application/json".into(),
            body: b"{}".to_vec(),
            ..Notification::default()
        })
        .await;
    let events = recorder.0.lock().unwrap().clone();
    let has = |needles: &[&str]| events.iter().any(|e| needles.iter().all(|n| e.contains(n)));
    assert!(
        has(&[
            "merchant_uid=\"order-1\"",
            "from=\"pending\"",
            "to=\"paid\"",
            "door=\"api\""
        ]),
        "{events:#?}"
    );
    assert!(
        has(&["to=\"partially_cancelled\"", "door=\"refund\""]),
        "{events:#?}"
    );
    assert!(has(&["amount=4", "result=\"refunded\""]), "{events:#?}");
    assert!(
        has(&["merchant_uid=\"order-2\"", "payment refused"])
            || has(&["merchant_uid=\"order-2\"", "reason="]),
        "{events:#?}"
    );
    assert!(has(&["result=\"malformed\""]), "{events:#?}");
    for event in &events {
        for personal in ["buyer", "card_number", "vbank_num", "@"] {
            assert!(!event.contains(personal), "{event}");
        }
    }
}
