//! Structs and unions of `linux/sctp.h`, grouped as the header groups them:
//!
//! * `ancillary`: the cmsg payloads (`sctp_initmsg`, `sctp_sndrcvinfo`, `sctp_rcvinfo`, ...);
//! * `notifications`: the notification header, structs and union, and `sctp_event_subscribe`;
//! * `options`: the socket-option structs, the status structs and the call arguments;
//! * this file: [`sctp_assoc_t`], the [`Pod`] marker, and the macros the three use
//!   (`impl_pod!`, `impl_default_zeroed!`, `packed_aligned4!`).
//!
//! All of them are re-exported at the crate root.
//!
//! Every type keeps its C name and C field names, so `grep sctp_paddrparams` finds the same
//! item in C and in Rust. All of them are `#[repr(C)]`, implement [`Pod`] and `Default` (all
//! fields zero), and their sizes, alignments and field offsets are checked against the C
//! header by `tests/layout.rs`.
//!
//! # Flexible array members
//!
//! C structs that end in a flexible array member (`__u8 sac_info[];`) end here in a
//! zero-length array (`sac_info: [u8; 0]`): it sits at the C offset and adds nothing to the
//! size. The bytes that follow belong to the buffer the kernel filled, not to the struct;
//! read them from that buffer.
//!
//! # The five packed structs
//!
//! [`sctp_paddrparams`], [`sctp_paddrinfo`], [`sctp_paddr_change`], [`sctp_prim`] and
//! [`sctp_setpeerprim`] are `__attribute__((packed, aligned(4)))` in C. Each is a
//! `#[repr(C, align(4))]` newtype around a `#[repr(C, packed)]` struct of the fields
//! (`sctp_paddrparams_packed`, ...) that it derefs to; their docs say how to use them.

/// An association identifier (C: `typedef __s32 sctp_assoc_t`).
///
/// On one-to-many sockets it names one association; [`SCTP_FUTURE_ASSOC`],
/// [`SCTP_CURRENT_ASSOC`] and [`SCTP_ALL_ASSOC`] are special values for socket options.
///
/// [`SCTP_FUTURE_ASSOC`]: crate::SCTP_FUTURE_ASSOC
/// [`SCTP_CURRENT_ASSOC`]: crate::SCTP_CURRENT_ASSOC
/// [`SCTP_ALL_ASSOC`]: crate::SCTP_ALL_ASSOC
pub type sctp_assoc_t = i32;

/// Plain old data: a `Copy` type for which every bit pattern, the all-zero one included, is a
/// valid value.
///
/// Values of such a type can be filled by the kernel (`getsockopt`, `recvmsg`) or read from
/// bytes without further checks. The types may contain padding, so do not view a value as a
/// byte slice; pass a pointer to the kernel instead.
///
/// # Safety
///
/// Implement it only for types with no invalid bit patterns: integers, arrays and `repr(C)`
/// aggregates of such types, raw pointers. Never for `bool`, `char`, references, enums or
/// anything with a destructor or an invariant.
pub unsafe trait Pod: Copy + 'static {
    /// A value with every byte zero.
    fn zeroed() -> Self {
        // SAFETY: implementors of `Pod` guarantee that the all-zero bit pattern is valid.
        unsafe { core::mem::zeroed() }
    }
}

macro_rules! impl_pod {
    ($($t:ty),* $(,)?) => {$(
        // SAFETY: the type is an integer, or a `repr(C)` aggregate of integers, arrays of
        // integers, `sockaddr_storage` and raw pointers only: every bit pattern is valid.
        unsafe impl Pod for $t {}
    )*};
}

/// Reads a `T` from the first `size_of::<T>()` bytes of `bytes`, which need not be aligned:
/// the safe way to view kernel bytes (a notification, a cmsg payload, an option buffer)
/// through their layout-tested struct. `None` when `bytes` is shorter; bytes after the prefix
/// are ignored, so a struct grown by a newer kernel still reads.
///
/// ```
/// use linux_sctp_sys::{read_prefix, sctp_tlv};
///
/// let mut b = [0u8; 10];
/// b[..2].copy_from_slice(&0x8005u16.to_ne_bytes());
/// b[4..8].copy_from_slice(&12u32.to_ne_bytes());
/// let h: sctp_tlv = read_prefix(&b).unwrap();
/// assert_eq!((h.sn_type, h.sn_length), (0x8005, 12));
/// assert!(read_prefix::<sctp_tlv>(&b[..7]).is_none());
/// ```
pub fn read_prefix<T: Pod>(bytes: &[u8]) -> Option<T> {
    if bytes.len() < core::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: `bytes` holds at least size_of::<T>() initialised bytes; `read_unaligned` has
    // no alignment requirement; `T: Pod` makes every bit pattern a valid `T`.
    Some(unsafe { bytes.as_ptr().cast::<T>().read_unaligned() })
}

/// `Default` as all fields zero, for types that cannot derive it.
macro_rules! impl_default_zeroed {
    ($($t:ty),* $(,)?) => {$(
        impl Default for $t {
            fn default() -> Self {
                <$t as Pod>::zeroed()
            }
        }
    )*};
}

impl_pod!(i8, u8, i16, u16, i32, u32, i64, u64, isize, usize);
impl_pod!(
    libc::sockaddr,
    libc::sockaddr_storage,
    libc::sockaddr_in,
    libc::sockaddr_in6,
    libc::in_addr,
    libc::in6_addr,
    libc::timeval,
);
// SAFETY: an array of plain old data is plain old data.
unsafe impl<T: Pod, const N: usize> Pod for [T; N] {}

/// Declares a `packed, aligned(4)` C struct: the packed field struct and the aligned newtype.
macro_rules! packed_aligned4 {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($packed:ident) {
            $( $(#[$fmeta:meta])* pub $field:ident: $ty:ty, )*
        }
    ) => {
        #[doc = concat!("The fields of [`", stringify!($name), "`], byte-packed ",
            "(`#[repr(C, packed)]`, size without the trailing alignment padding).")]
        ///
        /// Fields may be unaligned: copy them out, do not take references.
        #[repr(C, packed)]
        #[derive(Clone, Copy, Debug)]
        pub struct $packed {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        $(#[$meta])*
        ///
        /// C: `__attribute__((packed, aligned(4)))`: no padding between the fields, the
        /// struct 4-aligned and its size rounded up to 4. Rust cannot combine `packed` and
        /// `align` on one type, and `#[repr(C, packed(4))]` would lay some fields out
        /// differently, so this is a `#[repr(C, align(4))]` newtype around the
        #[doc = concat!("`#[repr(C, packed)]` [`", stringify!($packed), "`]. It derefs to it,")]
        /// so `s.field` reads and writes work, and a struct literal wraps the fields:
        #[doc = concat!("`", stringify!($name), "(", stringify!($packed), " { .., ..Default::default() })`.")]
        ///
        /// Fields of a packed struct may be unaligned, so Rust refuses references to them
        /// (`&s.field` is error E0793): copy the field out (`let a = s.field;`, or `{ s.field }`
        /// in a macro argument), or use `ptr::addr_of!` with `read_unaligned`.
        #[repr(C, align(4))]
        #[derive(Clone, Copy, Debug)]
        pub struct $name(pub $packed);

        impl core::ops::Deref for $name {
            type Target = $packed;
            fn deref(&self) -> &$packed {
                &self.0
            }
        }

        impl core::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $packed {
                &mut self.0
            }
        }

        impl From<$packed> for $name {
            fn from(fields: $packed) -> Self {
                Self(fields)
            }
        }

        impl_pod!($packed, $name);
        impl_default_zeroed!($packed, $name);
    };
}

mod ancillary;
mod notifications;
mod options;

pub use ancillary::*;
pub use notifications::*;
pub use options::*;
