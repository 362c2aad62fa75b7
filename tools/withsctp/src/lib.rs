//! The `withsctp` shim: an `LD_PRELOAD` library (`libwithsctp_shim.so`) that makes an unmodified
//! TCP program speak SCTP, the Rust counterpart of lksctp-tools' `libwithsctp.so`.
//!
//! Run programs through the `withsctp` binary of `linux-sctp-tools`, which carries this
//! library and sets `LD_PRELOAD`; `LD_PRELOAD=/path/to/libwithsctp_shim.so PROGRAM` (the
//! library `cargo build -p linux-sctp-withsctp --release` makes) works too.
//!
//! | the program calls | the shim does |
//! |---|---|
//! | `socket(AF_INET or AF_INET6, SOCK_STREAM, 0 or IPPROTO_TCP)`, with or without `SOCK_NONBLOCK` / `SOCK_CLOEXEC` | creates a one-to-one SCTP socket (`IPPROTO_SCTP`) instead |
//! | `setsockopt` / `getsockopt(IPPROTO_TCP, TCP_NODELAY)` | `SCTP_NODELAY` |
//! | `TCP_MAXSEG` | `SCTP_MAXSEG` (`struct sctp_assoc_value`) |
//! | `TCP_KEEPIDLE`, `TCP_KEEPINTVL` (seconds) | `SCTP_PEER_ADDR_PARAMS`: heartbeat interval `spp_hbinterval` (milliseconds), heartbeats on |
//! | `TCP_KEEPCNT` | `SCTP_ASSOCINFO`: `sasoc_asocmaxrxt`, the retransmissions after which the association is dropped |
//!
//! Only sockets that really are SCTP (`SO_PROTOCOL`) have their `IPPROTO_TCP` options
//! rewritten; every other call goes to the C library unchanged, and so do `IPPROTO_TCP`
//! options SCTP has no counterpart for (`TCP_INFO`, `TCP_CORK`, `TCP_QUICKACK`, ...): the
//! kernel answers them with `ENOPROTOOPT`, as the C shim lets it. `SO_KEEPALIVE` needs no
//! rewrite: SCTP sockets accept it, and SCTP sends heartbeats anyway.
//!
//! With `WITHSCTP_DEBUG` set (non-empty), every rewrite is logged on stderr, one line each
//! (`withsctp: setsockopt(5, IPPROTO_TCP, TCP_NODELAY, 1) -> SCTP_NODELAY: ok`).
//!
//! Differences from the C shim (lksctp-tools 1.0.19): it also converts sockets created with
//! `SOCK_NONBLOCK` / `SOCK_CLOEXEC` (Python, Go's cgo resolver, most modern C code: the C
//! shim compares the type exactly and leaves them TCP), it leaves `SOCK_STREAM` sockets of
//! other protocols alone (the C shim forces every one to SCTP), and it maps the keep-alive
//! and segment-size options besides `TCP_NODELAY`.
//!
//! The decisions are plain functions here, tested without a kernel; the exported functions
//! and everything `unsafe` live in one private module.
#![deny(unsafe_code)]

#[cfg(not(test))]
#[allow(unsafe_code)]
mod ffi;

use libc::c_int;

/// Whether `socket(domain, ty, protocol)` is a TCP socket the shim creates as SCTP instead:
/// IPv4 or IPv6, `SOCK_STREAM` (with any of `SOCK_NONBLOCK` and `SOCK_CLOEXEC`), protocol 0
/// (the default, TCP) or `IPPROTO_TCP`.
pub(crate) fn is_tcp_stream(domain: c_int, ty: c_int, protocol: c_int) -> bool {
    let base = ty & !(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC);
    matches!(domain, libc::AF_INET | libc::AF_INET6)
        && base == libc::SOCK_STREAM
        && matches!(protocol, 0 | libc::IPPROTO_TCP)
}

/// An `IPPROTO_TCP`-level option the shim maps onto SCTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TcpOption {
    /// `TCP_NODELAY` → `SCTP_NODELAY`.
    NoDelay,
    /// `TCP_MAXSEG` → `SCTP_MAXSEG`.
    MaxSeg,
    /// `TCP_KEEPIDLE` → the heartbeat interval.
    KeepIdle,
    /// `TCP_KEEPINTVL` → the heartbeat interval (SCTP has one interval for both).
    KeepIntvl,
    /// `TCP_KEEPCNT` → the association's maximum retransmissions.
    KeepCnt,
}

/// The largest `TCP_KEEPIDLE` / `TCP_KEEPINTVL` Linux accepts (`MAX_TCP_KEEPIDLE`), seconds.
const MAX_KEEP_SECS: c_int = 32767;
/// The largest `TCP_KEEPCNT` Linux accepts (`MAX_TCP_KEEPCNT`).
const MAX_KEEPCNT: c_int = 127;

impl TcpOption {
    /// The option with this `IPPROTO_TCP` option name, if the shim maps it.
    pub(crate) fn from_name(optname: c_int) -> Option<TcpOption> {
        match optname {
            libc::TCP_NODELAY => Some(TcpOption::NoDelay),
            libc::TCP_MAXSEG => Some(TcpOption::MaxSeg),
            libc::TCP_KEEPIDLE => Some(TcpOption::KeepIdle),
            libc::TCP_KEEPINTVL => Some(TcpOption::KeepIntvl),
            libc::TCP_KEEPCNT => Some(TcpOption::KeepCnt),
            _ => None,
        }
    }

    /// The C name, for the debug log.
    pub(crate) fn name(self) -> &'static str {
        match self {
            TcpOption::NoDelay => "TCP_NODELAY",
            TcpOption::MaxSeg => "TCP_MAXSEG",
            TcpOption::KeepIdle => "TCP_KEEPIDLE",
            TcpOption::KeepIntvl => "TCP_KEEPINTVL",
            TcpOption::KeepCnt => "TCP_KEEPCNT",
        }
    }

    /// The SCTP option and field it becomes, for the debug log.
    pub(crate) fn target(self) -> &'static str {
        match self {
            TcpOption::NoDelay => "SCTP_NODELAY",
            TcpOption::MaxSeg => "SCTP_MAXSEG",
            TcpOption::KeepIdle | TcpOption::KeepIntvl => "SCTP_PEER_ADDR_PARAMS spp_hbinterval",
            TcpOption::KeepCnt => "SCTP_ASSOCINFO sasoc_asocmaxrxt",
        }
    }

    /// The value to give the kernel for the TCP value `value`, or the errno TCP itself
    /// answers for it (`EINVAL` for a keep-alive time outside 1..=32767 s, a count outside
    /// 1..=127, a negative segment size). Keep-alive seconds become milliseconds.
    pub(crate) fn kernel_value(self, value: c_int) -> Result<u32, c_int> {
        let checked = |ok: bool| {
            if ok {
                Ok(value.unsigned_abs())
            } else {
                Err(libc::EINVAL)
            }
        };
        match self {
            TcpOption::NoDelay => Ok(u32::from(value != 0)),
            TcpOption::MaxSeg => checked(value >= 0),
            TcpOption::KeepIdle | TcpOption::KeepIntvl => {
                checked((1..=MAX_KEEP_SECS).contains(&value)).map(|s| s * 1000)
            }
            TcpOption::KeepCnt => checked((1..=MAX_KEEPCNT).contains(&value)),
        }
    }

    /// The TCP value for the kernel's `raw` value: heartbeat milliseconds become whole
    /// seconds (rounded up), everything else saturates at `c_int::MAX`.
    pub(crate) fn tcp_value(self, raw: u32) -> c_int {
        let v = match self {
            TcpOption::KeepIdle | TcpOption::KeepIntvl => raw.div_ceil(1000),
            _ => raw,
        };
        c_int::try_from(v).unwrap_or(c_int::MAX)
    }
}

/// A socket domain's C name, for the debug log.
pub(crate) fn domain_name(domain: c_int) -> &'static str {
    match domain {
        libc::AF_INET => "AF_INET",
        libc::AF_INET6 => "AF_INET6",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_stream_sockets_are_recognised() {
        for domain in [libc::AF_INET, libc::AF_INET6] {
            for flags in [
                0,
                libc::SOCK_CLOEXEC,
                libc::SOCK_NONBLOCK,
                libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK,
            ] {
                for protocol in [0, libc::IPPROTO_TCP] {
                    assert!(is_tcp_stream(domain, libc::SOCK_STREAM | flags, protocol));
                }
            }
        }
    }

    #[test]
    fn other_sockets_are_left_alone() {
        let inet = libc::AF_INET;
        assert!(!is_tcp_stream(libc::AF_UNIX, libc::SOCK_STREAM, 0));
        assert!(!is_tcp_stream(libc::AF_NETLINK, libc::SOCK_STREAM, 0));
        assert!(!is_tcp_stream(inet, libc::SOCK_DGRAM, 0));
        assert!(!is_tcp_stream(inet, libc::SOCK_SEQPACKET, 0));
        assert!(!is_tcp_stream(inet, libc::SOCK_RAW, libc::IPPROTO_TCP));
        assert!(!is_tcp_stream(inet, libc::SOCK_STREAM, libc::IPPROTO_SCTP));
        assert!(!is_tcp_stream(inet, libc::SOCK_STREAM, 262)); // IPPROTO_MPTCP
        assert!(!is_tcp_stream(inet, libc::SOCK_STREAM, libc::IPPROTO_UDP));
    }

    #[test]
    fn options_map_by_name() {
        assert_eq!(
            TcpOption::from_name(libc::TCP_NODELAY),
            Some(TcpOption::NoDelay)
        );
        assert_eq!(
            TcpOption::from_name(libc::TCP_MAXSEG),
            Some(TcpOption::MaxSeg)
        );
        assert_eq!(
            TcpOption::from_name(libc::TCP_KEEPIDLE),
            Some(TcpOption::KeepIdle)
        );
        assert_eq!(
            TcpOption::from_name(libc::TCP_KEEPINTVL),
            Some(TcpOption::KeepIntvl)
        );
        assert_eq!(
            TcpOption::from_name(libc::TCP_KEEPCNT),
            Some(TcpOption::KeepCnt)
        );
        for unmapped in [
            libc::TCP_INFO,
            libc::TCP_CORK,
            libc::TCP_QUICKACK,
            libc::TCP_USER_TIMEOUT,
            libc::TCP_CONGESTION,
        ] {
            assert_eq!(TcpOption::from_name(unmapped), None, "{unmapped}");
        }
    }

    #[test]
    fn values_convert_like_tcp_checks_them() {
        use TcpOption::*;
        assert_eq!(NoDelay.kernel_value(1), Ok(1));
        assert_eq!(NoDelay.kernel_value(7), Ok(1));
        assert_eq!(NoDelay.kernel_value(0), Ok(0));
        assert_eq!(MaxSeg.kernel_value(1400), Ok(1400));
        assert_eq!(MaxSeg.kernel_value(-1), Err(libc::EINVAL));
        assert_eq!(KeepIdle.kernel_value(60), Ok(60_000));
        assert_eq!(KeepIntvl.kernel_value(1), Ok(1000));
        assert_eq!(KeepIntvl.kernel_value(32767), Ok(32_767_000));
        for bad in [0, -5, 32768, c_int::MAX, c_int::MIN] {
            assert_eq!(KeepIdle.kernel_value(bad), Err(libc::EINVAL), "{bad}");
        }
        assert_eq!(KeepCnt.kernel_value(9), Ok(9));
        assert_eq!(KeepCnt.kernel_value(0), Err(libc::EINVAL));
        assert_eq!(KeepCnt.kernel_value(128), Err(libc::EINVAL));
    }

    #[test]
    fn log_names_are_the_c_names() {
        use TcpOption::*;
        let names: Vec<_> = [NoDelay, MaxSeg, KeepIdle, KeepIntvl, KeepCnt]
            .map(|o| (o.name(), o.target()))
            .into();
        assert_eq!(names[0], ("TCP_NODELAY", "SCTP_NODELAY"));
        assert_eq!(
            names[3],
            ("TCP_KEEPINTVL", "SCTP_PEER_ADDR_PARAMS spp_hbinterval")
        );
        assert_eq!(names[4], ("TCP_KEEPCNT", "SCTP_ASSOCINFO sasoc_asocmaxrxt"));
        assert_eq!(domain_name(libc::AF_INET6), "AF_INET6");
        assert_eq!(domain_name(libc::AF_UNIX), "?");
    }

    #[test]
    fn kernel_values_read_back_as_tcp_values() {
        use TcpOption::*;
        assert_eq!(KeepIdle.tcp_value(60_000), 60);
        assert_eq!(KeepIntvl.tcp_value(30_001), 31);
        assert_eq!(KeepIntvl.tcp_value(0), 0);
        assert_eq!(KeepCnt.tcp_value(10), 10);
        assert_eq!(MaxSeg.tcp_value(u32::MAX), c_int::MAX);
        assert_eq!(NoDelay.tcp_value(1), 1);
    }
}
