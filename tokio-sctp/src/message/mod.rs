//! Message metadata: what to send with a message ([`SendInfo`], [`PrPolicy`]), what arrives
//! with one ([`RecvInfo`], [`NextInfo`], [`RecvFlags`], [`RecvPiece`] for a partial read),
//! and the [`ReassemblyBuffer`] that joins partial reads into whole messages.
//!
//! # Payload protocol identifiers are in host byte order
//!
//! The PPID is an opaque 32-bit field for the kernel: it copies `snd_ppid` into the DATA chunk
//! and the DATA chunk's field into `rcv_ppid` without any byte swapping. SCTP users put it on
//! the wire in network byte order by convention (IANA's registry numbers such as Diameter = 46,
//! M3UA = 3, S1AP = 18, NGAP = 60 appear big-endian in every capture), and C code therefore
//! writes `htonl(46)`.
//!
//! In this crate every `ppid` is a plain host-order `u32`: [`SendInfo::ppid`] `46` is what a
//! Diameter peer reads as 46. The conversion happens only at the kernel boundary:
//! [`SendInfo::to_sndinfo`] stores `ppid.to_be()`, and [`RecvInfo::from_rcvinfo`] /
//! [`NextInfo::from_nxtinfo`] (and the send-failed notifications) read `u32::from_be(..)`. To
//! interoperate with a peer that (wrongly) sends host-order PPIDs, swap the value yourself
//! with [`u32::swap_bytes`].

mod buffer;

use std::time::Duration;

use linux_sctp_sys::sctp_assoc_t;

pub use self::buffer::ReassemblyBuffer;

// `enum sctp_sinfo_flags` values as the u16 of `snd_flags` / `rcv_flags`.
const UNORDERED: u16 = linux_sctp_sys::SCTP_UNORDERED;
const ABORT: u16 = linux_sctp_sys::SCTP_ABORT;
const SACK_IMMEDIATELY: u16 = linux_sctp_sys::SCTP_SACK_IMMEDIATELY;
const EOF: u16 = linux_sctp_sys::SCTP_EOF;
const NOTIFICATION: u16 = linux_sctp_sys::SCTP_NOTIFICATION;
const PR_SCTP_NONE: u16 = linux_sctp_sys::SCTP_PR_SCTP_NONE;
const PR_SCTP_TTL: u16 = linux_sctp_sys::SCTP_PR_SCTP_TTL;
const PR_SCTP_RTX: u16 = linux_sctp_sys::SCTP_PR_SCTP_RTX;
const PR_SCTP_PRIO: u16 = linux_sctp_sys::SCTP_PR_SCTP_PRIO;

/// A partial-reliability policy for one message (PR-SCTP, RFC 3758 / RFC 7496).
///
/// The kernel abandons a message under one of these policies only when the peer supports
/// PR-SCTP (negotiated at association setup; sysctl `net.sctp.prsctp_enable`, on by default).
/// Otherwise the message is sent reliably.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PrPolicy {
    /// `SCTP_PR_SCTP_NONE`: fully reliable.
    #[default]
    #[doc(alias = "SCTP_PR_SCTP_NONE")]
    None,
    /// `SCTP_PR_SCTP_TTL`: abandon the message if it is not sent and acknowledged within this
    /// time. The kernel counts milliseconds: the duration is rounded up to whole milliseconds
    /// and saturates at `u32::MAX` ms.
    #[doc(alias = "SCTP_PR_SCTP_TTL")]
    Ttl(Duration),
    /// `SCTP_PR_SCTP_RTX`: abandon the message after this many retransmissions.
    #[doc(alias = "SCTP_PR_SCTP_RTX")]
    Rtx(u32),
    /// `SCTP_PR_SCTP_PRIO`: the message's priority (lower values are more important); when
    /// the send buffer is short, the kernel drops queued messages of lower priority to make
    /// room.
    #[doc(alias = "SCTP_PR_SCTP_PRIO")]
    Prio(u32),
}

impl PrPolicy {
    /// The policy bits (`SCTP_PR_SCTP_*`, within `SCTP_PR_SCTP_MASK`).
    pub const fn policy(self) -> u16 {
        match self {
            PrPolicy::None => PR_SCTP_NONE,
            PrPolicy::Ttl(_) => PR_SCTP_TTL,
            PrPolicy::Rtx(_) => PR_SCTP_RTX,
            PrPolicy::Prio(_) => PR_SCTP_PRIO,
        }
    }

    /// The policy value the kernel takes (`pr_value`): milliseconds for TTL, a count for RTX,
    /// a priority for PRIO, 0 for none.
    pub fn value(self) -> u32 {
        match self {
            PrPolicy::None => 0,
            PrPolicy::Ttl(d) => crate::millis::to_millis(d).unwrap_or(u32::MAX),
            PrPolicy::Rtx(n) | PrPolicy::Prio(n) => n,
        }
    }

    /// The policy with these kernel values (`pr_policy`, `pr_value`), as read from
    /// `SCTP_DEFAULT_PRINFO`. `None` for a policy value this crate does not know.
    pub fn from_raw(policy: u16, value: u32) -> Option<Self> {
        match policy {
            PR_SCTP_NONE => Some(PrPolicy::None),
            PR_SCTP_TTL => Some(PrPolicy::Ttl(crate::millis::from_millis(value))),
            PR_SCTP_RTX => Some(PrPolicy::Rtx(value)),
            PR_SCTP_PRIO => Some(PrPolicy::Prio(value)),
            _ => None,
        }
    }

    /// The `struct sctp_prinfo` for the `SCTP_PRINFO` control message.
    #[doc(alias = "sctp_prinfo")]
    pub fn to_prinfo(self) -> linux_sctp_sys::sctp_prinfo {
        linux_sctp_sys::sctp_prinfo {
            pr_policy: self.policy(),
            pr_value: self.value(),
        }
    }
}

/// How to send one message: stream, payload protocol identifier, flags, partial reliability.
///
/// Converted to the `SCTP_SNDINFO` (and, for a [`PrPolicy`] other than none, `SCTP_PRINFO`)
/// control messages of `sendmsg`. Build it with the chained setters:
///
/// ```
/// use std::time::Duration;
/// use tokio_linux_sctp::message::{PrPolicy, SendInfo};
///
/// let info = SendInfo::new()
///     .stream(2)
///     .ppid(46) // Diameter, host order
///     .unordered(true)
///     .pr_policy(PrPolicy::Ttl(Duration::from_millis(500)));
/// assert_eq!(info.stream, 2);
///
/// let snd = info.to_sndinfo();
/// assert_eq!(snd.snd_sid, 2);
/// assert_eq!(snd.snd_ppid, 46u32.to_be()); // network order for the kernel
/// assert_eq!(info.to_prinfo().map(|p| p.pr_value), Some(500));
/// ```
///
/// Kernel rules the setters do not check (the kernel answers `EINVAL`): [`eof`](Self::eof) needs
/// an empty message, and `eof` and [`abort`](Self::abort) are for one-to-many sockets only
/// (use `shutdown` / `SO_LINGER` on one-to-one sockets); the stream must be below the
/// association's outbound stream count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct SendInfo {
    /// The stream to send on (`snd_sid`). Default 0.
    pub stream: u16,
    /// The payload protocol identifier, host byte order (see the [module docs](self)).
    /// Default 0 (unspecified).
    pub ppid: u32,
    /// Deliver without regard to stream order (`SCTP_UNORDERED`).
    pub unordered: bool,
    /// An opaque value returned in send-failed notifications for this message
    /// (`snd_context`). It is not sent to the peer.
    pub context: u32,
    /// Partial reliability for this message (`SCTP_PRINFO`).
    pub pr_policy: PrPolicy,
    /// Ask the peer to acknowledge at once (`SCTP_SACK_IMMEDIATELY`, RFC 7053).
    pub sack_immediately: bool,
    /// Start a graceful shutdown of the association (`SCTP_EOF`; one-to-many, empty message).
    pub eof: bool,
    /// Abort the association, the message being the user abort reason (`SCTP_ABORT`;
    /// one-to-many).
    pub abort: bool,
    /// The association to send on, for one-to-many sockets when no destination address is
    /// given (`snd_assoc_id`). Ignored when the send names an address, and on one-to-one
    /// sockets.
    pub assoc_id: sctp_assoc_t,
}

impl SendInfo {
    /// Defaults: stream 0, PPID 0, ordered, reliable, no flags.
    pub const fn new() -> Self {
        SendInfo {
            stream: 0,
            ppid: 0,
            unordered: false,
            context: 0,
            pr_policy: PrPolicy::None,
            sack_immediately: false,
            eof: false,
            abort: false,
            assoc_id: 0,
        }
    }

    /// Sets [`stream`](field@Self::stream).
    #[must_use]
    pub const fn stream(mut self, stream: u16) -> Self {
        self.stream = stream;
        self
    }

    /// Sets [`ppid`](field@Self::ppid) (host byte order).
    #[must_use]
    pub const fn ppid(mut self, ppid: u32) -> Self {
        self.ppid = ppid;
        self
    }

    /// Sets [`unordered`](field@Self::unordered).
    #[must_use]
    pub const fn unordered(mut self, unordered: bool) -> Self {
        self.unordered = unordered;
        self
    }

    /// Sets [`context`](field@Self::context).
    #[must_use]
    pub const fn context(mut self, context: u32) -> Self {
        self.context = context;
        self
    }

    /// Sets [`pr_policy`](field@Self::pr_policy).
    #[must_use]
    pub const fn pr_policy(mut self, pr_policy: PrPolicy) -> Self {
        self.pr_policy = pr_policy;
        self
    }

    /// Sets [`sack_immediately`](field@Self::sack_immediately).
    #[must_use]
    pub const fn sack_immediately(mut self, sack_immediately: bool) -> Self {
        self.sack_immediately = sack_immediately;
        self
    }

    /// Sets [`eof`](field@Self::eof).
    #[must_use]
    pub const fn eof(mut self, eof: bool) -> Self {
        self.eof = eof;
        self
    }

    /// Sets [`abort`](field@Self::abort).
    #[must_use]
    pub const fn abort(mut self, abort: bool) -> Self {
        self.abort = abort;
        self
    }

    /// Sets [`assoc_id`](field@Self::assoc_id).
    #[must_use]
    pub const fn assoc_id(mut self, assoc_id: sctp_assoc_t) -> Self {
        self.assoc_id = assoc_id;
        self
    }

    /// The `snd_flags` value: `SCTP_UNORDERED`, `SCTP_SACK_IMMEDIATELY`, `SCTP_EOF` and
    /// `SCTP_ABORT` as set. The PR-SCTP policy is not included; it travels in `SCTP_PRINFO`.
    pub const fn flags(&self) -> u16 {
        let mut f = 0;
        if self.unordered {
            f |= UNORDERED;
        }
        if self.sack_immediately {
            f |= SACK_IMMEDIATELY;
        }
        if self.eof {
            f |= EOF;
        }
        if self.abort {
            f |= ABORT;
        }
        f
    }

    /// The `struct sctp_sndinfo` for the `SCTP_SNDINFO` control message. `snd_ppid` is
    /// `ppid.to_be()`.
    #[doc(alias = "sctp_sndinfo")]
    pub fn to_sndinfo(&self) -> linux_sctp_sys::sctp_sndinfo {
        linux_sctp_sys::sctp_sndinfo {
            snd_sid: self.stream,
            snd_flags: self.flags(),
            snd_ppid: self.ppid.to_be(),
            snd_context: self.context,
            snd_assoc_id: self.assoc_id,
        }
    }

    /// The `struct sctp_prinfo` for the `SCTP_PRINFO` control message, or `None` when the
    /// policy is [`PrPolicy::None`] (no control message is needed then: with `SCTP_SNDINFO`
    /// present the kernel ignores the socket's default policy anyway).
    pub fn to_prinfo(&self) -> Option<linux_sctp_sys::sctp_prinfo> {
        match self.pr_policy {
            PrPolicy::None => None,
            policy => Some(policy.to_prinfo()),
        }
    }

    /// The legacy `struct sctp_sndrcvinfo` (`SCTP_SNDRCV` control message,
    /// `SCTP_DEFAULT_SEND_PARAM`): flags with the PR policy bits, `sinfo_timetolive` = the
    /// policy value, `sinfo_ppid` = `ppid.to_be()`.
    #[doc(alias = "sctp_sndrcvinfo")]
    pub fn to_sndrcvinfo(&self) -> linux_sctp_sys::sctp_sndrcvinfo {
        linux_sctp_sys::sctp_sndrcvinfo {
            sinfo_stream: self.stream,
            sinfo_flags: self.flags() | self.pr_policy.policy(),
            sinfo_ppid: self.ppid.to_be(),
            sinfo_context: self.context,
            sinfo_timetolive: self.pr_policy.value(),
            sinfo_assoc_id: self.assoc_id,
            ..Default::default()
        }
    }
}

/// Flags of a received message (`rcv_flags`, `sinfo_flags` on receive, `nxt_flags`).
///
/// These are SCTP's own flags, distinct from `msg_flags` (where `MSG_EOR`,
/// `MSG_NOTIFICATION` and `MSG_CTRUNC` live).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RecvFlags(pub u16);

impl RecvFlags {
    /// `SCTP_UNORDERED`: the message was sent unordered.
    #[doc(alias = "SCTP_UNORDERED")]
    pub const UNORDERED: u16 = UNORDERED;
    /// `SCTP_NOTIFICATION` (`nxt_flags` only): the next item is a notification.
    #[doc(alias = "SCTP_NOTIFICATION")]
    pub const NOTIFICATION: u16 = NOTIFICATION;

    /// The raw value.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// Whether the message was sent unordered.
    pub const fn is_unordered(self) -> bool {
        self.0 & UNORDERED != 0
    }

    /// Whether the item is a notification (meaningful in [`NextInfo`]).
    pub const fn is_notification(self) -> bool {
        self.0 & NOTIFICATION != 0
    }
}

/// What the kernel says about a received message (`SCTP_RCVINFO`, or the legacy
/// `SCTP_SNDRCV` control message).
///
/// The kernel attaches the same information to every piece of a message read in parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct RecvInfo {
    /// The stream the message arrived on (`rcv_sid`).
    pub stream: u16,
    /// The stream sequence number (`rcv_ssn`); meaningless for unordered messages.
    pub ssn: u16,
    /// Flags (`rcv_flags`).
    pub flags: RecvFlags,
    /// The payload protocol identifier, host byte order (`u32::from_be(rcv_ppid)`; see the
    /// [module docs](self)).
    pub ppid: u32,
    /// The TSN of the message's first DATA chunk (`rcv_tsn`).
    pub tsn: u32,
    /// The cumulative TSN (`rcv_cumtsn`); the kernel fills it for unordered messages only.
    pub cumtsn: u32,
    /// The **receiving** socket's `SCTP_CONTEXT` value (`rcv_context`): the sender's context
    /// never crosses the wire.
    pub context: u32,
    /// The association the message belongs to (`rcv_assoc_id`).
    pub assoc_id: sctp_assoc_t,
}

impl RecvInfo {
    /// Converts the kernel's `struct sctp_rcvinfo`.
    pub fn from_rcvinfo(info: &linux_sctp_sys::sctp_rcvinfo) -> Self {
        RecvInfo {
            stream: info.rcv_sid,
            ssn: info.rcv_ssn,
            flags: RecvFlags(info.rcv_flags),
            ppid: u32::from_be(info.rcv_ppid),
            tsn: info.rcv_tsn,
            cumtsn: info.rcv_cumtsn,
            context: info.rcv_context,
            assoc_id: info.rcv_assoc_id,
        }
    }

    /// Converts the kernel's legacy `struct sctp_sndrcvinfo` (as received with the
    /// `SCTP_DATA_IO_EVENT` subscription).
    pub fn from_sndrcvinfo(info: &linux_sctp_sys::sctp_sndrcvinfo) -> Self {
        RecvInfo {
            stream: info.sinfo_stream,
            ssn: info.sinfo_ssn,
            flags: RecvFlags(info.sinfo_flags),
            ppid: u32::from_be(info.sinfo_ppid),
            tsn: info.sinfo_tsn,
            cumtsn: info.sinfo_cumtsn,
            context: info.sinfo_context,
            assoc_id: info.sinfo_assoc_id,
        }
    }

    /// Whether the message was sent unordered.
    pub const fn is_unordered(&self) -> bool {
        self.flags.is_unordered()
    }
}

/// Partial-delivery result of [`SctpStream::recv_into`](crate::SctpStream::recv_into) and
/// [`SctpEndpoint::recv_into`](crate::SctpEndpoint::recv_into).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecvPiece {
    /// Bytes written to the buffer.
    pub len: usize,
    /// Whether these bytes end the message (`MSG_EOR`). If not, the next `recv_into`
    /// continues the same message.
    pub eor: bool,
    /// What the kernel says about the message (the same for every piece of it).
    pub info: RecvInfo,
}

/// What the kernel says about the **next** queued message or notification (`SCTP_NXTINFO`,
/// enabled with `SCTP_RECVNXTINFO`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct NextInfo {
    /// Its stream (`nxt_sid`).
    pub stream: u16,
    /// Its flags (`nxt_flags`): [`RecvFlags::is_notification`] says whether it is a
    /// notification.
    pub flags: RecvFlags,
    /// Its payload protocol identifier, host byte order (`u32::from_be(nxt_ppid)`).
    pub ppid: u32,
    /// The bytes queued for it now (`nxt_length`); this may be only part of the message.
    pub length: u32,
    /// Its association (`nxt_assoc_id`).
    pub assoc_id: sctp_assoc_t,
}

impl NextInfo {
    /// Converts the kernel's `struct sctp_nxtinfo`.
    pub fn from_nxtinfo(info: &linux_sctp_sys::sctp_nxtinfo) -> Self {
        NextInfo {
            stream: info.nxt_sid,
            flags: RecvFlags(info.nxt_flags),
            ppid: u32::from_be(info.nxt_ppid),
            length: info.nxt_length,
            assoc_id: info.nxt_assoc_id,
        }
    }

    /// Whether the next item is a notification.
    pub const fn is_notification(&self) -> bool {
        self.flags.is_notification()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_info_to_sndinfo() {
        let info = SendInfo::new()
            .stream(7)
            .ppid(0x0102_0304)
            .unordered(true)
            .context(99)
            .sack_immediately(true)
            .assoc_id(12);
        let s = info.to_sndinfo();
        assert_eq!(s.snd_sid, 7);
        assert_eq!(s.snd_flags, 0x0001 | 0x0008);
        assert_eq!(s.snd_ppid.to_ne_bytes(), [1, 2, 3, 4]);
        assert_eq!(s.snd_context, 99);
        assert_eq!(s.snd_assoc_id, 12);
        assert!(info.to_prinfo().is_none());

        assert_eq!(SendInfo::new().eof(true).flags(), 0x0200);
        assert_eq!(SendInfo::new().abort(true).flags(), 0x0004);
        assert_eq!(SendInfo::new().flags(), 0);
        assert_eq!(SendInfo::new(), SendInfo::default());
    }

    #[test]
    fn pr_policies() {
        let cases = [
            (PrPolicy::None, 0x00, 0),
            (PrPolicy::Ttl(Duration::from_millis(1500)), 0x10, 1500),
            (PrPolicy::Ttl(Duration::from_micros(1)), 0x10, 1),
            (PrPolicy::Ttl(Duration::from_micros(2001)), 0x10, 3),
            (PrPolicy::Ttl(Duration::from_secs(u64::MAX)), 0x10, u32::MAX),
            (PrPolicy::Rtx(3), 0x20, 3),
            (PrPolicy::Prio(9), 0x30, 9),
        ];
        for (policy, bits, value) in cases {
            assert_eq!(policy.policy(), bits, "{policy:?}");
            assert_eq!(policy.value(), value, "{policy:?}");
            let p = policy.to_prinfo();
            assert_eq!((p.pr_policy, p.pr_value), (bits, value));
            assert_eq!(policy.policy() & !linux_sctp_sys::SCTP_PR_SCTP_MASK, 0);
        }
        assert_eq!(PrPolicy::from_raw(0x20, 4), Some(PrPolicy::Rtx(4)));
        assert_eq!(
            PrPolicy::from_raw(0x10, 250),
            Some(PrPolicy::Ttl(Duration::from_millis(250)))
        );
        assert_eq!(PrPolicy::from_raw(0x40, 1), None);

        let info = SendInfo::new()
            .ppid(46)
            .pr_policy(PrPolicy::Rtx(2))
            .unordered(true);
        let p = info.to_prinfo().unwrap();
        assert_eq!((p.pr_policy, p.pr_value), (0x20, 2));
        // PR bits never leak into snd_flags.
        assert_eq!(info.to_sndinfo().snd_flags, 0x0001);
        let legacy = info.to_sndrcvinfo();
        assert_eq!(legacy.sinfo_flags, 0x0021);
        assert_eq!(legacy.sinfo_timetolive, 2);
        assert_eq!(legacy.sinfo_ppid, 46u32.to_be());
    }

    #[test]
    fn recv_info_conversions() {
        let r = linux_sctp_sys::sctp_rcvinfo {
            rcv_sid: 4,
            rcv_ssn: 10,
            rcv_flags: 0x0001,
            rcv_ppid: 60u32.to_be(),
            rcv_tsn: 1000,
            rcv_cumtsn: 999,
            rcv_context: 5,
            rcv_assoc_id: 3,
        };
        let info = RecvInfo::from_rcvinfo(&r);
        assert_eq!(
            (info.stream, info.ssn, info.ppid, info.tsn, info.cumtsn),
            (4, 10, 60, 1000, 999)
        );
        assert_eq!((info.context, info.assoc_id), (5, 3));
        assert!(info.is_unordered());

        let s = linux_sctp_sys::sctp_sndrcvinfo {
            sinfo_stream: 2,
            sinfo_ssn: 8,
            sinfo_ppid: 46u32.to_be(),
            sinfo_tsn: 77,
            sinfo_assoc_id: 9,
            ..Default::default()
        };
        let info = RecvInfo::from_sndrcvinfo(&s);
        assert_eq!((info.stream, info.ssn, info.ppid, info.tsn), (2, 8, 46, 77));
        assert_eq!(info.assoc_id, 9);
        assert!(!info.is_unordered());

        let n = linux_sctp_sys::sctp_nxtinfo {
            nxt_sid: 1,
            nxt_flags: 0x8000 | 0x0001,
            nxt_ppid: 18u32.to_be(),
            nxt_length: 512,
            nxt_assoc_id: 4,
        };
        let next = NextInfo::from_nxtinfo(&n);
        assert!(next.is_notification());
        assert!(next.flags.is_unordered());
        assert_eq!(
            (next.stream, next.ppid, next.length, next.assoc_id),
            (1, 18, 512, 4)
        );
    }

    #[test]
    fn ppid_round_trip_matches_wire_order() {
        // What SendInfo hands the kernel is what a receiving kernel hands RecvInfo.
        let snd = SendInfo::new().ppid(46).to_sndinfo();
        // Bytes as they go on the wire: big-endian 46.
        assert_eq!(snd.snd_ppid.to_ne_bytes(), [0, 0, 0, 46]);
        let r = linux_sctp_sys::sctp_rcvinfo {
            rcv_ppid: snd.snd_ppid,
            ..Default::default()
        };
        assert_eq!(RecvInfo::from_rcvinfo(&r).ppid, 46);
    }
}
