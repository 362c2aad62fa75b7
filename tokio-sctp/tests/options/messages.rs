//! How messages are sent and received: default send info, context and PR-SCTP defaults,
//! event subscriptions delivered, and the features advertised at setup.

use crate::support::*;

#[test]
fn default_send_info_context_and_pr() {
    run(|| {
        let p = pair_with(|o| o.set_init_msg(&InitParams::new().streams(8, 0)).unwrap());
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
