//! Unit tests of the cmsg codec: sizes against libc, exact encodings, decoding of
//! kernel-style buffers, malformed and truncated input.

use std::net::SocketAddr;

use super::decode::*;
use super::encode::*;
use super::*;

fn hdr(len: usize, level: c_int, t: c_int) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&len.to_ne_bytes());
    v.extend_from_slice(&level.to_ne_bytes());
    v.extend_from_slice(&t.to_ne_bytes());
    v
}

fn padded(mut v: Vec<u8>) -> Vec<u8> {
    v.resize(cmsg_align(v.len()), 0);
    v
}

#[test]
fn cmsg_macros_match_libc() {
    for n in [0usize, 1, 2, 4, 8, 16, 28, 32, 100] {
        // SAFETY: CMSG_LEN and CMSG_SPACE are pure arithmetic.
        let (l, s) = unsafe { (libc::CMSG_LEN(n as u32), libc::CMSG_SPACE(n as u32)) };
        assert_eq!(cmsg_len(n), l as usize, "CMSG_LEN({n})");
        assert_eq!(cmsg_space(n), s as usize, "CMSG_SPACE({n})");
    }
    // The x86_64 numbers from the header survey.
    #[cfg(target_pointer_width = "64")]
    {
        assert_eq!(cmsg_space(SNDRCVINFO_LEN), 48);
        assert_eq!(cmsg_space(SNDINFO_LEN), 32);
        assert_eq!(cmsg_space(28), 48);
        assert_eq!(cmsg_space(PRINFO_LEN), 24);
        assert_eq!(cmsg_space(AUTHINFO_LEN), 24);
        assert_eq!(cmsg_space(INITMSG_LEN), 24);
        assert_eq!(cmsg_space(4), 24);
        assert_eq!(cmsg_space(16), 32);
        assert_eq!(RECV_CMSG_SPACE, 128 + 128);
    }
}

fn sample_sndinfo() -> sctp_sndinfo {
    sctp_sndinfo {
        snd_sid: 3,
        snd_flags: 0x0400,
        snd_ppid: 0x1234_5678,
        snd_context: 0xdead_beef,
        snd_assoc_id: 77,
    }
}

fn sample_sndrcv() -> sctp_sndrcvinfo {
    sctp_sndrcvinfo {
        sinfo_stream: 9,
        sinfo_ssn: 10,
        sinfo_flags: 0x0001,
        sinfo_ppid: 0x0a0b_0c0d,
        sinfo_context: 11,
        sinfo_timetolive: 12,
        sinfo_tsn: 13,
        sinfo_cumtsn: 14,
        sinfo_assoc_id: -5,
    }
}

/// Splits an encoding back into messages, checking the exact lengths the kernel wants.
fn messages(bytes: &[u8]) -> Vec<RawCmsg<'_>> {
    let v: Vec<_> = CmsgIter::new(bytes).map(|m| m.unwrap()).collect();
    for m in &v {
        assert_eq!(m.level, libc::IPPROTO_SCTP);
    }
    v
}

#[test]
fn empty_encodes_to_nothing() {
    let mut buf = CmsgBuffer::new();
    let c = SendCmsgs::default();
    assert!(c.is_empty());
    assert_eq!(encode(&c, &mut buf).unwrap(), &[] as &[u8]);
}

#[test]
fn every_send_message_has_exact_len_and_layout() {
    let init = sctp_initmsg {
        sinit_num_ostreams: 5,
        sinit_max_instreams: 6,
        sinit_max_attempts: 7,
        sinit_max_init_timeo: 8,
    };
    let prinfo = sctp_prinfo {
        pr_policy: 0x10,
        pr_value: 1000,
    };
    let authinfo = sctp_authinfo {
        auth_keynumber: 0x4242,
    };
    let dst: [SocketAddr; 2] = ["127.0.0.2:1".parse().unwrap(), "[::1]:2".parse().unwrap()];
    let c = SendCmsgs {
        init: Some(init),
        sndrcv: Some(sample_sndrcv()),
        sndinfo: Some(sample_sndinfo()),
        prinfo: Some(prinfo),
        authinfo: Some(authinfo),
        dstaddrs: &dst,
    };
    let mut buf = CmsgBuffer::new();
    let bytes = encode(&c, &mut buf).unwrap();
    assert_eq!(bytes.len(), c.space());
    assert_eq!(bytes.as_ptr() as usize % 8, 0);
    let m = messages(bytes);
    let types: Vec<_> = m.iter().map(|m| m.cmsg_type).collect();
    assert_eq!(
        types,
        [
            ty::INIT,
            ty::SNDRCV,
            ty::SNDINFO,
            ty::PRINFO,
            ty::AUTHINFO,
            ty::DSTADDRV4,
            ty::DSTADDRV6
        ]
    );
    let lens: Vec<_> = m.iter().map(|m| m.data.len()).collect();
    assert_eq!(lens, [8, 32, 16, 8, 2, 4, 16]);

    // The bytes read back as the C structs (this checks the encoder against the structs of `types/`).
    let i: sctp_initmsg = read_payload(0, m[0].data).unwrap();
    assert_eq!(
        (
            i.sinit_num_ostreams,
            i.sinit_max_instreams,
            i.sinit_max_attempts,
            i.sinit_max_init_timeo
        ),
        (5, 6, 7, 8)
    );
    let s: sctp_sndrcvinfo = read_payload(0, m[1].data).unwrap();
    let e = sample_sndrcv();
    assert_eq!(
        (
            s.sinfo_stream,
            s.sinfo_ssn,
            s.sinfo_flags,
            s.sinfo_ppid,
            s.sinfo_context,
            s.sinfo_timetolive,
            s.sinfo_tsn,
            s.sinfo_cumtsn,
            s.sinfo_assoc_id
        ),
        (
            e.sinfo_stream,
            e.sinfo_ssn,
            e.sinfo_flags,
            e.sinfo_ppid,
            e.sinfo_context,
            e.sinfo_timetolive,
            e.sinfo_tsn,
            e.sinfo_cumtsn,
            e.sinfo_assoc_id
        )
    );
    assert_eq!(&m[1].data[6..8], &[0, 0], "padding is zeroed");
    let s: sctp_sndinfo = read_payload(0, m[2].data).unwrap();
    assert_eq!(
        (
            s.snd_sid,
            s.snd_flags,
            s.snd_ppid,
            s.snd_context,
            s.snd_assoc_id
        ),
        (3, 0x0400, 0x1234_5678, 0xdead_beef, 77)
    );
    let p: sctp_prinfo = read_payload(0, m[3].data).unwrap();
    assert_eq!((p.pr_policy, p.pr_value), (0x10, 1000));
    let a: sctp_authinfo = read_payload(0, m[4].data).unwrap();
    assert_eq!(a.auth_keynumber, 0x4242);
    assert_eq!(m[5].data, &[127, 0, 0, 2]);
    assert_eq!(m[6].data, &std::net::Ipv6Addr::LOCALHOST.octets());
    // Every header says exactly CMSG_LEN(sizeof T).
    let mut off = 0;
    for (msg, size) in m.iter().zip([8usize, 32, 16, 8, 2, 4, 16]) {
        let mut l = [0u8; size_of::<usize>()];
        l.copy_from_slice(&bytes[off..off + ALIGN]);
        assert_eq!(usize::from_ne_bytes(l), cmsg_len(size));
        assert_eq!(msg.data.len(), size);
        off += cmsg_space(size);
    }
    assert_eq!(off, bytes.len());
}

#[test]
fn many_dstaddrs_spill_to_the_heap_and_too_many_are_refused() {
    let addrs: Vec<SocketAddr> = (0..40u16)
        .map(|i| SocketAddr::from(([10, 0, (i >> 8) as u8, i as u8], 9)))
        .collect();
    let c = SendCmsgs {
        sndinfo: Some(sample_sndinfo()),
        dstaddrs: &addrs,
        ..Default::default()
    };
    let mut buf = CmsgBuffer::new();
    let bytes = encode(&c, &mut buf).unwrap();
    assert_eq!(bytes.len(), cmsg_space(16) + 40 * cmsg_space(4));
    assert!(bytes.len() > SEND_CMSG_INLINE);
    assert_eq!(bytes.as_ptr() as usize % 8, 0);
    let m = messages(bytes);
    assert_eq!(m.len(), 41);
    assert_eq!(m[40].data, &[10, 0, 0, 39]);

    let huge: Vec<SocketAddr> = vec!["[::1]:1".parse().unwrap(); 1000];
    let c = SendCmsgs {
        dstaddrs: &huge,
        ..Default::default()
    };
    assert_eq!(
        encode(&c, &mut buf),
        Err(CmsgError::TooLarge {
            needed: 1000 * cmsg_space(16)
        })
    );
    // The buffer is still usable afterwards, and a shorter encoding does not see stale bytes.
    let c = SendCmsgs {
        sndinfo: Some(sample_sndinfo()),
        ..Default::default()
    };
    let bytes = encode(&c, &mut buf).unwrap();
    assert_eq!(messages(bytes).len(), 1);
}

/// Builds control bytes the way the kernel's `put_cmsg` does.
fn kernel_style(msgs: &[(c_int, c_int, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (level, t, data) in msgs {
        let mut m = hdr(cmsg_len(data.len()), *level, *t);
        m.extend_from_slice(data);
        out.extend(padded(m));
    }
    out
}

fn rcvinfo_bytes(sid: u16, ppid: u32, assoc: i32) -> Vec<u8> {
    let mut b = vec![0u8; 28];
    b[0..2].copy_from_slice(&sid.to_ne_bytes());
    b[2..4].copy_from_slice(&4u16.to_ne_bytes()); // ssn
    b[4..6].copy_from_slice(&1u16.to_ne_bytes()); // flags
    b[8..12].copy_from_slice(&ppid.to_ne_bytes());
    b[12..16].copy_from_slice(&100u32.to_ne_bytes()); // tsn
    b[16..20].copy_from_slice(&99u32.to_ne_bytes()); // cumtsn
    b[20..24].copy_from_slice(&7u32.to_ne_bytes()); // context
    b[24..28].copy_from_slice(&assoc.to_ne_bytes());
    b
}

fn nxtinfo_bytes() -> Vec<u8> {
    let mut b = vec![0u8; 16];
    b[0..2].copy_from_slice(&2u16.to_ne_bytes());
    b[2..4].copy_from_slice(&0x8000u16.to_ne_bytes());
    b[4..8].copy_from_slice(&5u32.to_ne_bytes());
    b[8..12].copy_from_slice(&48u32.to_ne_bytes());
    b[12..16].copy_from_slice(&6i32.to_ne_bytes());
    b
}

#[test]
fn decodes_receive_messages_and_skips_unknown() {
    let sndrcv = sndrcvinfo_bytes(&sample_sndrcv());
    let rcv = rcvinfo_bytes(3, 0x1234_5678, 42);
    let nxt = nxtinfo_bytes();
    let control = kernel_style(&[
        (libc::SOL_SOCKET, libc::SO_TIMESTAMP, &[1u8; 16][..]),
        (LEVEL, ty::SNDRCV, &sndrcv),
        (LEVEL, 99, &[1, 2, 3]),
        (LEVEL, ty::RCVINFO, &rcv),
        (libc::IPPROTO_IP, ty::RCVINFO, &[0xff; 3]),
        (LEVEL, ty::NXTINFO, &nxt),
    ]);
    let got = decode(&control).unwrap();
    let s = got.sndrcv.unwrap();
    assert_eq!(
        (s.sinfo_stream, s.sinfo_ppid, s.sinfo_assoc_id),
        (9, 0x0a0b_0c0d, -5)
    );
    let r = got.rcvinfo.unwrap();
    assert_eq!(
        (
            r.rcv_sid,
            r.rcv_ssn,
            r.rcv_flags,
            r.rcv_ppid,
            r.rcv_tsn,
            r.rcv_cumtsn,
            r.rcv_context,
            r.rcv_assoc_id
        ),
        (3, 4, 1, 0x1234_5678, 100, 99, 7, 42)
    );
    let n = got.nxtinfo.unwrap();
    assert_eq!(
        (
            n.nxt_sid,
            n.nxt_flags,
            n.nxt_ppid,
            n.nxt_length,
            n.nxt_assoc_id
        ),
        (2, 0x8000, 5, 48, 6)
    );

    // Unaligned input decodes the same.
    let mut shifted = vec![0u8; 1];
    shifted.extend_from_slice(&control);
    let again = decode(&shifted[1..]).unwrap();
    assert_eq!(again.rcvinfo.unwrap().rcv_ppid, 0x1234_5678);

    // The last message without its trailing padding is fine too.
    let control = kernel_style(&[(LEVEL, ty::RCVINFO, &rcv)]);
    assert_eq!(control.len(), 48);
    let got = decode(&control[..44]).unwrap();
    assert_eq!(got.rcvinfo.unwrap().rcv_sid, 3);
    assert!(got.sndrcv.is_none() && got.nxtinfo.is_none());
}

#[test]
fn malformed_control_is_an_error() {
    assert!(decode(&[]).unwrap().rcvinfo.is_none());
    // Fewer bytes than a header.
    assert_eq!(
        decode(&[0u8; 5]),
        Err(CmsgError::TrailingBytes { offset: 0, len: 5 })
    );
    // cmsg_len 0 (would loop forever in a naive walker) and cmsg_len past the end.
    let z = hdr(0, LEVEL, ty::RCVINFO);
    assert!(matches!(
        decode(&z),
        Err(CmsgError::BadLength { cmsg_len: 0, .. })
    ));
    let mut long = hdr(1000, LEVEL, ty::RCVINFO);
    long.extend_from_slice(&[0; 28]);
    assert!(matches!(
        decode(&long),
        Err(CmsgError::BadLength { cmsg_len: 1000, .. })
    ));
    // A cut-off RCVINFO, as put_cmsg writes it when the buffer is too small.
    let rcv = rcvinfo_bytes(3, 1, 2);
    let mut cut = hdr(cmsg_len(20), LEVEL, ty::RCVINFO);
    cut.extend_from_slice(&rcv[..20]);
    assert_eq!(
        decode(&cut),
        Err(CmsgError::ShortPayload {
            cmsg_type: ty::RCVINFO,
            expected: 28,
            got: 20
        })
    );
    // decode_truncated keeps what came before it.
    let mut control = kernel_style(&[(LEVEL, ty::NXTINFO, &nxtinfo_bytes())]);
    control.extend_from_slice(&cut);
    assert!(decode(&control).is_err());
    let partial = decode_truncated(&control);
    assert_eq!(partial.nxtinfo.unwrap().nxt_length, 48);
    assert!(partial.rcvinfo.is_none());
    // A longer payload (a grown struct) is accepted.
    let mut grown = rcv.clone();
    grown.extend_from_slice(&[0xaa; 8]);
    let control = kernel_style(&[(LEVEL, ty::RCVINFO, &grown)]);
    assert_eq!(decode(&control).unwrap().rcvinfo.unwrap().rcv_assoc_id, 2);
}

#[test]
fn every_truncation_of_valid_control_is_handled() {
    let sndrcv = sndrcvinfo_bytes(&sample_sndrcv());
    let rcv = rcvinfo_bytes(1, 2, 3);
    let control = kernel_style(&[
        (LEVEL, ty::SNDRCV, &sndrcv),
        (LEVEL, ty::RCVINFO, &rcv),
        (LEVEL, ty::NXTINFO, &nxtinfo_bytes()),
    ]);
    assert!(control.len() <= RECV_CMSG_SPACE);
    for cut in 0..=control.len() {
        let strict = decode(&control[..cut]);
        let lenient = decode_truncated(&control[..cut]);
        if let Ok(full) = strict {
            assert_eq!(full.sndrcv.is_some(), lenient.sndrcv.is_some());
        }
        if cut >= 48 {
            assert_eq!(lenient.sndrcv.unwrap().sinfo_stream, 9, "cut {cut}");
        }
    }
}

#[test]
fn garbage_never_panics() {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut buf = [0u8; 200];
    for _ in 0..5000 {
        for b in buf.iter_mut() {
            *b = next() as u8;
        }
        // Plant plausible headers so the walker gets past the first message sometimes.
        let mut off = 0;
        while off + HDR <= buf.len() && next() % 3 != 0 {
            let len = (next() % 64) as usize;
            let t = (next() % 10) as c_int;
            let level = if next() % 4 == 0 { 0 } else { LEVEL };
            buf[off..off + HDR].copy_from_slice(&hdr(len, level, t));
            off += cmsg_align(len.max(1));
        }
        let cut = (next() as usize) % (buf.len() + 1);
        let _ = decode(&buf[..cut]);
        let _ = decode_truncated(&buf[..cut]);
        for m in CmsgIter::new(&buf[..cut]) {
            if m.is_err() {
                break;
            }
        }
    }
}
