//! With the `tracing` feature, each API call is a span carrying the
//! endpoint, ids, HTTP status and API code, and never a secret.
#![cfg(feature = "tracing")]

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use portone_pg_client::Client;
use portone_pg_core::Amount;
use portone_pg_fake::{FakeApi, NewPayment};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span field as `name=value`.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a Mutex<Vec<String>>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0
            .lock()
            .unwrap()
            .push(format!("{}={value:?}", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        span.record(&mut Fields(&self.0));
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&self.0));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn spans_name_the_call_and_never_a_secret() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let fake = FakeApi::start().await.unwrap();
    let imp_uid = fake
        .create(NewPayment::paid("order-1", Amount::from(1004)))
        .unwrap();
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .build()
        .unwrap();
    client.payment(&imp_uid).await.unwrap();
    client.payment("imp_none").await.unwrap_err();
    let fields = recorder.0.lock().unwrap().clone();
    for expected in [
        "endpoint=\"POST /users/getToken\"".to_owned(),
        "endpoint=\"GET /payments/{imp_uid}\"".to_owned(),
        format!("imp_uid=\"{imp_uid}\""),
        "http.status=200".to_owned(),
        "http.status=404".to_owned(),
        "api.code=-1".to_owned(),
    ] {
        assert!(fields.contains(&expected), "{expected} not in {fields:?}");
    }
    let all = fields.join(" ");
    assert!(
        !all.contains(fake.secret()) && !all.contains("Bearer"),
        "{all}"
    );
}
