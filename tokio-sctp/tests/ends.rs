//! The end of an association as calls that are pending, or come later, see it, against the
//! real kernel: a send waiting for room when the peer aborts or this side shuts down or
//! aborts (async and `poll_`, one-to-one, one-to-many, through a `StreamSender`), receives
//! after the user shut the read side, and the ABORT cause an end carries.
//!
//! The 6.1 lab kernel runs all of it; every peer is on its loopback and no sysctl is changed.

mod support;

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use support::{
    assert_ended, endpoint, fill_with, listener, on_thread, pair, pattern, socket_for, v4, within,
};
use tokio::task::JoinHandle;
use tokio_linux_sctp::error::{Error, ErrorKind, Result};
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{AssocChangeState, Notification};
use tokio_linux_sctp::{SctpEndpoint, SctpSocket, SctpStream};

/// A one-to-one pair whose client has a small send buffer.
async fn small_buffer_pair() -> (SctpStream, SctpStream) {
    let l = listener(v4());
    let c = socket_for(v4());
    c.set_send_buffer_size(8192).unwrap();
    support::pair_with(l, c).await
}

/// Starts `send` on a task once the send buffer is full, and checks that it waits for room.
async fn waiting<T: Send + 'static>(
    send: impl Future<Output = Result<T>> + Send + 'static,
) -> JoinHandle<Result<T>> {
    let task = tokio::spawn(send);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!task.is_finished(), "the send should wait for room");
    task
}

/// The error the waiting send ends with, which must be `AssociationEnded`.
async fn ended_send<T: std::fmt::Debug>(task: JoinHandle<Result<T>>) -> Error {
    let err = within("pending send", task).await.unwrap().unwrap_err();
    assert_ended(&err);
    err
}

/// Receives on `server` until the end, which must be `AssociationEnded`.
async fn drained_to_the_end(server: &SctpStream) {
    let e = within("peer recv", async {
        loop {
            if let Err(e) = server.recv().await {
                return e;
            }
        }
    })
    .await;
    assert_ended(&e);
}

fn kib() -> Vec<u8> {
    pattern(1024, 8)
}

// ---------------------------------------------------------------------------------------
// A send waiting for room meets the end
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn pending_send_without_any_reader_ends_when_the_peer_aborts() {
    let (client, server) = small_buffer_pair().await;
    let client = Arc::new(client);
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let c = Arc::clone(&client);
    let send = waiting(async move { c.send(&kib(), &SendInfo::new()).await }).await;
    within("abort", server.abort()).await.unwrap();
    ended_send(send).await;
}

#[tokio::test]
async fn endpoint_pending_send_without_any_reader_ends_when_the_peer_aborts() {
    let s = SctpSocket::new_v4_one_to_many().unwrap();
    s.set_send_buffer_size(8192).unwrap();
    s.bind(v4()).unwrap();
    let ep: SctpEndpoint = s.into_endpoint().unwrap();
    let l = listener(v4());
    let addr = l.local_addr().unwrap();
    let (id, accepted) = within("connect/accept", async {
        tokio::join!(ep.connect(addr), l.accept())
    })
    .await;
    let id = id.unwrap();
    let (server, _) = accepted.unwrap();
    let ep = Arc::new(ep);
    fill_with(|m| ep.try_send(m, &SendInfo::new().assoc_id(id))).await;
    let e = Arc::clone(&ep);
    let send = waiting(async move { e.send(&kib(), &SendInfo::new().assoc_id(id)).await }).await;
    within("abort", server.abort()).await.unwrap();
    let r = within("pending send", send).await.unwrap();
    assert!(r.is_err(), "{r:?}");
}

#[tokio::test]
async fn local_abort_ends_a_send_pending_in_a_stream_sender() {
    let (client, server) = small_buffer_pair().await;
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let sender = client.sender(0, 0);
    let send = waiting(async move { sender.send(&kib()).await }).await;
    // The ABORT leaves when the last handle goes: the pending send must give its handle up.
    within("abort", client.abort()).await.unwrap();
    ended_send(send).await;
    drained_to_the_end(&server).await;
}

#[tokio::test]
async fn local_abort_ends_a_poll_send_pending_in_a_stream_sender() {
    let (client, server) = small_buffer_pair().await;
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let sender = client.sender(0, 0);
    let send = waiting(async move {
        let msg = kib();
        std::future::poll_fn(|cx| sender.poll_send(cx, &msg)).await
    })
    .await;
    // The ABORT leaves when the last handle goes: the pending poll_send must give it up.
    within("abort", client.abort()).await.unwrap();
    ended_send(send).await;
    drained_to_the_end(&server).await;
}

/// A local shutdown ends a send waiting for room, started by `send` on the client.
async fn local_shutdown_ends<T, F>(send: impl FnOnce(Arc<SctpStream>) -> F)
where
    T: std::fmt::Debug + Send + 'static,
    F: Future<Output = Result<T>> + Send + 'static,
{
    let (client, _server) = small_buffer_pair().await;
    let client = Arc::new(client);
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let task = waiting(send(Arc::clone(&client))).await;
    within("shutdown", client.shutdown()).await.unwrap();
    let err = ended_send(task).await;
    assert_eq!(err.raw_os_error(), Some(libc::ESHUTDOWN), "{err:?}");
}

#[tokio::test]
async fn local_shutdown_ends_a_pending_send() {
    local_shutdown_ends(|c| async move { c.send(&kib(), &SendInfo::new()).await }).await;
}

#[tokio::test]
async fn local_shutdown_ends_a_pending_poll_send() {
    local_shutdown_ends(|c| async move {
        let (msg, info) = (kib(), SendInfo::new());
        std::future::poll_fn(|cx| c.poll_send(cx, &msg, &info)).await
    })
    .await;
}

#[tokio::test]
async fn local_shutdown_ends_a_pending_poll_send_batch() {
    local_shutdown_ends(|c| async move {
        let msg = kib();
        let msgs = [(&msg[..], SendInfo::new()), (&msg[..], SendInfo::new())];
        std::future::poll_fn(|cx| c.poll_send_batch(cx, &msgs)).await
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// Receives after the user shut the read side
// ---------------------------------------------------------------------------------------

/// `shutdown(fd, SHUT_RD)` on `fd`, through the raw descriptor as a user would.
fn shut_read(fd: std::os::fd::RawFd) -> io::Result<()> {
    // SAFETY: shutdown(2) takes a descriptor and a flag; `fd` is an open socket of the
    // caller's, and no memory is passed.
    let rc = unsafe { libc::shutdown(fd, libc::SHUT_RD) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[tokio::test]
async fn peeled_off_recv_after_a_read_shutdown_reports_the_end() {
    use std::os::fd::AsRawFd;
    let ep = endpoint(v4());
    let l = listener(v4());
    let (id, accepted) = within("connect/accept", async {
        tokio::join!(ep.connect(l.local_addr().unwrap()), l.accept())
    })
    .await;
    let id = id.unwrap();
    let (server, _) = accepted.unwrap();
    let peeled = Arc::new(ep.peeloff(id).unwrap());
    shut_read(peeled.as_raw_fd()).unwrap();
    // The kernel now answers every read with 0 bytes and no flags.
    let p = Arc::clone(&peeled);
    let e = on_thread(move || p.try_recv()).unwrap_err();
    assert_ended(&e);
    let e = within("recv", peeled.recv()).await.unwrap_err();
    assert_ended(&e);
    let mut buf = [0u8; 64];
    let e = within("recv_into", peeled.recv_into(&mut buf))
        .await
        .unwrap_err();
    assert_ended(&e);
    // Only the read side is shut: the association still carries sends.
    peeled
        .send(&pattern(10, 3), &SendInfo::new().ppid(9))
        .await
        .unwrap();
    let (m, info) = within("server recv", server.recv()).await.unwrap();
    assert_eq!((&m[..], info.ppid), (&pattern(10, 3)[..], 9));
}

#[tokio::test]
async fn endpoint_recv_after_a_read_shutdown_reports_the_end() {
    use std::os::fd::AsRawFd;
    let s = tokio_linux_sctp::SctpSocket::new_v4_one_to_many().unwrap();
    s.bind(v4()).unwrap();
    let ep = Arc::new(s.into_endpoint().unwrap());
    // A one-to-many socket that is not listening is in the CLOSED state: the kernel shuts
    // the read side and still answers ENOTCONN.
    match shut_read(ep.as_raw_fd()) {
        Ok(()) => {}
        Err(e) => assert_eq!(e.raw_os_error(), Some(libc::ENOTCONN), "{e:?}"),
    }
    let e2 = Arc::clone(&ep);
    let e = on_thread(move || e2.try_recv()).unwrap_err();
    assert_ended(&e);
    let e = within("recv", ep.recv()).await.unwrap_err();
    assert_ended(&e);
}

// ---------------------------------------------------------------------------------------
// What an end says
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
