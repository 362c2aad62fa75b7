//! How messages are sent and received: bundling delay, fragmentation, bursts, the default
//! send parameters ([`DefaultSendInfo`]), the receive context, partial delivery, the
//! per-message control data the receive loop needs, event subscriptions, and what INIT
//! advertises about the upper layer (adaptation indication) and congestion (ECN).

use linux_sctp_sys::{sctp_event, sctp_sndinfo};

use super::table::{socket_options, FromC, IntoC, Request};

use crate::error::Result;
use crate::notification::EventType;

/// Default parameters for sends without a send-info control message
/// (`struct sctp_sndinfo`), for
/// [`SocketOptions::default_sndinfo`](super::SocketOptions::default_sndinfo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DefaultSendInfo {
    /// Stream.
    pub stream: u16,
    /// `snd_flags`: the kernel accepts `SCTP_UNORDERED`, `SCTP_ADDR_OVER`, `SCTP_ABORT` and
    /// `SCTP_EOF` (`linux_sctp_sys` constants); anything else is `EINVAL`.
    pub flags: u16,
    /// Payload protocol identifier, host byte order (this crate's convention, see
    /// [`crate::message`]).
    pub ppid: u32,
    /// Context, returned in notifications about the message.
    pub context: u32,
}

impl DefaultSendInfo {
    /// Whether [`flags`](Self::flags) has `SCTP_UNORDERED`.
    pub fn unordered(&self) -> bool {
        self.flags & linux_sctp_sys::SCTP_UNORDERED != 0
    }
}

impl FromC<sctp_sndinfo> for DefaultSendInfo {
    fn from_c(s: &sctp_sndinfo) -> Result<Self> {
        Ok(DefaultSendInfo {
            stream: s.snd_sid,
            flags: s.snd_flags,
            ppid: u32::from_be(s.snd_ppid),
            context: s.snd_context,
        })
    }
}

impl IntoC<sctp_sndinfo> for &DefaultSendInfo {
    fn into_c(self, s: &mut sctp_sndinfo) -> Result<()> {
        s.snd_sid = self.stream;
        s.snd_flags = self.flags;
        s.snd_ppid = self.ppid.to_be();
        s.snd_context = self.context;
        Ok(())
    }
}

impl super::SocketOptions<'_> {
    /// Subscribes to (`true`) or unsubscribes from the notification `event`. Accepts
    /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
    ///
    /// On options of a tokio-linux-sctp socket the choice is the socket's, as
    /// [`SctpSocket::subscribe`](crate::SctpSocket::subscribe) makes it: `event` then reaches
    /// the socket's [event stream](crate::SctpEvents) exactly when it is on. Association
    /// changes, shutdown and partial delivery events stay subscribed in the kernel (the
    /// socket needs them); turning one off stops its delivery only.
    ///
    /// Maps to `setsockopt(SCTP_EVENT)` (Linux 5.0+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an event type the kernel does not know (`SendFailedEvent` before 5.5) or
    /// an unknown association.
    #[doc(alias = "SCTP_EVENT")]
    pub fn set_event(&self, event: EventType, on: bool) -> Result<()> {
        if self.managed.is_none_or(|c| c.kernel_follows(event, on)) {
            let r = self.write_assoc(linux_sctp_sys::sockopt::SCTP_EVENT, (event,), on);
            self.finish("SCTP_EVENT", None, r)?;
        }
        if let Some(choice) = self.managed {
            choice.record(event, on);
        }
        Ok(())
    }
}

impl Request<sctp_event> for (EventType,) {
    fn request(self, e: &mut sctp_event) -> Result<()> {
        e.se_type = self.0.to_raw();
        Ok(())
    }
}

impl FromC<sctp_event> for bool {
    fn from_c(e: &sctp_event) -> Result<Self> {
        Ok(e.se_on != 0)
    }
}

impl IntoC<sctp_event> for bool {
    fn into_c(self, e: &mut sctp_event) -> Result<()> {
        e.se_on = u8::from(self);
        Ok(())
    }
}

socket_options! {
    "SCTP_NODELAY" SCTP_NODELAY: socket {
        /// Whether the Nagle-like bundling delay is off.
        get nodelay() -> bool {
            /// The `getsockopt(2)` error.
        }
        /// Turns the Nagle-like bundling delay off (`true`) or on.
        set set_nodelay(nodelay: bool) {
            /// The `setsockopt(2)` error.
        }
    }

    "SCTP_MAXSEG" SCTP_MAXSEG: assoc {
        /// The user fragmentation point in bytes (0: follow the path MTU), with
        /// `struct sctp_assoc_value`.
        get maxseg() -> u32 {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets the user fragmentation point in bytes (0: follow the path MTU).
        set set_maxseg(maxseg: u32) {
            /// `EINVAL` for a value out of the kernel's range (too small for a DATA chunk, or
            /// above `SCTP_MAX_CHUNK_LEN`).
        }
    }

    "SCTP_DISABLE_FRAGMENTS" SCTP_DISABLE_FRAGMENTS: socket {
        /// Whether messages larger than the fragmentation point are refused (`EMSGSIZE`)
        /// instead of fragmented.
        get disable_fragments() -> bool {
            /// The `getsockopt(2)` error.
        }
        /// Refuses (`true`) or fragments messages larger than the fragmentation point.
        set set_disable_fragments(disable: bool) {
            /// The `setsockopt(2)` error.
        }
    }

    "SCTP_MAX_BURST" SCTP_MAX_BURST: assoc {
        /// Maximum number of packets sent in one burst (0: no limit; sysctl default 4).
        get max_burst() -> u32 {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets the maximum burst (0: no limit). Accepts `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
        set set_max_burst(max_burst: u32) {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
    }

    "SCTP_DEFAULT_SNDINFO" SCTP_DEFAULT_SNDINFO: assoc since "3.17" {
        /// Default parameters for sends that carry no send-info control message.
        #[doc(alias = "SCTP_DEFAULT_SEND_PARAM")]
        get default_sndinfo() -> DefaultSendInfo {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets the default parameters for sends that carry no send-info control message.
        /// Accepts `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
        set set_default_sndinfo(info: &DefaultSendInfo) {
            /// `EINVAL` for flags other than `SCTP_UNORDERED`, `SCTP_ADDR_OVER`, `SCTP_ABORT`,
            /// `SCTP_EOF`, or an unknown association.
        }
    }

    "SCTP_CONTEXT" SCTP_CONTEXT: assoc {
        /// The value the kernel reports as the context of received messages
        /// (`rcv_context`).
        get context() -> u32 {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets the context reported with received messages. Accepts
        /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
        set set_context(context: u32) {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
    }

    "SCTP_FRAGMENT_INTERLEAVE" SCTP_FRAGMENT_INTERLEAVE: socket {
        /// Whether partial deliveries of different associations may interleave.
        get fragment_interleave() -> bool {
            /// The `getsockopt(2)` error.
        }
        /// Lets partial deliveries of different associations interleave (`true`); turning
        /// it off also turns I-DATA interleaving off.
        set set_fragment_interleave(on: bool) {
            /// The `setsockopt(2)` error.
        }
    }

    "SCTP_PARTIAL_DELIVERY_POINT" SCTP_PARTIAL_DELIVERY_POINT: socket {
        /// Message size at which partial delivery starts, in bytes (0: only under memory
        /// pressure).
        get partial_delivery_point() -> u32 {
            /// The `getsockopt(2)` error.
        }
        /// Sets the message size at which partial delivery starts.
        set set_partial_delivery_point(bytes: u32) {
            /// `EINVAL` above half the receive buffer (`SO_RCVBUF`).
        }
    }

    "SCTP_RECVRCVINFO" SCTP_RECVRCVINFO: socket since "3.17" require on {
        /// Whether received messages carry an `SCTP_RCVINFO` control message.
        get recv_rcvinfo() -> bool {
            /// The `getsockopt(2)` error.
        }
        /// Asks for an `SCTP_RCVINFO` control message with every received message.
        ///
        /// **The socket types of this crate need it on** (see
        /// [`SocketOptions`](super::SocketOptions)): on options obtained from one of them,
        /// `set_recv_rcvinfo(false)` fails and changes nothing.
        set set_recv_rcvinfo(on: bool) {
            /// `InvalidInput` for `false` on a tokio-linux-sctp socket; the `setsockopt(2)`
            /// error.
        }
    }

    "SCTP_RECVNXTINFO" SCTP_RECVNXTINFO: socket since "3.17" require on {
        /// Whether received messages carry an `SCTP_NXTINFO` control message (about the next
        /// queued message).
        get recv_nxtinfo() -> bool {
            /// The `getsockopt(2)` error.
        }
        /// Asks for an `SCTP_NXTINFO` control message with every received message.
        ///
        /// **The socket types of this crate need it on** (see
        /// [`SocketOptions`](super::SocketOptions)): on options obtained from one of them,
        /// `set_recv_nxtinfo(false)` fails and changes nothing.
        set set_recv_nxtinfo(on: bool) {
            /// `InvalidInput` for `false` on a tokio-linux-sctp socket; the `setsockopt(2)`
            /// error.
        }
    }

    "SCTP_EVENT" SCTP_EVENT: assoc since "5.0" {
        /// Whether the notification `event` is subscribed.
        #[doc(alias = "sctp_event")]
        get event(event: EventType) -> bool {
            /// `EINVAL` for an event type the kernel does not know or an unknown association.
        }
        // set_event: below, by hand (a socket of this crate chooses through the engine).
    }

    "SCTP_ADAPTATION_LAYER" SCTP_ADAPTATION_LAYER: socket {
        /// The Adaptation Layer Indication sent in INIT / INIT-ACK.
        get adaptation_layer() -> u32 {
            /// The `getsockopt(2)` error.
        }
        /// Sets the Adaptation Layer Indication sent in INIT / INIT-ACK (the peer sees it in
        /// an adaptation-indication notification).
        set set_adaptation_layer(indication: u32) {
            /// The `setsockopt(2)` error.
        }
    }

    "SCTP_ECN_SUPPORTED" SCTP_ECN_SUPPORTED: assoc since "5.4" {
        /// Explicit congestion notification: with an association, whether the peer supports
        /// it; otherwise whether we advertise it.
        get ecn_supported() -> bool {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Advertises ECN in future associations (default: sysctl `net.sctp.ecn_enable`, on).
        set set_ecn_supported(on: bool) {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
    }
}
