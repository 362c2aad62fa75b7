//! Paths and addresses: peer address parameters per association and per path, IPv6 flow
//! label and v4-mapped addresses, failure thresholds and PF exposure, UDP encapsulation and
//! PLPMTUD, port reuse and auto-ASCONF, primary and peer primary.

use crate::support::*;

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

        // SET_PEER_PRIMARY_ADDR needs ASCONF (addip_enable = 0 by default): EPERM, which
        // names the sysctl because ASCONF is off on this endpoint.
        let local = local_addr(&client);
        let r = c.set_peer_primary_addr(&local);
        assert_feature_disabled(r, "net.sctp.addip_enable", libc::EPERM);
    });
}
