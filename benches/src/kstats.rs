//! The kernel's SCTP counters (`/proc/net/sctp/snmp`), read around every timed sample so each
//! table row says how many retransmission-timer stalls (`SctpT3RtxExpireds`) and dropped DATA
//! chunks (`SctpInDataChunkDiscards`) it met.
//!
//! The counters are per network namespace: everything else the benchmark process does in the
//! same namespace between two reads (nothing, in the lab) would be counted too.

use std::collections::BTreeMap;

/// The SNMP file of the SCTP stack.
pub const PATH: &str = "/proc/net/sctp/snmp";

/// T3-rtx timer expiries: a sender that waited a whole retransmission timeout (at least
/// `net.sctp.rto_min`, 1 s by default) for an acknowledgement.
pub const T3_EXPIRED: &str = "SctpT3RtxExpireds";

/// DATA chunks the receiver dropped (no room in its receive window or buffer, duplicate or
/// out-of-window TSN).
pub const DATA_DISCARDS: &str = "SctpInDataChunkDiscards";

/// Fast retransmissions (gap reports in SACKs, no timer stall).
pub const FAST_RETRANSMITS: &str = "SctpFastRetransmits";

/// A snapshot of `/proc/net/sctp/snmp`: counter name -> value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snmp(pub BTreeMap<String, u64>);

impl Snmp {
    /// Reads the counters, or `None` where the file is missing (no SCTP module loaded).
    pub fn read() -> Option<Snmp> {
        std::fs::read_to_string(PATH).ok().map(|t| Snmp::parse(&t))
    }

    /// Parses `Name value` lines; other lines are ignored.
    pub fn parse(text: &str) -> Snmp {
        Snmp(
            text.lines()
                .filter_map(|l| {
                    let mut it = l.split_whitespace();
                    let name = it.next()?;
                    let value = it.next()?.parse().ok()?;
                    Some((name.to_string(), value))
                })
                .collect(),
        )
    }

    /// The value of `name` (0 when absent).
    pub fn get(&self, name: &str) -> u64 {
        self.0.get(name).copied().unwrap_or(0)
    }

    /// Per-counter `self - before` (saturating), nonzero counters only.
    pub fn since(&self, before: &Snmp) -> Snmp {
        Snmp(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), v.saturating_sub(before.get(k))))
                .filter(|(_, v)| *v > 0)
                .collect(),
        )
    }

    /// Adds every counter of `other` to this one.
    pub fn add(&mut self, other: &Snmp) {
        for (k, v) in &other.0 {
            *self.0.entry(k.clone()).or_default() += v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_subtracts() {
        let a = Snmp::parse("SctpCurrEstab 1\nSctpT3RtxExpireds 2\n");
        let b = Snmp::parse("SctpCurrEstab 1\nSctpT3RtxExpireds 5\nSctpInDataChunkDiscards 7\n");
        let d = b.since(&a);
        assert_eq!(d.get(T3_EXPIRED), 3);
        assert_eq!(d.get(DATA_DISCARDS), 7);
        assert_eq!(d.get("SctpCurrEstab"), 0);
        assert!(!d.0.contains_key("SctpCurrEstab"));
        let mut s = Snmp::default();
        s.add(&d);
        s.add(&d);
        assert_eq!(s.get(T3_EXPIRED), 6);
        assert_eq!(Snmp::parse("garbage\n\nX y\n"), Snmp::default());
    }
}
