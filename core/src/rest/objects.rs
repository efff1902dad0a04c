//! The objects the REST API answers with, read leniently where the API is
//! inconsistent and exactly where money is concerned.

use crate::parse::object::json_object;
use crate::value::{Currency, EmbPgProvider, PayMethod, Status};
use crate::{Amount, CustomData, Flag, Integer, Timestamp};

json_object! {
    /// `PaymentAnnotation` of the V1 REST API: a payment as PortOne records it.
    ///
    /// Only the properties every object has are plain values; everything
    /// else is an `Option`, because older objects (2017–2018) lack newer
    /// keys such as `card_number`, `pg_id` or `started_at`, and PGs leave
    /// many `null`. Unknown keys are kept in `extra`. Personal data is
    /// redacted in `Debug`.
    pub struct Payment ("payment") {
        /// i'mport's payment id.
        imp_uid: String, id;
        /// The merchant's order id.
        merchant_uid: String, id;
        /// The amount approved (the callback calls it `paid_amount`).
        amount: Amount, required;
        /// `ready`, `paid`, `cancelled` or `failed`.
        status: Status, required;
        /// The amount refunded so far (0 when none).
        cancel_amount: Amount, optional;
        /// The currency (`KRW` by default).
        currency: Currency, optional;
        /// The pay method code; `paypal_v2` always reports `paypal`.
        pay_method: PayMethod, optional;
        /// Where the payment was made: `pc`, `mobile` or `api`.
        channel: String, optional;
        /// The PG code (`PgProvider::from_code` reads it).
        pg_provider: String, optional;
        /// The easy-pay brand of a hub payment.
        emb_pg_provider: EmbPgProvider, optional;
        /// The PG's transaction id.
        pg_tid: String, optional;
        /// The PG store id (MID) the payment went through.
        pg_id: String, optional;
        /// Whether it went through a test channel.
        sandbox: Flag, optional;
        /// Whether it is an escrow payment.
        escrow: Flag, optional;
        /// The card approval number.
        apply_num: String, optional;
        /// The bank code of a transfer.
        bank_code: String, optional;
        /// The bank name of a transfer.
        bank_name: String, optional;
        /// The card company code.
        card_code: String, optional;
        /// The card company name.
        card_name: String, optional;
        /// The card issuer code (new-module PGs only).
        card_issuer_code: String, optional;
        /// The card issuer name (new-module PGs only).
        card_issuer_name: String, optional;
        /// The card publisher code (new-module PGs only).
        card_publisher_code: String, optional;
        /// The card publisher name (new-module PGs only).
        card_publisher_name: String, optional;
        /// Instalment months; 0 is a lump sum.
        card_quota: Integer, optional;
        /// The masked card number.
        card_number: String, pii;
        /// 0 credit, 1 check card; `null` for some PGs.
        card_type: Integer, optional;
        /// The virtual account's bank code.
        vbank_code: String, optional;
        /// The virtual account's bank name.
        vbank_name: String, optional;
        /// The virtual account number.
        vbank_num: String, pii;
        /// The virtual account's holder; `null` for Toss Payments.
        vbank_holder: String, optional;
        /// The deposit deadline.
        vbank_date: Timestamp, optional;
        /// When the virtual account was issued.
        vbank_issued_at: Timestamp, optional;
        /// The order name.
        name: String, optional;
        /// The buyer's name.
        buyer_name: String, pii;
        /// The buyer's e-mail.
        buyer_email: String, pii;
        /// The buyer's phone number.
        buyer_tel: String, pii;
        /// The buyer's address.
        buyer_addr: String, pii;
        /// The buyer's postcode.
        buyer_postcode: String, pii;
        /// The merchant's data, stored as a JSON string.
        custom_data: CustomData, optional;
        /// The buyer's user agent.
        user_agent: String, optional;
        /// When the payment window opened.
        started_at: Timestamp, optional;
        /// When it was paid; 0 if not.
        paid_at: Timestamp, optional;
        /// When it failed; 0 if not.
        failed_at: Timestamp, optional;
        /// When it was cancelled; 0 if not.
        cancelled_at: Timestamp, optional;
        /// Why it failed.
        fail_reason: String, optional;
        /// Why it was cancelled.
        cancel_reason: String, optional;
        /// The sales slip URL.
        receipt_url: String, optional;
        /// Every (partial) cancellation.
        cancel_history: Vec<Cancellation>, optional;
        /// Deposits into a fixed virtual account.
        deposit_history: Vec<Deposit>, optional;
        /// Deprecated: the cancellation slips' URLs.
        cancel_receipt_urls: Vec<String>, optional;
        /// Whether a cash receipt was issued.
        cash_receipt_issued: Flag, optional;
        /// The billing key this payment issued or used.
        customer_uid: String, pii;
        /// `issue`, `payment` or `payment.scheduled`.
        customer_uid_usage: String, optional;
        /// A card company promotion applied.
        promotion: Promotion, optional;
    }
}

json_object! {
    /// `PaymentCancelAnnotation`: one (partial) cancellation.
    pub struct Cancellation ("cancellation") {
        /// The PG's transaction id of the cancellation.
        pg_tid: String, optional;
        /// The amount cancelled.
        amount: Amount, required;
        /// When.
        cancelled_at: Timestamp, optional;
        /// Why.
        reason: String, optional;
        /// The cancellation's id; absent from 2022 objects although the
        /// current schema requires it.
        cancellation_id: String, optional;
        /// The cancellation slip's URL.
        receipt_url: String, optional;
    }
}

json_object! {
    /// `VbankDepositAnnotation`: one deposit into a fixed virtual account.
    pub struct Deposit ("deposit") {
        /// The PG's transaction id of the deposit.
        pg_tid: String, optional;
        /// The amount deposited.
        amount: Amount, required;
        /// Who deposited.
        depositor_name: String, pii;
        /// When.
        deposited_at: Timestamp, optional;
    }
}

json_object! {
    /// A card company promotion.
    pub struct Promotion ("promotion") {
        /// The promotion's id.
        id: String, optional;
        /// The discount.
        discount: Amount, optional;
    }
}

json_object! {
    /// `CertificationAnnotation`: an identity verification as PortOne
    /// records it, `GET /certifications/{imp_uid}`
    /// ([spec](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L8121)).
    ///
    /// Everything that identifies the person is redacted in `Debug`.
    pub struct Certification ("certification") {
        /// i'mport's certification id.
        imp_uid: String, id;
        /// The merchant's id for it.
        merchant_uid: String, optional;
        /// The provider's transaction id.
        pg_tid: String, optional;
        /// The provider: `danal`, `kcp_v2`, ….
        pg_provider: String, required;
        /// Whether the person was verified.
        certified: Flag, optional;
        /// When.
        certified_at: Timestamp, optional;
        /// The verified name.
        name: String, pii;
        /// `male` or `female`.
        gender: String, pii;
        /// `YYYY-MM-DD`.
        birthday: String, pii;
        /// Whether the person is a foreigner (always false unless the
        /// contract with Danal asks for it).
        foreigner: Flag, required;
        /// Like `foreigner`, from the provider's newer field.
        foreigner_v2: Flag, optional;
        /// The phone number used, digits only.
        phone: String, pii;
        /// The phone's carrier: `SKT`, `KT`, `LGT`, `SKT_MVNO`, ….
        carrier: String, optional;
        /// The person's unique key (CI).
        unique_key: String, pii;
        /// The person's key unique to the merchant's site (DI).
        unique_in_site: String, pii;
        /// Where the certification was requested from.
        origin: String, optional;
    }
}

json_object! {
    /// `PaymentPrepareAnnotation`: an amount registered before the payment
    /// window opens (`POST /payments/prepare`): a window opened for this
    /// `merchant_uid` with another amount is refused by PortOne
    /// ([spec](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L4421)).
    pub struct Prepared ("prepared") {
        /// The order's id.
        merchant_uid: String, required;
        /// The amount registered.
        amount: Amount, required;
        /// The currency registered; `None` means the currency is not checked.
        currency: Currency, optional;
    }
}

json_object! {
    /// `PagedPaymentAnnotation`: one page of payments, as
    /// `GET /payments/findAll/{merchant_uid}` answers.
    pub struct PaymentPage ("page") {
        /// How many payments match in all.
        total: Integer, required;
        /// The previous page's number, 0 when none.
        previous: Integer, required;
        /// The next page's number, 0 when none.
        next: Integer, required;
        /// The payments on this page.
        list: Vec<Payment>, optional;
    }
}

json_object! {
    /// `StandardCodeAnnotation`: a bank or card company and its code in the
    /// KFTC's standard (`GET /banks`, `GET /cards`).
    pub struct StandardCode ("code") {
        /// The standard code (`"004"`).
        code: String, required;
        /// The institution's name.
        name: String, required;
    }
}

json_object! {
    /// `EscrowLogisAnnotation`: the delivery registered for an escrow
    /// payment (`GET|POST|PUT /escrows/logis/{imp_uid}`).
    pub struct EscrowDelivery ("escrow delivery") {
        /// The courier's code.
        company: String, required;
        /// The tracking number.
        invoice: String, required;
        /// When it was sent.
        sent_at: Timestamp, required;
        /// When the delivery was registered.
        applied_at: Timestamp, optional;
    }
}

json_object! {
    /// `PaymentBalanceAnnotation`: one part of a payment's amount split
    /// for tax, after refunds (a refund subtracts from it).
    pub struct BalanceParts ("balance") {
        /// The tax-free supply.
        tax_free: Amount, required;
        /// The taxed supply.
        supply: Amount, required;
        /// The VAT.
        vat: Amount, required;
        /// The service charge.
        service: Amount, required;
    }
}

json_object! {
    /// `PaymentBalanceHistoriesAnnotation`: the balance as it stood after
    /// one change (the payment, a refund).
    pub struct BalanceChange ("balance history") {
        /// What a cash receipt was issued for.
        cash_receipt: BalanceParts, required;
        /// The first means of payment (card, transfer, virtual account,
        /// phone).
        primary: BalanceParts, required;
        /// The second (the PG's or the card company's points).
        secondary: BalanceParts, required;
        /// The PG's or the card company's own discount.
        discount: BalanceParts, required;
        /// When this state was recorded.
        created: Timestamp, optional;
    }
}

json_object! {
    /// `PaymentBalanceResponseAnnotation`: a payment's amount split by
    /// means of payment and for tax (`GET /payments/{imp_uid}/balance`;
    /// PAYCO payments only, says the
    /// [V1 API reference](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L3608)).
    pub struct PaymentBalance ("payment balance") {
        /// The payment's original total.
        amount: Amount, required;
        /// What a cash receipt was issued for.
        cash_receipt: BalanceParts, required;
        /// The first means of payment.
        primary: BalanceParts, required;
        /// The second means of payment (points).
        secondary: BalanceParts, required;
        /// The PG's or the card company's own discount.
        discount: BalanceParts, required;
        /// Each state the balance went through, oldest first.
        histories: Vec<BalanceChange>, optional;
    }
}

json_object! {
    /// The holder of a bank account, as the bank names them
    /// (`GET /vbanks/holder?bank_code=…&bank_num=…`, which the
    /// [official Java client](https://github.com/iamport/iamport-rest-client-java/blob/821d7394c695cb8b78a456ebd80a260729d992c5/src/main/java/com/siot/IamportRestClient/Iamport.java#L502)
    /// calls; the V1 reference does not list it). The name is personal
    /// data, redacted in `Debug`.
    pub struct AccountHolder ("account holder") {
        /// The account holder's name.
        bank_holder: String, pii;
    }
}
