//! Runs the checkout server on 127.0.0.1:3000 with one demo order and its
//! payment object held in memory:
//!
//! ```text
//! cargo run -p checkout-server
//! curl -X POST localhost:3000/payments/callback?pg=kcp \
//!      -d '{"success":true,"imp_uid":"imp_347242536261","merchant_uid":"57008833-33004"}'
//! ```

use std::collections::HashMap;

use checkout_server::{App, StaticPayments, router};
use portone_pg::Amount;
use portone_pg::rest::Payment;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let payment = Payment::from_json(
        br#"{"imp_uid":"imp_347242536261","merchant_uid":"57008833-33004","amount":1004,
             "cancel_amount":0,"currency":"KRW","status":"paid","pay_method":"card","pg_provider":"kcp"}"#,
    )?;
    let app = App::new(StaticPayments(HashMap::from([(
        payment.imp_uid.clone(),
        payment,
    )])));
    app.create_order("57008833-33004", Amount::from(1004));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(app)).await?;
    Ok(())
}
