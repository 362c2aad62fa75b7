//! [`StreamSender`]: a cheap handle that sends on one SCTP stream.

use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};

use linux_sctp_sys::sctp_assoc_t;

use crate::engine::{Core, Outgoing};
use crate::error::Result;
use crate::message::SendInfo;

/// Sends messages on one stream of one association with a default PPID.
///
/// Made by [`SctpStream::sender`](crate::SctpStream::sender) or
/// [`SctpEndpoint::sender`](crate::SctpEndpoint::sender). Cloning is an `Arc` clone; clones can
/// be moved to other tasks. The handle keeps the socket open.
///
/// # Examples
///
/// ```no_run
/// # async fn f() -> tokio_linux_sctp::error::Result<()> {
/// let stream = tokio_linux_sctp::SctpStream::connect("127.0.0.1:3868".parse().unwrap()).await?;
/// let signalling = stream.sender(0, 46);
/// let bulk = stream.sender(1, 47);
/// tokio::spawn({
///     let bulk = bulk.clone();
///     async move { bulk.send(b"chunk").await }
/// });
/// signalling.send(b"hello").await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct StreamSender {
    inner: Arc<Inner>,
}

struct Inner {
    core: Arc<Core>,
    assoc_id: Option<sctp_assoc_t>,
    info: SendInfo,
}

impl StreamSender {
    pub(crate) fn new(
        core: Arc<Core>,
        assoc_id: Option<sctp_assoc_t>,
        stream: u16,
        ppid: u32,
    ) -> Self {
        let mut info = SendInfo::new().stream(stream).ppid(ppid);
        if let Some(id) = assoc_id {
            info = info.assoc_id(id);
        }
        StreamSender {
            inner: Arc::new(Inner {
                core,
                assoc_id,
                info,
            }),
        }
    }

    /// The stream id this handle sends on.
    pub fn stream_id(&self) -> u16 {
        self.inner.info.stream
    }

    /// The default PPID (host order).
    pub fn ppid(&self) -> u32 {
        self.inner.info.ppid
    }

    /// The association (one-to-many endpoints), if any.
    pub fn assoc_id(&self) -> Option<sctp_assoc_t> {
        self.inner.assoc_id
    }

    /// Sends one message with the default PPID, ordered.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the message is either handed to the kernel whole or not at all.
    ///
    /// # Errors
    ///
    /// As [`SctpStream::send`](crate::SctpStream::send).
    pub async fn send(&self, data: &[u8]) -> Result<usize> {
        self.send_with(data, &self.inner.info).await
    }

    /// Sends one message with other metadata (PPID, unordered, PR-SCTP, ...). The stream and
    /// association of this handle override those of `info`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`send`](Self::send).
    ///
    /// # Errors
    ///
    /// As [`SctpStream::send`](crate::SctpStream::send).
    pub async fn send_with(&self, data: &[u8], info: &SendInfo) -> Result<usize> {
        let info = self.fix(info);
        let out = Outgoing::data(self.inner.assoc_id, data, &info);
        self.inner.core.send(&out).await
    }

    /// Polls a [`send`](Self::send). Only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub fn poll_send(&self, cx: &mut Context<'_>, data: &[u8]) -> Poll<Result<usize>> {
        let out = Outgoing::data(self.inner.assoc_id, data, &self.inner.info);
        self.inner.core.poll_send(cx, &out)
    }

    /// Tries a [`send`](Self::send) without waiting.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), plus `WouldBlock`.
    pub fn try_send(&self, data: &[u8]) -> Result<usize> {
        let out = Outgoing::data(self.inner.assoc_id, data, &self.inner.info);
        self.inner.core.try_send(&out)
    }

    fn fix(&self, info: &SendInfo) -> SendInfo {
        let mut info = info.stream(self.inner.info.stream);
        if let Some(id) = self.inner.assoc_id {
            info = info.assoc_id(id);
        }
        info
    }
}

impl fmt::Debug for StreamSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSender")
            .field("assoc_id", &self.inner.assoc_id)
            .field("stream", &self.inner.info.stream)
            .field("ppid", &self.inner.info.ppid)
            .finish()
    }
}
