//! Redirect query strings read by the payment dispatcher.

use crate::support;

use portone_pg::{ErrorKind, Outcome, PaymentResponse};

fn query(file: &str) -> String {
    support::read_text("redirects", file)
}

/// The variant and outcome are checked in `tests/parsing/manifests.rs`; here, the
/// ids each accessor reads from the query itself.
#[test]
fn every_redirect_names_its_ids() {
    for entry in support::manifest("redirects") {
        if entry.file.ends_with(".url") {
            continue;
        }
        let text = query(&entry.file);
        let response = match entry.pg.as_deref() {
            Some(pg) => PaymentResponse::from_query_with_pg(pg, &text),
            None => PaymentResponse::from_query(&text),
        }
        .unwrap_or_else(|e| panic!("{}: {e}", entry.file));
        let pairs: Vec<(&str, &str)> = text.split('&').filter_map(|p| p.split_once('=')).collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        assert_eq!(response.imp_uid(), get("imp_uid"), "{}", entry.file);
        assert_eq!(
            response.merchant_uid(),
            get("merchant_uid"),
            "{}",
            entry.file
        );
    }
}

#[test]
fn a_redirect_claim_is_incomplete_as_a_success_view() {
    let response =
        PaymentResponse::from_query_with_pg("kcp", &query("kcp_mobile_vbank_issued.query"))
            .unwrap();
    let PaymentResponse::Kcp(kcp) = response else {
        panic!()
    };
    assert_eq!(kcp.success.map(|f| f.get()), Some(true));
    let err = kcp.into_success().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Incomplete);
}

#[test]
fn failure_messages_are_decoded_and_kept_verbatim() {
    let response =
        PaymentResponse::from_query_with_pg("nice", &query("nice_easypay_cancel.query")).unwrap();
    assert_eq!(
        response.outcome(),
        Outcome::Failure {
            code: None,
            message: Some("에러코드 : ".into())
        }
    );
}

mod redirect_result {
    use super::*;
    use portone_pg::RedirectResult;

    #[test]
    fn every_query_fixture_agrees_with_the_dispatcher() {
        for entry in support::manifest("redirects") {
            let file = entry.file.as_str();
            if file.ends_with(".url") {
                continue;
            }
            let text = query(file);
            let redirect = RedirectResult::from_query(&text).unwrap();
            let response = match entry.pg.as_deref() {
                Some(pg) => PaymentResponse::from_query_with_pg(pg, &text),
                None => PaymentResponse::from_query(&text),
            }
            .unwrap();
            assert_eq!(redirect.outcome(), response.outcome(), "{file}");
            assert_eq!(redirect.imp_uid(), response.imp_uid(), "{file}");
            assert_eq!(redirect.merchant_uid(), response.merchant_uid(), "{file}");
            // As a whole URL too.
            let url = format!("https://shop.example/payments/complete?{text}");
            assert_eq!(RedirectResult::from_url(&url).unwrap(), redirect, "{file}");
        }
    }

    #[test]
    fn ios_inicis_transfer_return_with_encoded_separators() {
        let url = query("html5_inicis_ios_trans_return.url");
        let redirect = RedirectResult::from_url(&url).unwrap();
        assert_eq!(redirect.imp_uid(), Some("imp_100000000080"));
        assert_eq!(redirect.merchant_uid(), Some("order-inicis-80"));
        // The nested URL is one value, its own query included.
        assert_eq!(
            redirect.fields()["m_redirect_url"],
            "https://shop.example/payments/done?imp_uid=imp_100000000080&merchant_uid=order-inicis-80"
        );
        // No flag: the imp_uid is the claim, as the official SDKs read it.
        assert_eq!(redirect.outcome(), Outcome::Success);
        // The nested URL's ids may differ from the outer ones (the merchant
        // reused a return URL): the outer parameters are the result, and the
        // nested ones never clash with them, encoded or not.
        for query in [
            "imp_uid=imp_1%26merchant_uid=outer%26m_redirect_url=https%3A%2F%2Fshop.example%2Fdone%3Fimp_uid%3Dimp_9%26merchant_uid%3Dinner%26imp_success%3Dfalse",
            "imp_uid=imp_1&merchant_uid=outer&m_redirect_url=https://shop.example/done?imp_uid=imp_9&merchant_uid=inner&imp_success=false",
        ] {
            for parsed in [
                RedirectResult::from_query(query).map(|r| {
                    (
                        r.imp_uid().map(str::to_owned),
                        r.merchant_uid().map(str::to_owned),
                        r.outcome(),
                    )
                }),
                PaymentResponse::from_query_with_pg("html5_inicis", query).map(|r| {
                    (
                        r.imp_uid().map(str::to_owned),
                        r.merchant_uid().map(str::to_owned),
                        r.outcome(),
                    )
                }),
            ] {
                assert_eq!(
                    parsed.unwrap(),
                    (
                        Some("imp_1".to_owned()),
                        Some("outer".to_owned()),
                        Outcome::Success
                    ),
                    "{query}"
                );
            }
        }
        // The merchant's own parameters before PortOne's are kept, and ignored.
        let own = RedirectResult::from_url(
            "https://shop.example/done?couponId=&ref=mail&imp_uid=imp_1&merchant_uid=o&imp_success=true",
        )
        .unwrap();
        assert_eq!(own.imp_uid(), Some("imp_1"));
        assert_eq!(own.outcome(), Outcome::Success);
        assert_eq!(own.fields()["couponId"], "");
        assert_eq!(own.fields()["ref"], "mail");
        let typed = PaymentResponse::from_query_with_pg(
            "kcp",
            "couponId=&imp_uid=imp_1&merchant_uid=o&imp_success=true",
        )
        .unwrap();
        assert_eq!(typed.outcome(), Outcome::Success);
        assert_eq!(typed.extra()["couponId"], "");
        // A single value that merely contains %26 is not split.
        let one = RedirectResult::from_query("merchant_uid=a%26b").unwrap();
        assert_eq!(one.merchant_uid(), Some("a&b"));
    }

    #[test]
    fn bad_redirects_are_typed_errors() {
        for (text, kind, field) in [
            (
                "imp_uid=imp_1&imp_success=yes",
                ErrorKind::InvalidValue,
                Some("imp_success"),
            ),
            (
                "imp_uid=imp_1&imp_success=true&success=false",
                ErrorKind::InvalidValue,
                Some("success"),
            ),
            (
                "imp_uid=imp_1&imp_uid=imp_2",
                ErrorKind::DuplicateField,
                Some("imp_uid"),
            ),
            ("imp_uid=imp_%zz", ErrorKind::Syntax, Some("imp_uid")),
            ("imp_uid=%C3%28", ErrorKind::Syntax, Some("imp_uid")),
            ("imp_uid=imp_1%26merchant_uid=%FF", ErrorKind::Syntax, None),
        ] {
            let err = RedirectResult::from_query(text).unwrap_err();
            assert_eq!(err.kind(), kind, "{text}: {err}");
            assert_eq!(err.field(), field, "{text}");
        }
        assert!(
            RedirectResult::from_url("https://shop.example/done")
                .unwrap()
                .fields()
                .is_empty()
        );
    }
}
