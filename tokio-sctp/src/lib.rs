//! Async SCTP for tokio, on the Linux kernel's SCTP stack.
//!
//! SCTP (RFC 9260) carries **messages** (not a byte stream) over **associations** that may
//! span several addresses per side (multihoming), with many independent **streams** per
//! association and a **payload protocol identifier** (PPID) on every message.
//!
//! | type | kernel socket | what for |
//! |---|---|---|
//! | [`SctpSocket`] | either style, before connect/listen | options, bind/bindx, INIT parameters, event subscriptions |
//! | [`SctpStream`] | one-to-one (`SOCK_STREAM`) | one association: [`send`](SctpStream::send) / [`recv`](SctpStream::recv) whole messages |
//! | [`SctpListener`] | one-to-one, listening | [`accept`](SctpListener::accept) associations as streams |
//! | [`SctpEndpoint`] | one-to-many (`SOCK_SEQPACKET`) | many associations on one socket, [`peeloff`](SctpEndpoint::peeloff) |
//! | [`SctpEvents`] | — | the notifications of a socket as a [`Stream`](futures_core::Stream) |
//! | [`StreamSender`] | — | a cloneable handle sending on one stream with one PPID |
//!
//! Message metadata is in [`message`] ([`SendInfo`](message::SendInfo),
//! [`RecvInfo`](message::RecvInfo); PPIDs are in host byte order), notifications in
//! [`notification`], socket options in [`opts`], errors in [`error`]. [`netns`] opens
//! sockets of any kind inside another network namespace (`/run/netns/NAME`) from a task,
//! without moving the caller's threads.
//!
//! # Behaviour worth knowing
//!
//! * **Whole messages.** `recv` reassembles a message the kernel delivers in pieces, up to a
//!   configurable cap, and returns it as [`Bytes`](bytes::Bytes) without copying. Notifications
//!   never come out of `recv`.
//! * **Cancel safety.** Every `recv`, `send`, `accept` and event future can be dropped at any
//!   point without losing data: partial messages and read-ahead live in the socket.
//! * **Tasks.** All I/O methods take `&self`; the socket types are `Send + Sync`, so an
//!   `Arc<SctpStream>` serves any number of tasks. Each has the tokio triad `async fn`,
//!   `poll_*` and `try_*`.
//! * **Connect** resolves on `SCTP_COMM_UP`, not on writability, and fails with the kernel's
//!   reason (`ECONNREFUSED`, `ETIMEDOUT`).
//! * **Ends are sticky.** After an association ends, every later `send`/`recv` fails with
//!   [`ErrorKind::AssociationEnded`](error::ErrorKind::AssociationEnded) and the notification
//!   that ended it; nothing hangs. Sends use `MSG_NOSIGNAL`, so no `SIGPIPE`.
//! * **Cost.** One `sendmsg` per message sent, one `recvmsg` per message received in steady
//!   state (the `SCTP_NXTINFO` look-ahead tells when the receive queue is empty, saving the
//!   `EAGAIN` call), no allocation per message besides the returned `Bytes`.
//!
//! # Example
//!
//! ```no_run
//! use tokio_linux_sctp::message::SendInfo;
//! use tokio_linux_sctp::{SctpListener, SctpStream};
//!
//! # async fn f() -> tokio_linux_sctp::error::Result<()> {
//! let listener = SctpListener::bind("127.0.0.1:0".parse().unwrap())?;
//! let addr = listener.local_addr()?;
//! tokio::spawn(async move {
//!     let (stream, _peers) = listener.accept().await?;
//!     let (msg, info) = stream.recv().await?;
//!     stream.send(&msg, &SendInfo::new().stream(info.stream).ppid(info.ppid)).await?;
//!     Ok::<_, tokio_linux_sctp::error::Error>(())
//! });
//!
//! let stream = SctpStream::connect(addr).await?;
//! stream.send(b"ping", &SendInfo::new().stream(1).ppid(42)).await?;
//! let (reply, info) = stream.recv().await?;
//! assert_eq!((&reply[..], info.stream, info.ppid), (&b"ping"[..], 1, 42));
//! # Ok(())
//! # }
//! ```
//!
//! # Requirements
//!
//! Linux 5.0 or newer with SCTP (`modprobe sctp`); the crate reports
//! [`ErrorKind::SctpUnavailable`](error::ErrorKind::SctpUnavailable) otherwise. A tokio
//! runtime with I/O enabled.
//!
//! # Related crates
//!
//! * [`linux_sctp_sys`] ([linux-sctp-sys](https://docs.rs/linux-sctp-sys)): the kernel ABI
//!   under this crate, every constant and struct of `linux/sctp.h` and the libsctp calls over
//!   raw syscalls, for what this crate does not wrap (reach a socket's descriptor through
//!   `AsFd`).
//! * [sctp-lab](https://crates.io/crates/sctp-lab): runs your crate's tests against a real
//!   SCTP kernel (user-mode Linux 6.1) on machines whose kernel has none, such as most CI
//!   runners: `cargo install sctp-lab`, then `runner = "sctp-lab --runner"` under
//!   `[target.'cfg(target_os = "linux")']` in `.cargo/config.toml`.
#![cfg(target_os = "linux")]
#![deny(unsafe_code)]

pub mod demux;
pub mod error;
pub mod events;
pub mod message;
pub mod netns;
pub mod notification;
pub mod opts;

mod builder;
mod endpoint;
mod engine;
mod listener;
mod millis;
mod sender;
mod stream;
mod sync;
mod sys;

pub use builder::SctpSocket;
pub use demux::{Demux, SlowConsumer, StreamReceiver};
pub use endpoint::SctpEndpoint;
pub use events::SctpEvents;
pub use listener::SctpListener;
pub use message::RecvPiece;
pub use sender::StreamSender;
pub use stream::SctpStream;

/// Kernel-free entry points for fuzz targets and property tests. Not part of the API: it
/// may change in any release.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::engine::reassembly::{Assembled, AssocPartials, Key, Piece, Reassembly};
}

/// The association identifier type (`sctp_assoc_t`, a C `int`).
pub use linux_sctp_sys::sctp_assoc_t as AssocId;
pub use opts::InitParams;

// Compile-time proof that the socket types and their futures can cross threads.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SctpStream>();
    assert_send_sync::<SctpListener>();
    assert_send_sync::<SctpEndpoint>();
    assert_send_sync::<SctpEvents>();
    assert_send_sync::<StreamSender>();
    assert_send_sync::<SctpSocket>();
};

#[allow(dead_code)]
fn futures_are_send(s: &SctpStream, e: &SctpEndpoint, l: &SctpListener) {
    fn is_send<T: Send>(_: &T) {}
    let info = message::SendInfo::new();
    is_send(&s.recv());
    is_send(&s.send(b"", &info));
    is_send(&e.recv());
    is_send(&e.send(b"", &info));
    is_send(&l.accept());
    is_send(&SctpStream::connect("127.0.0.1:1".parse().unwrap()));
}
