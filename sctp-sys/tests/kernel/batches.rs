//! The batch calls `sendmmsg` and `recvmmsg`.
//!
//! Covered: per-message `SCTP_SNDINFO` on send; per-entry `SCTP_RCVINFO`/`SCTP_NXTINFO`,
//! `MSG_EOR` and `MSG_NOTIFICATION` on receive; a message larger than its entry continued in
//! the next entries; `msg_name` per entry on one-to-many sockets; the partial count when a
//! message in the middle of a batch fails (and the error on the resend).

use std::io::IoSliceMut;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use libc::c_int;
use linux_sctp_sys::cmsg::SendCmsgs;
use linux_sctp_sys::ops::{self, MmsgSend, RecvMsg, MMSG_MAX};
use linux_sctp_sys::*;

use crate::support::*;

/// Client, accepted server (RCVINFO and NXTINFO on), listener.
fn batch_pair() -> (OwnedFd, OwnedFd, OwnedFd) {
    let (c, s, l, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    // No Nagle: a batch goes out at once instead of waiting for the delayed SACK.
    set_int(c.as_fd(), sockopt::SCTP_NODELAY, 1);
    set_int(s.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);
    set_int(s.as_fd(), sockopt::SCTP_RECVNXTINFO, 1);
    (c, s, l)
}

fn sndinfo_cmsgs(sid: u16, ppid: u32) -> SendCmsgs<'static> {
    SendCmsgs {
        sndinfo: Some(sctp_sndinfo {
            snd_sid: sid,
            snd_ppid: ppid,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn payload(i: usize, len: usize) -> Vec<u8> {
    (0..len).map(|k| (i * 31 + k) as u8).collect()
}

/// One entry of a receive batch: its bytes and what the kernel said.
struct Entry {
    data: Vec<u8>,
    msg: RecvMsg,
}

/// Receives batches (entries of `entry_len` bytes, `MSG_DONTWAIT`) until at least `want`
/// entries arrived; returns them and the number of `recvmmsg` calls.
fn recv_entries(fd: BorrowedFd<'_>, entry_len: usize, want: usize) -> (Vec<Entry>, usize) {
    let mut out = Vec::new();
    let mut calls = 0;
    let mut store = vec![vec![0u8; entry_len]; MMSG_MAX];
    let blank = RecvMsg {
        len: 0,
        flags: 0,
        from: None,
        cmsgs: Default::default(),
    };
    while out.len() < want {
        wait_readable(fd);
        let mut bufs: Vec<IoSliceMut<'_>> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
        let mut msgs = vec![blank; MMSG_MAX];
        let n = ops::recvmmsg(fd, &mut bufs, &mut msgs, libc::MSG_DONTWAIT).unwrap();
        calls += 1;
        assert!((1..=MMSG_MAX).contains(&n));
        drop(bufs);
        for (b, m) in store.iter().zip(&msgs).take(n) {
            out.push(Entry {
                data: b[..m.len].to_vec(),
                msg: *m,
            });
        }
    }
    (out, calls)
}

#[test]
fn one_to_one_batch_with_pieces_nxtinfo_and_a_notification() {
    let (c, s, _l) = batch_pair();
    // Subscribing to SENDER_DRY with nothing outstanding queues one notification at once: it
    // is the first entry of the server's first batch, before the data.
    subscribe(s.as_fd(), SCTP_SENDER_DRY_EVENT);
    let sizes = [1usize, 64, 600, 7, 256, 255, 257, 3];
    let datas: Vec<Vec<u8>> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| payload(i, n))
        .collect();
    let msgs: Vec<MmsgSend<'_>> = datas
        .iter()
        .enumerate()
        .map(|(i, d)| MmsgSend {
            data: d,
            to: None,
            cmsgs: sndinfo_cmsgs(i as u16, 0x1000 + i as u32),
        })
        .collect();
    assert_eq!(
        ops::sendmmsg(c.as_fd(), msgs.iter().copied(), 0).unwrap(),
        8
    );

    // 256-byte entries: 600 takes three entries (256, 256, 88), 257 takes two (256, 1).
    let pieces_per_msg: Vec<usize> = sizes.iter().map(|n| n.div_ceil(256).max(1)).collect();
    let want = 1 + pieces_per_msg.iter().sum::<usize>();
    // Wait until every message is queued, so that one batch can take them all.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let (entries, calls) = recv_entries(s.as_fd(), 256, want);
    assert_eq!(calls, 1, "everything queued comes back in one recvmmsg");
    assert_eq!(entries.len(), want);

    let dry = &entries[0];
    assert!(
        dry.msg.is_notification() && dry.msg.is_eor(),
        "{:?}",
        dry.msg
    );
    assert_eq!(
        u16::from_ne_bytes([dry.data[0], dry.data[1]]),
        SCTP_SENDER_DRY_EVENT
    );
    assert!(
        dry.msg.cmsgs.rcvinfo.is_none(),
        "a notification has no RCVINFO"
    );

    let mut it = entries[1..].iter();
    for (i, d) in datas.iter().enumerate() {
        let mut whole = Vec::new();
        for p in 0..pieces_per_msg[i] {
            let e = it.next().unwrap();
            let last = p + 1 == pieces_per_msg[i];
            assert!(!e.msg.is_notification() && !e.msg.is_ctrunc());
            assert_eq!(e.msg.is_eor(), last, "message {i} piece {p}");
            let r = e.msg.cmsgs.rcvinfo.expect("RCVINFO on every entry");
            assert_eq!((r.rcv_sid, r.rcv_ppid), (i as u16, 0x1000 + i as u32));
            if last {
                match datas.get(i + 1) {
                    Some(next) => {
                        let n = e.msg.cmsgs.nxtinfo.expect("NXTINFO: more is queued");
                        assert_eq!(n.nxt_sid, i as u16 + 1);
                        assert_eq!(n.nxt_ppid, 0x1000 + i as u32 + 1);
                        assert_eq!(n.nxt_length as usize, next.len());
                    }
                    None => assert!(e.msg.cmsgs.nxtinfo.is_none(), "queue drained"),
                }
            }
            whole.extend_from_slice(&e.data);
        }
        assert_eq!(&whole, d, "message {i}");
    }
    assert!(it.next().is_none());

    // Nothing left: the next batch is EAGAIN, not an empty success.
    let mut b = [0u8; 8];
    let mut msgs = [RecvMsg {
        len: 0,
        flags: 0,
        from: None,
        cmsgs: Default::default(),
    }];
    let e = ops::recvmmsg(
        s.as_fd(),
        &mut [IoSliceMut::new(&mut b)],
        &mut msgs,
        libc::MSG_DONTWAIT,
    )
    .unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EAGAIN));
}

#[test]
fn sendmmsg_stops_at_a_failing_message_and_the_resend_reports_it() {
    let (c, s, _l) = batch_pair();
    let st: sctp_status = sockopt::get(c.as_fd(), sockopt::SCTP_STATUS).unwrap();
    let bad = st.sstat_outstrms; // one past the last valid stream
    let data: Vec<Vec<u8>> = (0..5).map(|i| payload(i, 10 + i)).collect();
    let sids = [0, 1, 2, bad, 4];
    let msgs: Vec<MmsgSend<'_>> = data
        .iter()
        .zip(sids)
        .map(|(d, sid)| MmsgSend {
            data: d,
            to: None,
            cmsgs: sndinfo_cmsgs(sid, 7),
        })
        .collect();
    assert_eq!(
        ops::sendmmsg(c.as_fd(), msgs.iter().copied(), 0).unwrap(),
        3,
        "the three messages before the bad stream went"
    );
    let e = ops::sendmmsg(c.as_fd(), msgs[3..].iter().copied(), 0).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    assert_eq!(
        ops::sendmmsg(c.as_fd(), msgs[4..].iter().copied(), 0).unwrap(),
        1
    );

    std::thread::sleep(std::time::Duration::from_millis(100));
    let (entries, _) = recv_entries(s.as_fd(), 64, 4);
    assert_eq!(entries.len(), 4);
    let got: Vec<(u16, Vec<u8>)> = entries
        .iter()
        .map(|e| (e.msg.cmsgs.rcvinfo.unwrap().rcv_sid, e.data.clone()))
        .collect();
    let want: Vec<(u16, Vec<u8>)> = [0usize, 1, 2, 4]
        .iter()
        .map(|&i| (sids[i], data[i].clone()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn one_to_many_names_per_entry() {
    let srv = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    let saddr = bind(srv.as_fd(), "127.0.0.1:0");
    listen(srv.as_fd());
    set_int(srv.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);
    let cli = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    ops::bindx(
        cli.as_fd(),
        &["127.0.0.1:0".parse().unwrap()],
        SCTP_BINDX_ADD_ADDR,
    )
    .unwrap();
    let caddr = ops::getladdrs(cli.as_fd(), 0).unwrap()[0];
    // Every entry names the server: the first creates the association, the rest use it.
    let datas: Vec<Vec<u8>> = (0..6).map(|i| payload(i, 20 * i + 1)).collect();
    let msgs: Vec<MmsgSend<'_>> = datas
        .iter()
        .enumerate()
        .map(|(i, d)| MmsgSend {
            data: d,
            to: Some(&saddr),
            cmsgs: sndinfo_cmsgs(i as u16 % 2, 99),
        })
        .collect();
    assert_eq!(
        ops::sendmmsg(cli.as_fd(), msgs.iter().copied(), 0).unwrap(),
        6
    );
    let mut seen = Vec::new();
    let mut assoc = None;
    while seen.len() < datas.len() {
        let (entries, _) = recv_entries(srv.as_fd(), 512, 1);
        for e in entries {
            assert!(e.msg.is_eor() && !e.msg.is_notification());
            assert_eq!(e.msg.from, Some(caddr), "msg_name per entry");
            let r = e.msg.cmsgs.rcvinfo.unwrap();
            assert_eq!(*assoc.get_or_insert(r.rcv_assoc_id), r.rcv_assoc_id);
            seen.push(e.data);
        }
    }
    assert_eq!(seen, datas);
}

/// With `MSG_TRUNC` a datagram socket reports the datagram's length, more than the entry's
/// buffer: `recvmmsg_raw` callers must clamp `len` to `iov_len`.
#[test]
fn recvmmsg_len_may_exceed_the_entry_with_msg_trunc() {
    let mut fds = [0 as c_int; 2];
    // SAFETY: `fds` has room for the two descriptors socketpair(2) writes.
    let rc = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    assert_eq!(rc, 0, "socketpair: {}", std::io::Error::last_os_error());
    // SAFETY: two new descriptors, each owned once here.
    let (a, b) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let msg = b"0123456789";
    // SAFETY: `msg` is readable for its length.
    let n = unsafe { libc::send(a.as_raw_fd(), msg.as_ptr().cast(), msg.len(), 0) };
    assert_eq!(n, 10);

    let mut buf = [0xeeu8; 8];
    let iov = [libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: 4,
    }];
    let mut out = [RecvMsg::default()];
    // SAFETY: the iovec covers the first 4 bytes of `buf`, writable and not otherwise
    // borrowed during the call.
    let k = unsafe {
        ops::recvmmsg_raw(
            b.as_fd(),
            &iov,
            &mut out,
            libc::MSG_TRUNC | libc::MSG_DONTWAIT,
            false,
        )
    }
    .unwrap();
    assert_eq!(k, 1);
    assert_eq!(
        out[0].len, 10,
        "the datagram's length, not the bytes written"
    );
    assert_ne!(out[0].flags & libc::MSG_TRUNC, 0);
    assert_eq!(&buf, b"0123\xee\xee\xee\xee", "only iov_len bytes written");
}
