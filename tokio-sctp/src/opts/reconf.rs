//! Stream reconfiguration (RFC 6525): which requests are allowed ([`StreamResetFlags`]),
//! the requests themselves (reset streams in a [`StreamResetDirection`], reset the
//! association, add streams) and whether reconfiguration is advertised. While
//! `net.sctp.reconf_enable` is off the peer does not negotiate it, and a request the
//! endpoint allows fails with `ENOPROTOOPT`, which then comes as `FeatureDisabled`.

use std::mem::{offset_of, size_of_val};

use linux_sctp_sys::{sctp_add_streams, sctp_assoc_t, sctp_reset_streams};

use super::table::{assoc_value_codec, invalid, put, socket_options, Request, ToBytes};
use super::SocketOptions;
use crate::error::Result;

/// Stream reconfiguration requests we allow (`SCTP_ENABLE_STREAM_RESET` bits), a set of
/// `SCTP_ENABLE_*` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StreamResetFlags(pub u32);

impl StreamResetFlags {
    /// No requests.
    pub const NONE: Self = Self(0);
    /// `SCTP_ENABLE_RESET_STREAM_REQ`: stream reset requests.
    #[doc(alias = "SCTP_ENABLE_RESET_STREAM_REQ")]
    pub const RESET_STREAM: Self = Self(linux_sctp_sys::SCTP_ENABLE_RESET_STREAM_REQ);
    /// `SCTP_ENABLE_RESET_ASSOC_REQ`: association (SSN/TSN) reset requests.
    #[doc(alias = "SCTP_ENABLE_RESET_ASSOC_REQ")]
    pub const RESET_ASSOC: Self = Self(linux_sctp_sys::SCTP_ENABLE_RESET_ASSOC_REQ);
    /// `SCTP_ENABLE_CHANGE_ASSOC_REQ`: add-stream requests.
    #[doc(alias = "SCTP_ENABLE_CHANGE_ASSOC_REQ")]
    pub const CHANGE_ASSOC: Self = Self(linux_sctp_sys::SCTP_ENABLE_CHANGE_ASSOC_REQ);
    /// All three.
    pub const ALL: Self = Self(linux_sctp_sys::SCTP_ENABLE_STRRESET_MASK);

    /// Whether every flag of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    const fn from_raw(raw: u32) -> Self {
        Self(raw)
    }

    const fn to_raw(self) -> u32 {
        self.0
    }
}

impl std::ops::BitOr for StreamResetFlags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

assoc_value_codec!(StreamResetFlags);

/// Which direction of streams [`SocketOptions::reset_streams`] resets
/// (`SCTP_STREAM_RESET_INCOMING` / `_OUTGOING`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamResetDirection {
    /// Ask the peer to reset its outgoing (our incoming) streams.
    #[doc(alias = "SCTP_STREAM_RESET_INCOMING")]
    Incoming,
    /// Reset our outgoing streams.
    #[doc(alias = "SCTP_STREAM_RESET_OUTGOING")]
    Outgoing,
    /// Both.
    Both,
}

impl StreamResetDirection {
    fn to_raw(self) -> u16 {
        match self {
            Self::Incoming => linux_sctp_sys::SCTP_STREAM_RESET_INCOMING,
            Self::Outgoing => linux_sctp_sys::SCTP_STREAM_RESET_OUTGOING,
            Self::Both => {
                linux_sctp_sys::SCTP_STREAM_RESET_INCOMING
                    | linux_sctp_sys::SCTP_STREAM_RESET_OUTGOING
            }
        }
    }
}

/// `SCTP_RESET_STREAMS`: `struct sctp_reset_streams` and the stream list.
impl ToBytes for (StreamResetDirection, &[u16]) {
    fn to_bytes(self, assoc_id: Option<sctp_assoc_t>) -> Result<Vec<u8>> {
        let (direction, streams) = self;
        let count = u16::try_from(streams.len()).map_err(|_| invalid("too many streams"))?;
        let at = offset_of!(sctp_reset_streams, srs_stream_list);
        let mut b = vec![0u8; at + size_of_val(streams)];
        let id = assoc_id.unwrap_or(linux_sctp_sys::SCTP_FUTURE_ASSOC);
        put(
            &mut b,
            offset_of!(sctp_reset_streams, srs_assoc_id),
            &id.to_ne_bytes(),
        );
        put(
            &mut b,
            offset_of!(sctp_reset_streams, srs_flags),
            &direction.to_raw().to_ne_bytes(),
        );
        put(
            &mut b,
            offset_of!(sctp_reset_streams, srs_number_streams),
            &count.to_ne_bytes(),
        );
        for (i, s) in streams.iter().enumerate() {
            put(&mut b, at + 2 * i, &s.to_ne_bytes());
        }
        Ok(b)
    }
}

impl Request<sctp_add_streams> for (u16, u16) {
    fn request(self, a: &mut sctp_add_streams) -> Result<()> {
        a.sas_instrms = self.0;
        a.sas_outstrms = self.1;
        Ok(())
    }
}

impl SocketOptions<'_> {
    /// Whether this endpoint allows the requests of `needed`: then `ENOPROTOOPT` means the
    /// peer did not negotiate reconfiguration (the sysctl), not the local setting.
    fn allows(&self, needed: StreamResetFlags) -> bool {
        self.enable_stream_reset()
            .is_ok_and(|flags| flags.contains(needed))
    }
}

socket_options! {
    "SCTP_ENABLE_STREAM_RESET" SCTP_ENABLE_STREAM_RESET: assoc since "4.11" {
        /// Which stream reconfiguration requests are allowed (and may be sent).
        get enable_stream_reset() -> StreamResetFlags {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets which stream reconfiguration requests are allowed. Accepts
        /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
        set set_enable_stream_reset(flags: StreamResetFlags) {
            /// `EINVAL` for bits outside [`StreamResetFlags::ALL`] or an unknown association.
        }
    }

    "SCTP_RESET_STREAMS" SCTP_RESET_STREAMS: assoc since "4.11"
        gate("net.sctp.reconf_enable", ENOPROTOOPT, |o| o.allows(StreamResetFlags::RESET_STREAM)) {
        /// Resets the sequence numbers of `streams` (all streams if empty) in `direction`.
        #[doc(alias = "sctp_reset_streams")]
        set_bytes reset_streams[direction: StreamResetDirection](streams: &[u16]) {
            /// `ENOPROTOOPT` if the request is not allowed here
            /// ([`set_enable_stream_reset`](Self::set_enable_stream_reset)); when it is
            /// allowed here, `ENOPROTOOPT` means the peer did not negotiate reconfiguration
            /// (`net.sctp.reconf_enable`, or [`set_reconfig_supported`](Self::set_reconfig_supported)).
            /// `EINPROGRESS` while another request is outstanding; `EAGAIN` while data is
            /// queued on the outgoing streams; `EINVAL` for a stream out of range.
        }
    }

    "SCTP_RESET_ASSOC" SCTP_RESET_ASSOC: assoc since "4.11"
        gate("net.sctp.reconf_enable", ENOPROTOOPT, |o| o.allows(StreamResetFlags::RESET_ASSOC)) {
        /// Resets the whole association's sequence numbers and TSNs.
        set reset_assoc() {
            /// As [`reset_streams`](Self::reset_streams); `EAGAIN` while the send queue is
            /// not empty.
        }
    }

    "SCTP_ADD_STREAMS" SCTP_ADD_STREAMS: assoc since "4.11"
        gate("net.sctp.reconf_enable", ENOPROTOOPT, |o| o.allows(StreamResetFlags::CHANGE_ASSOC)) {
        /// Adds `inbound` and `outbound` streams to the association.
        set add_streams[inbound: u16, outbound: u16]() {
            /// As [`reset_streams`](Self::reset_streams); `EINVAL` beyond 65535 streams.
        }
    }

    "SCTP_RECONFIG_SUPPORTED" SCTP_RECONFIG_SUPPORTED: assoc since "4.12" {
        /// Stream reconfiguration: with an association, whether the peer supports it;
        /// otherwise whether we advertise it.
        get reconfig_supported() -> bool {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Advertises stream reconfiguration in future associations (default: sysctl
        /// `net.sctp.reconf_enable`, off).
        set set_reconfig_supported(on: bool) {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_reset_flags() {
        let f = StreamResetFlags::RESET_STREAM | StreamResetFlags::CHANGE_ASSOC;
        assert_eq!(f.0, 5);
        assert!(f.contains(StreamResetFlags::RESET_STREAM));
        assert!(!f.contains(StreamResetFlags::RESET_ASSOC));
        assert!(StreamResetFlags::ALL.contains(f));
        assert_eq!(StreamResetDirection::Both.to_raw(), 3);
    }

    #[test]
    fn reset_streams_layout() {
        let b = (StreamResetDirection::Outgoing, &[1u16, 4][..])
            .to_bytes(Some(9))
            .unwrap();
        let mut want = 9i32.to_ne_bytes().to_vec();
        want.extend_from_slice(&linux_sctp_sys::SCTP_STREAM_RESET_OUTGOING.to_ne_bytes());
        want.extend_from_slice(&2u16.to_ne_bytes());
        want.extend_from_slice(&1u16.to_ne_bytes());
        want.extend_from_slice(&4u16.to_ne_bytes());
        assert_eq!(b, want);
    }
}
