//! `tokio_linux_sctp::netns` against the real kernel: SCTP sockets of every kind opened inside
//! named network namespaces from tokio tasks, traffic between two namespaces over a veth
//! pair, the caller's threads never moving, and errors that name the namespace.
//!
//! Topology of the traffic test ([`netlab::TwoPaths`], only path 1 used): namespace A
//! (10.0.1.1) and B (10.0.1.2) joined by a veth pair `va1`–`vb1`. The namespaces are made with
//! `ip netns add` and opened through the public API by name (`/run/netns/NAME`). Needs root
//! and `iproute2`, which the lab has; never skipped.

mod netlab;

use std::net::SocketAddr;
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;

use netlab::{within, Netns, TwoPaths, LIMIT};
use tokio_linux_sctp::error::ErrorKind;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::netns::NetNamespace;
use tokio_linux_sctp::{SctpListener, SctpSocket, SctpStream};

const PPID: u32 = 0x6e65_746e;

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// The inode of the network namespace the calling thread is in.
fn my_namespace() -> u64 {
    std::fs::metadata("/proc/thread-self/ns/net")
        .expect("/proc/thread-self/ns/net")
        .ino()
}

/// Accepts one association and echoes every message on its stream and PPID until it ends.
fn echo_server(listener: SctpListener) -> tokio::task::JoinHandle<(SctpStream, Vec<SocketAddr>)> {
    tokio::spawn(async move {
        let (stream, peers) = listener.accept().await.expect("accept");
        while let Ok((msg, info)) = stream.recv().await {
            let reply = SendInfo::new().stream(info.stream).ppid(info.ppid);
            if stream.send(&msg, &reply).await.is_err() {
                break;
            }
        }
        (stream, peers)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_in_one_namespace_serves_a_client_in_another_over_veth() {
    let paths = TwoPaths::new("nsv");
    let server_ns = NetNamespace::named(paths.b.name()).expect("open B by name");
    let client_ns = NetNamespace::named(paths.a.name()).expect("open A by name");
    assert_eq!(
        server_ns.path().to_str(),
        Some(&*format!("/run/netns/{}", paths.b.name()))
    );

    // The listener: made in B from this task, bound to B's veth address.
    let socket = server_ns.socket_v4().await.expect("socket in B");
    socket.set_nodelay(true).unwrap();
    socket.bind(addr("10.0.1.2:0")).expect("bind 10.0.1.2 in B");
    let port = socket.local_addr().unwrap().port();
    let listener = socket.listen(8).expect("listen");
    paths.b.wait_listening(port).await; // `ss` inside B lists it
                                        // The caller's namespace has no such address: the socket really is in B.
    let here = SctpSocket::new_v4().unwrap();
    let err = here
        .bind(SocketAddr::new("10.0.1.2".parse().unwrap(), port))
        .unwrap_err();
    assert_eq!(
        err.raw_os_error(),
        Some(libc::EADDRNOTAVAIL),
        "10.0.1.2 bound outside B: {err}"
    );
    let server = echo_server(listener);

    // The client: made in A, connected from this task, then driven from other tasks.
    let socket = client_ns.socket_v4().await.expect("socket in A");
    socket.set_nodelay(true).unwrap();
    let target = SocketAddr::new("10.0.1.2".parse().unwrap(), port);
    let client = within("connect A -> B", LIMIT, socket.connect(target))
        .await
        .expect("connect A -> B over veth");
    assert_eq!(client.peer_addr().unwrap(), target);
    assert_eq!(client.local_addr().unwrap().ip().to_string(), "10.0.1.1");
    let client = Arc::new(client);

    let tx_before = paths.a.counter("va1", "tx_packets");
    let rx_before = paths.a.counter("va1", "rx_packets");
    const ROUNDS: u16 = 8;
    let c = Arc::clone(&client);
    let pings = tokio::spawn(async move {
        for i in 0..ROUNDS {
            let text = format!("ping {i} from A");
            let sid = i % 4;
            c.send(text.as_bytes(), &SendInfo::new().stream(sid).ppid(PPID))
                .await
                .expect("send");
            let (msg, info) = c.recv().await.expect("echo");
            assert_eq!(
                (&msg[..], info.stream, info.ppid),
                (text.as_bytes(), sid, PPID)
            );
        }
    });
    within("8 round trips A <-> B", LIMIT, pings)
        .await
        .expect("ping task");
    let tx = paths.a.counter("va1", "tx_packets") - tx_before;
    let rx = paths.a.counter("va1", "rx_packets") - rx_before;
    assert!(
        tx >= u64::from(ROUNDS) && rx >= u64::from(ROUNDS),
        "the messages did not cross the veth pair: {tx} packets out, {rx} in"
    );

    client.shutdown().await.expect("shutdown");
    let (_stream, peers) = within("server end", LIMIT, server)
        .await
        .expect("server task");
    // The client bound the wildcard: every address of A is in the association, no other.
    let port = client.local_addr().unwrap().port();
    assert!(
        peers.contains(&SocketAddr::new("10.0.1.1".parse().unwrap(), port))
            && peers
                .iter()
                .all(|p| p.ip().to_string().starts_with("10.0.")),
        "accept's peer list: {peers:?}"
    );
    println!("netns: {ROUNDS} round trips A <-> B over va1/vb1: {tx} packets out, {rx} in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_socket_kind_opens_inside_a_namespace() {
    let ns_b = Netns::new("nsk");
    let ns = NetNamespace::named(ns_b.name()).expect("open by name");

    // IPv6 one-to-one listener and IPv6 one-to-many endpoint, on B's own loopback.
    let socket = ns.socket_v6().await.expect("v6 one-to-one in B");
    socket.bind(addr("[::1]:0")).unwrap();
    let v6_listener = socket.listen(4).unwrap();
    let v6_addr = v6_listener.local_addr().unwrap();
    ns_b.wait_listening(v6_addr.port()).await;
    let socket = ns
        .socket_v6_one_to_many()
        .await
        .expect("v6 one-to-many in B");
    socket.bind(addr("[::1]:0")).unwrap();
    let v6_endpoint = socket.into_endpoint().unwrap();
    let assoc = within("endpoint connect", LIMIT, v6_endpoint.connect(v6_addr))
        .await
        .expect("v6 endpoint -> v6 listener in B");
    let (accepted, _) = within("accept", LIMIT, v6_listener.accept()).await.unwrap();
    v6_endpoint
        .send(b"v6 in B", &SendInfo::new().assoc_id(assoc).ppid(PPID))
        .await
        .unwrap();
    let (msg, info) = accepted.recv().await.unwrap();
    assert_eq!((&msg[..], info.ppid), (&b"v6 in B"[..], PPID));

    // IPv4 one-to-many endpoint listening, IPv4 one-to-one client.
    let socket = ns
        .socket_v4_one_to_many()
        .await
        .expect("v4 one-to-many in B");
    socket.bind(addr("127.0.0.1:0")).unwrap();
    let v4_endpoint = socket.into_endpoint().unwrap();
    v4_endpoint.listen(4).unwrap();
    let v4_addr = v4_endpoint.local_addr().unwrap();
    let client = ns
        .socket_v4()
        .await
        .expect("v4 one-to-one in B")
        .connect(v4_addr)
        .await
        .unwrap();
    client
        .send(b"v4 in B", &SendInfo::new().ppid(PPID))
        .await
        .unwrap();
    let (msg, info) = v4_endpoint.recv().await.unwrap();
    assert_eq!((&msg[..], info.ppid), (&b"v4 in B"[..], PPID));

    // Nothing of this is in the caller's namespace: its loopback has no such listeners.
    for target in [v6_addr, v4_addr] {
        let err = within("connect outside B", LIMIT, SctpStream::connect(target))
            .await
            .unwrap_err();
        assert_eq!(
            err.raw_os_error(),
            Some(libc::ECONNREFUSED),
            "{target} reached outside B: {err}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_callers_thread_never_changes_namespace() {
    let ns_b = Netns::new("nst");
    let ns = NetNamespace::named(ns_b.name()).unwrap();
    let target = std::fs::metadata(ns.path()).unwrap().ino();
    let home = my_namespace();
    assert_ne!(home, target);

    // The closure runs in B, on a thread of its own; this (the runtime's only) thread stays.
    let (inside, thread) = ns
        .run(|| {
            (
                my_namespace(),
                std::thread::current().name().map(str::to_owned),
            )
        })
        .await
        .unwrap();
    assert_eq!(inside, target);
    assert_eq!(thread.as_deref(), Some("netns"));
    assert_eq!(my_namespace(), home);
    assert_eq!(ns.run_blocking(my_namespace).unwrap(), target);
    assert_eq!(my_namespace(), home);

    // A panic inside reaches the caller.
    let ns2 = ns.clone();
    let joined = tokio::spawn(async move { ns2.run(|| panic!("inside B")).await }).await;
    let panic = joined.unwrap_err().into_panic();
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"inside B"));
    assert_eq!(my_namespace(), home);

    // The open handle keeps the namespace after `ip netns del`; the name is gone.
    let name = ns_b.name().to_owned();
    drop(ns_b);
    assert_eq!(ns.run(my_namespace).await.unwrap(), target);
    let socket = ns
        .socket_v4()
        .await
        .expect("socket in the deleted namespace");
    socket.bind(addr("127.0.0.1:0")).unwrap();
    let err = NetNamespace::named(&name).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NetNamespace { .. }),
        "{err:?}"
    );
    assert_eq!(err.raw_os_error(), Some(libc::ENOENT));
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("network namespace /run/netns/{name}: "))
            && text.ends_with(&format!("`ip netns add {name}` creates it")),
        "{text}"
    );
    // A namespace file of another kind is refused at open.
    let err = NetNamespace::open("/proc/self/ns/mnt").unwrap_err();
    assert_eq!(
        err.to_string(),
        "network namespace /proc/self/ns/mnt: a mount namespace, not a network namespace"
    );
}
