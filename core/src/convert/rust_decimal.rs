//! `Amount` ↔ `rust_decimal::Decimal`.

use rust_decimal::Decimal;

use crate::{Amount, Error, ErrorKind};

/// Exact: `10.50` becomes `10.50`. An amount beyond `Decimal` (a mantissa
/// over 96 bits, or more than 28 decimal places that are not trailing zeros)
/// is an error, never rounded.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Amount;
/// use rust_decimal::Decimal;
///
/// let paid: Amount = "10.50".parse()?;
/// assert_eq!(Decimal::try_from(paid)?.to_string(), "10.50");
/// assert!(Decimal::try_from("1e30".parse::<Amount>()?).is_err());
/// # Ok::<(), portone_pg::Error>(())
/// ```
impl TryFrom<Amount> for Decimal {
    type Error = Error;

    fn try_from(amount: Amount) -> Result<Self, Error> {
        let exact =
            |mantissa: i128, scale: u32| Decimal::try_from_i128_with_scale(mantissa, scale).ok();
        exact(amount.mantissa(), amount.scale())
            .or_else(|| {
                // 1004.000…0 with more places than Decimal keeps: the same
                // value without the trailing zeros.
                let (mut mantissa, mut scale) = (amount.mantissa(), amount.scale());
                while scale > 0 && mantissa % 10 == 0 {
                    mantissa /= 10;
                    scale -= 1;
                }
                exact(mantissa, scale)
            })
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!("amount {amount} does not fit rust_decimal::Decimal (96-bit mantissa, at most 28 decimal places)"),
                )
            })
    }
}

/// Always exact: every `Decimal` is an `Amount`.
impl From<Decimal> for Amount {
    fn from(decimal: Decimal) -> Self {
        // A Decimal's scale is at most 28 (its invariant), within Amount's 38
        // and within u8.
        Amount::at_scale(decimal.mantissa(), decimal.scale() as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Amount {
        text.parse().unwrap()
    }

    #[test]
    fn exact_both_ways_at_the_edges() {
        for text in [
            "0",
            "1004",
            "-300",
            "10.50",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
        ] {
            let decimal = Decimal::try_from(amount(text)).unwrap();
            assert_eq!(decimal.to_string(), text);
            assert_eq!(Amount::from(decimal).to_string(), text);
        }
        // Trailing zeros beyond 28 places are dropped, not the value.
        let long = amount("1.00000000000000000000000000000000");
        assert_eq!(Decimal::try_from(long).unwrap(), Decimal::ONE);
        for too_big in [
            "79228162514264337593543950336",
            "1e30",
            "0.00000000000000000000000000001",
        ] {
            let error = Decimal::try_from(amount(too_big)).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidValue, "{too_big}");
        }
        assert_eq!(
            Amount::from(Decimal::MAX),
            amount("79228162514264337593543950335")
        );
        assert_eq!(Amount::from(Decimal::new(-1050, 2)).to_string(), "-10.50");
    }
}
