//! `sendmsg`, `recvmsg` and `recvmsg_uninit` with SCTP ancillary data: SNDINFO/RCVINFO,
//! the deprecated SNDRCV, EOR on partial reads, implicit one-to-many setup, every send-side
//! cmsg the encoder writes, and the control-buffer padding the kernel counts but never writes.

use std::io::{IoSlice, IoSliceMut};
use std::mem::{self, size_of};
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd};

use libc::c_int;
use linux_sctp_sys::cmsg::{self, SendCmsgs, RECV_CMSG_SPACE};
use linux_sctp_sys::ops::{self, RecvMsg};
use linux_sctp_sys::*;

use crate::support::*;

// ---------------------------------------------------------------------------------------
// Data path
// ---------------------------------------------------------------------------------------

#[test]
fn one_to_one_sndinfo_rcvinfo_eor() {
    let (c, s, _l, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    set_int(s.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);
    let n = send(c.as_fd(), b"hello sctp", None, sndinfo(3, 0x1234_5678, 0));
    assert_eq!(n, 10);
    let (data, m) = recv(s.as_fd(), 64);
    assert_eq!(data, b"hello sctp");
    assert!(
        m.is_eor() && !m.is_notification() && !m.is_ctrunc(),
        "{m:?}"
    );
    let rcv = m.cmsgs.rcvinfo.expect("RCVINFO attached");
    assert_eq!(rcv.rcv_sid, 3);
    assert_eq!(rcv.rcv_ppid, 0x1234_5678, "PPID passes through unchanged");
    assert_eq!(rcv.rcv_ssn, 0);
    assert!(
        m.cmsgs.sndrcv.is_none(),
        "no data-io subscription, no SNDRCV"
    );
    // msg_name is the client's address.
    let client_local = ops::getladdrs(c.as_fd(), 0).unwrap();
    assert_eq!(m.from, Some(client_local[0]));
    // The server's association id is the one SCTP_STATUS reports.
    let st: sctp_status = sockopt::get(s.as_fd(), sockopt::SCTP_STATUS).unwrap();
    assert_eq!(rcv.rcv_assoc_id, st.sstat_assoc_id);
    assert_eq!(st.sstat_state, SCTP_ESTABLISHED);

    // The deprecated SNDRCV path works too, with the data-io subscription. recvmsg checks the
    // *socket's* subscription; on a connected one-to-one socket SCTP_EVENT only changes the
    // association's mask (the id is ignored), so it takes SCTP_EVENTS, which sets both.
    subscribe(s.as_fd(), SCTP_DATA_IO_EVENT);
    let mut b = [0u8; 16];
    send(c.as_fd(), b"-", None, sndinfo(0, 0, 0));
    let m = ops::recvmsg(s.as_fd(), &mut [IoSliceMut::new(&mut b)], 0).unwrap();
    assert!(
        m.cmsgs.sndrcv.is_none(),
        "SCTP_EVENT on a 1:1 socket: still no SNDRCV"
    );
    let ev = sctp_event_subscribe {
        sctp_data_io_event: 1,
        ..Default::default()
    };
    sockopt::set(s.as_fd(), sockopt::SCTP_EVENTS, &ev).unwrap();
    let cm = SendCmsgs {
        sndrcv: Some(sctp_sndrcvinfo {
            sinfo_stream: 4,
            sinfo_ppid: 99,
            ..Default::default()
        }),
        ..Default::default()
    };
    ops::sendmsg(
        c.as_fd(),
        &[IoSlice::new(b"x"), IoSlice::new(b"yz")],
        None,
        &cm,
        0,
    )
    .unwrap();
    let (data, m) = recv(s.as_fd(), 64);
    assert_eq!(data, b"xyz");
    let sr = m.cmsgs.sndrcv.expect("SNDRCV attached");
    assert_eq!((sr.sinfo_stream, sr.sinfo_ppid, sr.sinfo_ssn), (4, 99, 0));
    assert_eq!(m.cmsgs.rcvinfo.unwrap().rcv_sid, 4);
}

#[test]
fn partial_read_sets_eor_only_on_the_last_piece() {
    let (c, s, _l, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    set_int(s.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);
    let msg: Vec<u8> = (0..100u8).collect();
    send(c.as_fd(), &msg, None, sndinfo(1, 7, 0));
    send(c.as_fd(), b"next", None, sndinfo(2, 8, 0));
    let mut got = Vec::new();
    let mut lens = Vec::new();
    loop {
        let (b, m) = recv(s.as_fd(), 30);
        let r = m.cmsgs.rcvinfo.unwrap();
        assert_eq!(
            (r.rcv_sid, r.rcv_ppid),
            (1, 7),
            "same RCVINFO on every piece"
        );
        got.extend_from_slice(&b);
        lens.push(m.len);
        if m.is_eor() {
            break;
        }
    }
    assert_eq!(lens, [30, 30, 30, 10]);
    assert_eq!(got, msg);
    let (b, m) = recv(s.as_fd(), 30);
    assert_eq!(b, b"next");
    assert!(m.is_eor());
    assert_eq!(m.cmsgs.rcvinfo.unwrap().rcv_sid, 2);
}

#[test]
fn one_to_many_implicit_association_and_comm_up() {
    let (m, maddr) = many_server(libc::AF_INET, "127.0.0.1:0");
    set_int(m.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);
    set_int(m.as_fd(), sockopt::SCTP_RECVNXTINFO, 1);
    let c = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    subscribe(c.as_fd(), SCTP_ASSOC_CHANGE);
    set_int(c.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);

    // sendmsg to an unknown peer creates the association.
    send(c.as_fd(), b"first", Some(maddr), sndinfo(2, 0x0102_0304, 0));
    send(c.as_fd(), b"second!", Some(maddr), sndinfo(5, 6, 0));
    let cid = expect_assoc_change(c.as_fd(), SCTP_COMM_UP);
    let sid = expect_assoc_change(m.as_fd(), SCTP_COMM_UP);

    let (b, r) = recv(m.as_fd(), 64);
    assert_eq!(b, b"first");
    let ri = r.cmsgs.rcvinfo.unwrap();
    assert_eq!(
        (ri.rcv_sid, ri.rcv_ppid, ri.rcv_assoc_id),
        (2, 0x0102_0304, sid)
    );
    // NXTINFO describes the message queued behind this one.
    let nx = r
        .cmsgs
        .nxtinfo
        .expect("NXTINFO with a second message queued");
    assert_eq!(
        (nx.nxt_sid, nx.nxt_ppid, nx.nxt_length, nx.nxt_assoc_id),
        (5, 6, 7, sid)
    );
    let (b, r) = recv(m.as_fd(), 64);
    assert_eq!(b, b"second!");
    assert!(
        r.cmsgs.nxtinfo.is_none(),
        "nothing queued behind the last message"
    );
    let from = r.from.unwrap();
    assert_eq!(from.ip(), addr("127.0.0.1:0").ip());

    // Reply by association id, without an address.
    send(m.as_fd(), b"reply", None, sndinfo(1, 77, sid));
    let (b, r) = recv(c.as_fd(), 64);
    assert_eq!(b, b"reply");
    let ri = r.cmsgs.rcvinfo.unwrap();
    assert_eq!((ri.rcv_sid, ri.rcv_ppid, ri.rcv_assoc_id), (1, 77, cid));
    assert_eq!(r.from, Some(maddr));

    // No address and an unknown id: EPIPE, as an error (MSG_NOSIGNAL: no SIGPIPE).
    let e = ops::sendmsg(
        m.as_fd(),
        &[IoSlice::new(b"x")],
        None,
        &SendCmsgs {
            sndinfo: Some(sndinfo(0, 0, 4242)),
            ..Default::default()
        },
        0,
    );
    assert_eq!(errno_of(e), Some(libc::EPIPE));
}

/// Every send-side cmsg the encoder writes is accepted by the kernel (which insists on the exact
/// `CMSG_LEN(sizeof T)`), and the ones that act on a new association do.
#[test]
fn send_cmsgs_init_prinfo_authinfo_dstaddrs() {
    let (m, a1) = many_server(libc::AF_INET, "127.0.0.1:0");
    let a2 = SocketAddr::from(([127, 0, 0, 2], a1.port()));
    ops::bindx(m.as_fd(), &[a2], SCTP_BINDX_ADD_ADDR).unwrap();
    set_int(m.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);
    let c = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    subscribe(c.as_fd(), SCTP_ASSOC_CHANGE);

    // A new association with 3 outbound streams (SCTP_INIT) and a second peer address
    // (SCTP_DSTADDRV4).
    let dst = [a2];
    let cm = SendCmsgs {
        init: Some(sctp_initmsg {
            sinit_num_ostreams: 3,
            sinit_max_instreams: 5,
            ..Default::default()
        }),
        sndinfo: Some(sndinfo(2, 0xabcd, 0)),
        prinfo: None,
        authinfo: None,
        dstaddrs: &dst,
        sndrcv: None,
    };
    let n = ops::sendmsg(c.as_fd(), &[IoSlice::new(b"all cmsgs")], Some(&a1), &cm, 0).unwrap();
    assert_eq!(n, 9);
    let cid = expect_assoc_change(c.as_fd(), SCTP_COMM_UP);
    let sid = expect_assoc_change(m.as_fd(), SCTP_COMM_UP);
    let (b, r) = recv(m.as_fd(), 64);
    assert_eq!(b, b"all cmsgs");
    let ri = r.cmsgs.rcvinfo.unwrap();
    assert_eq!((ri.rcv_sid, ri.rcv_ppid, ri.rcv_assoc_id), (2, 0xabcd, sid));

    let mut st = sctp_status {
        sstat_assoc_id: cid,
        ..Default::default()
    };
    sockopt::get_inout(c.as_fd(), sockopt::SCTP_STATUS, &mut st).unwrap();
    assert_eq!(
        (st.sstat_outstrms, st.sstat_instrms),
        (3, 5),
        "SCTP_INIT applied"
    );
    let mut peers = ops::getpaddrs(c.as_fd(), cid).unwrap();
    peers.sort();
    assert_eq!(peers, [a1, a2], "SCTP_DSTADDRV4 added the second address");

    // PRINFO and AUTHINFO (and the deprecated SNDRCV) on the established association: the
    // kernel accepts their exact lengths and delivers the message.
    let cm = SendCmsgs {
        sndrcv: Some(sctp_sndrcvinfo {
            sinfo_stream: 1,
            sinfo_assoc_id: cid,
            ..Default::default()
        }),
        sndinfo: Some(sndinfo(1, 0x5151, cid)),
        prinfo: Some(sctp_prinfo {
            pr_policy: SCTP_PR_SCTP_TTL,
            pr_value: 30_000,
        }),
        authinfo: Some(sctp_authinfo { auth_keynumber: 0 }),
        ..Default::default()
    };
    ops::sendmsg(c.as_fd(), &[IoSlice::new(b"pr")], None, &cm, 0).unwrap();
    let (b, r) = recv(m.as_fd(), 64);
    assert_eq!(b, b"pr");
    assert_eq!(
        r.cmsgs.rcvinfo.unwrap().rcv_ppid,
        0x5151,
        "SNDINFO overrides SNDRCV"
    );

    // Stream 3 does not exist on this association: EINVAL from the kernel.
    let e = ops::sendmsg(
        c.as_fd(),
        &[IoSlice::new(b"x")],
        None,
        &SendCmsgs {
            sndinfo: Some(sndinfo(3, 0, cid)),
            ..Default::default()
        },
        0,
    );
    assert_eq!(errno_of(e), Some(libc::EINVAL));
    // Flags outside the kernel's set are refused too (0x8000 is not a send flag).
    let mut bad = sndinfo(0, 0, cid);
    bad.snd_flags = 0x8000;
    let e = ops::sendmsg(
        c.as_fd(),
        &[IoSlice::new(b"x")],
        None,
        &SendCmsgs {
            sndinfo: Some(bad),
            ..Default::default()
        },
        0,
    );
    assert_eq!(errno_of(e), Some(libc::EINVAL));
}

// ---------------------------------------------------------------------------------------
// accept4 and recvmsg into uninitialised memory
// ---------------------------------------------------------------------------------------

#[test]
fn recvmsg_uninit_fills_only_what_it_reports() {
    let (c, s, _l, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    set_int(s.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);
    let msg: Vec<u8> = (0..100u8).collect();
    send(c.as_fd(), &msg, None, sndinfo(5, 0xfeed, 0));
    send(c.as_fd(), b"tail", None, sndinfo(6, 1, 0));

    // The spare capacity holds a marker, so that bytes the kernel did not write show.
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    let marker = |buf: &mut Vec<u8>| {
        for b in buf.spare_capacity_mut() {
            b.write(0xAA);
        }
    };
    // An empty window reads nothing and leaves the message queued.
    let m = ops::recvmsg_uninit(s.as_fd(), &mut [], 0).unwrap();
    assert_eq!((m.len, m.is_eor()), (0, false), "{m:?}");

    // Pieces of 30 appended one after the other, as a reassembly buffer does.
    let mut lens = Vec::new();
    loop {
        marker(&mut buf);
        let at = buf.len();
        let spare = &mut buf.spare_capacity_mut()[..30];
        let m = ops::recvmsg_uninit(s.as_fd(), spare, 0).unwrap();
        assert!(
            m.len <= 30 && m.from.is_none() && !m.is_notification(),
            "{m:?}"
        );
        let r = m.cmsgs.rcvinfo.expect("RCVINFO on every piece");
        assert_eq!((r.rcv_sid, r.rcv_ppid), (5, 0xfeed));
        // SAFETY: the marker loop initialised the whole spare capacity.
        unsafe { buf.set_len(at + 30) };
        assert!(
            buf[at + m.len..].iter().all(|&b| b == 0xAA),
            "nothing written past the reported length"
        );
        buf.truncate(at + m.len);
        lens.push(m.len);
        if m.is_eor() {
            break;
        }
    }
    assert_eq!(lens, [30, 30, 30, 10]);
    assert_eq!(buf, msg);

    // The next message, into fresh (truly uninitialised) capacity: commit exactly `len`.
    let mut next: Vec<u8> = Vec::with_capacity(64);
    let m = ops::recvmsg_uninit(s.as_fd(), next.spare_capacity_mut(), 0).unwrap();
    // SAFETY: recvmsg_uninit initialised the first `m.len` bytes of the spare capacity.
    unsafe { next.set_len(m.len) };
    assert_eq!(next, b"tail");
    assert!(m.is_eor());
    assert_eq!(m.cmsgs.rcvinfo.unwrap().rcv_sid, 6);

    // Notifications come the same way: the peer's SHUTDOWN_EVENT.
    subscribe(s.as_fd(), SCTP_SHUTDOWN_EVENT);
    // SAFETY: shutdown(2) takes no pointers.
    assert_eq!(unsafe { libc::shutdown(c.as_raw_fd(), libc::SHUT_WR) }, 0);
    wait_readable(s.as_fd());
    let mut n: Vec<u8> = Vec::with_capacity(64);
    let m = ops::recvmsg_uninit(s.as_fd(), n.spare_capacity_mut(), 0).unwrap();
    // SAFETY: as above.
    unsafe { n.set_len(m.len) };
    assert!(m.is_notification() && m.is_eor(), "{m:?}");
    assert_eq!(n.len(), size_of::<sctp_shutdown_event>());
    assert_eq!(u16::from_ne_bytes([n[0], n[1]]), SCTP_SHUTDOWN_EVENT);
}

#[repr(C, align(8))]
struct Control([u8; RECV_CMSG_SPACE]);

/// `put_cmsg` writes `CMSG_LEN` bytes but advances `msg_control` by `CMSG_SPACE`: after an
/// `SCTP_RCVINFO` (28-byte payload) `msg_controllen` is 48 while bytes 44..48 were never
/// written. A control buffer left uninitialised would expose those 4 bytes.
#[test]
fn kernel_counts_cmsg_padding_it_never_writes() {
    let (c, s, _l, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    sockopt::set(s.as_fd(), sockopt::SCTP_RECVRCVINFO, &(1 as c_int)).unwrap();
    send(c.as_fd(), b"padding", None, sndinfo(2, 77, 0));

    let mut data = [0u8; 64];
    let mut iov = libc::iovec {
        iov_base: data.as_mut_ptr().cast(),
        iov_len: data.len(),
    };
    let mut control = Control([0xaa; RECV_CMSG_SPACE]);
    // SAFETY: all-zero is a valid msghdr.
    let mut msg: libc::msghdr = unsafe { mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.0.as_mut_ptr().cast();
    msg.msg_controllen = RECV_CMSG_SPACE as _;
    // SAFETY: `msg` points at `iov` (over `data`) and `control`, both live and writable for
    // the lengths given.
    let n = unsafe { libc::recvmsg(s.as_raw_fd(), &mut msg, 0) };
    assert_eq!(n, 7, "recvmsg: {}", std::io::Error::last_os_error());
    assert_eq!(&data[..7], b"padding");
    #[allow(clippy::unnecessary_cast)]
    let controllen = msg.msg_controllen as usize;
    assert_eq!(
        controllen,
        cmsg::cmsg_space(size_of::<sctp_rcvinfo>()),
        "CMSG_SPACE(sctp_rcvinfo)"
    );
    let mut l = [0u8; mem::size_of::<usize>()];
    l.copy_from_slice(&control.0[..mem::size_of::<usize>()]);
    assert_eq!(
        usize::from_ne_bytes(l),
        cmsg::cmsg_len(size_of::<sctp_rcvinfo>()),
        "cmsg_len"
    );
    assert_eq!(
        &control.0[cmsg::cmsg_len(size_of::<sctp_rcvinfo>())..controllen],
        &[0xaa; 4],
        "the padding counted in msg_controllen is left untouched"
    );
    let got = cmsg::decode(&control.0[..controllen])
        .unwrap()
        .rcvinfo
        .unwrap();
    assert_eq!((got.rcv_sid, got.rcv_ppid), (2, 77));

    // The batch receive decodes the same message kind correctly from its (zeroed) slots.
    send(c.as_fd(), b"second", None, sndinfo(3, 78, 0));
    let mut b = [0u8; 64];
    let mut out = [RecvMsg::default(); 2];
    let k = ops::recvmmsg(
        s.as_fd(),
        &mut [IoSliceMut::new(&mut b)],
        &mut out,
        libc::MSG_DONTWAIT,
    );
    let k = match k {
        Ok(k) => k,
        // The message may not have crossed loopback yet.
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            ops::recvmmsg(s.as_fd(), &mut [IoSliceMut::new(&mut b)], &mut out, 0).unwrap()
        }
        Err(e) => panic!("recvmmsg: {e}"),
    };
    assert_eq!(k, 1);
    assert_eq!(&b[..out[0].len], b"second");
    let r = out[0].cmsgs.rcvinfo.unwrap();
    assert_eq!((r.rcv_sid, r.rcv_ppid), (3, 78));
}
