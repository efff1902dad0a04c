//! `Timestamp` and `CivilDateTime` → jiff.

use jiff::ZonedDateTime;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};

use super::{KST, instant, out_of_range};
use crate::{CivilDateTime, Error, Timestamp};

/// The instant; a wall-clock text is read as Korea time. `0` ("has not
/// happened") and instants beyond jiff's range are errors.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Timestamp;
///
/// let paid_at: Timestamp = serde_json::from_str("1648344363")?;
/// assert_eq!(jiff::Timestamp::try_from(paid_at)?.as_second(), 1648344363);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl TryFrom<Timestamp> for jiff::Timestamp {
    type Error = Error;

    fn try_from(timestamp: Timestamp) -> Result<Self, Error> {
        let seconds = instant(&timestamp, "jiff::Timestamp")?;
        jiff::Timestamp::from_second(seconds).map_err(|_| out_of_range(seconds, "jiff::Timestamp"))
    }
}

/// The wall-clock time as written, without a zone.
impl TryFrom<CivilDateTime> for DateTime {
    type Error = Error;

    fn try_from(civil: CivilDateTime) -> Result<Self, Error> {
        let year =
            i16::try_from(civil.year).map_err(|_| out_of_range(civil, "jiff::civil::DateTime"))?;
        DateTime::new(
            year,
            civil.month as i8,
            civil.day as i8,
            civil.hour as i8,
            civil.minute as i8,
            civil.second as i8,
            0,
        )
        .map_err(|_| out_of_range(civil, "jiff::civil::DateTime"))
    }
}

/// The wall-clock time in Korea time, at the fixed offset UTC+09:00.
impl TryFrom<CivilDateTime> for ZonedDateTime {
    type Error = Error;

    fn try_from(civil: CivilDateTime) -> Result<Self, Error> {
        let kst =
            Offset::from_seconds(KST).map_err(|_| out_of_range(civil, "jiff::ZonedDateTime"))?;
        DateTime::try_from(civil)?
            .to_zoned_datetime(TimeZone::fixed(kst))
            .map_err(|_| out_of_range(civil, "jiff::ZonedDateTime"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges() {
        let instant = |s: i64| jiff::Timestamp::try_from(Timestamp::from_unix_seconds(s));
        assert!(instant(0).is_err());
        assert_eq!(instant(-1).unwrap().as_second(), -1);
        assert!(instant(i64::MAX).is_err());
        let midnight = CivilDateTime::parse("2024-01-01 00:00:00").unwrap();
        let kst = ZonedDateTime::try_from(midnight).unwrap();
        assert_eq!(kst.timestamp().as_second(), 1704034800);
        assert_eq!(
            DateTime::try_from(midnight).unwrap().to_string(),
            "2024-01-01T00:00:00"
        );
    }
}
