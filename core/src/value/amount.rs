//! Exact decimal money.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::de::{self, MapAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::kept::{BorrowedText, RAW_VALUE_TOKEN, TokenOrKey, json_string};
use super::{AsEntry, Entry, FieldValue, OrNull, Received};
use crate::error::{Error, ErrorKind};

/// The most decimal places (and digits) an [`Amount`] holds.
const MAX_DIGITS: u32 = 38;

/// An exact decimal amount of money: `paid_amount`, `amount`, `cancel_amount`.
///
/// i'mport amounts are JSON numbers in the currency's major unit (KRW `1004`,
/// USD `10.50`), sometimes sent as strings (`"1004"`) by redirects and mobile
/// SDKs. `Amount` reads both from the digits, never through `f64`, keeps the
/// decimal places it was given (`10.50` displays as `10.50`) and compares by
/// value (`10.50 == 10.5`). Serializing writes the value back in the form it
/// arrived in (number or string).
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Amount;
///
/// let paid: Amount = "10.50".parse()?;
/// assert_eq!(paid.to_string(), "10.50");
/// assert_eq!(paid, "10.5".parse::<Amount>()?);
/// assert_eq!(Amount::from(1004), "1004".parse::<Amount>()?);
/// assert_eq!(paid.mantissa(), 1050);
/// assert_eq!(paid.scale(), 2);
/// # Ok::<(), portone_pg::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Amount {
    mantissa: i128,
    scale: u8,
    received: Received,
}

impl Amount {
    /// `mantissa × 10^-scale`, e.g. `Amount::new(1050, 2)` is `10.50`.
    ///
    /// Fails when `scale` exceeds 38 decimal places.
    pub fn new(mantissa: i128, scale: u32) -> Result<Self, Error> {
        if scale > MAX_DIGITS {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("amount has {scale} decimal places; at most {MAX_DIGITS} are supported"),
            ));
        }
        Ok(Amount {
            mantissa,
            scale: scale as u8,
            received: Received::Native,
        })
    }

    /// A whole number received as a JSON number.
    const fn whole(mantissa: i128) -> Self {
        Amount {
            mantissa,
            scale: 0,
            received: Received::Native,
        }
    }

    /// The digits without the decimal point: `1050` for `10.50`.
    pub fn mantissa(&self) -> i128 {
        self.mantissa
    }

    /// The number of decimal places as received: `2` for `10.50`.
    pub fn scale(&self) -> u32 {
        u32::from(self.scale)
    }

    /// The amount as a whole number, when it has no fractional part and fits
    /// in `i64` (`1004` and `1004.00` give `Some(1004)`, `10.50` gives `None`).
    pub fn to_i64(&self) -> Option<i64> {
        let (mantissa, scale) = self.normalized();
        if scale == 0 {
            i64::try_from(mantissa).ok()
        } else {
            None
        }
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.mantissa < 0
    }

    /// `self + other`, exactly, with the larger number of decimal places
    /// (`10.50 + 1` is `11.50`); `None` when the result does not fit.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::Amount;
    ///
    /// let sum = "10.50".parse::<Amount>()?.checked_add(Amount::from(1));
    /// assert_eq!(sum.map(|a| a.to_string()), Some("11.50".to_owned()));
    /// assert_eq!(Amount::new(i128::MAX, 0)?.checked_add(Amount::from(1)), None);
    /// # Ok::<(), portone_pg::Error>(())
    /// ```
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        let (a, b, scale) = Amount::aligned(self, other)?;
        Some(Amount::at_scale(a.checked_add(b)?, scale))
    }

    /// `self - other`, exactly, with the larger number of decimal places
    /// (the cancellable balance is `amount - cancel_amount`); `None` when the
    /// result does not fit.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::Amount;
    ///
    /// let balance = Amount::from(1004).checked_sub("300.5".parse()?);
    /// assert_eq!(balance.map(|a| a.to_string()), Some("703.5".to_owned()));
    /// # Ok::<(), portone_pg::Error>(())
    /// ```
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        let (a, b, scale) = Amount::aligned(self, other)?;
        Some(Amount::at_scale(a.checked_sub(b)?, scale))
    }

    /// Both mantissas at the larger of the two scales.
    fn aligned(a: Amount, b: Amount) -> Option<(i128, i128, u8)> {
        let scale = a.scale.max(b.scale);
        Some((
            rescale(a.mantissa, scale - a.scale)?,
            rescale(b.mantissa, scale - b.scale)?,
            scale,
        ))
    }

    pub(crate) const fn at_scale(mantissa: i128, scale: u8) -> Self {
        Amount {
            mantissa,
            scale,
            received: Received::Native,
        }
    }

    /// The value with trailing fractional zeros removed, for comparison.
    fn normalized(&self) -> (i128, u8) {
        let (mut mantissa, mut scale) = (self.mantissa, self.scale);
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        (mantissa, scale)
    }

    fn parse(text: &str, received: Received) -> Result<Self, AmountError> {
        let (mantissa, scale) = parse_decimal(text.as_bytes())?;
        Ok(Amount {
            mantissa,
            scale,
            received,
        })
    }
}

/// Why a text is not an amount.
#[derive(Debug)]
enum AmountError {
    Syntax,
    OutOfRange,
}

impl AmountError {
    fn describe(&self, text: &str) -> String {
        match self {
            AmountError::Syntax => {
                format!("invalid amount {text:?}: expected a decimal number such as 1004 or 10.50")
            }
            AmountError::OutOfRange => format!(
                "amount {} is out of range: an exact amount holds at most {MAX_DIGITS} digits",
                truncate_for_message(text)
            ),
        }
    }
}

fn truncate_for_message(text: &str) -> String {
    const LIMIT: usize = 48;
    if text.len() <= LIMIT {
        return text.to_owned();
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

/// Parses the JSON number grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`)
/// exactly into `mantissa × 10^-scale`.
fn parse_decimal(bytes: &[u8]) -> Result<(i128, u8), AmountError> {
    let mut i = 0;
    let negative = bytes.first() == Some(&b'-');
    if negative {
        i += 1;
    }
    let mut mantissa: i128 = 0;
    // Counts and positions come from the input: every sum below is checked,
    // so no input can wrap into a small, plausible amount in a release build.
    let digits = |i: &mut usize, mantissa: &mut i128| -> Result<i64, AmountError> {
        let start = *i;
        while let Some(d @ b'0'..=b'9') = bytes.get(*i).copied() {
            *mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(d - b'0')))
                .ok_or(AmountError::OutOfRange)?;
            *i += 1;
        }
        i64::try_from(*i - start).map_err(|_| AmountError::OutOfRange)
    };
    let int_start = i;
    let int_digits = digits(&mut i, &mut mantissa)?;
    if int_digits == 0 || (int_digits > 1 && bytes[int_start] == b'0') {
        return Err(AmountError::Syntax);
    }
    let mut frac_digits = 0i64;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = digits(&mut i, &mut mantissa)?;
        if frac_digits == 0 {
            return Err(AmountError::Syntax);
        }
    }
    let mut exponent: i64 = 0;
    let mut exponent_overflow = false;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let exp_negative = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        // An exponent past i64 is refused, not clamped: a clamped exponent
        // still reaches the arithmetic below with a wrong value.
        let mut overflow = false;
        while let Some(d @ b'0'..=b'9') = bytes.get(i).copied() {
            match exponent
                .checked_mul(10)
                .and_then(|e| e.checked_add(i64::from(d - b'0')))
            {
                Some(e) => exponent = e,
                None => overflow = true,
            }
            i += 1;
        }
        if i == start {
            return Err(AmountError::Syntax);
        }
        exponent_overflow = overflow;
        if exp_negative {
            exponent = -exponent;
        }
    }
    if i != bytes.len() {
        return Err(AmountError::Syntax);
    }
    if exponent_overflow {
        return Err(AmountError::OutOfRange);
    }
    if negative {
        mantissa = -mantissa;
    }
    // value = mantissa × 10^shift
    let shift = exponent
        .checked_sub(frac_digits)
        .ok_or(AmountError::OutOfRange)?;
    if shift >= 0 {
        if mantissa == 0 {
            return Ok((0, 0));
        }
        let factor = u32::try_from(shift)
            .ok()
            .and_then(|s| 10i128.checked_pow(s))
            .ok_or(AmountError::OutOfRange)?;
        let mantissa = mantissa
            .checked_mul(factor)
            .ok_or(AmountError::OutOfRange)?;
        return Ok((mantissa, 0));
    }
    // shift < 0, so its negation cannot overflow unless it is i64::MIN.
    let scale = shift.checked_neg().unwrap_or(i64::MAX);
    match u8::try_from(scale) {
        Ok(scale) if scale <= MAX_DIGITS as u8 => Ok((mantissa, scale)),
        // Zero keeps its value at any scale; only the displayed places are capped.
        _ if mantissa == 0 => Ok((0, MAX_DIGITS as u8)),
        _ => Err(AmountError::OutOfRange),
    }
}

impl FromStr for Amount {
    type Err = Error;

    /// Parses a decimal number in JSON syntax: `1004`, `10.50`, `-3`, `1e3`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Amount::parse(s, Received::Native)
            .map_err(|e| Error::new(ErrorKind::InvalidValue, e.describe(s)))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = usize::from(self.scale);
        let mut out = String::with_capacity(digits.len() + scale + 3);
        if self.mantissa < 0 {
            out.push('-');
        }
        if scale == 0 {
            out.push_str(&digits);
        } else if digits.len() <= scale {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', scale - digits.len()));
            out.push_str(&digits);
        } else {
            let (int, frac) = digits.split_at(digits.len() - scale);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        }
        f.pad(&out)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({self})")
    }
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.normalized() == other.normalized()
    }
}

impl Eq for Amount {}

/// By value, like `==`: `10.5 < 10.51`, `1004 == 1004.00`.
impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        let ((a, a_scale), (b, b_scale)) = (self.normalized(), other.normalized());
        let scale = a_scale.max(b_scale);
        match (rescale(a, scale - a_scale), rescale(b, scale - b_scale)) {
            (Some(a), Some(b)) => a.cmp(&b),
            // A mantissa that overflows when scaled up is larger in magnitude
            // than the other (which fits): its sign decides. At most one side
            // is scaled, so at most one overflows.
            (None, _) if a > 0 => Ordering::Greater,
            (None, _) => Ordering::Less,
            (_, None) if b > 0 => Ordering::Less,
            (_, None) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Adds up amounts exactly, `None` if the total does not fit: summing
/// refunds or line items never wraps. The sum of nothing is `Some(0)`.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Amount;
///
/// let refunds = [Amount::from(300), "200.50".parse()?];
/// let total: Option<Amount> = refunds.iter().sum();
/// assert_eq!(total.map(|a| a.to_string()), Some("500.50".to_owned()));
/// let overflow: Option<Amount> = [Amount::new(i128::MAX, 0)?, Amount::from(1)].into_iter().sum();
/// assert_eq!(overflow, None);
/// # Ok::<(), portone_pg::Error>(())
/// ```
impl std::iter::Sum<Amount> for Option<Amount> {
    fn sum<I: Iterator<Item = Amount>>(mut iter: I) -> Self {
        iter.try_fold(Amount::from(0u8), Amount::checked_add)
    }
}

/// Adds up borrowed amounts, like the owned form.
impl<'a> std::iter::Sum<&'a Amount> for Option<Amount> {
    fn sum<I: Iterator<Item = &'a Amount>>(iter: I) -> Self {
        iter.copied().sum()
    }
}

/// `mantissa × 10^places`, or `None` when it does not fit.
fn rescale(mantissa: i128, places: u8) -> Option<i128> {
    10i128
        .checked_pow(u32::from(places))
        .and_then(|factor| mantissa.checked_mul(factor))
}

impl Hash for Amount {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.normalized().hash(state);
    }
}

macro_rules! amount_from_int {
    ($($int:ty),*) => {$(
        impl From<$int> for Amount {
            fn from(value: $int) -> Self {
                Amount::whole(i128::from(value))
            }
        }
    )*};
}
amount_from_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl AsEntry for Amount {
    /// The form it arrived in: a string as the same string, a whole number
    /// as an integer, a number with a fraction digit for digit (`10.50`,
    /// `0.1234567890123456789`), where an f64 would round or drop the zero.
    #[inline]
    fn entry(&self) -> Entry<'_> {
        match self.received {
            Received::Text => Entry::Text(self),
            Received::Native if self.scale == 0 => match i64::try_from(self.mantissa) {
                Ok(small) => Entry::I64(small),
                Err(_) => Entry::I128(self.mantissa),
            },
            Received::Native => Entry::Number(self),
        }
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.entry().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, AmountVisitor)
    }
}

impl FieldValue for Amount {
    fn deserialize_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_newtype_struct(RAW_VALUE_TOKEN, NullableAmountVisitor)
    }
}

struct AmountVisitor;

/// [`AmountVisitor`] for a property value, where both null forms are `None`.
struct NullableAmountVisitor;

impl<'de> Visitor<'de> for NullableAmountVisitor {
    type Value = Option<Amount>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        AmountVisitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key_seed(TokenOrKey)? {
            Some(None) => {
                let raw = map.next_value_seed(BorrowedText)?;
                match &*raw {
                    "null" | "\"null\"" => Ok(None),
                    raw => AmountVisitor::from_raw_json(raw).map(Some),
                }
            }
            _ => Err(de::Error::invalid_type(Unexpected::Map, &self)),
        }
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(OrNull(AmountVisitor))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

impl AmountVisitor {
    fn from_text<E: de::Error>(text: &str, received: Received) -> Result<Amount, E> {
        Amount::parse(text, received).map_err(|e| match e {
            AmountError::Syntax => E::invalid_value(Unexpected::Str(text), &AmountVisitor),
            AmountError::OutOfRange => E::custom(e.describe(text)),
        })
    }

    /// Reads an amount from the raw JSON text of a value.
    fn from_raw_json<E: de::Error>(raw: &str) -> Result<Amount, E> {
        match raw.as_bytes().first() {
            Some(b'"') => Self::from_text(&json_string(raw).map_err(E::custom)?, Received::Text),
            Some(b'-' | b'0'..=b'9') => Self::from_text(raw, Received::Native),
            Some(b't') => Err(E::invalid_type(Unexpected::Bool(true), &AmountVisitor)),
            Some(b'f') => Err(E::invalid_type(Unexpected::Bool(false), &AmountVisitor)),
            Some(b'n') => Err(E::invalid_type(Unexpected::Unit, &AmountVisitor)),
            Some(b'[') => Err(E::invalid_type(Unexpected::Seq, &AmountVisitor)),
            _ => Err(E::invalid_type(Unexpected::Map, &AmountVisitor)),
        }
    }
}

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount (a JSON number or a numeric string such as \"1004\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Amount, A::Error> {
        // serde_json answers the raw-value request with a one-entry map whose
        // key is the token; any other map is a real (wrong-typed) object.
        match map.next_key_seed(TokenOrKey)? {
            Some(None) => {
                let raw = map.next_value_seed(BorrowedText)?;
                Self::from_raw_json(&raw)
            }
            _ => Err(de::Error::invalid_type(Unexpected::Map, &self)),
        }
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Amount, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
        Ok(Amount::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
        Ok(Amount::from(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Amount, E> {
        i128::try_from(v)
            .map(Amount::whole)
            .map_err(|_| E::custom(AmountError::OutOfRange.describe(&v.to_string())))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Amount, E> {
        Ok(Amount::whole(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
        // Only reached from deserializers that have no raw text (not
        // serde_json): the shortest decimal that reads back as this f64.
        if !v.is_finite() {
            return Err(E::invalid_value(Unexpected::Float(v), &self));
        }
        Self::from_text(&v.to_string(), Received::Native)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
        Self::from_text(v, Received::Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Amount {
        s.parse().unwrap()
    }

    #[test]
    fn ordering_is_by_value_at_any_scale() {
        assert!(parse("10.5") < parse("10.51"));
        assert_eq!(parse("1004").cmp(&parse("1004.00")), Ordering::Equal);
        assert!(parse("-1") < parse("0.000001"));
        let huge = Amount::new(i128::MAX, 0).unwrap();
        let tiny = Amount::new(1, 38).unwrap();
        let negative_huge = Amount::new(-5, 0).unwrap();
        // Scaling `huge` or `-5` to 38 places overflows: the sign decides.
        assert_eq!(
            (huge.cmp(&tiny), tiny.cmp(&huge)),
            (Ordering::Greater, Ordering::Less)
        );
        assert_eq!(negative_huge.cmp(&tiny), Ordering::Less);
        assert_eq!(tiny.cmp(&negative_huge), Ordering::Greater);
        let mut amounts = [parse("3"), parse("-2.5"), parse("0.25"), parse("3.00")];
        amounts.sort();
        let sorted: Vec<String> = amounts.iter().map(Amount::to_string).collect();
        assert_eq!(sorted, ["-2.5", "0.25", "3", "3.00"]);
    }

    #[test]
    fn checked_arithmetic_keeps_places_and_refuses_overflow() {
        let sum = parse("10.50").checked_add(parse("0.255")).unwrap();
        assert_eq!(sum.to_string(), "10.755");
        assert_eq!(
            parse("1004")
                .checked_sub(parse("1004.0"))
                .unwrap()
                .to_string(),
            "0.0"
        );
        assert_eq!(
            parse("300").checked_sub(parse("1004")).unwrap().to_string(),
            "-704"
        );
        let max = Amount::new(i128::MAX, 0).unwrap();
        assert_eq!(max.checked_add(Amount::from(1)), None);
        assert_eq!(
            Amount::new(i128::MIN, 0)
                .unwrap()
                .checked_sub(Amount::from(1)),
            None
        );
        // Aligning the scales overflows before adding.
        assert_eq!(max.checked_add(parse("0.1")), None);
        // The result is a native number, whatever form the inputs had.
        let text: Amount = serde_json::from_str(r#""5""#).unwrap();
        let added = text.checked_add(Amount::from(1)).unwrap();
        assert_eq!(serde_json::to_string(&added).unwrap(), "6");
    }

    #[test]
    fn grammar() {
        assert_eq!(parse("1004").to_string(), "1004");
        assert_eq!(parse("10.50").to_string(), "10.50");
        assert_eq!(parse("0.05").to_string(), "0.05");
        assert_eq!(parse("-3").to_string(), "-3");
        assert_eq!(parse("1e3").to_string(), "1000");
        assert_eq!(parse("15E-1").to_string(), "1.5");
        assert_eq!(parse("0").to_string(), "0");
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "1,000", " 1", "1 ", "+1", "NaN", "Infinity", "0x10",
            "1e+",
        ] {
            assert!(bad.parse::<Amount>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn range() {
        assert!("1e400".parse::<Amount>().is_err());
        assert!("1e-400".parse::<Amount>().is_err());
        assert_eq!(parse("0e400"), Amount::from(0));
        assert!("9".repeat(39).parse::<Amount>().is_err());
        assert!(parse(&"9".repeat(38)).to_i64().is_none());
        // Exponents at and past the i64 bounds, and shifts that would wrap:
        // each is an exact value or OutOfRange, never a wrapped small amount.
        for huge in [
            "1.004e-99999999999999999999",
            "1.004e99999999999999999999",
            "1004e-9223372036854775808",
            "1004e-9223372036854775807",
            "1.004e-9223372036854775807",
            "1.004e-9223372036854775806",
            "1004e9223372036854775807",
            "1e-9223372036854775809",
            "0.5e-9223372036854775807",
            "-1.004e-99999999999999999999",
        ] {
            let err = huge.parse::<Amount>().unwrap_err();
            assert!(err.message().contains("out of range"), "{huge}: {err}");
        }
        assert_eq!(parse("0e-9223372036854775807"), Amount::from(0));
        assert_eq!(parse("0.0e-9223372036854775807").scale(), 38);
        assert_eq!(parse("1004e-2"), parse("10.04"));
        assert_eq!(parse("10.04e2"), Amount::from(1004));
        let err = "1e400".parse::<Amount>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "amount 1e400 is out of range: an exact amount holds at most 38 digits"
        );
    }

    #[test]
    fn equality_is_by_value() {
        assert_eq!(parse("10.50"), parse("10.5"));
        assert_eq!(parse("1004.00"), Amount::from(1004));
        assert_ne!(parse("10.05"), parse("10.5"));
        assert_eq!(parse("1004.00").to_i64(), Some(1004));
        assert_eq!(parse("10.5").to_i64(), None);
    }

    #[test]
    fn json_numbers_are_read_from_their_digits() {
        // 0.1 + 0.2 style inputs and long fractions are kept exactly.
        let a: Amount = serde_json::from_str("12345678901234567.89").unwrap();
        assert_eq!(a.to_string(), "12345678901234567.89");
        let a: Amount = serde_json::from_str("0.30000000000000004").unwrap();
        assert_eq!(a.to_string(), "0.30000000000000004");
        let a: Amount = serde_json::from_str(r#""1004""#).unwrap();
        assert_eq!(a, Amount::from(1004));
        let a: Amount = serde_json::from_str(r#""\u0031004""#).unwrap();
        assert_eq!(a, Amount::from(1004));
    }

    #[test]
    fn wrong_types_name_what_was_found() {
        let err = serde_json::from_str::<Amount>("true")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("invalid type: boolean `true`, expected an amount"),
            "{err}"
        );
        let err = serde_json::from_str::<Amount>(r#""abc""#)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("invalid value: string \"abc\", expected an amount"),
            "{err}"
        );
        let err = serde_json::from_str::<Amount>(r#"{"a":1}"#)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("invalid type: map"), "{err}");
        let err = serde_json::from_str::<Amount>("[1]")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("invalid type: sequence"), "{err}");
    }

    #[test]
    fn serializes_in_the_received_form() {
        for json in [
            "1004",
            "10.5",
            r#""1004""#,
            r#""10.50""#,
            "-7",
            "170141183460469231731687303715884105727",
        ] {
            let a: Amount = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&a).unwrap(), json);
        }
        // Too many digits for an f64, or a trailing zero: still the same
        // JSON number, every digit kept.
        for json in [
            "12345678901234567.89",
            "0.1234567890123456789",
            "10.50",
            "-0.05",
        ] {
            let a: Amount = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&a).unwrap(), json);
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::from_str::<serde_json::Value>(json).unwrap()
            );
        }
    }

    #[test]
    fn other_deserializers_go_through_the_visitor() {
        let v = serde_json::json!(10.5);
        let a: Amount = serde_json::from_value(v).unwrap();
        assert_eq!(a, parse("10.5"));
        let a: Amount = serde_json::from_value(serde_json::json!(1004)).unwrap();
        assert_eq!(a, Amount::from(1004));
        let a: Amount = serde_json::from_value(serde_json::json!("1004")).unwrap();
        assert_eq!(a, Amount::from(1004));
    }
}
