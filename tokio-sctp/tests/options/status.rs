//! Status and information: `SCTP_STATUS`, path info, association counters, association ids
//! and autoclose on one-to-many sockets, unknown option numbers, and the options the socket
//! types hand out.

use crate::support::*;

#[test]
fn status_and_peer_addr_info() {
    run(|| {
        let p = pair_with(|o| o.set_init_msg(&InitParams::new().streams(5, 7)).unwrap());
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
