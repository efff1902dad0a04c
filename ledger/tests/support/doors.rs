//! The axum doors served on 127.0.0.1 (feature `axum`).

use std::net::SocketAddr;
use std::time::Duration;

use portone_pg_fake::{FakeApi, WebhookFormat};
use portone_pg_ledger::Ledger;
use portone_pg_ledger::store::Store;

/// The doors of `ledger` served on 127.0.0.1, the fake's webhooks sent
/// there. Stops when dropped.
pub struct Doors {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Doors {
    pub async fn serve<S: Store>(ledger: Ledger<S>, fake: Option<&FakeApi>) -> Doors {
        let app = portone_pg_ledger::axum::routes(ledger, Default::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let _ = tokio::time::timeout(Duration::from_secs(600), axum::serve(listener, service))
                .await;
        });
        if let Some(fake) = fake {
            fake.send_webhooks_to(
                &format!("http://{addr}/portone/webhook"),
                WebhookFormat::Json,
            );
        }
        Doors { addr, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Doors {
    fn drop(&mut self) {
        self.task.abort();
    }
}
