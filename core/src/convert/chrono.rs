//! `Timestamp` and `CivilDateTime` → chrono.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};

use super::{KST, instant, out_of_range};
use crate::{CivilDateTime, Error, Timestamp};

/// The instant, in UTC; a wall-clock text is read as Korea time. `0` ("has
/// not happened") is an error.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use chrono::{DateTime, Utc};
/// use portone_pg::Timestamp;
///
/// let paid_at: Timestamp = serde_json::from_str("1648344363")?;
/// let utc = DateTime::<Utc>::try_from(paid_at)?;
/// assert_eq!(utc.to_rfc3339(), "2022-03-27T01:26:03+00:00");
/// let deadline: Timestamp = serde_json::from_str(r#""2017-01-19 23:59:59""#)?;
/// assert_eq!(DateTime::<Utc>::try_from(deadline)?.to_rfc3339(), "2017-01-19T14:59:59+00:00");
/// assert!(DateTime::<Utc>::try_from(Timestamp::from_unix_seconds(0)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl TryFrom<Timestamp> for DateTime<Utc> {
    type Error = Error;

    fn try_from(timestamp: Timestamp) -> Result<Self, Error> {
        let seconds = instant(&timestamp, "chrono::DateTime")?;
        DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| out_of_range(seconds, "chrono::DateTime"))
    }
}

/// The wall-clock time as written, without a zone.
impl TryFrom<CivilDateTime> for NaiveDateTime {
    type Error = Error;

    fn try_from(civil: CivilDateTime) -> Result<Self, Error> {
        NaiveDate::from_ymd_opt(
            i32::from(civil.year),
            u32::from(civil.month),
            u32::from(civil.day),
        )
        .and_then(|date| {
            date.and_hms_opt(
                u32::from(civil.hour),
                u32::from(civil.minute),
                u32::from(civil.second),
            )
        })
        .ok_or_else(|| out_of_range(civil, "chrono::NaiveDateTime"))
    }
}

/// The wall-clock time in Korea time, UTC+09:00.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use chrono::{DateTime, FixedOffset};
/// use portone_pg::CivilDateTime;
///
/// let midnight = CivilDateTime::parse("2024-01-01 00:00:00").unwrap();
/// let kst = DateTime::<FixedOffset>::try_from(midnight)?;
/// assert_eq!(kst.to_rfc3339(), "2024-01-01T00:00:00+09:00");
/// assert_eq!(kst.timestamp(), 1704034800); // 2023-12-31 15:00 UTC
/// # Ok::<(), portone_pg::Error>(())
/// ```
impl TryFrom<CivilDateTime> for DateTime<FixedOffset> {
    type Error = Error;

    fn try_from(civil: CivilDateTime) -> Result<Self, Error> {
        let naive = NaiveDateTime::try_from(civil)?;
        FixedOffset::east_opt(KST)
            .and_then(|kst| naive.and_local_timezone(kst).single())
            .ok_or_else(|| out_of_range(civil, "chrono::DateTime<FixedOffset>"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges() {
        let instant = |s: i64| DateTime::<Utc>::try_from(Timestamp::from_unix_seconds(s));
        assert!(instant(0).is_err());
        assert_eq!(
            instant(-1).unwrap().to_rfc3339(),
            "1969-12-31T23:59:59+00:00"
        );
        assert!(instant(i64::MAX).is_err());
        let civil = CivilDateTime::parse("2024-02-29 23:59:59").unwrap();
        assert_eq!(
            NaiveDateTime::try_from(civil).unwrap().to_string(),
            "2024-02-29 23:59:59"
        );
        let midnight = CivilDateTime::parse("2024-01-01 00:00:00").unwrap();
        let from_text: Timestamp = serde_json::from_str(r#""2024-01-01 00:00:00""#).unwrap();
        assert_eq!(
            DateTime::<Utc>::try_from(from_text).unwrap(),
            DateTime::<FixedOffset>::try_from(midnight).unwrap()
        );
    }
}
