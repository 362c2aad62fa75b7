//! Durations in the kernel's units: one conversion and one rounding rule for every SCTP
//! timer this crate writes (RTO bounds, cookie life, heartbeat and SACK delays, the INIT
//! timeout, PR-SCTP lifetimes, the probe interval, autoclose).
//!
//! The rule: a [`Duration`] is rounded **up** to the next whole unit (millisecond, or second
//! for `SCTP_AUTOCLOSE`), so a nonzero duration never becomes 0, which most SCTP fields read
//! as "unchanged" or "off". A value that does not fit its field is `None`; each caller
//! decides whether that is an error (the socket-option setters) or a cap (the infallible
//! conversions, which say so in their docs).

use std::time::Duration;

/// `d` in whole milliseconds, rounded up; `None` if that does not fit `T` (`u32`, `u16`).
pub(crate) fn to_millis<T: TryFrom<u128>>(d: Duration) -> Option<T> {
    let ms = d.as_millis() + u128::from(d.subsec_nanos() % 1_000_000 != 0);
    T::try_from(ms).ok()
}

/// `d` in whole seconds, rounded up (the same rule, for `SCTP_AUTOCLOSE`).
pub(crate) fn to_secs(d: Duration) -> u64 {
    d.as_secs().saturating_add(u64::from(d.subsec_nanos() != 0))
}

/// A kernel millisecond count as a [`Duration`] (exact).
pub(crate) fn from_millis(ms: impl Into<u64>) -> Duration {
    Duration::from_millis(ms.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_up_to_whole_units_and_reports_overflow() {
        let us = Duration::from_micros;
        assert_eq!(to_millis::<u32>(Duration::ZERO), Some(0));
        assert_eq!(to_millis::<u32>(Duration::from_nanos(1)), Some(1));
        assert_eq!(to_millis::<u32>(us(999)), Some(1));
        assert_eq!(to_millis::<u32>(us(1000)), Some(1));
        assert_eq!(to_millis::<u32>(us(1500)), Some(2));
        assert_eq!(to_millis::<u32>(Duration::from_millis(7)), Some(7));
        let max = Duration::from_millis(u64::from(u32::MAX));
        assert_eq!(to_millis::<u32>(max), Some(u32::MAX));
        assert_eq!(to_millis::<u32>(max + Duration::from_nanos(1)), None);
        assert_eq!(to_millis::<u16>(Duration::from_millis(65535)), Some(65535));
        assert_eq!(to_millis::<u16>(us(65_535_001)), None);
        assert_eq!(to_millis::<u32>(Duration::MAX), None);

        assert_eq!(to_secs(Duration::ZERO), 0);
        assert_eq!(to_secs(Duration::from_millis(1)), 1);
        assert_eq!(to_secs(Duration::from_secs(30)), 30);
        assert_eq!(to_secs(Duration::from_millis(30_001)), 31);
        assert_eq!(to_secs(Duration::MAX), u64::MAX);

        assert_eq!(from_millis(1500u32), Duration::from_millis(1500));
        assert_eq!(from_millis(7u16), Duration::from_millis(7));
    }
}
