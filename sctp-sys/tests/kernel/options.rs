//! Every socket option of Linux 6.1, one row per option name, through the typed calls of
//! `linux_sctp_sys::sockopt`: read on a live association, set and read back where the kernel
//! lets us, and the refusals the default sysctls cause asserted with their errno.

use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd};

use libc::c_int;
use linux_sctp_sys::addr::pack_addrs;
use linux_sctp_sys::ops;
use linux_sctp_sys::*;

use crate::option_table::*;
use crate::support::*;

/// Every SCTP socket option of Linux 6.1, one row per option name: read on a live
/// association, set and read back where the kernel lets us, and the refusals the default
/// sysctls cause asserted with their errno.
#[test]
fn every_socket_option() {
    let mut t = Table::default();

    // A live one-to-many association: server `m` (bound to 127.0.0.1) <- client `c`.
    let (m, maddr) = many_server(libc::AF_INET, "127.0.0.1:0");
    let c = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    subscribe(c.as_fd(), SCTP_ASSOC_CHANGE);
    send(c.as_fd(), b"hi", Some(maddr), sndinfo(0, 0, 0));
    let cid = expect_assoc_change(c.as_fd(), SCTP_COMM_UP);
    let id = expect_assoc_change(m.as_fd(), SCTP_COMM_UP);
    assert_eq!(recv(m.as_fd(), 16).0, b"hi");
    let peer = ops::getpaddrs(m.as_fd(), id).unwrap()[0];
    let fd = m.as_fd();
    let zero = storage(SocketAddr::from(([0, 0, 0, 0], 0)));

    // 0 SCTP_RTOINFO: sysctl defaults rto_initial/max/min 3000/60000/1000.
    let o = opt!(SCTP_RTOINFO);
    let q = sctp_rtoinfo {
        srto_assoc_id: id,
        ..Default::default()
    };
    let rto = |v: sctp_rtoinfo| (v.srto_assoc_id, v.srto_initial, v.srto_max, v.srto_min);
    let new = sctp_rtoinfo {
        srto_assoc_id: id,
        srto_initial: 2000,
        srto_max: 50000,
        srto_min: 500,
    };
    t.roundtrip(fd, o, q, rto, (id, 3000, 60000, 1000), &new, rto(new));

    // 1 SCTP_ASSOCINFO
    let o = opt!(SCTP_ASSOCINFO);
    let q = sctp_assocparams {
        sasoc_assoc_id: id,
        ..Default::default()
    };
    let v = t.get_check(
        fd,
        o,
        q,
        "maxrxt/peers/cookie",
        |v| {
            let n = v.sasoc_number_peer_destinations;
            (v.sasoc_asocmaxrxt, n, v.sasoc_cookie_life)
        },
        (10, 1, 60000),
    );
    t.ok(o, "peer_rwnd > 0", v.sasoc_peer_rwnd > 0);
    let new = sctp_assocparams {
        sasoc_asocmaxrxt: 8,
        ..q
    };
    t.set(fd, o, &new);
    t.get_check(fd, o, q, "maxrxt after set", |v| v.sasoc_asocmaxrxt, 8);

    // 2 SCTP_INITMSG (endpoint: future associations)
    let o = opt!(SCTP_INITMSG);
    let init = |o, i, a, t| sctp_initmsg {
        sinit_num_ostreams: o,
        sinit_max_instreams: i,
        sinit_max_attempts: a,
        sinit_max_init_timeo: t,
    };
    let new = init(12, 13, 4, 1000);
    t.roundtrip0(fd, o, |v| v, init(10, 65535, 8, 60000), &new, new);

    // 3 SCTP_NODELAY
    int_roundtrip(&mut t, fd, opt!(SCTP_NODELAY), 0, 1);

    // 4 SCTP_AUTOCLOSE: one-to-many only.
    int_roundtrip(&mut t, fd, opt!(SCTP_AUTOCLOSE), 0, 30);
    let (c1, s1, _l1, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    t.get_refused(
        s1.as_fd(),
        opt!(SCTP_AUTOCLOSE),
        0 as c_int,
        libc::EOPNOTSUPP,
    );
    t.set_refused(
        s1.as_fd(),
        opt!(SCTP_AUTOCLOSE),
        &5 as &c_int,
        libc::EOPNOTSUPP,
    );

    // 5 SCTP_SET_PEER_PRIMARY_ADDR (set only): needs ASCONF (net.sctp.addip_enable = 0).
    let o = opt!(SCTP_SET_PEER_PRIMARY_ADDR);
    let spp = sctp_setpeerprim(sctp_setpeerprim_packed {
        sspp_assoc_id: id,
        sspp_addr: storage(maddr),
    });
    t.set_refused(fd, o, &spp, libc::EPERM);
    t.get_refused(fd, o, spp, libc::ENOPROTOOPT);

    // 6 SCTP_PRIMARY_ADDR
    let o = opt!(SCTP_PRIMARY_ADDR);
    let mut prim = sctp_prim(sctp_prim_packed {
        ssp_assoc_id: id,
        ..Default::default()
    });
    let addr_of =
        |v: sctp_prim| linux_sctp_sys::addr::socket_addr_from_raw(&{ v.ssp_addr }, 16).ok();
    t.get_check(fd, o, prim, "primary", addr_of, Some(peer));
    prim.ssp_addr = storage(peer);
    t.set(fd, o, &prim);

    // 7 SCTP_ADAPTATION_LAYER
    let o = opt!(SCTP_ADAPTATION_LAYER);
    let ind = |v: sctp_setadaptation| v.ssb_adaptation_ind;
    let new = sctp_setadaptation {
        ssb_adaptation_ind: 0x0102_0304,
    };
    t.roundtrip0(fd, o, ind, 0, &new, 0x0102_0304);

    // 8 SCTP_DISABLE_FRAGMENTS
    int_roundtrip(&mut t, fd, opt!(SCTP_DISABLE_FRAGMENTS), 0, 1);
    set_int(fd, sockopt::SCTP_DISABLE_FRAGMENTS, 0);

    // 9 SCTP_PEER_ADDR_PARAMS: association-wide (wildcard address) and per transport.
    let o = opt!(SCTP_PEER_ADDR_PARAMS);
    let mut pp = sctp_paddrparams(sctp_paddrparams_packed {
        spp_assoc_id: id,
        ..Default::default()
    });
    let v = t.get_check(
        fd,
        o,
        pp,
        "hbinterval/pathmaxrxt/sackdelay",
        |v| (v.spp_hbinterval, v.spp_pathmaxrxt, v.spp_sackdelay),
        (30000, 5, 200),
    );
    let want = SPP_HB_ENABLE | SPP_PMTUD_ENABLE | SPP_SACKDELAY_ENABLE;
    t.check(o, "flags", { v.spp_flags } & want, want);
    t.ok(o, "pathmtu > 0", { v.spp_pathmtu } > 0);
    pp.spp_hbinterval = 5000;
    pp.spp_flags = SPP_HB_ENABLE;
    t.set(fd, o, &pp);
    let q = sctp_paddrparams(sctp_paddrparams_packed {
        spp_assoc_id: id,
        spp_address: storage(peer),
        ..Default::default()
    });
    let what = "transport hbinterval after set";
    t.get_check(fd, o, q, what, |v| v.spp_hbinterval, 5000);

    // 10 SCTP_DEFAULT_SEND_PARAM
    let o = opt!(SCTP_DEFAULT_SEND_PARAM);
    let q = sctp_sndrcvinfo {
        sinfo_assoc_id: id,
        ..Default::default()
    };
    let new = sctp_sndrcvinfo {
        sinfo_stream: 1,
        sinfo_ppid: 7,
        sinfo_context: 9,
        ..q
    };
    let sp = |v: sctp_sndrcvinfo| (v.sinfo_stream, v.sinfo_ppid, v.sinfo_context);
    t.roundtrip(fd, o, q, sp, (0, 0, 0), &new, (1, 7, 9));

    // 34 SCTP_DEFAULT_SNDINFO shares that storage.
    let o = opt!(SCTP_DEFAULT_SNDINFO);
    let q = sndinfo(0, 0, id);
    let si = |v: sctp_sndinfo| (v.snd_sid, v.snd_ppid, v.snd_context);
    t.get_check(fd, o, q, "same as DEFAULT_SEND_PARAM", si, (1, 7, 9));
    t.set(fd, o, &sndinfo(2, 0x1234_5678, id));
    let sid_ppid = |v: sctp_sndinfo| (v.snd_sid, v.snd_ppid);
    t.get_check(fd, o, q, "after set", sid_ppid, (2, 0x1234_5678));

    // 11 SCTP_EVENTS (the 14-byte struct of 5.5+)
    let o = opt!(SCTP_EVENTS);
    let so_far = sctp_event_subscribe {
        sctp_association_event: 1,
        ..Default::default()
    };
    let new = sctp_event_subscribe {
        sctp_address_event: 1,
        sctp_send_failure_event_event: 1,
        ..so_far
    };
    let q = sctp_event_subscribe::default();
    t.get_check(fd, o, q, "subscribed so far", |v| v, so_far);
    t.set(fd, o, &new);
    t.get_check(fd, o, q, "after set", |v| v, new);

    // 127 SCTP_EVENT (per type, per association)
    let o = opt!(SCTP_EVENT);
    let ev = |se_type, se_on| sctp_event {
        se_assoc_id: id,
        se_type,
        se_on,
    };
    let on = |v: sctp_event| v.se_on;
    t.roundtrip(
        fd,
        o,
        ev(SCTP_SHUTDOWN_EVENT, 0),
        on,
        0,
        &ev(SCTP_SHUTDOWN_EVENT, 1),
        1,
    );
    t.get_check(
        fd,
        o,
        ev(SCTP_PEER_ADDR_CHANGE, 0),
        "set by SCTP_EVENTS",
        on,
        1,
    );
    t.set_refused(fd, o, &ev(7, 1), libc::EINVAL);

    // 12 SCTP_I_WANT_MAPPED_V4_ADDR
    int_roundtrip(&mut t, fd, opt!(SCTP_I_WANT_MAPPED_V4_ADDR), 1, 0);
    set_int(fd, sockopt::SCTP_I_WANT_MAPPED_V4_ADDR, 1);

    // 13 SCTP_MAXSEG: with an association the getter reports its fragmentation point.
    let o = opt!(SCTP_MAXSEG);
    let v = t.get(fd, o, assoc_value(id, 0));
    t.ok(o, "frag point > 1000", v.assoc_value > 1000);
    t.set(fd, o, &assoc_value(id, 1200));
    t.get_check(
        fd,
        o,
        assoc_value(id, 0),
        "after set",
        |v| v.assoc_value,
        1200,
    );

    // 14 SCTP_STATUS (get only)
    let o = opt!(SCTP_STATUS);
    let status = |sstat_assoc_id| sctp_status {
        sstat_assoc_id,
        ..Default::default()
    };
    let v = t.get_check(
        fd,
        o,
        status(id),
        "state/instrms/outstrms",
        |v| (v.sstat_state, v.sstat_instrms, v.sstat_outstrms),
        (SCTP_ESTABLISHED, 10, 10),
    );
    let primary = v.sstat_primary.spinfo_state;
    t.check(o, "primary state", primary, SCTP_ACTIVE);
    t.check(o, "frag point (MAXSEG)", v.sstat_fragmentation_point, 1200);
    t.set_refused(fd, o, &v, libc::ENOPROTOOPT);
    t.get_refused(fd, o, status(9999), libc::EINVAL);

    // 15 SCTP_GET_PEER_ADDR_INFO (get only)
    let o = opt!(SCTP_GET_PEER_ADDR_INFO);
    let mut pi = sctp_paddrinfo(sctp_paddrinfo_packed {
        spinfo_assoc_id: id,
        spinfo_address: storage(peer),
        ..Default::default()
    });
    let v = t.get_check(fd, o, pi, "state", |v| v.spinfo_state, SCTP_ACTIVE);
    t.ok(
        o,
        "mtu/rto/cwnd > 0",
        { v.spinfo_mtu } > 0 && { v.spinfo_rto } > 0 && { v.spinfo_cwnd } > 0,
    );
    pi.spinfo_address = storage(SocketAddr::from(([127, 0, 0, 9], 1)));
    t.get_refused(fd, o, pi, libc::EINVAL);

    // 16 SCTP_DELAYED_SACK (= SCTP_DELAYED_ACK_TIME)
    let o = opt!(SCTP_DELAYED_SACK);
    let sack = |sack_delay, sack_freq| sctp_sack_info {
        sack_assoc_id: id,
        sack_delay,
        sack_freq,
    };
    let df = |v: sctp_sack_info| (v.sack_delay, v.sack_freq);
    t.roundtrip(fd, o, sack(0, 0), df, (200, 2), &sack(100, 2), (100, 2));
    t.set_refused(fd, o, &sack(501, 2), libc::EINVAL);

    // 17 SCTP_CONTEXT
    av_roundtrip(&mut t, fd, opt!(SCTP_CONTEXT), (id, 0), (id, 42));

    // 18 SCTP_FRAGMENT_INTERLEAVE
    int_roundtrip(&mut t, fd, opt!(SCTP_FRAGMENT_INTERLEAVE), 0, 1);

    // 19 SCTP_PARTIAL_DELIVERY_POINT (u32)
    let o = opt!(SCTP_PARTIAL_DELIVERY_POINT);
    t.roundtrip0(fd, o, |v| v, 0, &1000u32, 1000);

    // 20 SCTP_MAX_BURST
    av_roundtrip(&mut t, fd, opt!(SCTP_MAX_BURST), (id, 4), (id, 8));

    // 21-27, 35: AUTH. Refused while net.sctp.auth_enable = 0 (EACCES); the set-only ones
    // answer getsockopt with EOPNOTSUPP.
    let key = |id: sctp_assoc_t, n: u16| {
        let mut b = Vec::new();
        b.extend_from_slice(&id.to_ne_bytes());
        b.extend_from_slice(&n.to_ne_bytes());
        b.extend_from_slice(&4u16.to_ne_bytes());
        b.extend_from_slice(b"k3y!");
        b
    };
    let hmacs = |ids: &[u16]| {
        let mut b = (ids.len() as u32).to_ne_bytes().to_vec();
        for i in ids {
            b.extend_from_slice(&i.to_ne_bytes());
        }
        b
    };
    let keyid = |id, n| sctp_authkeyid {
        scact_assoc_id: id,
        scact_keynumber: n,
    };
    t.set_refused(
        fd,
        opt!(SCTP_AUTH_CHUNK),
        &sctp_authchunk { sauth_chunk: 0 },
        libc::EACCES,
    );
    t.get_refused(
        fd,
        opt!(SCTP_AUTH_CHUNK),
        sctp_authchunk::default(),
        libc::EOPNOTSUPP,
    );
    let o = opt!(SCTP_HMAC_IDENT);
    let r = sockopt::set_bytes(fd, o, &hmacs(&[SCTP_AUTH_HMAC_ID_SHA1]));
    t.refused(o, "setsockopt", r, libc::EACCES);
    let r = sockopt::get_bytes(fd, o, &mut [0u8; 64]);
    t.refused(o, "getsockopt", r, libc::EACCES);
    let r = sockopt::set_bytes(fd, opt!(SCTP_AUTH_KEY), &key(id, 1));
    t.refused(opt!(SCTP_AUTH_KEY), "setsockopt", r, libc::EACCES);
    t.get_refused(
        fd,
        opt!(SCTP_AUTH_KEY),
        sctp_authkey::default(),
        libc::EOPNOTSUPP,
    );
    t.set_refused(fd, opt!(SCTP_AUTH_ACTIVE_KEY), &keyid(id, 0), libc::EACCES);
    t.get_refused(fd, opt!(SCTP_AUTH_ACTIVE_KEY), keyid(id, 0), libc::EACCES);
    t.set_refused(fd, opt!(SCTP_AUTH_DELETE_KEY), &keyid(id, 1), libc::EACCES);
    t.get_refused(
        fd,
        opt!(SCTP_AUTH_DELETE_KEY),
        keyid(id, 1),
        libc::EOPNOTSUPP,
    );
    t.set_refused(
        fd,
        opt!(SCTP_AUTH_DEACTIVATE_KEY),
        &keyid(id, 1),
        libc::EACCES,
    );
    t.get_refused(
        fd,
        opt!(SCTP_AUTH_DEACTIVATE_KEY),
        keyid(id, 1),
        libc::EOPNOTSUPP,
    );
    let chunks = |id: sctp_assoc_t| {
        let mut b = [0u8; 64];
        b[..4].copy_from_slice(&id.to_ne_bytes());
        b
    };
    for o in [
        opt!(SCTP_PEER_AUTH_CHUNKS).opt(),
        opt!(SCTP_LOCAL_AUTH_CHUNKS).opt(),
    ] {
        t.get_bytes_refused(fd, o, &mut chunks(id), libc::EACCES);
        // Get only: the set is the raw call.
        t.set_bytes_refused(fd, o, &chunks(id), libc::ENOPROTOOPT);
    }

    // 28 SCTP_GET_ASSOC_NUMBER, 29 SCTP_GET_ASSOC_ID_LIST (get only, one-to-many only)
    let o = opt!(SCTP_GET_ASSOC_NUMBER);
    t.get_check0(fd, o, "one association", |v| v, 1);
    t.get_refused(s1.as_fd(), o, 0u32, libc::EOPNOTSUPP);
    let o = opt!(SCTP_GET_ASSOC_ID_LIST);
    let mut b = [0u8; 4 + 4 * 4];
    let n = t.get_bytes(fd, o, &mut b);
    t.check(o, "bytes", n, 8);
    t.check(
        o,
        "ids",
        (
            u32::from_ne_bytes(b[..4].try_into().unwrap()),
            i32::from_ne_bytes(b[4..8].try_into().unwrap()),
        ),
        (1, id),
    );
    let r = sockopt::get_bytes(fd, o, &mut [0u8; 4]);
    t.refused(o, "getsockopt, buffer too small", r, libc::EINVAL);

    // 30 SCTP_AUTO_ASCONF: wildcard-bound endpoints only.
    let o = opt!(SCTP_AUTO_ASCONF);
    t.get_check0(fd, o, "default", |v| v, 0);
    t.set_refused(fd, o, &1 as &c_int, libc::EINVAL);
    let w = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    bind(w.as_fd(), "0.0.0.0:0");
    int_roundtrip(&mut t, w.as_fd(), o, 0, 1);

    // 31 SCTP_PEER_ADDR_THLDS, 37 SCTP_PEER_ADDR_THLDS_V2 (same size, 144 bytes)
    let o = opt!(SCTP_PEER_ADDR_THLDS);
    let th = |maxrxt, pf| sctp_paddrthlds {
        spt_assoc_id: id,
        spt_address: zero,
        spt_pathmaxrxt: maxrxt,
        spt_pathpfthld: pf,
    };
    let mp = |v: sctp_paddrthlds| (v.spt_pathmaxrxt, v.spt_pathpfthld);
    t.roundtrip(fd, o, th(0, 0), mp, (5, 0), &th(6, 2), (6, 2));
    let o = opt!(SCTP_PEER_ADDR_THLDS_V2);
    let th2 = |pf, cp| sctp_paddrthlds_v2 {
        spt_assoc_id: id,
        spt_address: zero,
        spt_pathmaxrxt: 6,
        spt_pathpfthld: pf,
        spt_pathcpthld: cp,
    };
    let mpc = |v: sctp_paddrthlds_v2| (v.spt_pathmaxrxt, v.spt_pathpfthld, v.spt_pathcpthld);
    t.get_check(fd, o, th2(0, 0), "v2 values", mpc, (6, 2, 0xffff));
    t.set(fd, o, &th2(2, 3));
    t.get_check(fd, o, th2(0, 0), "after set", |v| v.spt_pathcpthld, 3);
    t.set_refused(fd, o, &th2(4, 3), libc::EINVAL);

    // 32 SCTP_RECVRCVINFO, 33 SCTP_RECVNXTINFO
    int_roundtrip(&mut t, fd, opt!(SCTP_RECVRCVINFO), 0, 1);
    int_roundtrip(&mut t, fd, opt!(SCTP_RECVNXTINFO), 0, 1);

    // 36 SCTP_REUSE_PORT: one-to-one sockets, before bind.
    let o = opt!(SCTP_REUSE_PORT);
    let u = sock(libc::AF_INET, libc::SOCK_STREAM);
    int_roundtrip(&mut t, u.as_fd(), o, 0, 1);
    t.set_refused(s1.as_fd(), o, &1 as &c_int, libc::EFAULT);
    t.set_refused(fd, o, &1 as &c_int, libc::EOPNOTSUPP);

    // 100/101 SCTP_SOCKOPT_BINDX_ADD/REM on the live endpoint (no ASCONF: local only).
    let a3 = SocketAddr::from(([127, 0, 0, 3], maddr.port()));
    t.row(opt!(SCTP_SOCKOPT_BINDX_ADD));
    t.set_bytes(fd, opt!(SCTP_SOCKOPT_BINDX_ADD), &pack_addrs(&[a3]));
    let mut l = ops::getladdrs(fd, 0).unwrap();
    l.sort();
    t.check(
        opt!(SCTP_SOCKOPT_BINDX_ADD),
        "local addresses",
        l,
        vec![maddr, a3],
    );
    t.set_bytes(fd, opt!(SCTP_SOCKOPT_BINDX_REM), &pack_addrs(&[a3]));
    t.check(
        opt!(SCTP_SOCKOPT_BINDX_REM),
        "local addresses",
        ops::getladdrs(fd, 0).unwrap(),
        vec![maddr],
    );
    // Set only: the get is the raw call.
    t.get_bytes_refused(
        fd,
        opt!(SCTP_SOCKOPT_BINDX_ADD),
        &mut [0u8; 16],
        libc::ENOPROTOOPT,
    );

    // 102 SCTP_SOCKOPT_PEELOFF, 122 SCTP_SOCKOPT_PEELOFF_FLAGS: unknown id (live peeloff is
    // exercised by peeloff_and_peeloff_flags).
    let r = ops::peeloff(fd, 9999).map(drop);
    t.refused(raw!(SCTP_SOCKOPT_PEELOFF), "peeloff(9999)", r, libc::EINVAL);
    let r = ops::peeloff_flags(fd, 9999, libc::SOCK_CLOEXEC as u32).map(drop);
    t.refused(
        raw!(SCTP_SOCKOPT_PEELOFF_FLAGS),
        "peeloff_flags(9999)",
        r,
        libc::EINVAL,
    );

    // 108 SCTP_GET_PEER_ADDRS, 109 SCTP_GET_LOCAL_ADDRS (through getpaddrs/getladdrs)
    t.row(opt!(SCTP_GET_PEER_ADDRS));
    t.row(opt!(SCTP_GET_LOCAL_ADDRS));
    t.gets += 2;
    t.check(
        opt!(SCTP_GET_PEER_ADDRS),
        "peers",
        ops::getpaddrs(fd, id).unwrap(),
        vec![peer],
    );
    t.check(
        opt!(SCTP_GET_LOCAL_ADDRS),
        "locals",
        ops::getladdrs(fd, id).unwrap(),
        vec![maddr],
    );

    // 112 SCTP_GET_ASSOC_STATS (get only)
    let o = opt!(SCTP_GET_ASSOC_STATS);
    let st = sctp_assoc_stats {
        sas_assoc_id: id,
        ..Default::default()
    };
    // The one DATA chunk ("hi") arrived bundled with COOKIE-ECHO, before the association
    // existed, so it counts as an ordered chunk in but not as an association packet in.
    let v = t.get_check(fd, o, st, "ordered DATA chunks in", |v| v.sas_iodchunks, 1);
    t.ok(
        o,
        &format!("SACK and packets out, max RTO: {v:?}"),
        v.sas_osacks >= 1 && v.sas_opackets >= 1 && v.sas_maxrto > 0,
    );

    // 113 SCTP_PR_SUPPORTED: with an id, the peer's capability; set on the endpoint.
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_PR_SUPPORTED),
        (id, 1),
        (SCTP_FUTURE_ASSOC, 0),
    );

    // 114 SCTP_DEFAULT_PRINFO
    let o = opt!(SCTP_DEFAULT_PRINFO);
    let pri = |pr_policy, pr_value| sctp_default_prinfo {
        pr_assoc_id: id,
        pr_value,
        pr_policy,
    };
    let pv = |v: sctp_default_prinfo| (v.pr_policy, v.pr_value);
    let none = (SCTP_PR_SCTP_NONE, 0);
    let ttl = (SCTP_PR_SCTP_TTL, 1000);
    t.roundtrip(fd, o, pri(0, 0), pv, none, &pri(ttl.0, ttl.1), ttl);

    // 115 SCTP_PR_ASSOC_STATUS, 116 SCTP_PR_STREAM_STATUS (get only)
    let prs = |policy| sctp_prstatus {
        sprstat_assoc_id: id,
        sprstat_sid: 0,
        sprstat_policy: policy,
        ..Default::default()
    };
    let abandoned = |v: sctp_prstatus| (v.sprstat_abandoned_unsent, v.sprstat_abandoned_sent);
    let o = opt!(SCTP_PR_ASSOC_STATUS);
    t.get_check(fd, o, prs(SCTP_PR_SCTP_ALL), "abandoned", abandoned, (0, 0));
    t.get_refused(fd, o, prs(0), libc::EINVAL);
    let o = opt!(SCTP_PR_STREAM_STATUS);
    t.get_check(fd, o, prs(SCTP_PR_SCTP_TTL), "abandoned", abandoned, (0, 0));
    let mut bad = prs(SCTP_PR_SCTP_TTL);
    bad.sprstat_sid = 100;
    t.get_refused(fd, o, bad, libc::EINVAL);

    // 117 SCTP_RECONFIG_SUPPORTED (net.sctp.reconf_enable = 0: the peer is not capable)
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_RECONFIG_SUPPORTED),
        (id, 0),
        (SCTP_FUTURE_ASSOC, 1),
    );
    // 118 SCTP_ENABLE_STREAM_RESET
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_ENABLE_STREAM_RESET),
        (id, 0),
        (
            id,
            SCTP_ENABLE_RESET_STREAM_REQ
                | SCTP_ENABLE_RESET_ASSOC_REQ
                | SCTP_ENABLE_CHANGE_ASSOC_REQ,
        ),
    );
    // 119-121: the stream reconfiguration requests need a reconf-capable peer: ENOPROTOOPT.
    let mut rs = id.to_ne_bytes().to_vec();
    rs.extend_from_slice(&SCTP_STREAM_RESET_OUTGOING.to_ne_bytes());
    rs.extend_from_slice(&0u16.to_ne_bytes());
    let r = sockopt::set_bytes(fd, opt!(SCTP_RESET_STREAMS), &rs);
    t.refused(opt!(SCTP_RESET_STREAMS), "setsockopt", r, libc::ENOPROTOOPT);
    t.set_refused(fd, opt!(SCTP_RESET_ASSOC), &id, libc::ENOPROTOOPT);
    t.set_refused(
        fd,
        opt!(SCTP_ADD_STREAMS),
        &sctp_add_streams {
            sas_assoc_id: id,
            sas_instrms: 1,
            sas_outstrms: 1,
        },
        libc::ENOPROTOOPT,
    );
    for o in [
        opt!(SCTP_RESET_STREAMS).opt(),
        opt!(SCTP_RESET_ASSOC).opt(),
        opt!(SCTP_ADD_STREAMS).opt(),
    ] {
        t.get_refused(fd, o, sctp_add_streams::default(), libc::ENOPROTOOPT);
    }

    // 123 SCTP_STREAM_SCHEDULER, 124 SCTP_STREAM_SCHEDULER_VALUE
    let o = opt!(SCTP_STREAM_SCHEDULER);
    av_roundtrip(&mut t, fd, o, (id, SCTP_SS_FCFS), (id, SCTP_SS_PRIO));
    // SCTP_SS_FC and SCTP_SS_WFQ arrived in Linux 6.4: a 6.1 kernel rejects them.
    t.set_refused(fd, o, &assoc_value(id, SCTP_SS_FC), libc::EINVAL);
    t.set_refused(fd, o, &assoc_value(id, SCTP_SS_WFQ), libc::EINVAL);
    let o = opt!(SCTP_STREAM_SCHEDULER_VALUE);
    let sv = |v| sctp_stream_value {
        assoc_id: id,
        stream_id: 1,
        stream_value: v,
    };
    t.set(fd, o, &sv(5));
    let value = |v: sctp_stream_value| v.stream_value;
    t.get_check(fd, o, sv(0), "priority of stream 1", value, 5);

    // 125 SCTP_INTERLEAVING_SUPPORTED: net.sctp.intl_enable = 0 -> EPERM.
    let o = opt!(SCTP_INTERLEAVING_SUPPORTED);
    t.get_check(
        fd,
        o,
        assoc_value(id, 9),
        "peer capable",
        |v| v.assoc_value,
        0,
    );
    t.set_refused(fd, o, &assoc_value(SCTP_FUTURE_ASSOC, 1), libc::EPERM);

    // 126 SCTP_SENDMSG_CONNECT is not an option.
    t.get_refused(
        fd,
        raw!(SCTP_SENDMSG_CONNECT),
        0 as c_int,
        libc::ENOPROTOOPT,
    );
    t.set_refused(
        fd,
        raw!(SCTP_SENDMSG_CONNECT),
        &0 as &c_int,
        libc::ENOPROTOOPT,
    );

    // 128 SCTP_ASCONF_SUPPORTED, 129 SCTP_AUTH_SUPPORTED, 130 SCTP_ECN_SUPPORTED: with an id,
    // the peer's capability; set on the endpoint.
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_ASCONF_SUPPORTED),
        (id, 0),
        (SCTP_FUTURE_ASSOC, 1),
    );
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_AUTH_SUPPORTED),
        (id, 0),
        (SCTP_FUTURE_ASSOC, 1),
    );
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_ECN_SUPPORTED),
        (id, 1),
        (SCTP_FUTURE_ASSOC, 0),
    );

    // 131 SCTP_EXPOSE_POTENTIALLY_FAILED_STATE
    let o = opt!(SCTP_EXPOSE_POTENTIALLY_FAILED_STATE);
    av_roundtrip(&mut t, fd, o, (id, 0), (id, 2));
    t.set_refused(fd, o, &assoc_value(id, 3), libc::EINVAL);

    // 132 SCTP_REMOTE_UDP_ENCAPS_PORT (set on the endpoint: an association would switch to UDP)
    let o = opt!(SCTP_REMOTE_UDP_ENCAPS_PORT);
    let ue = |id, port| sctp_udpencaps {
        sue_assoc_id: id,
        sue_address: zero,
        sue_port: port,
    };
    let port = |v: sctp_udpencaps| v.sue_port;
    t.get_check(fd, o, ue(id, 0), "association port", port, 0);
    t.set(fd, o, &ue(SCTP_FUTURE_ASSOC, 9899u16.to_be()));
    let what = "endpoint port after set";
    t.get_check(fd, o, ue(SCTP_FUTURE_ASSOC, 0), what, port, 9899u16.to_be());

    // 133 SCTP_PLPMTUD_PROBE_INTERVAL
    let o = opt!(SCTP_PLPMTUD_PROBE_INTERVAL);
    let pr = |id, iv| sctp_probeinterval {
        spi_assoc_id: id,
        spi_address: zero,
        spi_interval: iv,
    };
    let interval = |v: sctp_probeinterval| v.spi_interval;
    t.get_check(fd, o, pr(id, 7), "association interval", interval, 0);
    t.set(fd, o, &pr(SCTP_FUTURE_ASSOC, 5000));
    let what = "endpoint interval after set";
    t.get_check(fd, o, pr(SCTP_FUTURE_ASSOC, 0), what, interval, 5000);
    t.set_refused(fd, o, &pr(SCTP_FUTURE_ASSOC, 100), libc::EINVAL);

    // The AUTH options for real, on endpoints with SCTP_AUTH_SUPPORTED turned on (this
    // overrides net.sctp.auth_enable per endpoint) and a live authenticated association.
    let (am, amaddr) = many_server(libc::AF_INET, "127.0.0.1:0");
    let ac = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    subscribe(ac.as_fd(), SCTP_ASSOC_CHANGE);
    for s in [&am, &ac] {
        sockopt::set(s.as_fd(), sockopt::SCTP_AUTH_SUPPORTED, &assoc_value(0, 1)).unwrap();
    }
    let afd = am.as_fd();
    t.set(
        afd,
        opt!(SCTP_AUTH_CHUNK),
        &sctp_authchunk { sauth_chunk: 0 },
    ); // DATA
    t.set_bytes(
        afd,
        opt!(SCTP_HMAC_IDENT),
        &hmacs(&[SCTP_AUTH_HMAC_ID_SHA256, SCTP_AUTH_HMAC_ID_SHA1]),
    );
    let mut hb = [0u8; 64];
    let n = t.get_bytes(afd, opt!(SCTP_HMAC_IDENT), &mut hb);
    t.check(
        opt!(SCTP_HMAC_IDENT),
        "idents",
        hb[..n].to_vec(),
        hmacs(&[SCTP_AUTH_HMAC_ID_SHA256, SCTP_AUTH_HMAC_ID_SHA1]),
    );
    t.set_bytes(afd, opt!(SCTP_AUTH_KEY), &key(0, 1));
    t.set(afd, opt!(SCTP_AUTH_ACTIVE_KEY), &keyid(0, 1));
    let keynumber = |v: sctp_authkeyid| v.scact_keynumber;
    let o = opt!(SCTP_AUTH_ACTIVE_KEY);
    t.get_check(afd, o, keyid(0, 0), "active key", keynumber, 1);
    t.set_bytes(afd, opt!(SCTP_AUTH_KEY), &key(0, 2));
    t.set(afd, opt!(SCTP_AUTH_DEACTIVATE_KEY), &keyid(0, 2));
    t.set(afd, opt!(SCTP_AUTH_DELETE_KEY), &keyid(0, 2));
    t.set_refused(afd, opt!(SCTP_AUTH_DELETE_KEY), &keyid(0, 1), libc::EINVAL);
    let mut lb = chunks(0);
    let n = t.get_bytes(afd, opt!(SCTP_LOCAL_AUTH_CHUNKS), &mut lb);
    t.check(
        opt!(SCTP_LOCAL_AUTH_CHUNKS),
        "endpoint chunks",
        (n, lb[4..8].to_vec(), lb[8]),
        (9, 1u32.to_ne_bytes().to_vec(), 0),
    );
    // Authenticated association: the client sends DATA, which the server requires signed.
    send(ac.as_fd(), b"signed", Some(amaddr), sndinfo(0, 0, 0));
    let acid = expect_assoc_change(ac.as_fd(), SCTP_COMM_UP);
    let aid = expect_assoc_change(afd, SCTP_COMM_UP);
    assert_eq!(recv(afd, 16).0, b"signed");
    let mut pb = chunks(acid);
    let n = t.get_bytes(ac.as_fd(), opt!(SCTP_PEER_AUTH_CHUNKS), &mut pb);
    t.check(
        opt!(SCTP_PEER_AUTH_CHUNKS),
        "peer requires DATA signed",
        (n, pb[8]),
        (9, 0),
    );
    av_roundtrip(
        &mut t,
        afd,
        opt!(SCTP_AUTH_SUPPORTED),
        (aid, 1),
        (SCTP_FUTURE_ASSOC, 1),
    );
    t.get_check(afd, o, keyid(aid, 0), "association key", keynumber, 1);

    // 107 SCTP_SOCKOPT_CONNECTX_OLD, 110 SCTP_SOCKOPT_CONNECTX (assoc id as the return value),
    // 111 SCTP_SOCKOPT_CONNECTX3 (through ops::connectx), each on a fresh one-to-one client.
    let (_xl, xaddr) = {
        let l = sock(libc::AF_INET, libc::SOCK_STREAM);
        let a = bind(l.as_fd(), "127.0.0.1:0");
        listen(l.as_fd());
        (l, a)
    };
    let packed = pack_addrs(&[xaddr]);
    let x1 = sock(libc::AF_INET, libc::SOCK_STREAM);
    t.set_bytes(x1.as_fd(), opt!(SCTP_SOCKOPT_CONNECTX_OLD), &packed);
    let x2 = sock(libc::AF_INET, libc::SOCK_STREAM);
    t.row(raw!(SCTP_SOCKOPT_CONNECTX));
    // SAFETY: `packed` is readable for its length; the kernel only reads it.
    let rc = unsafe {
        libc::setsockopt(
            x2.as_raw_fd(),
            SOL_SCTP,
            SCTP_SOCKOPT_CONNECTX,
            packed.as_ptr().cast(),
            packed.len() as libc::socklen_t,
        )
    };
    t.sets += 1;
    let st: sctp_status = sockopt::get(x2.as_fd(), sockopt::SCTP_STATUS).unwrap();
    t.check(
        raw!(SCTP_SOCKOPT_CONNECTX),
        "return value is the assoc id",
        rc,
        st.sstat_assoc_id,
    );
    let x3 = sock(libc::AF_INET, libc::SOCK_STREAM);
    t.row(raw!(SCTP_SOCKOPT_CONNECTX3));
    t.gets += 1;
    let r = ops::connectx(x3.as_fd(), &[xaddr]).unwrap();
    let st: sctp_status = sockopt::get(x3.as_fd(), sockopt::SCTP_STATUS).unwrap();
    t.check(
        raw!(SCTP_SOCKOPT_CONNECTX3),
        "id",
        r.assoc_id,
        st.sstat_assoc_id,
    );
    for x in [&x1, &x2, &x3] {
        let st: sctp_status = sockopt::get(x.as_fd(), sockopt::SCTP_STATUS).unwrap();
        t.check(
            raw!(SCTP_SOCKOPT_CONNECTX),
            "established",
            st.sstat_state,
            SCTP_ESTABLISHED,
        );
    }

    // Numbers the 6.1 kernel does not know: the removed 103-106 and 134, one past the last
    // option. No socket option was added after 5.14 (SCTP_PLPMTUD_PROBE_INTERVAL, 133); newer
    // kernels only added scheduler values (SCTP_SS_FC/WFQ, 6.4, refused above with EINVAL).
    // Whatever a later kernel adds will get ENOPROTOOPT here, as these do.
    let mut unknown = 0;
    for optname in [103, 104, 105, 106, 134, 135, 200] {
        let o = Opt(optname, "unknown option");
        t.get_refused(fd, o, [0u8; 64], libc::ENOPROTOOPT);
        t.set_refused(fd, o, &[0u8; 64], libc::ENOPROTOOPT);
        t.rows.remove(&optname);
        unknown += 1;
    }

    // Every option number of the Linux 6.1 header has a row.
    let all: Vec<c_int> = (0..=37).chain(100..=102).chain(107..=133).collect();
    let missing: Vec<_> = all.iter().filter(|o| !t.rows.contains_key(o)).collect();
    assert!(missing.is_empty(), "options without a row: {missing:?}");
    assert_eq!(t.rows.len(), all.len());
    let _ = (c1, cid);

    println!(
        "socket options: {} option names exercised ({} gets, {} sets, {} asserted refusals), \
         {} unknown option numbers refused with ENOPROTOOPT",
        t.rows.len(),
        t.gets,
        t.sets,
        t.refusals,
        unknown
    );
    assert!(
        t.failures.is_empty(),
        "{} failures:\n{}",
        t.failures.len(),
        t.failures.join("\n")
    );
}
