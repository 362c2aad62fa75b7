//! Unit tests of the notification parser and the subscriptions: every type from kernel-style
//! bytes, truncations, bad lengths and addresses, random input.

use std::net::SocketAddr;

use super::parse::min_len;
use super::sn::*;
use super::*;

/// `sizeof(struct sctp_tlv)`, the header every notification starts with.
const HEADER_LEN: usize = std::mem::size_of::<linux_sctp_sys::sctp_tlv>();
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};

/// Builds a notification: header (type, flags, total length) + body.
fn notif(sn_type: u16, sn_flags: u16, body: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&sn_type.to_ne_bytes());
    b.extend_from_slice(&sn_flags.to_ne_bytes());
    b.extend_from_slice(&((HEADER_LEN + body.len()) as u32).to_ne_bytes());
    b.extend_from_slice(body);
    b
}

#[derive(Default)]
struct Body(Vec<u8>);
impl Body {
    fn u16(mut self, v: u16) -> Self {
        self.0.extend_from_slice(&v.to_ne_bytes());
        self
    }
    fn u32(mut self, v: u32) -> Self {
        self.0.extend_from_slice(&v.to_ne_bytes());
        self
    }
    fn i32(mut self, v: i32) -> Self {
        self.0.extend_from_slice(&v.to_ne_bytes());
        self
    }
    fn raw(mut self, v: &[u8]) -> Self {
        self.0.extend_from_slice(v);
        self
    }
}

fn sockaddr_storage_v4(ip: [u8; 4], port: u16) -> [u8; 128] {
    let mut s = [0u8; 128];
    s[0..2].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
    s[2..4].copy_from_slice(&port.to_be_bytes());
    s[4..8].copy_from_slice(&ip);
    s
}

fn sockaddr_storage_v6(ip: Ipv6Addr, port: u16, scope: u32) -> [u8; 128] {
    let mut s = [0u8; 128];
    s[0..2].copy_from_slice(&(libc::AF_INET6 as u16).to_ne_bytes());
    s[2..4].copy_from_slice(&port.to_be_bytes());
    s[8..24].copy_from_slice(&ip.octets());
    s[24..28].copy_from_slice(&scope.to_ne_bytes());
    s
}

fn comm_lost_with(error: u16, info: &[u8]) -> AssocChange {
    AssocChange {
        state: AssocChangeState::CommLost,
        error,
        outbound_streams: 0,
        inbound_streams: 0,
        assoc_id: 3,
        info: Bytes::copy_from_slice(info),
    }
}

#[test]
fn abort_cause_reads_the_first_cause_of_the_abort_body() {
    // What Linux delivers for a peer's User-Initiated Abort: sac_error holds the cause
    // code in network order (3072 on little-endian), sac_info the causes.
    let (bytes, _) = &samples()[0];
    let Notification::AssocChange(c) = Notification::parse(bytes).unwrap() else {
        panic!("not an ASSOC_CHANGE");
    };
    assert_eq!(c.abort_cause(), Some(12));
    assert_eq!(c.error.to_ne_bytes(), [0x00, 0x0c]);
    // Two causes: the first counts (Invalid Stream Identifier, then User-Initiated).
    let two = [0, 1, 0, 8, 0, 7, 0, 0, 0, 12, 0, 4];
    assert_eq!(comm_lost_with(0x0100, &two).abort_cause(), Some(1));
    // No ABORT body: a retransmission failure or an ABORT without causes.
    assert_eq!(comm_lost_with(0, &[]).abort_cause(), None);
    // INIT attempts ran out: an errno in sac_error, no body.
    assert_eq!(comm_lost_with(110, &[]).abort_cause(), None);
    // Shorter than a cause header, or a cause length below its own header: no cause.
    assert_eq!(comm_lost_with(0, &[0, 12, 0]).abort_cause(), None);
    assert_eq!(comm_lost_with(0, &[0, 12, 0, 3]).abort_cause(), None);
    // The cause length may run past the copy; the code is still the code.
    assert_eq!(comm_lost_with(0, &[0, 13, 0, 40]).abort_cause(), Some(13));
}

/// One valid sample of every kind, with the expected parse.
fn samples() -> Vec<(Vec<u8>, Notification)> {
    let mut v = Vec::new();

    let abort_cause = [0x00, 0x0c, 0x00, 0x06, b'h', b'i', 0, 0];
    v.push((
        notif(
            ASSOC_CHANGE,
            0,
            &Body::default()
                .u16(1)
                // sac_error: the ABORT's cause code, copied unconverted (network order).
                .raw(&[0x00, 0x0c])
                .u16(0)
                .u16(0)
                .i32(42)
                .raw(&abort_cause)
                .0,
        ),
        Notification::AssocChange(AssocChange {
            state: AssocChangeState::CommLost,
            error: u16::from_ne_bytes([0x00, 0x0c]),
            outbound_streams: 0,
            inbound_streams: 0,
            assoc_id: 42,
            info: Bytes::copy_from_slice(&abort_cause),
        }),
    ));

    v.push((
        notif(
            PEER_ADDR_CHANGE,
            0,
            &Body::default()
                .raw(&sockaddr_storage_v4([127, 0, 0, 2], 36412))
                .i32(1)
                .i32(0)
                .i32(9)
                .0,
        ),
        Notification::PeerAddrChange(PeerAddrChange {
            addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 2), 36412)),
            state: PeerAddrState::Unreachable,
            error: 0,
            assoc_id: 9,
        }),
    ));

    let mapped = Ipv4Addr::new(10, 1, 2, 3).to_ipv6_mapped();
    v.push((
        notif(
            PEER_ADDR_CHANGE,
            0,
            &Body::default()
                .raw(&sockaddr_storage_v6(mapped, 3868, 0))
                .i32(6)
                .i32(2)
                .i32(10)
                .0,
        ),
        Notification::PeerAddrChange(PeerAddrChange {
            addr: SocketAddr::V6(SocketAddrV6::new(mapped, 3868, 0, 0)),
            state: PeerAddrState::PotentiallyFailed,
            error: 2,
            assoc_id: 10,
        }),
    ));

    // Legacy SEND_FAILED: ssf_error, sctp_sndrcvinfo, ssf_assoc_id, data.
    v.push((
        notif(
            SEND_FAILED,
            1,
            &Body::default()
                .u32(0x1234)
                .u16(3) // sinfo_stream
                .u16(0) // sinfo_ssn
                .u16(0x03) // sinfo_flags: B|E
                .u16(0) // pad
                .u32(46u32.to_be()) // sinfo_ppid (network order)
                .u32(77) // sinfo_context
                .u32(0) // timetolive
                .u32(0) // tsn
                .u32(0) // cumtsn
                .i32(5) // sinfo_assoc_id
                .i32(5) // ssf_assoc_id
                .raw(b"lost")
                .0,
        ),
        Notification::SendFailed(SendFailed {
            state: SendFailedState::Sent,
            error: 0x1234,
            stream: 3,
            chunk_flags: DataChunkFlags(0x03),
            ppid: 46,
            context: 77,
            assoc_id: 5,
            data: Bytes::from_static(b"lost"),
        }),
    ));

    // SEND_FAILED_EVENT: ssf_error, sctp_sndinfo, ssf_assoc_id, data.
    v.push((
        notif(
            SEND_FAILED_EVENT,
            0,
            &Body::default()
                .u32(7)
                .u16(9) // snd_sid
                .u16(0x06) // snd_flags: B|U
                .u32(3u32.to_be()) // snd_ppid
                .u32(1) // snd_context
                .i32(0) // snd_assoc_id
                .i32(11) // ssf_assoc_id
                .raw(&[1, 2, 3])
                .0,
        ),
        Notification::SendFailedEvent(SendFailed {
            state: SendFailedState::Unsent,
            error: 7,
            stream: 9,
            chunk_flags: DataChunkFlags(0x06),
            ppid: 3,
            context: 1,
            assoc_id: 11,
            data: Bytes::from_static(&[1, 2, 3]),
        }),
    ));

    v.push((
        notif(
            REMOTE_ERROR,
            0,
            &Body::default()
                .raw(&0x000du16.to_be_bytes())
                .u16(0)
                .i32(12)
                .raw(b"cause")
                .0,
        ),
        Notification::RemoteError(RemoteError {
            cause: 0x000d,
            assoc_id: 12,
            data: Bytes::from_static(b"cause"),
        }),
    ));

    v.push((
        notif(SHUTDOWN_EVENT, 0, &Body::default().i32(13).0),
        Notification::Shutdown(Shutdown { assoc_id: 13 }),
    ));

    v.push((
        notif(
            PARTIAL_DELIVERY_EVENT,
            0,
            &Body::default().u32(0).i32(14).u32(4).u32(99).0,
        ),
        Notification::PartialDelivery(PartialDelivery {
            indication: PartialDeliveryIndication::Aborted,
            assoc_id: 14,
            stream: Some(4),
            seq: Some(99),
        }),
    ));

    // Pre-4.16 layout: no stream/seq.
    v.push((
        notif(PARTIAL_DELIVERY_EVENT, 0, &Body::default().u32(0).i32(15).0),
        Notification::PartialDelivery(PartialDelivery {
            indication: PartialDeliveryIndication::Aborted,
            assoc_id: 15,
            stream: None,
            seq: None,
        }),
    ));

    v.push((
        notif(
            ADAPTATION_INDICATION,
            0,
            &Body::default().u32(0xdead_beef).i32(16).0,
        ),
        Notification::AdaptationIndication(AdaptationIndication {
            indication: 0xdead_beef,
            assoc_id: 16,
        }),
    ));

    v.push((
        notif(
            AUTHENTICATION_EVENT,
            0,
            &Body::default().u16(0).u16(0).u32(2).i32(17).0,
        ),
        Notification::Authentication(Authentication {
            keynumber: 0,
            indication: AuthIndication::NoAuth,
            assoc_id: 17,
        }),
    ));

    v.push((
        notif(
            AUTHENTICATION_EVENT,
            0,
            &Body::default().u16(5).u16(0).u32(1).i32(17).0,
        ),
        Notification::Authentication(Authentication {
            keynumber: 5,
            indication: AuthIndication::FreeKey,
            assoc_id: 17,
        }),
    ));

    v.push((
        notif(SENDER_DRY_EVENT, 0, &Body::default().i32(18).0),
        Notification::SenderDry(SenderDry { assoc_id: 18 }),
    ));

    v.push((
        notif(
            STREAM_RESET_EVENT,
            ReconfFlags::OUTGOING_SSN,
            &Body::default().i32(19).u16(1).u16(7).u16(300).0,
        ),
        Notification::StreamReset(StreamReset {
            flags: ReconfFlags(ReconfFlags::OUTGOING_SSN),
            assoc_id: 19,
            streams: vec![1, 7, 300],
        }),
    ));

    v.push((
        notif(
            ASSOC_RESET_EVENT,
            ReconfFlags::DENIED,
            &Body::default().i32(20).u32(1000).u32(2000).0,
        ),
        Notification::AssocReset(AssocReset {
            flags: ReconfFlags(ReconfFlags::DENIED),
            assoc_id: 20,
            local_tsn: 1000,
            remote_tsn: 2000,
        }),
    ));

    v.push((
        notif(
            STREAM_CHANGE_EVENT,
            0,
            &Body::default().i32(21).u16(10).u16(20).0,
        ),
        Notification::StreamChange(StreamChange {
            flags: ReconfFlags(0),
            assoc_id: 21,
            inbound_streams: 10,
            outbound_streams: 20,
        }),
    ));

    let unknown = notif(0x8042, 3, &[9, 9, 9, 9]);
    v.push((
        unknown.clone(),
        Notification::Unknown {
            sn_type: 0x8042,
            sn_flags: 3,
            bytes: Bytes::from(unknown),
        },
    ));

    v
}

#[test]
fn parses_every_type() {
    let samples = samples();
    // Every known sn_type is covered.
    for ty in EventType::ALL.into_iter().skip(1) {
        assert!(
            samples.iter().any(|(_, n)| n.event_type() == Some(ty)),
            "no sample for {ty:?}"
        );
    }
    for (bytes, expected) in &samples {
        assert_eq!(&Notification::parse(bytes).unwrap(), expected);
        let shared = Bytes::copy_from_slice(bytes);
        assert_eq!(&Notification::parse_bytes(&shared).unwrap(), expected);
        assert_eq!(expected.sn_type(), u16::from_ne_bytes([bytes[0], bytes[1]]));
    }
}

#[test]
fn kernel_constants_match() {
    assert_eq!(ASSOC_CHANGE, 0x8001);
    assert_eq!(SEND_FAILED_EVENT, 0x800d);
    for (i, e) in EventType::ALL.into_iter().enumerate() {
        assert_eq!(e.to_raw(), 0x8000 + i as u16);
        assert_eq!(EventType::from_raw(e.to_raw()), Some(e));
        assert_eq!(e.index(), i);
    }
    assert_eq!(EventType::from_raw(0x7fff), None);
    assert_eq!(EventType::from_raw(0x800e), None);
    assert_eq!(EventType::from_raw(0), None);
    assert_eq!(
        AssocChangeState::from_raw(linux_sctp_sys::SCTP_CANT_STR_ASSOC),
        AssocChangeState::CantStartAssoc
    );
    assert_eq!(
        PeerAddrState::from_raw(linux_sctp_sys::SCTP_ADDR_POTENTIALLY_FAILED),
        PeerAddrState::PotentiallyFailed
    );
}

#[test]
fn accessors() {
    for (_, n) in samples() {
        match &n {
            Notification::Unknown { .. } => {
                assert_eq!(n.assoc_id(), None);
                assert_eq!(n.event_type(), None);
            }
            _ => assert!(n.assoc_id().is_some()),
        }
    }
    let (bytes, _) = &samples()[0];
    let n = Notification::parse(bytes).unwrap();
    assert_eq!(n.assoc_id(), Some(42));
    assert!(n.is_association_end());
    assert!(AssocChangeState::ShutdownComplete.is_terminal());
    assert!(!AssocChangeState::Restart.is_terminal());
    for raw in 0..8 {
        assert_eq!(AssocChangeState::from_raw(raw).to_raw(), raw);
        assert_eq!(
            PeerAddrState::from_raw(i32::from(raw)).to_raw(),
            i32::from(raw)
        );
        assert_eq!(SendFailedState::from_raw(raw).to_raw(), raw);
    }
    assert_eq!(
        AddrChangeCause::from_raw(2),
        AddrChangeCause::HeartbeatSuccess
    );
    assert_eq!(AddrChangeCause::from_raw(99), AddrChangeCause::Unknown(99));
    let flags = DataChunkFlags(0x03);
    assert!(flags.is_complete_message() && !flags.is_unordered());
    assert!(ReconfFlags(0x0c).is_denied() && ReconfFlags(0x0c).is_failed());
}

#[test]
fn every_truncation_is_an_error() {
    for (bytes, _) in samples() {
        for cut in 0..bytes.len() {
            let err = Notification::parse(&bytes[..cut]).unwrap_err();
            assert!(
                matches!(err, NotificationError::Truncated { available, .. } if available == cut),
                "cut {cut} of {bytes:?}: {err:?}"
            );
        }
    }
}

#[test]
fn short_sn_length_is_an_error() {
    for (bytes, n) in samples() {
        if matches!(n, Notification::Unknown { .. }) {
            continue;
        }
        let sn_type = n.sn_type();
        let min = min_len(sn_type);
        assert!(min <= bytes.len());
        for sn_length in 0..min as u32 {
            let mut b = bytes.clone();
            b[4..8].copy_from_slice(&sn_length.to_ne_bytes());
            let err = Notification::parse(&b).unwrap_err();
            assert_eq!(
                err,
                NotificationError::BadLength {
                    sn_type,
                    sn_length,
                    min
                }
            );
        }
    }
}

#[test]
fn trailing_bytes_after_sn_length_are_ignored() {
    for (bytes, expected) in samples() {
        let mut b = bytes.clone();
        b.extend_from_slice(&[0xee; 5]);
        let got = Notification::parse(&b).unwrap();
        assert_eq!(got, expected);
    }
}

#[test]
fn odd_stream_list_and_bad_family() {
    let b = notif(
        STREAM_RESET_EVENT,
        0,
        &Body::default().i32(1).raw(&[1, 0, 2]).0,
    );
    assert!(matches!(
        Notification::parse(&b),
        Err(NotificationError::BadLength {
            sn_type: STREAM_RESET_EVENT,
            ..
        })
    ));
    let mut storage = [0u8; 128];
    storage[0..2].copy_from_slice(&(libc::AF_UNIX as u16).to_ne_bytes());
    let b = notif(
        PEER_ADDR_CHANGE,
        0,
        &Body::default().raw(&storage).i32(0).i32(0).i32(1).0,
    );
    assert_eq!(
        Notification::parse(&b),
        Err(NotificationError::BadAddress(
            linux_sctp_sys::addr::AddrError::UnsupportedFamily(libc::AF_UNIX as u16)
        ))
    );
}

#[test]
fn huge_sn_length_is_truncated_not_a_panic() {
    let mut b = notif(SHUTDOWN_EVENT, 0, &Body::default().i32(1).0);
    b[4..8].copy_from_slice(&u32::MAX.to_ne_bytes());
    assert!(matches!(
        Notification::parse(&b),
        Err(NotificationError::Truncated { available: 12, .. })
    ));
}

/// xorshift64*: deterministic pseudo-random bytes without a dependency.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut ok = 0;
    for i in 0..20_000 {
        let len = (rng.next() % 200) as usize;
        let mut b: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Make most inputs get past the header checks so the per-type code runs.
        if len >= 8 && i % 4 != 0 {
            let ty = 0x8000 + (rng.next() % 15) as u16;
            b[0..2].copy_from_slice(&ty.to_ne_bytes());
            let sn_len = (rng.next() % (len as u64 + 1)) as u32;
            b[4..8].copy_from_slice(&sn_len.to_ne_bytes());
            if ty == PEER_ADDR_CHANGE && len >= 10 && i % 3 == 0 {
                let fam = if i % 2 == 0 {
                    libc::AF_INET
                } else {
                    libc::AF_INET6
                };
                b[8..10].copy_from_slice(&(fam as u16).to_ne_bytes());
            }
        }
        if Notification::parse(&b).is_ok() {
            ok += 1;
        }
    }
    // The generator must reach the typed parsers, not only the error paths.
    assert!(ok > 1000, "only {ok} random inputs parsed");
}

#[test]
fn subscriptions() {
    let d = Subscriptions::default();
    let got: Vec<_> = d.iter().collect();
    assert_eq!(
        got,
        [
            EventType::AssocChange,
            EventType::PeerAddrChange,
            EventType::RemoteError,
            EventType::Shutdown,
            EventType::SendFailedEvent
        ]
    );
    assert!(!d.contains(EventType::SenderDry));
    assert_eq!(d.sctp_events_len(), 14);
    let legacy = d.with_legacy_send_failed();
    assert!(legacy.contains(EventType::SendFailed));
    assert!(!legacy.contains(EventType::SendFailedEvent));
    assert_eq!(legacy.sctp_events_len(), 6);
    assert_eq!(Subscriptions::empty().sctp_events_len(), 1);
    assert_eq!(Subscriptions::all().iter().count(), 14);
    assert!(Subscriptions::empty().is_empty());

    let s: Subscriptions = [EventType::DataIo, EventType::SenderDry]
        .into_iter()
        .collect();
    let es = s.to_sctp_event_subscribe();
    assert_eq!(es.sctp_data_io_event, 1);
    assert_eq!(es.sctp_sender_dry_event, 1);
    assert_eq!(es.sctp_association_event, 0);
    assert_eq!(s.sctp_events_len(), 10);
    let mut s2 = s;
    s2.remove(EventType::SenderDry);
    s2.extend([EventType::Shutdown]);
    assert_eq!(
        s2.iter().collect::<Vec<_>>(),
        [EventType::DataIo, EventType::Shutdown]
    );

    let ev = EventType::StreamReset.to_sctp_event(7, true);
    assert_eq!((ev.se_assoc_id, ev.se_type, ev.se_on), (7, 0x800a, 1));
}
