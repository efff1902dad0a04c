//! `Timestamp` and `CivilDateTime` → time.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::{KST, instant, out_of_range};
use crate::{CivilDateTime, Error, Timestamp};

/// The instant, in UTC; a wall-clock text is read as Korea time. `0` ("has
/// not happened") and instants beyond `time`'s range are errors.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Timestamp;
/// use time::OffsetDateTime;
///
/// let paid_at: Timestamp = serde_json::from_str("1648344363")?;
/// assert_eq!(OffsetDateTime::try_from(paid_at)?.unix_timestamp(), 1648344363);
/// assert!(OffsetDateTime::try_from(Timestamp::from_unix_seconds(0)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl TryFrom<Timestamp> for OffsetDateTime {
    type Error = Error;

    fn try_from(timestamp: Timestamp) -> Result<Self, Error> {
        let seconds = instant(&timestamp, "time::OffsetDateTime")?;
        OffsetDateTime::from_unix_timestamp(seconds)
            .map_err(|_| out_of_range(seconds, "time::OffsetDateTime"))
    }
}

/// The wall-clock time as written, without an offset.
impl TryFrom<CivilDateTime> for PrimitiveDateTime {
    type Error = Error;

    fn try_from(civil: CivilDateTime) -> Result<Self, Error> {
        let date = Month::try_from(civil.month)
            .and_then(|month| Date::from_calendar_date(i32::from(civil.year), month, civil.day));
        let time = Time::from_hms(civil.hour, civil.minute, civil.second);
        match (date, time) {
            (Ok(date), Ok(time)) => Ok(PrimitiveDateTime::new(date, time)),
            _ => Err(out_of_range(civil, "time::PrimitiveDateTime")),
        }
    }
}

/// The wall-clock time in Korea time, UTC+09:00.
impl TryFrom<CivilDateTime> for OffsetDateTime {
    type Error = Error;

    fn try_from(civil: CivilDateTime) -> Result<Self, Error> {
        let kst = UtcOffset::from_whole_seconds(KST)
            .map_err(|_| out_of_range(civil, "time::OffsetDateTime"))?;
        Ok(PrimitiveDateTime::try_from(civil)?.assume_offset(kst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges() {
        let instant = |s: i64| OffsetDateTime::try_from(Timestamp::from_unix_seconds(s));
        assert!(instant(0).is_err());
        assert_eq!(instant(-1).unwrap().unix_timestamp(), -1);
        assert!(instant(i64::MAX).is_err());
        let midnight = CivilDateTime::parse("2024-01-01 00:00:00").unwrap();
        let kst = OffsetDateTime::try_from(midnight).unwrap();
        assert_eq!(
            (kst.unix_timestamp(), kst.offset().whole_hours()),
            (1704034800, 9)
        );
        let leap = CivilDateTime::parse("2024-02-29 12:00:00").unwrap();
        assert_eq!(PrimitiveDateTime::try_from(leap).unwrap().day(), 29);
    }
}
