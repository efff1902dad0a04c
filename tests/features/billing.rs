//! The billing-key calls through the facade (feature `client`), as the
//! integration contract names them.
#![cfg(feature = "client")]

use portone_pg::Amount;
use portone_pg::client::{Again, BillingKey, Client, ErrorKind, Schedule};
use portone_pg_fake::FakeApi;

#[tokio::test]
async fn store_a_card_charge_it_and_schedule_the_next_charge()
-> Result<(), portone_pg::client::Error> {
    let fake = FakeApi::start().await.unwrap();
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .build()?;
    let key = client
        .issue_billing_key(
            "cust_1",
            BillingKey::card("4092-0230-1234-5678", "2029-12", "880101").password_2digits("12"),
        )
        .await?;
    assert_eq!(key.card_number.as_deref(), Some("409202******5678"));
    let paid: portone_pg::rest::Payment = client
        .again(Again::new(
            "cust_1",
            "order-2",
            Amount::from(9900),
            "Monthly plan",
        ))
        .await?;
    assert_eq!(paid.amount, Amount::from(9900));
    // A declined card is an error carrying the failed payment.
    fake.decline_charges("cust_1", Some("[FAKE] declined"));
    let declined = client
        .again(Again::new(
            "cust_1",
            "order-9",
            Amount::from(9900),
            "Monthly plan",
        ))
        .await
        .unwrap_err();
    assert_eq!(declined.kind(), ErrorKind::ChargeDeclined);
    assert_eq!(
        declined.payment().and_then(|p| p.fail_reason.as_deref()),
        Some("[FAKE] declined")
    );
    fake.decline_charges("cust_1", None);
    // 2027-01-01T00:00:00Z, the contract's time.
    let scheduled = client
        .schedule(
            "cust_1",
            &[Schedule::new(
                "order-3",
                1_798_761_600,
                Amount::from(9900),
                "Monthly plan",
            )],
        )
        .await?;
    assert_eq!(scheduled[0].merchant_uid, "order-3");
    let withdrawn = client.unschedule("cust_1", &["order-3"]).await?;
    assert_eq!(withdrawn[0].schedule_status, "revoked");
    client.delete_billing_key("cust_1").await?;
    let gone = client.billing_key("cust_1").await.unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
    Ok(())
}
