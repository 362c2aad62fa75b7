//! Real-kernel round trips of every typed socket option in `tokio_linux_sctp::opts`.
//!
//! These run against Linux SCTP: natively when the host kernel has it, otherwise inside the
//! user-mode Linux 6.1 lab through the cargo runner. There is no skip: without SCTP every test
//! fails at `socket()`.
//!
//! Sockets are plain kernel sockets (`linux_sctp_sys::ops` + `socket2`), so the option layer is
//! tested on its own; every socket has 5 s send/receive timeouts and every test body runs
//! under a 60 s watchdog, so a kernel interaction that hangs fails instead.
//!
//! Every getter is read, every setter is set and read back with a value check. What the 6.1
//! lab kernel refuses with its default sysctls is asserted with its errno (and the typed
//! `FeatureDisabled` where the crate maps it):
//!
//! | option | default answer on 6.1 | test |
//! |---|---|---|
//! | AUTH options (`SCTP_HMAC_IDENT`, `SCTP_AUTH_KEY`, `SCTP_AUTH_CHUNK`, `SCTP_AUTH_ACTIVE_KEY`, `SCTP_LOCAL_AUTH_CHUNKS`, ...) | `EACCES` → `FeatureDisabled("net.sctp.auth_enable")` (`auth_enable = 0`) | `auth_refused_by_default` |
//! | `SCTP_INTERLEAVING_SUPPORTED` set | `EPERM` (`intl_enable = 0`) → `FeatureDisabled("net.sctp.intl_enable")` once fragment interleave is on | `features_supported` |
//! | `SCTP_RESET_STREAMS` / `SCTP_RESET_ASSOC` / `SCTP_ADD_STREAMS` | `ENOPROTOOPT` (`reconf_enable = 0`) | `stream_reconfiguration` |
//! | `SCTP_SET_PEER_PRIMARY_ADDR` | `EPERM` (`addip_enable = 0`) | `primary_and_peer_primary` |
//! | `SCTP_AUTOCLOSE`, `SCTP_GET_ASSOC_NUMBER`, `SCTP_GET_ASSOC_ID_LIST` on one-to-one | `EOPNOTSUPP` | `one_to_many_ids_and_autoclose` |
//! | `SCTP_REUSE_PORT` after bind / on one-to-many | `EFAULT` / `EOPNOTSUPP` | `reuse_port_and_auto_asconf` |
//! | `SCTP_AUTO_ASCONF` on a socket not bound to the wildcard | `EINVAL` | `reuse_port_and_auto_asconf` |
//!
//! Newer than 6.1: the fair-capacity and WFQ stream schedulers (Linux 6.4) give `EINVAL`
//! (`scheduler`), and option numbers past the last 6.1 option (133) give `ENOPROTOOPT`
//! (`unknown_options`).

#[path = "support/netns.rs"]
mod netns;

use std::io::{self, IoSlice, IoSliceMut};
use std::net::SocketAddr;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use libc::c_int;
use linux_sctp_sys::cmsg::SendCmsgs;
use linux_sctp_sys::ops::{self, RecvMsg};
use linux_sctp_sys::{SCTP_CURRENT_ASSOC, SCTP_FUTURE_ASSOC, SOL_SCTP};
use socket2::{SockAddr, SockRef};
use tokio_linux_sctp::error::{Error, ErrorKind};
use tokio_linux_sctp::message::PrPolicy;
use tokio_linux_sctp::notification::EventType;
use tokio_linux_sctp::opts::*;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const SOCK_TIMEOUT: Duration = Duration::from_secs(5);
const TEST_LIMIT: Duration = Duration::from_secs(60);

/// A boolean option: its getter's name, getter and setter.
type Toggle = (
    &'static str,
    fn(&SocketOptions<'_>) -> io::Result<bool>,
    fn(&SocketOptions<'_>, bool) -> io::Result<()>,
);

/// The [`Toggle`] of the getter `$get` and the setter `$set`.
macro_rules! toggle {
    ($get:ident, $set:ident) => {{
        let t: Toggle = (
            stringify!($get),
            |o: &SocketOptions<'_>| o.$get(),
            |o: &SocketOptions<'_>, v: bool| o.$set(v),
        );
        t
    }};
}

/// Sets a boolean option to `!from` and reads that back, then sets `from` again and reads
/// that back.
fn flip_and_restore(o: &SocketOptions<'_>, (name, get, set): Toggle, from: bool) {
    set(o, !from).unwrap();
    assert_eq!(get(o).unwrap(), !from, "{name} flipped");
    set(o, from).unwrap();
    assert_eq!(get(o).unwrap(), from, "{name} restored");
}

/// Runs `f` on its own thread and fails if it takes longer than [`TEST_LIMIT`].
fn run(f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    let h = thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    match rx.recv_timeout(TEST_LIMIT) {
        Ok(()) => h.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(h.join().unwrap_err())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("test did not finish within {TEST_LIMIT:?}"),
    }
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// The errno of a failed call (also when wrapped in a typed `Error`).
#[track_caller]
fn errno<T: std::fmt::Debug>(r: io::Result<T>) -> i32 {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => Error::errno_of(&e).unwrap_or_else(|| panic!("no errno in {e:?}")),
    }
}

/// Asserts that `r` failed with `FeatureDisabled { sysctl }` carrying `errno`.
#[track_caller]
fn assert_feature_disabled<T: std::fmt::Debug>(r: io::Result<T>, sysctl: &str, want_errno: i32) {
    let e = r.expect_err("expected FeatureDisabled");
    let inner = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<Error>())
        .unwrap_or_else(|| panic!("not a typed error: {e:?}"));
    match inner.kind() {
        ErrorKind::FeatureDisabled { sysctl: s } => assert_eq!(*s, sysctl),
        other => panic!("expected FeatureDisabled, got {other:?}"),
    }
    assert_eq!(inner.raw_os_error(), Some(want_errno));
    assert!(inner.to_string().contains(sysctl), "{inner}");
}

/// Asserts that `r` failed with a plain OS error `want` (not a typed one).
#[track_caller]
fn assert_plain_errno<T: std::fmt::Debug>(r: io::Result<T>, want: i32) {
    let e = r.expect_err("expected an error");
    assert_eq!(e.raw_os_error(), Some(want), "{e:?}");
}

/// An SCTP socket with send/receive timeouts; fails when the kernel has no SCTP.
fn sock(domain: c_int, ty: c_int) -> OwnedFd {
    let fd = ops::socket(domain, ty | libc::SOCK_CLOEXEC).unwrap_or_else(|e| {
        panic!("socket(IPPROTO_SCTP): {e}: this test needs a kernel with SCTP (the lab runner)")
    });
    let s = SockRef::from(&fd);
    s.set_read_timeout(Some(SOCK_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(SOCK_TIMEOUT)).unwrap();
    fd
}

fn domain_of(a: &SocketAddr) -> c_int {
    match a {
        SocketAddr::V4(_) => libc::AF_INET,
        SocketAddr::V6(_) => libc::AF_INET6,
    }
}

fn opts(fd: &OwnedFd) -> SocketOptions<'_> {
    SocketOptions::new(fd.as_fd(), SCTP_FUTURE_ASSOC)
}

fn local_addr(fd: &OwnedFd) -> SocketAddr {
    SockRef::from(fd).local_addr().unwrap().as_socket().unwrap()
}

/// A one-to-one association over loopback.
struct Pair {
    _listener: OwnedFd,
    server: OwnedFd,
    client: OwnedFd,
    /// The listener's (and server's) address as the client connected to it.
    server_addr: SocketAddr,
}

/// Connects a one-to-one pair: `setup` runs on the listener and on the client before
/// listen/connect; the client (of family `client_domain`) connects to `listen_on`.
fn pair_full(listen_on: &str, client_domain: c_int, setup: impl Fn(SocketOptions<'_>)) -> Pair {
    let listen_on = addr(listen_on);
    let listener = sock(domain_of(&listen_on), libc::SOCK_STREAM);
    setup(opts(&listener));
    let l = SockRef::from(&listener);
    l.bind(&SockAddr::from(listen_on)).unwrap();
    l.listen(8).unwrap();
    let server_addr = local_addr(&listener);
    let client = sock(client_domain, libc::SOCK_STREAM);
    setup(opts(&client));
    SockRef::from(&client)
        .connect(&SockAddr::from(server_addr))
        .unwrap();
    let (server, _) = l.accept().unwrap();
    let server: OwnedFd = server.into();
    let s = SockRef::from(&server);
    s.set_read_timeout(Some(SOCK_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(SOCK_TIMEOUT)).unwrap();
    Pair {
        _listener: listener,
        server,
        client,
        server_addr,
    }
}

fn pair_with(setup: impl Fn(SocketOptions<'_>)) -> Pair {
    pair_full("127.0.0.1:0", libc::AF_INET, setup)
}

fn pair() -> Pair {
    pair_with(|_| {})
}

fn send(fd: &OwnedFd, data: &[u8]) {
    let n = ops::sendmsg(
        fd.as_fd(),
        &[IoSlice::new(data)],
        None,
        &SendCmsgs::default(),
        0,
    )
    .unwrap();
    assert_eq!(n, data.len());
}

fn recv(fd: BorrowedFd<'_>) -> (Vec<u8>, RecvMsg) {
    let mut buf = vec![0u8; 65536];
    let m = ops::recvmsg(fd, &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
    buf.truncate(m.len);
    (buf, m)
}

/// Reads until a data message arrives (skipping notifications).
fn recv_data(fd: &OwnedFd) -> (Vec<u8>, RecvMsg) {
    loop {
        let (b, m) = recv(fd.as_fd());
        if !m.is_notification() {
            return (b, m);
        }
    }
}

/// Reads until a notification of type `sn_type` arrives; returns its bytes. Data messages
/// fail the test.
fn wait_notification(fd: BorrowedFd<'_>, sn_type: u16) -> Vec<u8> {
    loop {
        let (b, m) = recv(fd);
        assert!(
            m.is_notification(),
            "expected a notification, got data {b:?}"
        );
        assert!(b.len() >= 8, "short notification {b:?}");
        if u16::from_ne_bytes([b[0], b[1]]) == sn_type {
            return b;
        }
    }
}

/// Polls `f` until it returns `Some`, for up to 10 s.
fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn status_and_peer_addr_info() {
    run(|| {
        let p = pair_with(|o| {
            o.set_init_msg(&InitMsg {
                num_ostreams: 5,
                max_instreams: 7,
                ..Default::default()
            })
            .unwrap()
        });
        let c = opts(&p.client).status().unwrap();
        assert_eq!(c.state, AssocState::Established);
        assert!(
            c.assoc_id > 2,
            "real association ids are > 2: {}",
            c.assoc_id
        );
        assert_eq!(c.outbound_streams, 5);
        assert_eq!(c.inbound_streams, 5);
        assert!(c.rwnd > 0);
        assert!(c.fragmentation_point > 0);
        assert_eq!(c.primary.address, p.server_addr);
        assert_eq!(c.primary.assoc_id, c.assoc_id);
        assert_eq!(c.primary.state, PathState::Active);
        assert!(c.primary.mtu >= 1280, "mtu {}", c.primary.mtu);
        assert!(c.primary.cwnd > 0);
        let rto = opts(&p.client).rto_info().unwrap();
        assert!(
            c.primary.rto >= rto.min && c.primary.rto <= rto.max,
            "{c:?}"
        );

        let s = opts(&p.server).status().unwrap();
        assert_eq!(s.state, AssocState::Established);
        assert_eq!((s.inbound_streams, s.outbound_streams), (5, 5));

        let info = opts(&p.client).peer_addr_info(&p.server_addr).unwrap();
        assert_eq!(info.address, p.server_addr);
        assert_eq!(info.state, PathState::Active);
        assert_eq!(info.mtu, c.primary.mtu);
        assert_eq!(info.assoc_id, c.assoc_id);
        // Not a peer address.
        assert_eq!(
            errno(opts(&p.client).peer_addr_info(&addr("127.0.0.9:9"))),
            libc::EINVAL
        );
        // No association yet.
        let lone = sock(libc::AF_INET, libc::SOCK_STREAM);
        assert_eq!(errno(opts(&lone).status()), libc::EINVAL);
    });
}

#[test]
fn rto_assoc_and_init() {
    run(|| {
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let o = opts(&fresh);
        // sysctl defaults.
        let rto = o.rto_info().unwrap();
        assert_eq!(
            rto,
            RtoInfo {
                initial: Duration::from_secs(3),
                max: Duration::from_secs(60),
                min: Duration::from_secs(1),
            }
        );
        let want = RtoInfo {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(4),
            min: Duration::from_millis(200),
        };
        o.set_rto_info(&want).unwrap();
        assert_eq!(o.rto_info().unwrap(), want);
        // Zero leaves a bound unchanged.
        o.set_rto_info(&RtoInfo {
            min: Duration::from_millis(250),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            o.rto_info().unwrap(),
            RtoInfo {
                min: Duration::from_millis(250),
                ..want
            }
        );
        // min > max.
        let bad = RtoInfo {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(1),
            min: Duration::from_secs(2),
        };
        assert_eq!(errno(o.set_rto_info(&bad)), libc::EINVAL);

        let a = o.assoc_info().unwrap();
        assert_eq!(a.max_retransmissions, 10);
        assert_eq!(a.cookie_life, Duration::from_secs(60));
        o.set_assoc_info(&AssocInfo {
            max_retransmissions: 7,
            cookie_life: Duration::from_secs(30),
            ..Default::default()
        })
        .unwrap();
        let a = o.assoc_info().unwrap();
        assert_eq!(
            (a.max_retransmissions, a.cookie_life),
            (7, Duration::from_secs(30))
        );

        let init = InitMsg {
            num_ostreams: 5,
            max_instreams: 6,
            max_attempts: 3,
            max_init_timeout: Duration::from_secs(2),
        };
        o.set_init_msg(&init).unwrap();
        assert_eq!(o.init_msg().unwrap(), init);
        let too_long = InitMsg {
            max_init_timeout: Duration::from_secs(70),
            ..init
        };
        assert_eq!(
            o.set_init_msg(&too_long).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );

        // On an association: inherited from the socket, and settable per association.
        let p = pair_with(|o| {
            o.set_rto_info(&want).unwrap();
            o.set_assoc_info(&AssocInfo {
                max_retransmissions: 4,
                ..Default::default()
            })
            .unwrap();
        });
        let c = opts(&p.client);
        assert_eq!(c.rto_info().unwrap(), want);
        c.set_rto_info(&RtoInfo {
            max: Duration::from_secs(3),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.rto_info().unwrap().max, Duration::from_secs(3));
        let a = c.assoc_info().unwrap();
        assert_eq!(a.max_retransmissions, 4);
        assert_eq!(a.peer_destinations, 1);
        assert!(a.peer_rwnd > 0 && a.local_rwnd > 0, "{a:?}");
        c.set_assoc_info(&AssocInfo {
            max_retransmissions: 3,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.assoc_info().unwrap().max_retransmissions, 3);
    });
}

#[test]
fn peer_addr_params_assoc_and_path() {
    run(|| {
        let p = pair();
        let o = opts(&p.client);
        let d = o.peer_addr_params(None).unwrap();
        assert_eq!(d.address, None);
        assert!(d.heartbeat && d.pmtud && d.sack_delay_enabled, "{d:?}");
        assert_eq!(d.heartbeat_interval, Duration::from_secs(30));
        assert_eq!(d.path_max_retransmissions, 5);
        assert_eq!(d.sack_delay, Duration::from_millis(200));
        assert_eq!((d.ipv6_flow_label, d.dscp), (None, None));
        assert!(d.path_mtu >= 1280);

        // Association level: applies to every path.
        o.set_peer_addr_params(
            None,
            &PeerAddrParamsChange {
                heartbeat_interval: Some(Duration::from_secs(5)),
                path_max_retransmissions: Some(3),
                sack_delay: Some(Duration::from_millis(100)),
                dscp: Some(46),
                ..Default::default()
            },
        )
        .unwrap();
        for a in [None, Some(&p.server_addr)] {
            let v = o.peer_addr_params(a).unwrap();
            assert_eq!(v.address, a.copied());
            assert!(v.heartbeat, "{v:?}");
            assert_eq!(v.heartbeat_interval, Duration::from_secs(5));
            assert_eq!(v.path_max_retransmissions, 3);
            assert_eq!(v.sack_delay, Duration::from_millis(100));
            assert_eq!(v.dscp, Some(46));
        }

        // One path: heartbeats off, fixed MTU.
        o.set_peer_addr_params(
            Some(&p.server_addr),
            &PeerAddrParamsChange {
                heartbeat: Some(false),
                path_mtu: Some(1400),
                sack_delay_enabled: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
        let v = o.peer_addr_params(Some(&p.server_addr)).unwrap();
        assert!(!v.heartbeat && !v.pmtud && !v.sack_delay_enabled, "{v:?}");
        assert_eq!(v.path_mtu, 1400);
        assert_eq!(o.peer_addr_info(&p.server_addr).unwrap().mtu, 1400);
        // Back on, and a heartbeat on demand.
        o.set_peer_addr_params(
            Some(&p.server_addr),
            &PeerAddrParamsChange {
                heartbeat: Some(true),
                pmtud: Some(true),
                heartbeat_now: true,
                ..Default::default()
            },
        )
        .unwrap();
        let v = o.peer_addr_params(Some(&p.server_addr)).unwrap();
        assert!(v.heartbeat && v.pmtud, "{v:?}");

        // Kernel-side validation.
        let too_long = PeerAddrParamsChange {
            sack_delay: Some(Duration::from_millis(600)),
            ..Default::default()
        };
        assert_eq!(errno(o.set_peer_addr_params(None, &too_long)), libc::EINVAL);
        assert_eq!(
            errno(o.peer_addr_params(Some(&addr("127.0.0.9:1")))),
            libc::EINVAL
        );

        // Socket defaults (no association) round-trip too.
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let f = opts(&fresh);
        f.set_peer_addr_params(
            None,
            &PeerAddrParamsChange {
                heartbeat_interval: Some(Duration::from_millis(2500)),
                path_max_retransmissions: Some(4),
                ..Default::default()
            },
        )
        .unwrap();
        let v = f.peer_addr_params(None).unwrap();
        assert_eq!(
            (v.heartbeat_interval, v.path_max_retransmissions),
            (Duration::from_millis(2500), 4)
        );
    });
}

#[test]
fn ipv6_flow_label_and_mapped_v4() {
    run(|| {
        let p = pair_full("[::1]:0", libc::AF_INET6, |_| {});
        let o = opts(&p.client);
        o.set_peer_addr_params(
            None,
            &PeerAddrParamsChange {
                ipv6_flow_label: Some(0x12345),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            o.peer_addr_params(None).unwrap().ipv6_flow_label,
            Some(0x12345)
        );
        assert_eq!(
            o.peer_addr_params(Some(&p.server_addr))
                .unwrap()
                .ipv6_flow_label,
            Some(0x12345)
        );

        // AF_INET6 client to an IPv4 listener: v4-mapped by default, plain IPv4 when off.
        let fresh = sock(libc::AF_INET6, libc::SOCK_STREAM);
        assert!(opts(&fresh).mapped_v4().unwrap());
        let mapped = pair_full("127.0.0.1:0", libc::AF_INET6, |_| {});
        let prim = opts(&mapped.client).primary_addr().unwrap();
        match prim {
            SocketAddr::V6(v6) => {
                assert_eq!(v6.ip().to_ipv4_mapped(), Some([127, 0, 0, 1].into()));
                assert_eq!(v6.port(), mapped.server_addr.port());
            }
            other => panic!("expected a v4-mapped address, got {other}"),
        }
        let plain = pair_full("127.0.0.1:0", libc::AF_INET6, |o| {
            if o.mapped_v4().unwrap() {
                // Only the client is AF_INET6; the IPv4 listener accepts the option too.
                o.set_mapped_v4(false).unwrap();
                assert!(!o.mapped_v4().unwrap());
            }
        });
        assert_eq!(
            opts(&plain.client).primary_addr().unwrap(),
            plain.server_addr
        );
    });
}

#[test]
fn thresholds_and_pf_exposure() {
    run(|| {
        let p = pair();
        let o = opts(&p.client);
        let d = o.peer_addr_thresholds(None).unwrap();
        assert_eq!(
            d,
            PathThresholds {
                path_max_retransmissions: 5,
                pf_threshold: 0,
                ps_threshold: 0xffff,
            }
        );
        let t = PathThresholds {
            path_max_retransmissions: 4,
            pf_threshold: 2,
            ps_threshold: 3,
        };
        o.set_peer_addr_thresholds(None, &t).unwrap();
        assert_eq!(o.peer_addr_thresholds(None).unwrap(), t);
        assert_eq!(o.peer_addr_thresholds(Some(&p.server_addr)).unwrap(), t);
        let path = PathThresholds {
            path_max_retransmissions: 6,
            pf_threshold: 1,
            ps_threshold: 5,
        };
        o.set_peer_addr_thresholds(Some(&p.server_addr), &path)
            .unwrap();
        assert_eq!(o.peer_addr_thresholds(Some(&p.server_addr)).unwrap(), path);
        // pf above ps.
        let bad = PathThresholds {
            path_max_retransmissions: 4,
            pf_threshold: 5,
            ps_threshold: 2,
        };
        assert_eq!(errno(o.set_peer_addr_thresholds(None, &bad)), libc::EINVAL);
        // Not a peer address.
        assert_eq!(
            errno(o.peer_addr_thresholds(Some(&addr("127.0.0.9:1")))),
            libc::ENOENT
        );
        assert_eq!(
            errno(o.set_peer_addr_thresholds(Some(&addr("127.0.0.9:1")), &t)),
            libc::ENOENT
        );

        assert_eq!(o.expose_pf_state().unwrap(), PfStateExposure::Unset);
        o.set_expose_pf_state(PfStateExposure::Enabled).unwrap();
        assert_eq!(o.expose_pf_state().unwrap(), PfStateExposure::Enabled);
        o.set_expose_pf_state(PfStateExposure::Disabled).unwrap();
        assert_eq!(o.expose_pf_state().unwrap(), PfStateExposure::Disabled);
        assert_eq!(
            errno(o.set_expose_pf_state(PfStateExposure::Unknown(3))),
            libc::EINVAL
        );
    });
}

#[test]
fn sack_maxseg_and_flags() {
    run(|| {
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let o = opts(&fresh);
        assert_eq!(
            o.delayed_sack().unwrap(),
            DelayedSack {
                delay: Duration::from_millis(200),
                frequency: 2
            }
        );
        let s = DelayedSack {
            delay: Duration::from_millis(100),
            frequency: 3,
        };
        o.set_delayed_sack(&s).unwrap();
        assert_eq!(o.delayed_sack().unwrap(), s);
        o.set_delayed_sack(&DelayedSack {
            delay: Duration::ZERO,
            frequency: 1,
        })
        .unwrap();
        assert_eq!(
            o.delayed_sack().unwrap(),
            DelayedSack {
                delay: Duration::ZERO,
                frequency: 1
            }
        );
        assert_eq!(
            errno(o.set_delayed_sack(&DelayedSack {
                delay: Duration::from_millis(600),
                frequency: 0
            })),
            libc::EINVAL
        );

        assert_eq!(o.maxseg().unwrap(), 0);
        o.set_maxseg(1200).unwrap();
        assert_eq!(o.maxseg().unwrap(), 1200);
        assert_eq!(errno(o.set_maxseg(10)), libc::EINVAL);

        // Boolean options: default, then flipped.
        let bools = [
            (toggle!(nodelay, set_nodelay), false),
            (toggle!(disable_fragments, set_disable_fragments), false),
            (toggle!(fragment_interleave, set_fragment_interleave), false),
            (toggle!(mapped_v4, set_mapped_v4), true),
            (toggle!(recv_rcvinfo, set_recv_rcvinfo), false),
            (toggle!(recv_nxtinfo, set_recv_nxtinfo), false),
        ];
        for (toggle, default) in bools {
            assert_eq!((toggle.1)(&o).unwrap(), default, "{} default", toggle.0);
            flip_and_restore(&o, toggle, default);
        }

        assert_eq!(o.partial_delivery_point().unwrap(), 0);
        o.set_partial_delivery_point(1000).unwrap();
        assert_eq!(o.partial_delivery_point().unwrap(), 1000);
        // More than half the receive buffer.
        assert_eq!(errno(o.set_partial_delivery_point(1 << 30)), libc::EINVAL);

        assert_eq!(o.max_burst().unwrap(), 4);
        o.set_max_burst(8).unwrap();
        assert_eq!(o.max_burst().unwrap(), 8);
        o.set_max_burst(0).unwrap();
        assert_eq!(o.max_burst().unwrap(), 0);

        assert_eq!(o.context().unwrap(), 0);
        o.set_context(0xdead_beef).unwrap();
        assert_eq!(o.context().unwrap(), 0xdead_beef);

        assert_eq!(o.adaptation_layer().unwrap(), 0);
        o.set_adaptation_layer(0x0102_0304).unwrap();
        assert_eq!(o.adaptation_layer().unwrap(), 0x0102_0304);

        // On an association, MAXSEG reads the association's fragmentation point.
        let p = pair_with(|o| o.set_maxseg(1200).unwrap());
        let c = opts(&p.client);
        let frag = c.status().unwrap().fragmentation_point;
        assert!(frag > 0 && frag <= 1200, "frag point {frag}");
        assert_eq!(c.maxseg().unwrap(), frag);
        c.set_nodelay(true).unwrap();
        assert!(c.nodelay().unwrap());
        // A message over the fragmentation point with fragments disabled: EMSGSIZE.
        c.set_disable_fragments(true).unwrap();
        let big = vec![7u8; 4000];
        let r = ops::sendmsg(
            p.client.as_fd(),
            &[IoSlice::new(&big)],
            None,
            &SendCmsgs::default(),
            0,
        );
        assert_eq!(errno(r), libc::EMSGSIZE);
        c.set_disable_fragments(false).unwrap();
        send(&p.client, &big);
        assert_eq!(recv_data(&p.server).0, big);
    });
}

#[test]
fn default_send_info_context_and_pr() {
    run(|| {
        let p = pair_with(|o| {
            o.set_init_msg(&InitMsg {
                num_ostreams: 8,
                ..Default::default()
            })
            .unwrap()
        });
        let c = opts(&p.client);
        let s = opts(&p.server);
        assert_eq!(c.default_sndinfo().unwrap(), DefaultSendInfo::default());
        let info = DefaultSendInfo {
            stream: 3,
            flags: linux_sctp_sys::SCTP_UNORDERED,
            ppid: 46,
            context: 7,
        };
        c.set_default_sndinfo(&info).unwrap();
        let got = c.default_sndinfo().unwrap();
        assert_eq!(got, info);
        assert!(got.unordered());
        let bad = DefaultSendInfo {
            flags: linux_sctp_sys::SCTP_SACK_IMMEDIATELY,
            ..info
        };
        assert_eq!(errno(c.set_default_sndinfo(&bad)), libc::EINVAL);

        // The defaults and the receiver's context show up on the wire.
        s.set_recv_rcvinfo(true).unwrap();
        s.set_context(0xabc).unwrap();
        send(&p.client, b"defaults");
        let (data, m) = recv_data(&p.server);
        assert_eq!(data, b"defaults");
        let rcv = m.cmsgs.rcvinfo.expect("SCTP_RCVINFO");
        assert_eq!(rcv.rcv_sid, 3);
        assert_eq!(u32::from_be(rcv.rcv_ppid), 46);
        assert_ne!(rcv.rcv_flags & linux_sctp_sys::SCTP_UNORDERED, 0);
        assert_eq!(rcv.rcv_context, 0xabc);

        // Default PR-SCTP policy.
        assert_eq!(c.default_prinfo().unwrap(), PrPolicy::None);
        for policy in [
            PrPolicy::Ttl(Duration::from_millis(1500)),
            PrPolicy::Rtx(3),
            PrPolicy::Prio(5),
            PrPolicy::None,
        ] {
            c.set_default_prinfo(policy).unwrap();
            assert_eq!(c.default_prinfo().unwrap(), policy);
        }

        // PR status counters exist and start at zero.
        for policy in [
            PrStatusPolicy::Ttl,
            PrStatusPolicy::Rtx,
            PrStatusPolicy::Prio,
            PrStatusPolicy::All,
        ] {
            assert_eq!(c.pr_assoc_status(policy).unwrap(), PrStatus::default());
            assert_eq!(c.pr_stream_status(1, policy).unwrap(), PrStatus::default());
        }
        assert_eq!(
            errno(c.pr_stream_status(100, PrStatusPolicy::All)),
            libc::EINVAL
        );
    });
}

#[test]
fn events_subscribe_and_deliver() {
    run(|| {
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let o = opts(&fresh);
        for ev in EventType::ALL {
            assert!(!o.event(ev).unwrap(), "{ev:?} is off on a new socket");
        }
        for ev in EventType::ALL {
            o.set_event(ev, true).unwrap();
            assert!(o.event(ev).unwrap(), "{ev:?} on");
        }
        o.set_event(EventType::SenderDry, false).unwrap();
        assert!(!o.event(EventType::SenderDry).unwrap());

        // Subscriptions are inherited by the association and deliver notifications.
        let p = pair_with(|o| {
            o.set_event(EventType::AssocChange, true).unwrap();
            o.set_event(EventType::Shutdown, true).unwrap();
        });
        let c = opts(&p.client);
        assert!(c.event(EventType::AssocChange).unwrap());
        assert!(!c.event(EventType::PeerAddrChange).unwrap());
        let n = wait_notification(p.client.as_fd(), linux_sctp_sys::SCTP_ASSOC_CHANGE);
        // sac_state at offset 8: SCTP_COMM_UP (0).
        assert_eq!(u16::from_ne_bytes([n[8], n[9]]), 0);
        // Turned on on the live association: SENDER_DRY fires at once with nothing queued.
        c.set_event(EventType::SenderDry, true).unwrap();
        assert!(c.event(EventType::SenderDry).unwrap());
        wait_notification(p.client.as_fd(), linux_sctp_sys::SCTP_SENDER_DRY_EVENT);
        // The server got COMM_UP too, then SHUTDOWN when the client shuts down.
        wait_notification(p.server.as_fd(), linux_sctp_sys::SCTP_ASSOC_CHANGE);
        SockRef::from(&p.client)
            .shutdown(std::net::Shutdown::Write)
            .unwrap();
        wait_notification(p.server.as_fd(), linux_sctp_sys::SCTP_SHUTDOWN_EVENT);
    });
}

#[test]
fn features_supported() {
    run(|| {
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let o = opts(&fresh);
        // 6.1 sysctl defaults: prsctp_enable 1, reconf_enable 0, intl_enable 0,
        // addip_enable 0, auth_enable 0, ecn_enable 1.
        assert!(o.pr_supported().unwrap());
        assert!(!o.reconfig_supported().unwrap());
        assert!(!o.interleaving_supported().unwrap());
        assert!(!o.asconf_supported().unwrap());
        assert!(!o.auth_supported().unwrap());
        assert!(o.ecn_supported().unwrap());

        let toggles = [
            toggle!(pr_supported, set_pr_supported),
            toggle!(reconfig_supported, set_reconfig_supported),
            toggle!(asconf_supported, set_asconf_supported),
            toggle!(auth_supported, set_auth_supported),
            toggle!(ecn_supported, set_ecn_supported),
        ];
        for toggle in toggles {
            let was = (toggle.1)(&o).unwrap();
            flip_and_restore(&o, toggle, was);
        }

        // Interleaving: EPERM without fragment interleave (plain errno: turn that on first),
        // then FeatureDisabled(intl_enable) with it on.
        assert_plain_errno(o.set_interleaving_supported(true), libc::EPERM);
        o.set_fragment_interleave(true).unwrap();
        assert_feature_disabled(
            o.set_interleaving_supported(true),
            "net.sctp.intl_enable",
            libc::EPERM,
        );

        // With an association the getters report the peer.
        let p = pair_with(|o| {
            o.set_reconfig_supported(true).unwrap();
            o.set_ecn_supported(false).unwrap();
        });
        let c = opts(&p.client);
        assert!(c.reconfig_supported().unwrap());
        assert!(!c.ecn_supported().unwrap());
        assert!(c.pr_supported().unwrap());
        assert!(!c.auth_supported().unwrap());
        // Only one side advertising: not negotiated.
        let fresh_listener_side = pair_with(|o| {
            if o.reconfig_supported().unwrap() {
                unreachable!("reconf_enable is 0 in the lab");
            }
        });
        assert!(!opts(&fresh_listener_side.client)
            .reconfig_supported()
            .unwrap());
    });
}

#[test]
fn stream_reconfiguration() {
    run(|| {
        // Defaults: nothing allowed locally -> plain ENOPROTOOPT.
        let p = pair();
        let c = opts(&p.client);
        assert_eq!(c.enable_stream_reset().unwrap(), StreamResetFlags::NONE);
        assert_plain_errno(
            c.reset_streams(StreamResetDirection::Outgoing, &[]),
            libc::ENOPROTOOPT,
        );
        // Allowed locally, but the association did not negotiate RECONFIG
        // (reconf_enable = 0): typed FeatureDisabled.
        c.set_enable_stream_reset(StreamResetFlags::ALL).unwrap();
        assert_eq!(c.enable_stream_reset().unwrap(), StreamResetFlags::ALL);
        assert_feature_disabled(
            c.reset_streams(StreamResetDirection::Outgoing, &[]),
            "net.sctp.reconf_enable",
            libc::ENOPROTOOPT,
        );
        assert_feature_disabled(c.reset_assoc(), "net.sctp.reconf_enable", libc::ENOPROTOOPT);
        assert_feature_disabled(
            c.add_streams(0, 1),
            "net.sctp.reconf_enable",
            libc::ENOPROTOOPT,
        );
        assert_eq!(
            errno(c.set_enable_stream_reset(StreamResetFlags(8))),
            libc::EINVAL
        );

        // Both sides advertise RECONFIG and allow every request.
        let p = pair_with(|o| {
            o.set_reconfig_supported(true).unwrap();
            o.set_enable_stream_reset(StreamResetFlags::ALL).unwrap();
            o.set_event(EventType::StreamReset, true).unwrap();
            o.set_event(EventType::StreamChange, true).unwrap();
            o.set_event(EventType::AssocReset, true).unwrap();
            o.set_init_msg(&InitMsg {
                num_ostreams: 4,
                ..Default::default()
            })
            .unwrap();
        });
        let c = opts(&p.client);
        assert_eq!(c.enable_stream_reset().unwrap(), StreamResetFlags::ALL);
        c.reset_streams(StreamResetDirection::Outgoing, &[1, 2])
            .unwrap();
        let n = wait_notification(p.client.as_fd(), linux_sctp_sys::SCTP_STREAM_RESET_EVENT);
        let flags = u16::from_ne_bytes([n[2], n[3]]);
        assert_ne!(
            flags & linux_sctp_sys::SCTP_STREAM_RESET_OUTGOING_SSN,
            0,
            "{flags:#x}"
        );
        assert_eq!(
            flags
                & (linux_sctp_sys::SCTP_STREAM_RESET_DENIED
                    | linux_sctp_sys::SCTP_STREAM_RESET_FAILED),
            0
        );

        let before = c.status().unwrap().outbound_streams;
        assert_eq!(before, 4);
        c.add_streams(0, 2).unwrap();
        wait_notification(p.client.as_fd(), linux_sctp_sys::SCTP_STREAM_CHANGE_EVENT);
        assert_eq!(c.status().unwrap().outbound_streams, 6);

        c.reset_assoc().unwrap();
        let n = wait_notification(p.client.as_fd(), linux_sctp_sys::SCTP_ASSOC_RESET_EVENT);
        let flags = u16::from_ne_bytes([n[2], n[3]]);
        assert_eq!(
            flags
                & (linux_sctp_sys::SCTP_ASSOC_RESET_DENIED
                    | linux_sctp_sys::SCTP_ASSOC_RESET_FAILED),
            0
        );

        // Data still flows afterwards.
        send(&p.client, b"after reset");
        assert_eq!(recv_data(&p.server).0, b"after reset");
    });
}

#[test]
fn scheduler() {
    run(|| {
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let f = opts(&fresh);
        assert_eq!(f.stream_scheduler().unwrap(), StreamScheduler::Fcfs);
        f.set_stream_scheduler(StreamScheduler::RoundRobin).unwrap();
        assert_eq!(f.stream_scheduler().unwrap(), StreamScheduler::RoundRobin);
        // Per-stream values need an association.
        assert_eq!(errno(f.stream_scheduler_value(0)), libc::EINVAL);
        // Newer than 6.1 (Linux 6.4): fair capacity and WFQ.
        assert_eq!(
            errno(f.set_stream_scheduler(StreamScheduler::FairCapacity)),
            libc::EINVAL
        );
        assert_eq!(
            errno(f.set_stream_scheduler(StreamScheduler::WeightedFairQueueing)),
            libc::EINVAL
        );

        let p = pair();
        let c = opts(&p.client);
        assert_eq!(c.stream_scheduler().unwrap(), StreamScheduler::Fcfs);
        c.set_stream_scheduler(StreamScheduler::Priority).unwrap();
        assert_eq!(c.stream_scheduler().unwrap(), StreamScheduler::Priority);
        c.set_stream_scheduler_value(1, 5).unwrap();
        c.set_stream_scheduler_value(2, 9).unwrap();
        assert_eq!(c.stream_scheduler_value(1).unwrap(), 5);
        assert_eq!(c.stream_scheduler_value(2).unwrap(), 9);
        let outs = c.status().unwrap().outbound_streams;
        assert_eq!(errno(c.stream_scheduler_value(outs)), libc::EINVAL);
        assert_eq!(errno(c.set_stream_scheduler_value(outs, 1)), libc::EINVAL);
        c.set_stream_scheduler(StreamScheduler::RoundRobin).unwrap();
        assert_eq!(c.stream_scheduler().unwrap(), StreamScheduler::RoundRobin);
        send(&p.client, b"scheduled");
        assert_eq!(recv_data(&p.server).0, b"scheduled");
    });
}

#[test]
fn udp_encaps_and_plpmtud() {
    run(|| {
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let f = opts(&fresh);
        assert_eq!(f.remote_udp_encaps_port(None).unwrap(), 0);
        f.set_remote_udp_encaps_port(None, 9899).unwrap();
        assert_eq!(f.remote_udp_encaps_port(None).unwrap(), 9899);
        assert_eq!(f.plpmtud_probe_interval(None).unwrap(), None);
        f.set_plpmtud_probe_interval(None, Some(Duration::from_secs(10)))
            .unwrap();
        assert_eq!(
            f.plpmtud_probe_interval(None).unwrap(),
            Some(Duration::from_secs(10))
        );
        // Below SCTP_PROBE_TIMER_MIN (5 s).
        assert_eq!(
            errno(f.set_plpmtud_probe_interval(None, Some(Duration::from_secs(1)))),
            libc::EINVAL
        );
        f.set_plpmtud_probe_interval(None, None).unwrap();
        assert_eq!(f.plpmtud_probe_interval(None).unwrap(), None);

        let p = pair();
        let c = opts(&p.client);
        let a = Some(&p.server_addr);
        assert_eq!(c.remote_udp_encaps_port(a).unwrap(), 0);
        c.set_remote_udp_encaps_port(a, 1234).unwrap();
        assert_eq!(c.remote_udp_encaps_port(a).unwrap(), 1234);
        c.set_remote_udp_encaps_port(a, 0).unwrap();
        assert_eq!(c.remote_udp_encaps_port(a).unwrap(), 0);
        c.set_plpmtud_probe_interval(a, Some(Duration::from_secs(6)))
            .unwrap();
        assert_eq!(
            c.plpmtud_probe_interval(a).unwrap(),
            Some(Duration::from_secs(6))
        );
        c.set_plpmtud_probe_interval(a, None).unwrap();
        assert_eq!(c.plpmtud_probe_interval(a).unwrap(), None);
    });
}

#[test]
fn assoc_stats_count_chunks() {
    run(|| {
        let p = pair();
        for i in 0..3u8 {
            send(&p.client, &[i; 10]);
            assert_eq!(recv_data(&p.server).0, vec![i; 10]);
        }
        let c = opts(&p.client).assoc_stats().unwrap();
        assert!(c.out_ordered_chunks >= 3, "{c:?}");
        assert!(c.out_packets >= 3 && c.in_packets >= 1, "{c:?}");
        let s = opts(&p.server).assoc_stats().unwrap();
        assert!(s.in_ordered_chunks >= 3, "{s:?}");
        assert_eq!(s.out_ordered_chunks, 0, "{s:?}");
        assert!(s.out_sacks >= 1 || s.out_control_chunks >= 1, "{s:?}");
        // Each read starts a new period at the association's rto_min, which the kernel reports
        // in jiffies: rto_min 1000 ms is HZ jiffies (100 in the UML lab).
        let again = opts(&p.client).assoc_stats().unwrap();
        let rto_min_ms = opts(&p.client).rto_info().unwrap().min.as_millis() as u64;
        assert_eq!(rto_min_ms, 1000);
        assert!(
            [100, 250, 300, 1000].contains(&again.max_rto_jiffies),
            "max_rto_jiffies {} is rto_min in jiffies for some CONFIG_HZ",
            again.max_rto_jiffies
        );
        assert!(again.out_ordered_chunks >= c.out_ordered_chunks);
        // No association.
        let lone = sock(libc::AF_INET, libc::SOCK_STREAM);
        assert_eq!(errno(opts(&lone).assoc_stats()), libc::EINVAL);
    });
}

#[test]
fn one_to_many_ids_and_autoclose() {
    run(|| {
        let ep = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
        let e = opts(&ep);
        assert_eq!(e.autoclose().unwrap(), None);
        e.set_autoclose(Some(Duration::from_secs(30))).unwrap();
        assert_eq!(e.autoclose().unwrap(), Some(Duration::from_secs(30)));
        e.set_autoclose(Some(Duration::from_millis(1500))).unwrap();
        assert_eq!(e.autoclose().unwrap(), Some(Duration::from_secs(2)));
        e.set_autoclose(None).unwrap();
        assert_eq!(e.autoclose().unwrap(), None);
        assert_eq!(e.assoc_number().unwrap(), 0);
        assert_eq!(e.assoc_ids().unwrap(), Vec::<i32>::new());

        let s = SockRef::from(&ep);
        s.bind(&SockAddr::from(addr("127.0.0.1:0"))).unwrap();
        s.listen(8).unwrap();
        let at = local_addr(&ep);
        let clients: Vec<OwnedFd> = (0..2)
            .map(|_| {
                let c = sock(libc::AF_INET, libc::SOCK_STREAM);
                SockRef::from(&c).connect(&SockAddr::from(at)).unwrap();
                c
            })
            .collect();
        eventually("two associations", || {
            (e.assoc_number().unwrap() == 2).then_some(())
        });
        let ids = e.assoc_ids().unwrap();
        assert_eq!(ids.len(), 2);
        assert!(ids.iter().all(|&id| id > 2), "{ids:?}");
        assert_ne!(ids[0], ids[1]);
        for &id in &ids {
            let st = e.with_assoc_id(id).status().unwrap();
            assert_eq!(st.assoc_id, id);
            assert_eq!(st.state, AssocState::Established);
        }
        // An id that names no association.
        assert_eq!(errno(e.with_assoc_id(12345).status()), libc::EINVAL);
        assert_eq!(errno(e.with_assoc_id(12345).context()), libc::EINVAL);
        // SCTP_CURRENT_ASSOC sets every association; FUTURE keeps its own value.
        e.with_assoc_id(SCTP_CURRENT_ASSOC).set_context(77).unwrap();
        for &id in &ids {
            assert_eq!(e.with_assoc_id(id).context().unwrap(), 77);
        }
        assert_eq!(e.context().unwrap(), 0);
        e.with_assoc_id(ids[0]).set_max_burst(6).unwrap();
        assert_eq!(e.with_assoc_id(ids[0]).max_burst().unwrap(), 6);
        assert_eq!(e.with_assoc_id(ids[1]).max_burst().unwrap(), 4);

        // One-to-one sockets have no autoclose and no id list.
        let one = &clients[0];
        assert_eq!(errno(opts(one).autoclose()), libc::EOPNOTSUPP);
        assert_eq!(
            errno(opts(one).set_autoclose(Some(Duration::from_secs(1)))),
            libc::EOPNOTSUPP
        );
        assert_eq!(errno(opts(one).assoc_number()), libc::EOPNOTSUPP);
        assert_eq!(errno(opts(one).assoc_ids()), libc::EOPNOTSUPP);
    });
}

#[test]
fn reuse_port_and_auto_asconf() {
    run(|| {
        let a = sock(libc::AF_INET, libc::SOCK_STREAM);
        let o = opts(&a);
        assert!(!o.reuse_port().unwrap());
        o.set_reuse_port(true).unwrap();
        assert!(o.reuse_port().unwrap());
        SockRef::from(&a)
            .bind(&SockAddr::from(addr("127.0.0.1:0")))
            .unwrap();
        let port = local_addr(&a).port();
        // After bind: EFAULT (sic).
        assert_eq!(errno(o.set_reuse_port(false)), libc::EFAULT);
        // A second socket with SCTP_REUSE_PORT binds the same port.
        let b = sock(libc::AF_INET, libc::SOCK_STREAM);
        opts(&b).set_reuse_port(true).unwrap();
        SockRef::from(&b)
            .bind(&SockAddr::from(SocketAddr::from(([127, 0, 0, 1], port))))
            .unwrap();
        // Without it: EADDRINUSE.
        let c = sock(libc::AF_INET, libc::SOCK_STREAM);
        let r = SockRef::from(&c).bind(&SockAddr::from(SocketAddr::from(([127, 0, 0, 1], port))));
        assert_eq!(r.unwrap_err().raw_os_error(), Some(libc::EADDRINUSE));
        // One-to-many: readable (off), not settable: EOPNOTSUPP.
        let m = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
        assert!(!opts(&m).reuse_port().unwrap());
        assert_eq!(errno(opts(&m).set_reuse_port(true)), libc::EOPNOTSUPP);

        // AUTO_ASCONF: only wildcard-bound sockets.
        assert!(!o.auto_asconf().unwrap());
        assert_eq!(errno(o.set_auto_asconf(true)), libc::EINVAL);
        let w = sock(libc::AF_INET, libc::SOCK_STREAM);
        SockRef::from(&w)
            .bind(&SockAddr::from(addr("0.0.0.0:0")))
            .unwrap();
        opts(&w).set_auto_asconf(true).unwrap();
        assert!(opts(&w).auto_asconf().unwrap());
        opts(&w).set_auto_asconf(false).unwrap();
        assert!(!opts(&w).auto_asconf().unwrap());
    });
}

#[test]
fn primary_and_peer_primary() {
    run(|| {
        // Multihomed server: 127.0.0.1 and 127.0.0.2 on one port.
        let listener = sock(libc::AF_INET, libc::SOCK_STREAM);
        ops::bindx(
            listener.as_fd(),
            &[addr("127.0.0.1:0")],
            linux_sctp_sys::SCTP_BINDX_ADD_ADDR,
        )
        .unwrap();
        let port = local_addr(&listener).port();
        let second = SocketAddr::from(([127, 0, 0, 2], port));
        ops::bindx(
            listener.as_fd(),
            &[second],
            linux_sctp_sys::SCTP_BINDX_ADD_ADDR,
        )
        .unwrap();
        SockRef::from(&listener).listen(4).unwrap();
        let first = SocketAddr::from(([127, 0, 0, 1], port));
        let client = sock(libc::AF_INET, libc::SOCK_STREAM);
        SockRef::from(&client)
            .connect(&SockAddr::from(first))
            .unwrap();
        let (server, _) = SockRef::from(&listener).accept().unwrap();
        let _server: OwnedFd = server.into();

        let c = opts(&client);
        assert_eq!(c.primary_addr().unwrap(), first);
        assert_eq!(c.assoc_info().unwrap().peer_destinations, 2);
        c.set_primary_addr(&second).unwrap();
        assert_eq!(c.primary_addr().unwrap(), second);
        assert_eq!(c.status().unwrap().primary.address, second);
        let info = c.peer_addr_info(&second).unwrap();
        assert_eq!(info.address, second);
        c.set_primary_addr(&first).unwrap();
        assert_eq!(c.primary_addr().unwrap(), first);
        assert_eq!(
            errno(c.set_primary_addr(&addr("127.0.0.9:1"))),
            libc::EINVAL
        );

        // SET_PEER_PRIMARY_ADDR needs ASCONF (addip_enable = 0 by default): EPERM.
        let local = local_addr(&client);
        assert_eq!(errno(c.set_peer_primary_addr(&local)), libc::EPERM);
    });
}

#[test]
fn auth_refused_by_default() {
    run(|| {
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let o = opts(&fresh);
        let sysctl = "net.sctp.auth_enable";
        assert_feature_disabled(o.hmac_ident(), sysctl, libc::EACCES);
        assert_feature_disabled(o.set_hmac_ident(&[HmacId::Sha1]), sysctl, libc::EACCES);
        assert_feature_disabled(o.add_auth_chunk(0), sysctl, libc::EACCES);
        assert_feature_disabled(o.set_auth_key(1, b"key"), sysctl, libc::EACCES);
        assert_feature_disabled(o.active_auth_key(), sysctl, libc::EACCES);
        assert_feature_disabled(o.set_active_auth_key(0), sysctl, libc::EACCES);
        assert_feature_disabled(o.delete_auth_key(1), sysctl, libc::EACCES);
        assert_feature_disabled(o.deactivate_auth_key(1), sysctl, libc::EACCES);
        assert_feature_disabled(o.local_auth_chunks(), sysctl, libc::EACCES);
    });
}

#[test]
fn auth_keys_and_chunks() {
    run(|| {
        let key = b"0123456789abcdef";
        let p = pair_with(|o| {
            o.set_auth_supported(true).unwrap();
            assert!(o.auth_supported().unwrap());
            o.set_asconf_supported(true).unwrap();
            let default = o.hmac_ident().unwrap();
            assert!(default.contains(&HmacId::Sha1), "{default:?}");
            o.set_hmac_ident(&[HmacId::Sha256, HmacId::Sha1]).unwrap();
            assert_eq!(o.hmac_ident().unwrap(), vec![HmacId::Sha256, HmacId::Sha1]);
            // SHA-1 is mandatory.
            assert_eq!(errno(o.set_hmac_ident(&[HmacId::Sha256])), libc::EINVAL);
            // DATA (chunk type 0) must be authenticated.
            o.add_auth_chunk(0).unwrap();
            assert!(o.local_auth_chunks().unwrap().contains(&0));
            // INIT can never be.
            assert_eq!(errno(o.add_auth_chunk(1)), libc::EINVAL);
            o.set_auth_key(1, key).unwrap();
            assert_eq!(o.active_auth_key().unwrap(), 0);
            o.set_active_auth_key(1).unwrap();
            assert_eq!(o.active_auth_key().unwrap(), 1);
            assert_eq!(errno(o.set_active_auth_key(9)), libc::EINVAL);
        });
        let c = opts(&p.client);
        assert!(c.auth_supported().unwrap(), "the peer negotiated AUTH");
        assert!(c.peer_auth_chunks().unwrap().contains(&0));
        assert!(c.local_auth_chunks().unwrap().contains(&0));
        assert_eq!(c.active_auth_key().unwrap(), 1);
        // With ASCONF (and AUTH) on both sides the peer can be asked to change its primary.
        assert!(c.asconf_supported().unwrap());
        c.set_peer_primary_addr(&local_addr(&p.client)).unwrap();
        // Not one of our addresses.
        assert_eq!(
            errno(c.set_peer_primary_addr(&addr("127.0.0.9:1"))),
            libc::EADDRNOTAVAIL
        );
        // Authenticated DATA gets through with key 1 on both sides.
        send(&p.client, b"authenticated");
        assert_eq!(recv_data(&p.server).0, b"authenticated");
        // The active key cannot be deleted; the null key 0 can be retired and deleted.
        assert_eq!(errno(c.delete_auth_key(1)), libc::EINVAL);
        c.deactivate_auth_key(0).unwrap();
        c.delete_auth_key(0).unwrap();
        assert_eq!(errno(c.set_active_auth_key(0)), libc::EINVAL);
        // A new key, made active on the association.
        c.set_auth_key(2, b"another key").unwrap();
        c.set_active_auth_key(2).unwrap();
        assert_eq!(c.active_auth_key().unwrap(), 2);
    });
}

#[test]
fn unknown_options() {
    run(|| {
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let fd = fresh.as_fd();
        // SCTP_SENDMSG_CONNECT (126) is an LSM code, not an option.
        let mut buf = [0u8; 8];
        for opt in [linux_sctp_sys::SCTP_SENDMSG_CONNECT, 134, 200] {
            assert_eq!(
                // SAFETY: numbers the kernel does not know: refused before the buffer is
                // touched, and `buf` is live for the call in any case.
                errno(unsafe { ops::getsockopt_bytes(fd, SOL_SCTP, opt, &mut buf) }),
                libc::ENOPROTOOPT,
                "getsockopt({opt})"
            );
            assert_eq!(
                // SAFETY: as above; the kernel would only read `buf`.
                errno(unsafe { ops::setsockopt_bytes(fd, SOL_SCTP, opt, &buf) }),
                libc::ENOPROTOOPT,
                "setsockopt({opt})"
            );
        }
    });
}

#[test]
fn stream_and_endpoint_hand_out_options() {
    // The socket types of this crate expose the same options.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(30), async {
            let listener = tokio_linux_sctp::SctpSocket::new_v4().unwrap();
            listener.options().set_nodelay(true).unwrap();
            assert!(listener.options().nodelay().unwrap());
            listener.bind(addr("127.0.0.1:0")).unwrap();
            let listener = listener.listen(4).unwrap();
            let at = listener.local_addr().unwrap();
            let (client, accepted) =
                tokio::join!(tokio_linux_sctp::SctpStream::connect(at), listener.accept());
            let client = client.unwrap();
            let (server, _) = accepted.unwrap();
            let st = client.options().status().unwrap();
            assert_eq!(st.state, AssocState::Established);
            assert_eq!(st.assoc_id, client.assoc_id());
            assert_eq!(st.primary.address, at);
            assert!(server.options().status().unwrap().state == AssocState::Established);
            assert!(listener.options().nodelay().unwrap());
        })
        .await
        .expect("within 30 s");
    });
}

#[test]
fn interleaving_in_private_netns() {
    // I-DATA needs the per-namespace sysctl net.sctp.intl_enable. Turn it on in a network
    // namespace private to this test's thread, so the other tests keep the defaults.
    run(|| {
        // `run` gives this test its own thread, which ends with the test.
        netns::enter_new(&[("intl_enable", "1")]);

        let p = pair_with(|o| {
            o.set_fragment_interleave(true).unwrap();
            o.set_interleaving_supported(true).unwrap();
            assert!(o.interleaving_supported().unwrap());
        });
        // Negotiated: the getter reports the peer's capability on the association.
        assert!(opts(&p.client).interleaving_supported().unwrap());
        assert!(opts(&p.server).interleaving_supported().unwrap());
        let big = vec![0x5a; 100_000];
        send(&p.client, &big);
        let mut got = Vec::new();
        while got.len() < big.len() {
            let (piece, m) = recv_data(&p.server);
            got.extend_from_slice(&piece);
            if m.is_eor() {
                break;
            }
        }
        assert_eq!(got, big);
        // Turning fragment interleave off turns interleaving off again.
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let f = opts(&fresh);
        f.set_fragment_interleave(true).unwrap();
        f.set_interleaving_supported(true).unwrap();
        f.set_fragment_interleave(false).unwrap();
        assert!(!f.interleaving_supported().unwrap());
    });
}
