//! [`ReassemblyBuffer`]: the engine's reassembly state machine
//! (`engine/reassembly.rs`) for a caller's own reads, under one key.

use bytes::{Bytes, BytesMut};

use crate::engine::reassembly::{self, Assembled, Piece, Reassembly};
use crate::error::{Error, ErrorKind};

/// Joins the pieces of a message read in parts (`recvmsg` without `MSG_EOR`) into one
/// [`Bytes`], with a cap on the message size.
///
/// The kernel returns at most one message (or notification) per read. If the buffer is too
/// small, or the message is delivered partially before it has fully arrived, the read ends
/// without `MSG_EOR` and the next read continues the same message. Feed every piece to one
/// `ReassemblyBuffer` (one per association when `SCTP_FRAGMENT_INTERLEAVE` is on, since pieces
/// of different associations can then alternate) and it returns the message on the piece with
/// `MSG_EOR`. It is the reassembly state machine the socket types run themselves, fed under
/// one key.
///
/// # Reading in place
///
/// [`read_buf`](Self::read_buf) returns the internal [`BytesMut`] with at least
/// [`read_size`](Self::read_size) bytes of spare capacity. The receive path reads the next
/// piece straight into that spare capacity, appends it (`BufMut::advance_mut` or
/// `BytesMut::set_len` after the kernel wrote it, or `extend_from_slice`), and then calls
/// [`complete_read`](Self::complete_read). A finished message is split off the front with
/// [`BytesMut::split`], so the allocation is reused: the only per-message allocation is the
/// returned `Bytes`' share of the buffer, and once a returned message is dropped its space is
/// reclaimed by the next reservation.
///
/// # The size cap
///
/// When the bytes collected for one message exceed
/// [`max_message_size`](Self::max_message_size):
///
/// 1. [`complete_read`](Self::complete_read) returns [`ErrorKind::MessageTooLarge`] **once**
///    for that message and frees what it had collected;
/// 2. the rest of that message is read and discarded: the following pieces up to and
///    including the one with `MSG_EOR` give `Ok(None)` (check
///    [`is_discarding`](Self::is_discarding));
/// 3. the next message is collected normally.
///
/// So a receive loop reports the error to its caller and simply continues with the next read:
/// one oversized message costs one error, not the connection. Memory stays bounded by about
/// twice `max_message_size + read_size` (the buffer's growth policy).
///
/// # Examples
///
/// ```
/// use tokio_linux_sctp::error::ErrorKind;
/// use tokio_linux_sctp::message::ReassemblyBuffer;
///
/// let mut rb = ReassemblyBuffer::new(8);
///
/// // A message in two pieces: "hello" (no MSG_EOR), then " sctp"... too long for 8 bytes.
/// rb.read_buf().extend_from_slice(b"hello");
/// assert_eq!(rb.complete_read(false)?, None);
/// rb.read_buf().extend_from_slice(b" sctp");
/// let err = rb.complete_read(false).unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::MessageTooLarge { limit: 8 }));
/// // The rest of the oversized message is dropped...
/// rb.read_buf().extend_from_slice(b"!!");
/// assert_eq!(rb.complete_read(true)?, None);
///
/// // ...and the next message comes through.
/// rb.read_buf().extend_from_slice(b"ok");
/// assert_eq!(rb.complete_read(true)?.as_deref(), Some(&b"ok"[..]));
/// # Ok::<(), tokio_linux_sctp::error::Error>(())
/// ```
#[derive(Debug)]
pub struct ReassemblyBuffer {
    /// The engine's reassembly state machine, fed every piece under one key.
    asm: Reassembly,
    read_size: usize,
}

/// The one key a [`ReassemblyBuffer`] files its pieces under.
const KEY: Piece = Piece::Data((0, 0));

impl ReassemblyBuffer {
    /// The default cap on a message: 4 MiB (the socket types' default too).
    pub const DEFAULT_MAX_MESSAGE_SIZE: usize = reassembly::DEFAULT_MAX_MESSAGE_SIZE;
    /// The default spare capacity offered per read: 64 KiB.
    pub const DEFAULT_READ_SIZE: usize = reassembly::READ_WINDOW;

    /// A buffer that accepts messages of up to `max_message_size` bytes, reading
    /// [`DEFAULT_READ_SIZE`](Self::DEFAULT_READ_SIZE) (or less, if the cap is smaller) at a
    /// time. It allocates nothing until the first read.
    pub fn new(max_message_size: usize) -> Self {
        Self::with_read_size(
            max_message_size,
            Self::DEFAULT_READ_SIZE.min(max_message_size.saturating_add(1)),
        )
    }

    /// Like [`new`](Self::new), with the spare capacity offered per read (at least 1).
    pub fn with_read_size(max_message_size: usize, read_size: usize) -> Self {
        ReassemblyBuffer {
            asm: Reassembly::new(max_message_size),
            read_size: read_size.max(1),
        }
    }

    /// The cap on one message's size.
    pub fn max_message_size(&self) -> usize {
        self.asm.max()
    }

    /// Changes the cap. It applies from the next [`complete_read`](Self::complete_read) on,
    /// including to a message already partly collected.
    pub fn set_max_message_size(&mut self, max_message_size: usize) {
        self.asm.set_max(max_message_size);
    }

    /// The spare capacity [`read_buf`](Self::read_buf) guarantees.
    pub fn read_size(&self) -> usize {
        self.read_size
    }

    /// Bytes collected so far for the current, incomplete message.
    pub fn len(&self) -> usize {
        self.asm.buffered()
    }

    /// Whether no partial message is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the rest of an oversized message is being discarded (see the
    /// [type docs](Self#the-size-cap)).
    pub fn is_discarding(&self) -> bool {
        self.asm.is_dropping((0, 0))
    }

    /// The buffer to append the next piece to, with at least
    /// [`read_size`](Self::read_size) bytes of spare capacity. Its current contents are the
    /// message collected so far; append, never modify them. Then call
    /// [`complete_read`](Self::complete_read).
    pub fn read_buf(&mut self) -> &mut BytesMut {
        let buf = self.asm.buf_mut();
        buf.reserve(self.read_size);
        buf
    }

    /// Accounts for the piece just appended to [`read_buf`](Self::read_buf); `eor` is whether
    /// the read had `MSG_EOR`.
    ///
    /// Returns `Ok(Some(message))` when `eor` completes a message, `Ok(None)` while the
    /// message is incomplete (or being discarded).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MessageTooLarge`] once per message whose size exceeds
    /// [`max_message_size`](Self::max_message_size); see the [type docs](Self#the-size-cap)
    /// for what happens to the rest of it.
    pub fn complete_read(&mut self, eor: bool) -> Result<Option<Bytes>, Error> {
        outcome(self.asm.complete(KEY, eor, |_| ()))
    }

    /// Appends a copy of `piece` and calls [`complete_read`](Self::complete_read): the
    /// convenience form for callers that already hold the piece in another buffer. A piece
    /// that would be dropped is not copied.
    ///
    /// # Errors
    ///
    /// As for [`complete_read`](Self::complete_read).
    pub fn push(&mut self, piece: &[u8], eor: bool) -> Result<Option<Bytes>, Error> {
        outcome(self.asm.push(piece, KEY, eor))
    }

    /// Drops the partial message, if any, and ends discarding: the next piece starts a new
    /// message. For when the kernel will not deliver the rest (a
    /// [`PartialDelivery`](crate::notification::PartialDelivery) abort, or the association
    /// ended).
    pub fn clear(&mut self) {
        self.asm.drop_assoc(0);
        self.asm.buf_mut().clear();
    }
}

/// A [`ReassemblyBuffer`]'s view of what a piece completed.
fn outcome<N>(a: Assembled<N>) -> Result<Option<Bytes>, Error> {
    match a {
        Assembled::Message(b) => Ok(Some(b)),
        Assembled::TooLarge { limit } => Err(Error::new(ErrorKind::MessageTooLarge { limit })),
        Assembled::Incomplete | Assembled::Notification(_) => Ok(None),
    }
}

impl Default for ReassemblyBuffer {
    /// A buffer with [`DEFAULT_MAX_MESSAGE_SIZE`](Self::DEFAULT_MAX_MESSAGE_SIZE).
    fn default() -> Self {
        Self::new(Self::DEFAULT_MAX_MESSAGE_SIZE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reassembles_pieces() {
        let mut rb = ReassemblyBuffer::new(100);
        assert!(rb.is_empty());
        for piece in [&b"ab"[..], b"cd", b"ef"] {
            rb.read_buf().extend_from_slice(piece);
            assert_eq!(rb.complete_read(false).unwrap(), None);
        }
        assert_eq!(rb.len(), 6);
        rb.read_buf().extend_from_slice(b"g");
        assert_eq!(rb.complete_read(true).unwrap().unwrap(), &b"abcdefg"[..]);
        assert!(rb.is_empty());
        // Whole message in one read.
        assert_eq!(rb.push(b"xyz", true).unwrap().unwrap(), &b"xyz"[..]);
        // Empty message with EOR.
        assert_eq!(rb.push(b"", true).unwrap().unwrap(), &b""[..]);
    }

    #[test]
    fn read_buf_offers_spare_capacity_and_reuses_it() {
        let mut rb = ReassemblyBuffer::with_read_size(1 << 20, 4096);
        assert!(rb.read_buf().capacity() - rb.len() >= 4096);
        rb.read_buf().extend_from_slice(&[1u8; 1000]);
        let first = rb.complete_read(true).unwrap().unwrap();
        let ptr = first.as_ptr();
        drop(first);
        // The space of a dropped message is reused for the next one.
        rb.read_buf().extend_from_slice(&[2u8; 1000]);
        let second = rb.complete_read(true).unwrap().unwrap();
        assert_eq!(second.as_ptr(), ptr);
        assert_eq!(&second[..], &[2u8; 1000][..]);
    }

    #[test]
    fn exactly_max_is_accepted() {
        let mut rb = ReassemblyBuffer::new(4);
        assert_eq!(rb.push(b"ab", false).unwrap(), None);
        assert_eq!(rb.push(b"cd", true).unwrap().unwrap(), &b"abcd"[..]);
        rb.read_buf().extend_from_slice(b"abcd");
        assert_eq!(rb.complete_read(true).unwrap().unwrap(), &b"abcd"[..]);
    }

    fn too_large(r: Result<Option<Bytes>, Error>, limit: usize) {
        let err = r.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::MessageTooLarge { limit: l } if *l == limit),
            "{err:?}"
        );
    }

    #[test]
    fn oversized_message_is_reported_once_then_skipped() {
        for in_place in [false, true] {
            let mut rb = ReassemblyBuffer::new(5);
            let feed = |rb: &mut ReassemblyBuffer, piece: &[u8], eor| {
                if in_place {
                    rb.read_buf().extend_from_slice(piece);
                    rb.complete_read(eor)
                } else {
                    rb.push(piece, eor)
                }
            };
            assert_eq!(feed(&mut rb, b"1234", false).unwrap(), None);
            too_large(feed(&mut rb, b"567", false), 5);
            assert!(rb.is_discarding());
            assert!(rb.is_empty());
            assert_eq!(feed(&mut rb, b"89", false).unwrap(), None);
            assert_eq!(feed(&mut rb, b"0", true).unwrap(), None);
            assert!(!rb.is_discarding());
            assert_eq!(feed(&mut rb, b"next", true).unwrap().unwrap(), &b"next"[..]);

            // Oversized in a single piece that has EOR: error, no discard phase.
            too_large(feed(&mut rb, b"abcdefgh", true), 5);
            assert!(!rb.is_discarding());
            assert_eq!(feed(&mut rb, b"ok", true).unwrap().unwrap(), &b"ok"[..]);
        }
    }

    #[test]
    fn clear_drops_partial_and_discard_state() {
        let mut rb = ReassemblyBuffer::new(3);
        too_large(rb.push(b"abcd", false), 3);
        rb.clear();
        assert!(!rb.is_discarding());
        assert_eq!(rb.push(b"ab", false).unwrap(), None);
        rb.clear();
        assert_eq!(rb.push(b"z", true).unwrap().unwrap(), &b"z"[..]);
    }

    #[test]
    fn lowering_the_cap_applies_to_a_partial_message() {
        let mut rb = ReassemblyBuffer::default();
        assert_eq!(rb.max_message_size(), 4 << 20);
        assert_eq!(rb.read_size(), 64 << 10);
        assert_eq!(rb.push(b"abcdef", false).unwrap(), None);
        rb.set_max_message_size(4);
        too_large(rb.complete_read(false), 4);
        assert_eq!(ReassemblyBuffer::new(10).read_size(), 11);
    }
}
