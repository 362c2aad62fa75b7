//! Timers and retransmission: RTO, association parameters and INIT, delayed SACK, plus the
//! fragmentation and bundling switches read in the same test.

use crate::support::*;

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

        let init = InitParams::new()
            .streams(5, 6)
            .max_attempts(3)
            .max_init_timeout(Duration::from_secs(2));
        o.set_init_msg(&init).unwrap();
        assert_eq!(o.init_msg().unwrap(), init);
        // The 16-bit field caps the timeout at 65535 ms (the one rule of InitParams, for the
        // option and the SCTP_INIT cmsg alike).
        let too_long = init.max_init_timeout(Duration::from_secs(70));
        o.set_init_msg(&too_long).unwrap();
        assert_eq!(
            o.init_msg().unwrap(),
            init.max_init_timeout(Duration::from_millis(65535))
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
