//! The notification parser: one total function from the bytes of a notification read to a
//! [`Notification`]. Each type's fixed part is read through its layout-tested
//! `linux_sctp_sys` struct ([`read_prefix`]), its minimum length is that struct's size, and
//! its variable tail starts at the struct's flexible member (`offset_of!`): no offset is
//! written here.

use std::mem::{offset_of, size_of};
use std::ops::Range;

use bytes::Bytes;
use linux_sctp_sys::addr::socket_addr_from_raw;
use linux_sctp_sys::{
    read_prefix, sctp_adaptation_event, sctp_assoc_change, sctp_assoc_reset_event,
    sctp_authkey_event, sctp_paddr_change, sctp_pdapi_event, sctp_remote_error, sctp_send_failed,
    sctp_send_failed_event, sctp_sender_dry_event, sctp_shutdown_event, sctp_stream_change_event,
    sctp_stream_reset_event, sctp_tlv, Pod,
};

use super::sn::*;
use super::*;

/// The old `struct sctp_pdapi_event` of kernels before 4.17 ends before `pdapi_stream`.
const PDAPI_OLD_LEN: usize = offset_of!(sctp_pdapi_event, pdapi_stream);

/// The fixed-part size a notification of type `sn_type` needs (the header alone for unknown
/// types).
pub(super) const fn min_len(sn_type: u16) -> usize {
    match sn_type {
        ASSOC_CHANGE => size_of::<sctp_assoc_change>(),
        PEER_ADDR_CHANGE => size_of::<sctp_paddr_change>(),
        SEND_FAILED => size_of::<sctp_send_failed>(),
        REMOTE_ERROR => size_of::<sctp_remote_error>(),
        SHUTDOWN_EVENT => size_of::<sctp_shutdown_event>(),
        PARTIAL_DELIVERY_EVENT => PDAPI_OLD_LEN,
        ADAPTATION_INDICATION => size_of::<sctp_adaptation_event>(),
        AUTHENTICATION_EVENT => size_of::<sctp_authkey_event>(),
        SENDER_DRY_EVENT => size_of::<sctp_sender_dry_event>(),
        STREAM_RESET_EVENT => size_of::<sctp_stream_reset_event>(),
        ASSOC_RESET_EVENT => size_of::<sctp_assoc_reset_event>(),
        STREAM_CHANGE_EVENT => size_of::<sctp_stream_change_event>(),
        SEND_FAILED_EVENT => size_of::<sctp_send_failed_event>(),
        _ => size_of::<sctp_tlv>(),
    }
}

/// The fixed part of a notification as its C struct: `Truncated` if `buf` is shorter (never
/// after the `min_len` check; kept total).
fn fixed<T: Pod>(buf: &[u8]) -> Result<T, NotificationError> {
    read_prefix(buf).ok_or(NotificationError::Truncated {
        needed: size_of::<T>(),
        available: buf.len(),
    })
}

impl Notification {
    /// Parses one complete notification: the bytes of a read (or of reassembled reads) that
    /// had `MSG_NOTIFICATION` set, ending with the piece that had `MSG_EOR`.
    ///
    /// Only the first `sn_length` bytes are used; anything after them is ignored. Variable
    /// tails (`sac_info`, `ssf_data`, `sre_data`) are copied into [`Bytes`]; use
    /// [`parse_bytes`](Self::parse_bytes) to share the input buffer instead.
    ///
    /// # Errors
    ///
    /// * [`NotificationError::Truncated`] if `buf` is shorter than the header or than its
    ///   `sn_length` (a partial read);
    /// * [`NotificationError::BadLength`] if `sn_length` is too small for the type;
    /// * [`NotificationError::BadAddress`] if a peer address is not `AF_INET`/`AF_INET6`.
    ///
    /// Unknown types are not an error: they give [`Notification::Unknown`].
    ///
    /// # Examples
    ///
    /// ```
    /// use tokio_linux_sctp::notification::{AssocChangeState, Notification, NotificationError};
    ///
    /// // SCTP_ASSOC_CHANGE (0x8001), 20 bytes: COMM_UP, 10 out / 5 in streams, assoc 3.
    /// let mut b = Vec::new();
    /// for v in [0x8001u16, 0] {
    ///     b.extend_from_slice(&v.to_ne_bytes());
    /// }
    /// b.extend_from_slice(&20u32.to_ne_bytes());
    /// for v in [0u16, 0, 10, 5] {
    ///     b.extend_from_slice(&v.to_ne_bytes());
    /// }
    /// b.extend_from_slice(&3i32.to_ne_bytes());
    ///
    /// match Notification::parse(&b)? {
    ///     Notification::AssocChange(c) => {
    ///         assert_eq!(c.state, AssocChangeState::CommUp);
    ///         assert_eq!((c.outbound_streams, c.inbound_streams, c.assoc_id), (10, 5, 3));
    ///     }
    ///     other => panic!("unexpected {other:?}"),
    /// }
    ///
    /// // A prefix is an error, not a panic.
    /// assert!(matches!(
    ///     Notification::parse(&b[..12]),
    ///     Err(NotificationError::Truncated { needed: 20, available: 12 })
    /// ));
    /// # Ok::<(), NotificationError>(())
    /// ```
    pub fn parse(buf: &[u8]) -> Result<Self, NotificationError> {
        Self::parse_with(buf, &|range: std::ops::Range<usize>| {
            Bytes::copy_from_slice(&buf[range])
        })
    }

    /// Like [`parse`](Self::parse), but the variable tails are slices of `buf` (no copy).
    ///
    /// # Errors
    ///
    /// As for [`parse`](Self::parse).
    pub fn parse_bytes(buf: &Bytes) -> Result<Self, NotificationError> {
        Self::parse_with(buf, &|range: std::ops::Range<usize>| buf.slice(range))
    }

    /// The parser. `tail` turns a range of `buf` (always in bounds: only called with ranges
    /// inside the checked `sn_length`) into `Bytes`.
    fn parse_with(
        buf: &[u8],
        tail: &dyn Fn(Range<usize>) -> Bytes,
    ) -> Result<Self, NotificationError> {
        let header: sctp_tlv = fixed(buf)?;
        let (sn_type, sn_flags, sn_length) = (header.sn_type, header.sn_flags, header.sn_length);
        let len = usize::try_from(sn_length).unwrap_or(usize::MAX);
        if len > buf.len() {
            return Err(NotificationError::Truncated {
                needed: len,
                available: buf.len(),
            });
        }
        let min = min_len(sn_type);
        let bad_length = NotificationError::BadLength {
            sn_type,
            sn_length,
            min,
        };
        if len < min {
            return Err(bad_length);
        }
        // From here on every read is within `b`, exactly `sn_length` bytes and at least the
        // type's fixed part.
        let b = &buf[..len];
        let n = match sn_type {
            ASSOC_CHANGE => {
                let c: sctp_assoc_change = fixed(b)?;
                Notification::AssocChange(AssocChange {
                    state: AssocChangeState::from_raw(c.sac_state),
                    error: c.sac_error,
                    outbound_streams: c.sac_outbound_streams,
                    inbound_streams: c.sac_inbound_streams,
                    assoc_id: c.sac_assoc_id,
                    info: tail(offset_of!(sctp_assoc_change, sac_info)..len),
                })
            }
            PEER_ADDR_CHANGE => {
                let c: sctp_paddr_change = fixed(b)?;
                // Copy the packed fields out by value.
                let storage = c.spc_aaddr;
                let storage_len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
                let addr = socket_addr_from_raw(&storage, storage_len)
                    .map_err(NotificationError::BadAddress)?;
                Notification::PeerAddrChange(PeerAddrChange {
                    addr,
                    state: PeerAddrState::from_raw(c.spc_state),
                    error: c.spc_error,
                    assoc_id: c.spc_assoc_id,
                })
            }
            SEND_FAILED => {
                let c: sctp_send_failed = fixed(b)?;
                Notification::SendFailed(SendFailed {
                    state: SendFailedState::from_raw(sn_flags),
                    error: c.ssf_error,
                    stream: c.ssf_info.sinfo_stream,
                    chunk_flags: DataChunkFlags(c.ssf_info.sinfo_flags),
                    ppid: u32::from_be(c.ssf_info.sinfo_ppid),
                    context: c.ssf_info.sinfo_context,
                    assoc_id: c.ssf_assoc_id,
                    data: tail(offset_of!(sctp_send_failed, ssf_data)..len),
                })
            }
            SEND_FAILED_EVENT => {
                let c: sctp_send_failed_event = fixed(b)?;
                Notification::SendFailedEvent(SendFailed {
                    state: SendFailedState::from_raw(sn_flags),
                    error: c.ssf_error,
                    stream: c.ssfe_info.snd_sid,
                    chunk_flags: DataChunkFlags(c.ssfe_info.snd_flags),
                    ppid: u32::from_be(c.ssfe_info.snd_ppid),
                    context: c.ssfe_info.snd_context,
                    assoc_id: c.ssf_assoc_id,
                    data: tail(offset_of!(sctp_send_failed_event, ssf_data)..len),
                })
            }
            REMOTE_ERROR => {
                let c: sctp_remote_error = fixed(b)?;
                Notification::RemoteError(RemoteError {
                    // The one network-order field the kernel passes through.
                    cause: u16::from_be(c.sre_error),
                    assoc_id: c.sre_assoc_id,
                    data: tail(offset_of!(sctp_remote_error, sre_data)..len),
                })
            }
            SHUTDOWN_EVENT => {
                let c: sctp_shutdown_event = fixed(b)?;
                Notification::Shutdown(Shutdown {
                    assoc_id: c.sse_assoc_id,
                })
            }
            PARTIAL_DELIVERY_EVENT => {
                // Kernels before 4.17 send the struct without stream and sequence: read it
                // zero-extended and report those two only when the kernel sent them.
                let full = len >= size_of::<sctp_pdapi_event>();
                let mut whole = [0u8; size_of::<sctp_pdapi_event>()];
                let have = len.min(whole.len());
                whole[..have].copy_from_slice(&b[..have]);
                let c: sctp_pdapi_event = fixed(&whole)?;
                Notification::PartialDelivery(PartialDelivery {
                    indication: PartialDeliveryIndication::from_raw(c.pdapi_indication),
                    assoc_id: c.pdapi_assoc_id,
                    stream: full.then_some(c.pdapi_stream),
                    seq: full.then_some(c.pdapi_seq),
                })
            }
            ADAPTATION_INDICATION => {
                let c: sctp_adaptation_event = fixed(b)?;
                Notification::AdaptationIndication(AdaptationIndication {
                    indication: c.sai_adaptation_ind,
                    assoc_id: c.sai_assoc_id,
                })
            }
            AUTHENTICATION_EVENT => {
                let c: sctp_authkey_event = fixed(b)?;
                Notification::Authentication(Authentication {
                    keynumber: c.auth_keynumber,
                    indication: AuthIndication::from_raw(c.auth_indication),
                    assoc_id: c.auth_assoc_id,
                })
            }
            SENDER_DRY_EVENT => {
                let c: sctp_sender_dry_event = fixed(b)?;
                Notification::SenderDry(SenderDry {
                    assoc_id: c.sender_dry_assoc_id,
                })
            }
            STREAM_RESET_EVENT => {
                let c: sctp_stream_reset_event = fixed(b)?;
                let list = &b[offset_of!(sctp_stream_reset_event, strreset_stream_list)..];
                if list.len() % size_of::<u16>() != 0 {
                    return Err(bad_length);
                }
                Notification::StreamReset(StreamReset {
                    flags: ReconfFlags(sn_flags),
                    assoc_id: c.strreset_assoc_id,
                    streams: list
                        .chunks_exact(size_of::<u16>())
                        .map(|s| u16::from_ne_bytes([s[0], s[1]]))
                        .collect(),
                })
            }
            ASSOC_RESET_EVENT => {
                let c: sctp_assoc_reset_event = fixed(b)?;
                Notification::AssocReset(AssocReset {
                    flags: ReconfFlags(sn_flags),
                    assoc_id: c.assocreset_assoc_id,
                    local_tsn: c.assocreset_local_tsn,
                    remote_tsn: c.assocreset_remote_tsn,
                })
            }
            STREAM_CHANGE_EVENT => {
                let c: sctp_stream_change_event = fixed(b)?;
                Notification::StreamChange(StreamChange {
                    flags: ReconfFlags(sn_flags),
                    assoc_id: c.strchange_assoc_id,
                    inbound_streams: c.strchange_instrms,
                    outbound_streams: c.strchange_outstrms,
                })
            }
            _ => Notification::Unknown {
                sn_type,
                sn_flags,
                bytes: tail(0..len),
            },
        };
        Ok(n)
    }
}
