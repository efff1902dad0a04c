//! Points in time as i'mport sends them: UNIX seconds, or a Korean wall-clock text.

use std::fmt;

use super::integer::parse_i64;
use super::{AsEntry, Entry, Received, lenient_value};
use serde::de::{self, Unexpected, Visitor};

/// Korea Standard Time is UTC+9 all year (no daylight saving since 1988).
const KST_OFFSET_SECONDS: i64 = 9 * 3600;

/// A point in time such as `paid_at` or `vbank_date`, kept exactly as received.
///
/// Three forms occur: UNIX seconds as a JSON number (`1648344363`), the same
/// as a string (`"1648344363"`), and — seen for `vbank_date` from KG Inicis —
/// a wall-clock text in Korea time (`"2017-01-19 23:59:59"`). `0` means "has
/// not happened" (`paid_at` of an unpaid virtual account). Serializing gives
/// back the received form.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Timestamp;
///
/// let paid_at: Timestamp = serde_json::from_str("1648344363")?;
/// assert_eq!(paid_at.unix_seconds(), Some(1648344363));
///
/// let not_paid: Timestamp = serde_json::from_str("0")?;
/// assert!(not_paid.is_unset());
/// assert_eq!(not_paid.unix_seconds(), None);
///
/// let deadline: Timestamp = serde_json::from_str(r#""2017-01-19 23:59:59""#)?;
/// assert_eq!(deadline.to_string(), "2017-01-19 23:59:59");
/// assert_eq!(deadline.unix_seconds(), Some(1484837999)); // read as Korea time
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    kind: Kind,
    received: Received,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Unix(i64),
    Civil(CivilDateTime),
}

/// A wall-clock date and time without a zone, as in `"2017-01-19 23:59:59"`.
///
/// i'mport means Korea time (KST, UTC+9) by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CivilDateTime {
    /// Year, e.g. 2017.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
}

impl CivilDateTime {
    /// Parses exactly `YYYY-MM-DD HH:MM:SS`, checking that the date exists.
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() != 19
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b' '
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let num = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = &b[range];
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')))
        };
        let civil = CivilDateTime {
            year: num(0..4)?,
            month: num(5..7)? as u8,
            day: num(8..10)? as u8,
            hour: num(11..13)? as u8,
            minute: num(14..16)? as u8,
            second: num(17..19)? as u8,
        };
        let valid = (1..=12).contains(&civil.month)
            && civil.day >= 1
            && civil.day <= days_in_month(civil.year, civil.month)
            && civil.hour < 24
            && civil.minute < 60
            && civil.second < 60;
        valid.then_some(civil)
    }

    /// UNIX seconds of this wall-clock time read in Korea time (UTC+9).
    pub fn to_unix_seconds_kst(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let seconds =
            i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second);
        days * 86_400 + seconds - KST_OFFSET_SECONDS
    }
}

impl fmt::Display for CivilDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

fn is_leap(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

impl Timestamp {
    /// A timestamp of `seconds` since the UNIX epoch (`0` = not happened).
    pub fn from_unix_seconds(seconds: i64) -> Self {
        Timestamp {
            kind: Kind::Unix(seconds),
            received: Received::Native,
        }
    }

    /// When it happened, in UNIX seconds; `None` for `0` ("has not happened").
    /// A wall-clock text is read as Korea time.
    pub fn unix_seconds(&self) -> Option<i64> {
        match self.kind {
            Kind::Unix(0) => None,
            Kind::Unix(seconds) => Some(seconds),
            Kind::Civil(civil) => Some(civil.to_unix_seconds_kst()),
        }
    }

    /// Whether the value is `0`: the event (payment, failure, cancellation)
    /// has not happened.
    pub fn is_unset(&self) -> bool {
        self.kind == Kind::Unix(0)
    }

    /// The wall-clock text, when it was received as `"YYYY-MM-DD HH:MM:SS"`.
    pub fn civil(&self) -> Option<CivilDateTime> {
        match self.kind {
            Kind::Civil(civil) => Some(civil),
            Kind::Unix(_) => None,
        }
    }
}

impl fmt::Display for Timestamp {
    /// The value as received: UNIX seconds or the wall-clock text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Unix(seconds) => fmt::Display::fmt(&seconds, f),
            Kind::Civil(civil) => fmt::Display::fmt(&civil, f),
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl AsEntry for Timestamp {
    #[inline]
    fn entry(&self) -> Entry<'_> {
        match (self.kind, self.received) {
            (Kind::Unix(seconds), Received::Native) => Entry::I64(seconds),
            _ => Entry::Text(self),
        }
    }
}

lenient_value!(Timestamp, TimestampVisitor);

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UNIX seconds (a number or a string of digits) or \"YYYY-MM-DD HH:MM:SS\"")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
        i64::try_from(v)
            .map(Timestamp::from_unix_seconds)
            .map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
        if v < 0 {
            return Err(E::invalid_value(Unexpected::Signed(v), &self));
        }
        Ok(Timestamp::from_unix_seconds(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
        let kind = match parse_i64(v) {
            Some(seconds) if seconds >= 0 => Kind::Unix(seconds),
            Some(_) => return Err(E::invalid_value(Unexpected::Str(v), &self)),
            None => Kind::Civil(
                CivilDateTime::parse(v)
                    .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))?,
            ),
        };
        Ok(Timestamp {
            kind,
            received: Received::Text,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_forms_round_trip() {
        for json in [
            "1648344363",
            "0",
            r#""1648344363""#,
            r#""2018-09-19 23:59:00""#,
        ] {
            let t: Timestamp = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&t).unwrap(), json);
        }
    }

    #[test]
    fn civil_time_is_korea_time() {
        let t: Timestamp = serde_json::from_str(r#""1970-01-01 09:00:00""#).unwrap();
        assert_eq!(t.unix_seconds(), Some(0));
        let t: Timestamp = serde_json::from_str(r#""2024-02-29 00:00:00""#).unwrap();
        assert_eq!(t.unix_seconds(), Some(1_709_132_400));
        assert_eq!(t.civil().unwrap().day, 29);
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for bad in [
            "-1",
            "1.5",
            r#""""#,
            r#""2023-02-29 00:00:00""#,
            r#""2017-13-01 00:00:00""#,
            r#""2017-01-19T23:59:59""#,
            r#""2017-01-19 24:00:00""#,
            r#""-5""#,
            "true",
            "18446744073709551615",
        ] {
            assert!(serde_json::from_str::<Timestamp>(bad).is_err(), "{bad}");
        }
    }
}
