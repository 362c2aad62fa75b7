//! API found missing or misleading while porting the lksctp tests, against the real kernel:
//! `SctpStream::local_addr` / `peer_addr`, `SctpEndpoint::recv_into`, the host-order ABORT
//! cause of an `AssocChange`, and the receive options a tokio-linux-sctp socket keeps on.
//!
//! The 6.1 lab kernel runs all of it: every peer is on its loopback and no sysctl is changed.

mod support;

use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, FromRawFd, OwnedFd};
use std::time::Duration;

use support::{endpoint, pair, pattern, same_addr, v4, v6, within};
use tokio_linux_sctp::error::ErrorKind;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{AssocChangeState, Notification};
use tokio_linux_sctp::opts::SocketOptions;
use tokio_linux_sctp::{RecvPiece, SctpEndpoint};

// ---------------------------------------------------------------------------------------
// SctpStream::local_addr / peer_addr
// ---------------------------------------------------------------------------------------

async fn stream_addrs_mirror_each_other(addr: SocketAddr) {
    let (client, server) = pair(addr).await;
    let (cl, cp) = (client.local_addr().unwrap(), client.peer_addr().unwrap());
    let (sl, sp) = (server.local_addr().unwrap(), server.peer_addr().unwrap());
    assert!(same_addr(cl, sp), "client local {cl}, server sees {sp}");
    assert!(same_addr(cp, sl), "client peer {cp}, server local {sl}");
    assert_eq!(cl.ip(), addr.ip());
    assert_ne!(cl.port(), 0);
    // One of the addresses the SCTP calls report.
    assert!(client
        .local_addrs()
        .unwrap()
        .iter()
        .any(|a| same_addr(*a, cl)));
    assert!(client
        .peer_addrs()
        .unwrap()
        .iter()
        .any(|a| same_addr(*a, cp)));
    assert!(same_addr(client.primary_addr().unwrap(), cp));
}

#[tokio::test]
async fn stream_local_and_peer_addr_v4() {
    stream_addrs_mirror_each_other(v4()).await;
}

#[tokio::test]
async fn stream_local_and_peer_addr_v6() {
    stream_addrs_mirror_each_other(v6()).await;
}

#[tokio::test]
async fn peeled_off_stream_has_local_and_peer_addr() {
    let server = endpoint(v4());
    let client = endpoint(v4());
    let (saddr, caddr) = (server.local_addr().unwrap(), client.local_addr().unwrap());
    let id = within("connect", client.connect(saddr)).await.unwrap();
    let peeled = client.peeloff(id).unwrap();
    assert_eq!(peeled.peer_addr().unwrap(), saddr);
    assert_eq!(peeled.local_addr().unwrap(), caddr);
}

// ---------------------------------------------------------------------------------------
// SctpEndpoint::recv_into
// ---------------------------------------------------------------------------------------

/// Reads one message piecewise with `buf_len`-byte reads, checking every piece's metadata.
async fn read_pieces(ep: &SctpEndpoint, buf_len: usize) -> (Vec<u8>, Vec<RecvPiece>) {
    let mut msg = Vec::new();
    let mut pieces = Vec::new();
    let mut buf = vec![0u8; buf_len];
    loop {
        let p = within("recv_into", ep.recv_into(&mut buf)).await.unwrap();
        msg.extend_from_slice(&buf[..p.len]);
        pieces.push(p);
        if p.eor {
            return (msg, pieces);
        }
    }
}

#[tokio::test]
async fn endpoint_recv_into_reports_partial_delivery_per_association() {
    let server = endpoint(v4());
    let a = endpoint(v4());
    let b = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let big = pattern(2500, 3);
    let info = SendInfo::new().stream(2).ppid(7);
    within("a send_to", a.send_to(&big, saddr, &info))
        .await
        .unwrap();

    // The first piece of A's message.
    let mut buf = [0u8; 1000];
    let first = within("recv_into", server.recv_into(&mut buf))
        .await
        .unwrap();
    assert_eq!((first.len, first.eor), (1000, false));
    assert_eq!(buf[..], big[..1000]);
    assert_eq!((first.info.stream, first.info.ppid), (2, 7));
    let a_id = first.info.assoc_id;
    assert!(a_id > 0);

    // B's message arrives meanwhile; the rest of A's still comes first.
    within(
        "b send_to",
        b.send_to(b"from b", saddr, &SendInfo::new().stream(5).ppid(9)),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (rest, pieces) = read_pieces(&server, 1000).await;
    assert_eq!(rest[..], big[1000..]);
    assert_eq!(
        pieces.iter().map(|p| (p.len, p.eor)).collect::<Vec<_>>(),
        [(1000, false), (500, true)]
    );
    for p in &pieces {
        assert_eq!((p.info.assoc_id, p.info.stream, p.info.ppid), (a_id, 2, 7));
    }

    // B's message, whole in one read, without waiting.
    let mut buf = [0u8; 64];
    let p = server.try_recv_into(&mut buf).unwrap();
    assert_eq!((&buf[..p.len], p.eor), (&b"from b"[..], true));
    assert_eq!((p.info.stream, p.info.ppid), (5, 9));
    assert_ne!(p.info.assoc_id, a_id);
    assert!(p.info.assoc_id > 0);
    let e = server.try_recv_into(&mut buf).unwrap_err();
    assert_eq!(e.io_kind(), io::ErrorKind::WouldBlock);
}

#[tokio::test]
async fn endpoint_recv_into_hands_out_a_message_read_ahead_by_the_events() {
    let server = endpoint(v4());
    let client = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let id = within("connect", client.connect(saddr)).await.unwrap();
    let msg = pattern(300, 9);
    let info = SendInfo::new().ppid(4).assoc_id(id);
    within("send", client.send(&msg, &info)).await.unwrap();
    within("shutdown", client.shutdown(id)).await.unwrap();
    // Waiting for the end in the event stream reads the message ahead and queues it.
    let mut events = server.events();
    loop {
        match within("event", events.next()).await {
            Some(Ok(Notification::AssocChange(c)))
                if c.state == AssocChangeState::ShutdownComplete =>
            {
                break
            }
            Some(Ok(_)) => continue,
            other => panic!("{other:?}"),
        }
    }
    let (got, pieces) = read_pieces(&server, 128).await;
    assert_eq!(got, msg);
    assert_eq!(
        pieces.iter().map(|p| (p.len, p.eor)).collect::<Vec<_>>(),
        [(128, false), (128, false), (44, true)]
    );
    assert!(pieces.iter().all(|p| p.info.ppid == 4));
}

// ---------------------------------------------------------------------------------------
// AssocChange::abort_cause
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn peer_abort_cause_reads_in_host_order() {
    let (client, server) = pair(v4()).await;
    within("abort", client.abort()).await.unwrap();
    let err = within("recv", server.recv()).await.unwrap_err();
    let c = match err.kind() {
        ErrorKind::AssociationEnded { cause } => match &**cause {
            Notification::AssocChange(c) => c.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(c.state, AssocChangeState::CommLost);
    // User-Initiated Abort (12), as the kernel copies it: network order in sac_error...
    assert_eq!(c.error.to_ne_bytes(), [0, 12], "{err:?}");
    // ...and in host order from the ABORT's causes.
    assert_eq!(c.abort_cause(), Some(12), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("(CommLost, abort cause 12: User-Initiated Abort)"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------
// Receive options a tokio-linux-sctp socket needs
// ---------------------------------------------------------------------------------------

fn assert_refused(r: tokio_linux_sctp::error::Result<()>, name: &str) {
    let e = r.unwrap_err();
    assert_eq!(e.io_kind(), io::ErrorKind::InvalidInput, "{name}: {e}");
    assert!(e.to_string().contains(name), "{e}");
}

fn assert_receive_options_kept(o: SocketOptions<'_>) {
    assert_refused(o.set_recv_nxtinfo(false), "SCTP_RECVNXTINFO");
    assert_refused(o.set_recv_rcvinfo(false), "SCTP_RECVRCVINFO");
    assert!(o.recv_nxtinfo().unwrap());
    assert!(o.recv_rcvinfo().unwrap());
    // Turning them on is allowed (and changes nothing).
    o.set_recv_nxtinfo(true).unwrap();
    o.set_recv_rcvinfo(true).unwrap();
}

#[tokio::test]
async fn socket_types_refuse_to_turn_receive_info_off() {
    let socket = support::socket_for(v4());
    assert_receive_options_kept(socket.options());
    let listener = support::listener(v4());
    assert_receive_options_kept(listener.options());
    let (client, server) = pair(v4()).await;
    assert_receive_options_kept(client.options());
    assert_receive_options_kept(server.options().with_assoc_id(0));
    let ep = endpoint(v4());
    assert_receive_options_kept(ep.options(linux_sctp_sys::SCTP_FUTURE_ASSOC));

    // Messages still flow, with their metadata.
    within(
        "send",
        client.send(b"still", &SendInfo::new().stream(1).ppid(2)),
    )
    .await
    .unwrap();
    let (m, info) = within("recv", server.recv()).await.unwrap();
    assert_eq!((&m[..], info.stream, info.ppid), (&b"still"[..], 1, 2));
}

#[test]
fn own_socket_may_turn_receive_info_off() {
    // SAFETY: socket(2) takes no pointers; the descriptor it returns is owned right below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, libc::IPPROTO_SCTP) };
    assert!(fd >= 0, "socket: {}", io::Error::last_os_error());
    // SAFETY: `fd` is a fresh descriptor nobody else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let o = SocketOptions::new(fd.as_fd(), 0);
    o.set_recv_nxtinfo(true).unwrap();
    o.set_recv_rcvinfo(true).unwrap();
    o.set_recv_nxtinfo(false).unwrap();
    o.set_recv_rcvinfo(false).unwrap();
    assert!(!o.recv_nxtinfo().unwrap());
    assert!(!o.recv_rcvinfo().unwrap());
}
