//! Streams: scheduling, stream reconfiguration and I-DATA interleaving (in a private
//! network namespace with `net.sctp.intl_enable`).

use crate::support::*;

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
            o.set_init_msg(&InitParams::new().streams(4, 0)).unwrap();
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
