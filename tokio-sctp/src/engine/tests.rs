//! Kernel-free tests of the engine's composition: a [`Core`] over a Unix socket (or a pipe),
//! pieces fed to its routing as reads would return them, and the waiters it wakes.

use std::future::Future;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixDatagram;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use linux_sctp_sys::sctp_assoc_t;

use super::recv::{Item, Routed};
use super::{Config, Core, EndCause, Style};
use crate::error::ErrorKind;
use crate::notification::Subscriptions;
use crate::sync::lock;

/// A core over a Unix socket: routing never touches the descriptor for the pieces fed here,
/// so the kernel's SCTP is not needed.
fn core_with(style: Style, config: Config) -> Core {
    let (a, _b) = UnixDatagram::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    Core::new(OwnedFd::from(a), style, config).unwrap()
}

fn core(style: Style) -> Core {
    core_with(style, Config::default())
}

/// Routes `bytes` as one read: data of `(assoc, stream)`, or a notification.
fn feed(core: &Core, bytes: &[u8], eor: bool, data: Option<(sctp_assoc_t, u16)>) -> Routed {
    let mut rx = lock(&core.rx);
    rx.asm.buf_mut().extend_from_slice(bytes);
    let mut flags = if eor { libc::MSG_EOR } else { 0 };
    let mut cmsgs = linux_sctp_sys::cmsg::RecvCmsgs::default();
    match data {
        Some((assoc, sid)) => {
            cmsgs.rcvinfo = Some(linux_sctp_sys::sctp_rcvinfo {
                rcv_sid: sid,
                rcv_assoc_id: assoc,
                ..Default::default()
            });
        }
        None => flags |= linux_sctp_sys::MSG_NOTIFICATION,
    }
    let raw = linux_sctp_sys::ops::RecvMsg {
        len: bytes.len(),
        flags,
        from: None,
        cmsgs,
    };
    core.route(&mut rx, &raw)
}

fn data_of(routed: Routed) -> Option<(Vec<u8>, sctp_assoc_t, u16)> {
    match routed {
        Routed::Piece {
            item: Some(Item::Data(Ok((b, i)))),
            ..
        } => Some((b.to_vec(), i.assoc_id, i.stream)),
        _ => None,
    }
}

/// `sctp_assoc_change` with `state`.
fn assoc_change(state: u16, assoc: sctp_assoc_t) -> Vec<u8> {
    let mut n = Vec::new();
    n.extend_from_slice(&linux_sctp_sys::SCTP_ASSOC_CHANGE.to_ne_bytes());
    n.extend_from_slice(&0u16.to_ne_bytes());
    n.extend_from_slice(&20u32.to_ne_bytes());
    n.extend_from_slice(&state.to_ne_bytes());
    n.extend_from_slice(&0u16.to_ne_bytes()); // error
    n.extend_from_slice(&[4, 0, 4, 0]); // outbound and inbound streams
    n.extend_from_slice(&assoc.to_ne_bytes());
    n
}

/// `sctp_pdapi_event` with `SCTP_PARTIAL_DELIVERY_ABORTED`.
fn pd_aborted(assoc: sctp_assoc_t, stream: u32) -> Vec<u8> {
    let mut n = Vec::new();
    n.extend_from_slice(&linux_sctp_sys::SCTP_PARTIAL_DELIVERY_EVENT.to_ne_bytes());
    n.extend_from_slice(&0u16.to_ne_bytes());
    n.extend_from_slice(&24u32.to_ne_bytes());
    n.extend_from_slice(&0u32.to_ne_bytes());
    n.extend_from_slice(&assoc.to_ne_bytes());
    n.extend_from_slice(&stream.to_ne_bytes());
    n.extend_from_slice(&0u32.to_ne_bytes());
    n
}

struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn an_aborted_partial_delivery_is_not_glued_to_the_next_message() {
    let c = core(Style::OneToMany);
    assert!(data_of(feed(&c, b"stale", false, Some((7, 5)))).is_none());
    // DATA chunks: the kernel reports stream 0 whatever the stream was.
    feed(&c, &pd_aborted(7, 0), true, None);
    let got = data_of(feed(&c, b"fresh", true, Some((7, 5))));
    assert_eq!(got, Some((b"fresh".to_vec(), 7, 5)));
}

#[tokio::test]
async fn an_aborted_partial_delivery_of_one_stream_spares_the_others() {
    let c = core(Style::OneToMany);
    assert!(data_of(feed(&c, b"a1", false, Some((7, 1)))).is_none());
    assert!(data_of(feed(&c, b"b1", false, Some((7, 2)))).is_none());
    // I-DATA: the event names the stream.
    feed(&c, &pd_aborted(7, 2), true, None);
    let got = data_of(feed(&c, b"b2", true, Some((7, 2))));
    assert_eq!(got, Some((b"b2".to_vec(), 7, 2)));
    let got = data_of(feed(&c, b"a2", true, Some((7, 1))));
    assert_eq!(got, Some((b"a1a2".to_vec(), 7, 1)));
}

#[tokio::test]
async fn the_partial_message_of_an_ended_association_is_dropped() {
    let c = core(Style::OneToMany);
    assert!(data_of(feed(&c, b"half", false, Some((7, 1)))).is_none());
    feed(
        &c,
        &assoc_change(linux_sctp_sys::SCTP_COMM_LOST, 7),
        true,
        None,
    );
    let got = data_of(feed(&c, b"x", true, Some((8, 1))));
    assert_eq!(got, Some((b"x".to_vec(), 8, 1)));
    assert_eq!(
        lock(&c.rx).asm.held(),
        0,
        "nothing of association 7 is kept"
    );
}

/// Review finding 1: a peeloff in the middle of a partly reassembled message moves its head
/// with the association, so the peeled socket completes the message.
#[tokio::test]
async fn peeloff_moves_the_head_of_a_message_with_its_association() {
    let ep = core(Style::OneToMany);
    assert!(data_of(feed(&ep, b"other-", false, Some((8, 1)))).is_none());
    assert!(data_of(feed(&ep, b"head-", false, Some((7, 3)))).is_none());
    let (a, _b) = UnixDatagram::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    let (fd, moved) = ep.peel(7, || Ok(OwnedFd::from(a))).unwrap();
    let peeled = Core::new(fd, Style::PeeledOff, ep.config()).unwrap();
    peeled.adopt(moved);
    let got = data_of(feed(&peeled, b"tail", true, Some((7, 3))));
    assert_eq!(got, Some((b"head-tail".to_vec(), 7, 3)));
    // The endpoint kept only its other association's message, which goes on.
    assert_eq!(lock(&ep.rx).asm.held(), b"other-".len());
    let got = data_of(feed(&ep, b"rest", true, Some((8, 1))));
    assert_eq!(got, Some((b"other-rest".to_vec(), 8, 1)));
}

/// Review finding 3: a change of the association table made by another reader (here the
/// routing of a `COMM_UP` that is not delivered to the event stream) wakes a connect waiting
/// for it.
#[tokio::test]
async fn a_table_change_wakes_a_connect_waiting_on_it() {
    let config = Config {
        delivered: Subscriptions::empty(),
        ..Config::default()
    };
    let c = core_with(Style::OneToMany, config);
    let count = Arc::new(Count(AtomicUsize::new(0)));
    let waker = Waker::from(Arc::clone(&count));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(c.wait_established(Some(7)));
    assert!(fut.as_mut().poll(&mut cx).is_pending());
    feed(
        &c,
        &assoc_change(linux_sctp_sys::SCTP_COMM_UP, 7),
        true,
        None,
    );
    assert!(
        count.0.load(Ordering::SeqCst) > 0,
        "the connect was not woken"
    );
    match fut.poll(&mut cx) {
        Poll::Ready(Ok((7, st))) => assert_eq!((st.outbound, st.inbound), (4, 4)),
        other => panic!("{:?}", other.map(|r| r.map(|(id, _)| id))),
    }
    assert!(lock(&c.rx).queues.pop_event().is_none(), "not delivered");
}

/// Review finding 4: a latched end of the sending side alone does not make reads skip
/// readiness (which cost an extra `recvmsg` returning `EAGAIN` per wait while draining).
#[tokio::test]
async fn a_send_side_end_does_not_make_reads_skip_readiness() {
    let (a, b) = UnixDatagram::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    b.send(b"abc").unwrap();
    let c = Core::new(OwnedFd::from(a), Style::OneToOne, Config::default()).unwrap();
    c.latch_send_end(EndCause::shutdown(0, Some(libc::ESHUTDOWN)));
    let mut cx = Context::from_waker(Waker::noop());
    // The reactor has not reported the socket readable yet: a read now would be one the
    // readiness rule does not allow.
    assert!(c.poll_recv(&mut cx).is_pending());
    let mut peek = [std::mem::MaybeUninit::<u8>::uninit(); 8];
    let queued = socket2::SockRef::from(&c.fd()).peek(&mut peek);
    assert_eq!(
        queued.ok(),
        Some(3),
        "the datagram was read without readiness"
    );
    // A latched end of the receive side does read without readiness: the kernel says
    // whether anything is left, and then the end is reported.
    c.latch_end(EndCause::shutdown(0, None));
    match c.poll_recv(&mut cx) {
        Poll::Ready(Err(e)) if matches!(e.kind(), ErrorKind::AssociationEnded { .. }) => {}
        other => panic!("{other:?}"),
    }
    assert!(
        socket2::SockRef::from(&c.fd()).peek(&mut peek).is_err(),
        "read"
    );
}

/// Review finding 6: `recv_into` follows the one errno rule: an error that does not mean the
/// association is gone (here `ENOTSOCK`) fails the call and ends nothing.
#[tokio::test]
async fn a_transient_recv_into_error_does_not_end_the_association() {
    let (_tx, rx) = tokio::net::unix::pipe::pipe().unwrap();
    let fd = rx.into_nonblocking_fd().unwrap();
    let c = Core::new(fd, Style::OneToOne, Config::default()).unwrap();
    let mut buf = [0u8; 16];
    let e = c.try_recv_into(&mut buf).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io), "{e:?}");
    assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    assert!(c.end_cause(None).is_none(), "{:?}", c.end_cause(None));
    // recv and recv_batch follow the same rule.
    assert_eq!(
        c.try_recv().unwrap_err().raw_os_error(),
        Some(libc::ENOTSOCK)
    );
    let mut out = Vec::new();
    let e = c.try_recv_batch(&mut out, 4).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    assert!(c.end_cause(None).is_none());
}
