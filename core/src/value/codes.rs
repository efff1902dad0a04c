//! Open enums for the code-valued properties: an unknown code is kept, never an error.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

use super::OrNull;

/// Declares an open code enum: one variant per known code plus
/// `Other(String)`, with `from_code` / `as_str`, `Display` and serde impls that
/// use the code. Shared by core's enums and the generated `PgProvider`.
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal $(| $alias:literal)*, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A code this version of portone-pg does not know, kept exactly as received.
            Other(::std::string::String),
        }

        $crate::__if_schemars! {
            impl $crate::__private::schemars::JsonSchema for $name {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(stringify!($name))
                }

                fn json_schema(_: &mut $crate::__private::schemars::SchemaGenerator) -> $crate::__private::schemars::Schema {
                    $crate::__private::code_schema(
                        concat!("A code (", stringify!($name), "); unknown codes are kept."),
                        Self::KNOWN_CODES,
                    )
                }
            }
        }

        impl $name {
            /// Every code this version knows.
            pub const KNOWN_CODES: &'static [&'static str] = &[$($code),*];

            /// The value for `code`: a known variant, or `Other` keeping the code.
            pub fn from_code(code: &str) -> Self {
                Self::known(code).unwrap_or_else(|| Self::Other(code.to_owned()))
            }

            fn known(code: &str) -> ::std::option::Option<Self> {
                match code {
                    $( $code $(| $alias)* => ::std::option::Option::Some(Self::$variant), )*
                    _ => ::std::option::Option::None,
                }
            }

            /// The code as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $code, )*
                    Self::Other(code) => code,
                }
            }

            /// Whether this version knows the code (it is not `Other`).
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::Other(code) => write!(f, "{}::Other({:?})", stringify!($name), code),
                    known => write!(f, "{}({:?})", stringify!($name), known.as_str()),
                }
            }
        }

        impl ::std::cmp::PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl ::std::cmp::PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl $crate::__private::AsEntry for $name {
            #[inline]
            fn entry(&self) -> $crate::__private::Entry<'_> {
                $crate::__private::Entry::Str(self.as_str())
            }
        }

        impl $crate::__private::Code for $name {
            const EXPECTING: &'static str = concat!("a ", stringify!($name), " code string");

            fn from_code(code: &str) -> Self {
                Self::from_code(code)
            }

            fn from_owned(code: ::std::string::String) -> Self {
                Self::known(&code).unwrap_or(Self::Other(code))
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_code(deserializer)
            }
        }

        impl $crate::__private::FieldValue for $name {
            fn deserialize_field<'de, D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<::std::option::Option<Self>, D::Error> {
                $crate::__private::deserialize_code_field(deserializer)
            }
        }
    };
}

/// Adds an infallible `FromStr` (and `From<&str>`) that uses the code.
macro_rules! code_from_str {
    ($($name:ident),*) => {$(
        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(code: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_code(code))
            }
        }

        impl From<&str> for $name {
            fn from(code: &str) -> Self {
                Self::from_code(code)
            }
        }
    )*};
}

crate::__open_enum! {
    /// The payment method (`pay_method`) a response reports.
    ///
    /// It may differ from the one requested: Kakao Pay reports Kakao Money as
    /// `point`, NICE easy pay reports `point`, Toss Pay reports `trans` for a
    /// `card` request paid from a Toss balance. Codes not listed here arrive as
    /// `Other`.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::PayMethod;
    ///
    /// assert_eq!(PayMethod::from_code("point"), PayMethod::Point);
    /// assert_eq!(PayMethod::from_code("alipay_plus"), PayMethod::AlipayPlus);
    /// assert_eq!(PayMethod::from_code("newpay").to_string(), "newpay");
    /// ```
    pub enum PayMethod {
        /// `card`: credit or check card.
        Card = "card",
        /// `trans`: real-time bank transfer.
        Trans = "trans",
        /// `vbank`: virtual account (deposit later).
        Vbank = "vbank",
        /// `phone`: mobile phone micropayment.
        Phone = "phone",
        /// `cultureland`: Culture Land gift card.
        Cultureland = "cultureland",
        /// `smartculture`: Smart Culture gift card.
        Smartculture = "smartculture",
        /// `booknlife`: Book&Life gift card.
        Booknlife = "booknlife",
        /// `culturegift`: culture gift certificate.
        Culturegift = "culturegift",
        /// `happymoney`: Happy Money gift card.
        Happymoney = "happymoney",
        /// `samsung`: Samsung Pay (response code).
        Samsung = "samsung",
        /// `samsungpay`: Samsung Pay (request code of some PGs).
        Samsungpay = "samsungpay",
        /// `kakaopay`: Kakao Pay.
        Kakaopay = "kakaopay",
        /// `naverpay`: Naver Pay.
        Naverpay = "naverpay",
        /// `naverpay_card`: Naver Pay, card.
        NaverpayCard = "naverpay_card",
        /// `naverpay_point`: Naver Pay, points.
        NaverpayPoint = "naverpay_point",
        /// `naverpay_bridge`: Naver Pay through KCP's bridge.
        NaverpayBridge = "naverpay_bridge",
        /// `payco`: PAYCO.
        Payco = "payco",
        /// `lpay`: L.pay.
        Lpay = "lpay",
        /// `ssgpay`: SSG Pay.
        Ssgpay = "ssgpay",
        /// `ssgpay_bank`: SSG Pay, bank account.
        SsgpayBank = "ssgpay_bank",
        /// `tosspay`: Toss Pay.
        Tosspay = "tosspay",
        /// `tosspay_card`: Toss Pay, card.
        TosspayCard = "tosspay_card",
        /// `tosspay_money`: Toss Pay, Toss balance.
        TosspayMoney = "tosspay_money",
        /// `toss_brandpay`: Toss Payments BrandPay.
        TossBrandpay = "toss_brandpay",
        /// `applepay`: Apple Pay.
        Applepay = "applepay",
        /// `pinpay`: Pin Pay.
        Pinpay = "pinpay",
        /// `skpay`: SK Pay.
        Skpay = "skpay",
        /// `kpay`: K-Pay.
        Kpay = "kpay",
        /// `point`: a PG's own points or balance (Kakao Money, NICE easy pay).
        Point = "point",
        /// `paypal`: PayPal.
        Paypal = "paypal",
        /// `wechat`: WeChat Pay.
        Wechat = "wechat",
        /// `alipay`: Alipay.
        Alipay = "alipay",
        /// `alipay_plus`: Alipay+.
        AlipayPlus = "alipay_plus",
        /// `unionpay`: UnionPay.
        Unionpay = "unionpay",
        /// `tenpay`: Tenpay.
        Tenpay = "tenpay",
        /// `paysbuy`: Paysbuy.
        Paysbuy = "paysbuy",
        /// `econtext`: Japanese convenience-store payment via Eximbay.
        Econtext = "econtext",
        /// `molpay`: MOLPay.
        Molpay = "molpay",
        /// `cvs`: Japanese convenience store (KG Inicis Japan).
        Cvs = "cvs",
        /// `paypay`: PayPay.
        Paypay = "paypay",
        /// `amazonpay`: Amazon Pay.
        Amazonpay = "amazonpay",
        /// `rakutenpay`: Rakuten Pay.
        Rakutenpay = "rakutenpay",
        /// `merpay`: Merpay.
        Merpay = "merpay",
        /// `aupay`: au PAY.
        Aupay = "aupay",
        /// `dbarai`: docomo d払い.
        Dbarai = "dbarai",
    }
}

crate::__open_enum! {
    /// The payment status (`status`).
    ///
    /// In a callback it is a claim (`ready`, `paid`, `failed`); in the REST
    /// payment object it is the record (`cancelled` exists only there).
    /// `ready` with `pay_method` `vbank` means a virtual account was issued and
    /// awaits deposit.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::Status;
    ///
    /// assert_eq!("paid".parse::<Status>(), Ok(Status::Paid));
    /// assert_eq!(Status::Cancelled.as_str(), "cancelled");
    /// ```
    pub enum Status {
        /// `ready`: not paid yet (window left open, or virtual account issued).
        Ready = "ready",
        /// `paid`: approved.
        Paid = "paid",
        /// `failed`: failed or abandoned.
        Failed = "failed",
        /// `cancelled`: refunded in full or in part (REST only).
        Cancelled = "cancelled",
    }
}

crate::__open_enum! {
    /// The currency (`currency`), an ISO 4217 code; KRW unless the merchant asked otherwise.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::Currency;
    ///
    /// assert_eq!(Currency::from_code("KRW"), Currency::Krw);
    /// assert_eq!(Currency::from_code("THB"), Currency::Other("THB".into()));
    /// ```
    pub enum Currency {
        /// `KRW`: South Korean won (no minor unit).
        Krw = "KRW",
        /// `USD`: US dollar.
        Usd = "USD",
        /// `EUR`: euro.
        Eur = "EUR",
        /// `JPY`: Japanese yen (no minor unit).
        Jpy = "JPY",
        /// `CNY`: Chinese yuan.
        Cny = "CNY",
    }
}

crate::__open_enum! {
    /// The easy-pay brand that approved a "hub" payment opened from a PG
    /// window (`emb_pg_provider`).
    ///
    /// The docs list `kakopay`, almost certainly a typo for `kakaopay`; it is
    /// not mapped, so if it ever arrives it is kept as `Other("kakopay")`.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::EmbPgProvider;
    ///
    /// assert_eq!(EmbPgProvider::from_code("naverpay"), EmbPgProvider::Naverpay);
    /// assert!(!EmbPgProvider::from_code("kakopay").is_known());
    /// ```
    pub enum EmbPgProvider {
        /// `naverpay`.
        Naverpay = "naverpay",
        /// `kakaopay`.
        Kakaopay = "kakaopay",
        /// `payco`.
        Payco = "payco",
        /// `samsungpay`.
        Samsungpay = "samsungpay",
        /// `ssgpay`.
        Ssgpay = "ssgpay",
        /// `lpay`.
        Lpay = "lpay",
        /// `applepay`.
        Applepay = "applepay",
        /// `pinpay`.
        Pinpay = "pinpay",
        /// `tosspay`.
        Tosspay = "tosspay",
        /// `skpay`.
        Skpay = "skpay",
        /// `toss_brandpay`.
        TossBrandpay = "toss_brandpay",
        /// `kpay`.
        Kpay = "kpay",
    }
}

code_from_str!(PayMethod, Status, Currency, EmbPgProvider);

/// An open code enum, for the shared code visitor.
#[doc(hidden)]
pub trait Code: Sized {
    /// What the visitor expects, for error messages.
    const EXPECTING: &'static str;
    /// The value of a borrowed code.
    fn from_code(code: &str) -> Self;
    /// The value of an owned code (no copy for unknown codes).
    fn from_owned(code: String) -> Self;
}

struct CodeVisitor<T>(PhantomData<T>);

impl<T: Code> Visitor<'_> for CodeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from_code(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from_owned(v))
    }
}

/// `Deserialize` of an open code enum.
#[doc(hidden)]
pub fn deserialize_code<'de, T: Code, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_str(CodeVisitor(PhantomData))
}

/// `FieldValue` of an open code enum.
#[doc(hidden)]
pub fn deserialize_code_field<'de, T: Code, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    d.deserialize_any(OrNull(CodeVisitor(PhantomData)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_are_kept_and_round_trip() {
        let m: PayMethod = serde_json::from_str(r#""brand_new""#).unwrap();
        assert_eq!(m, PayMethod::Other("brand_new".into()));
        assert_eq!(serde_json::to_string(&m).unwrap(), r#""brand_new""#);
        let m: PayMethod = serde_json::from_str(r#""card""#).unwrap();
        assert_eq!(m, PayMethod::Card);
        assert_eq!(format!("{m:?}"), r#"PayMethod("card")"#);
        assert!(serde_json::from_str::<Status>("1").is_err());
    }
}
