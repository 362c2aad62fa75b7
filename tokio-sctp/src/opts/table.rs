//! The machinery of the option table: the `socket_options!` macro that turns one row per
//! socket option into documented getters and setters of [`SocketOptions`], and the
//! conversions between the Rust value types and the C payloads the rows use.
//!
//! # A row
//!
//! ```text
//! "SCTP_RTOINFO" SCTP_RTOINFO: assoc {
//!     /// Retransmission timeout bounds.
//!     get rto_info() -> RtoInfo {
//!         /// `EINVAL` for an unknown association on a one-to-many socket.
//!     }
//!     /// Sets the retransmission timeout bounds; zero durations leave a bound unchanged.
//!     set set_rto_info(rto: &RtoInfo) {
//!         /// `EINVAL` if the minimum ends up above the maximum ...
//!     }
//! }
//! ```
//!
//! * the C name (for `#[doc(alias)]`, the docs and every error), then the marker of
//!   `linux_sctp_sys::sockopt` (which fixes the level, the payload type and the allowed
//!   uses: a compile-time check makes the two names agree);
//! * `assoc` (the payload's association id is set from the [`SocketOptions`]) or `socket`;
//! * optionally `since "4.8"` (the Linux version, in the docs), `gate("net.sctp.auth_enable",
//!   EACCES)` (that errno becomes [`ErrorKind::FeatureDisabled`] for that sysctl; a third
//!   argument, `fn(&SocketOptions) -> bool`, narrows when) and `require on` (a managed socket
//!   refuses `false` for the value named `on`);
//! * the methods: `get name(request fields) -> Value`, `set name[request fields](value)`,
//!   `get_bytes` / `set_bytes` for the variable-length options. Each has its summary docs
//!   before it and its `# Errors` docs in its braces; the macro adds the C call it maps to,
//!   the gate and the alias.
//!
//! The value types convert through [`FromC`] / [`IntoC`] (fixed payloads), [`FromBytes`] /
//! [`ToBytes`] (variable ones) and [`Request`] (the fields a call sends in: an address, a
//! stream, an event type); the payloads' association ids through [`AssocScoped`].
//!
//! [`ErrorKind::FeatureDisabled`]: crate::error::ErrorKind::FeatureDisabled

use std::io;
use std::mem::size_of;
use std::net::SocketAddr;

use libc::c_int;
use linux_sctp_sys::addr::{socket_addr_from_raw, socket_addr_to_raw};
use linux_sctp_sys::sockopt;
use linux_sctp_sys::{sctp_assoc_t, Pod};

use super::SocketOptions;
use crate::error::{Error, Result};

/// An `InvalidInput` error for an argument the kernel would not take (or would silently
/// ignore), refused before the call.
pub(crate) fn invalid(msg: &'static str) -> Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg).into()
}

/// An `InvalidData` error for kernel output this crate cannot read.
pub(crate) fn bad_data(msg: String) -> Error {
    io::Error::new(io::ErrorKind::InvalidData, msg).into()
}

/// Whole milliseconds for a `u32` field (rounded up, see [`crate::millis`]); `InvalidInput`
/// naming `what` when they do not fit.
pub(crate) fn ms_u32(d: std::time::Duration, what: &'static str) -> Result<u32> {
    crate::millis::to_millis(d).ok_or_else(|| invalid(what))
}

/// The kernel form of an optional address: `None` is the wildcard (all zero, `AF_UNSPEC`),
/// which the path options read as "the association (or socket), not one path".
pub(crate) fn storage_of(addr: Option<&SocketAddr>) -> libc::sockaddr_storage {
    match addr {
        Some(a) => socket_addr_to_raw(a).0,
        None => <libc::sockaddr_storage as Pod>::zeroed(),
    }
}

/// A kernel-filled address: `None` when it is all zero (`AF_UNSPEC`).
pub(crate) fn addr_of_opt(storage: &libc::sockaddr_storage) -> Result<Option<SocketAddr>> {
    if storage.ss_family == libc::AF_UNSPEC as libc::sa_family_t {
        return Ok(None);
    }
    addr_of(storage).map(Some)
}

/// A kernel-filled address.
pub(crate) fn addr_of(storage: &libc::sockaddr_storage) -> Result<SocketAddr> {
    let len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    Ok(socket_addr_from_raw(storage, len).map_err(io::Error::from)?)
}

/// A C payload with an association id, which [`SocketOptions`] fills in.
pub(crate) trait AssocScoped {
    /// Sets the association id field.
    fn set_assoc_id(&mut self, id: sctp_assoc_t);
}

/// Implements [`AssocScoped`] for payloads by the name of their association-id field.
macro_rules! assoc_scoped {
    ($($t:ident: $field:ident),* $(,)?) => {$(
        impl AssocScoped for linux_sctp_sys::$t {
            fn set_assoc_id(&mut self, id: sctp_assoc_t) {
                self.$field = id;
            }
        }
    )*};
}

assoc_scoped! {
    sctp_rtoinfo: srto_assoc_id,
    sctp_assocparams: sasoc_assoc_id,
    sctp_setpeerprim: sspp_assoc_id,
    sctp_prim: ssp_assoc_id,
    sctp_paddrparams: spp_assoc_id,
    sctp_paddrinfo: spinfo_assoc_id,
    sctp_status: sstat_assoc_id,
    sctp_sack_info: sack_assoc_id,
    sctp_assoc_value: assoc_id,
    sctp_stream_value: assoc_id,
    sctp_sndinfo: snd_assoc_id,
    sctp_default_prinfo: pr_assoc_id,
    sctp_prstatus: sprstat_assoc_id,
    sctp_authkeyid: scact_assoc_id,
    sctp_paddrthlds_v2: spt_assoc_id,
    sctp_event: se_assoc_id,
    sctp_udpencaps: sue_assoc_id,
    sctp_probeinterval: spi_assoc_id,
    sctp_assoc_stats: sas_assoc_id,
    sctp_add_streams: sas_assoc_id,
}

/// `SCTP_RESET_ASSOC`: the payload is the association id itself.
impl AssocScoped for sctp_assoc_t {
    fn set_assoc_id(&mut self, id: sctp_assoc_t) {
        *self = id;
    }
}

/// The request fields of a call (a path's address, a stream, an event type), written into
/// the payload before it goes to the kernel; a tuple of the method's bracketed arguments.
pub(crate) trait Request<C> {
    /// Writes the fields.
    fn request(self, c: &mut C) -> Result<()>;
}

impl<C> Request<C> for () {
    fn request(self, _: &mut C) -> Result<()> {
        Ok(())
    }
}

/// A Rust value read out of an option's C payload.
pub(crate) trait FromC<C>: Sized {
    /// Converts the payload the kernel filled.
    fn from_c(c: &C) -> Result<Self>;
}

/// A Rust value written into an option's C payload (whose association id and request
/// fields are already set).
pub(crate) trait IntoC<C> {
    /// Writes the value's fields; `InvalidInput` for a value the field cannot hold.
    fn into_c(self, c: &mut C) -> Result<()>;
}

/// Set-only options without a value (`SCTP_RESET_ASSOC`, `SCTP_ADD_STREAMS`).
impl<C> IntoC<C> for () {
    fn into_c(self, _: &mut C) -> Result<()> {
        Ok(())
    }
}

/// A variable-length option's value, parsed from the bytes the kernel wrote (total).
pub(crate) trait FromBytes: Sized {
    /// The buffer handed to the kernel.
    const CAPACITY: usize;
    /// Parses the `len` bytes the kernel reported.
    fn from_bytes(b: &[u8]) -> Result<Self>;
}

/// A variable-length option's value, as the bytes `setsockopt` takes: a tuple of the
/// method's request fields and value, with the association id for `assoc` rows.
pub(crate) trait ToBytes {
    /// The payload.
    fn to_bytes(self, assoc_id: Option<sctp_assoc_t>) -> Result<Vec<u8>>;
}

/// The sysctl an errno of an option stands for, from the row's `gate(...)`.
#[derive(Clone, Copy)]
pub(crate) struct Gate {
    /// The sysctl that turns the feature on.
    pub(crate) sysctl: &'static str,
    /// The errno the kernel answers with while it is off.
    pub(crate) errno: c_int,
    /// Whether that errno means the sysctl here (asked only when the errno matched).
    pub(crate) when: fn(&SocketOptions<'_>) -> bool,
}

/// Whether two C names are the same, at compile time (the row's string and its marker).
pub(crate) const fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl SocketOptions<'_> {
    /// `getsockopt` into a zeroed payload (no request): the socket-scoped rows' getters.
    pub(super) fn read_plain<O, T>(&self, opt: O) -> Result<T>
    where
        O: sockopt::Get,
        O::Value: Pod,
        T: FromC<O::Value>,
    {
        T::from_c(&sockopt::get(self.fd, opt)?)
    }

    /// `getsockopt` with a request: the association id and `keys` in, the whole payload
    /// back (a shorter answer is `InvalidData`).
    pub(super) fn read_inout<O, K, T>(&self, opt: O, keys: K) -> Result<T>
    where
        O: sockopt::GetInOut,
        O::Value: Pod + AssocScoped,
        K: Request<O::Value>,
        T: FromC<O::Value>,
    {
        let mut c = O::Value::zeroed();
        c.set_assoc_id(self.assoc_id);
        keys.request(&mut c)?;
        let len = sockopt::get_inout(self.fd, opt, &mut c)?;
        if len < size_of::<O::Value>() {
            return Err(bad_data(format!(
                "the kernel returned {len} bytes, expected {}",
                size_of::<O::Value>()
            )));
        }
        T::from_c(&c)
    }

    /// `setsockopt` of a payload built from `value` (socket-scoped rows).
    pub(super) fn write_plain<O, V>(&self, opt: O, value: V) -> Result<()>
    where
        O: sockopt::Set,
        O::Value: Pod,
        V: IntoC<O::Value>,
    {
        let mut c = O::Value::zeroed();
        value.into_c(&mut c)?;
        Ok(sockopt::set(self.fd, opt, &c)?)
    }

    /// `setsockopt` of a payload with the association id, `keys` and `value`.
    pub(super) fn write_assoc<O, K, V>(&self, opt: O, keys: K, value: V) -> Result<()>
    where
        O: sockopt::Set,
        O::Value: Pod + AssocScoped,
        K: Request<O::Value>,
        V: IntoC<O::Value>,
    {
        let mut c = O::Value::zeroed();
        c.set_assoc_id(self.assoc_id);
        keys.request(&mut c)?;
        value.into_c(&mut c)?;
        Ok(sockopt::set(self.fd, opt, &c)?)
    }

    /// `getsockopt` of a variable-length option into [`FromBytes::CAPACITY`] bytes, the
    /// association id in front when `scoped`.
    pub(super) fn read_bytes<O, T>(&self, opt: O, scoped: bool) -> Result<T>
    where
        O: sockopt::GetBytes,
        T: FromBytes,
    {
        let mut buf = vec![0u8; T::CAPACITY];
        if scoped {
            buf[..size_of::<sctp_assoc_t>()].copy_from_slice(&self.assoc_id.to_ne_bytes());
        }
        let len = sockopt::get_bytes(self.fd, opt, &mut buf)?;
        T::from_bytes(&buf[..len])
    }

    /// `setsockopt` of a variable-length option.
    pub(super) fn write_bytes<O, V>(&self, opt: O, value: V, scoped: bool) -> Result<()>
    where
        O: sockopt::SetBytes,
        V: ToBytes,
    {
        let bytes = value.to_bytes(scoped.then_some(self.assoc_id))?;
        Ok(sockopt::set_bytes(self.fd, opt, &bytes)?)
    }

    /// Every option call's error: `FeatureDisabled` where the row's gate says the errno
    /// means a sysctl, and the option's name on all of them.
    pub(super) fn finish<T>(
        &self,
        name: &'static str,
        gate: Option<Gate>,
        r: Result<T>,
    ) -> Result<T> {
        r.map_err(|e| {
            let e = match (gate, e.raw_os_error()) {
                (Some(g), Some(errno)) if errno == g.errno && (g.when)(self) => {
                    Error::feature_disabled(g.sysctl, io::Error::from_raw_os_error(errno))
                }
                _ => e,
            };
            e.in_socket_option(name)
        })
    }
}

/// The option table: rows of `"C_NAME" MARKER: scope [since ".."] [gate(..)] [require v] {
/// methods }`. See the [module docs](self).
macro_rules! socket_options {
    ($(
        $c:literal $opt:ident: $scope:ident $(since $since:literal)? $(gate $gate:tt)?
            $(require $req:ident)? {
            $($method:tt)*
        }
    )*) => {
        $(
            const _: () = assert!(
                $crate::opts::table::same_name(
                    $c,
                    <linux_sctp_sys::sockopt::$opt as linux_sctp_sys::sockopt::SockOpt>::C_NAME
                ),
                concat!("the row ", $c, " names another marker")
            );
        )*
        impl $crate::opts::SocketOptions<'_> {
            $(
                socket_options!(
                    @methods [$c $opt $scope [$($since)?] [$($gate)?] [$($req)?]] $($method)*
                );
            )*
        }
    };

    (@methods $row:tt) => {};
    (@methods $row:tt $(#[$attr:meta])* get $fn:ident($($k:ident: $kt:ty),* $(,)?) -> $ret:ty {
        $(#[doc = $err:literal])*
    } $($rest:tt)*) => {
        socket_options!(@get $row [$(#[$attr])*] $fn [$($k: $kt),*] $ret [$($err)*]);
        socket_options!(@methods $row $($rest)*);
    };
    (@methods $row:tt $(#[$attr:meta])* set $fn:ident $([$($k:ident: $kt:ty),* $(,)?])?
        ($($v:ident: $vt:ty)?) {
        $(#[doc = $err:literal])*
    } $($rest:tt)*) => {
        socket_options!(@set $row [$(#[$attr])*] $fn [$($($k: $kt),*)?] [$($v: $vt)?] [$($err)*]);
        socket_options!(@methods $row $($rest)*);
    };
    (@methods $row:tt $(#[$attr:meta])* get_bytes $fn:ident() -> $ret:ty {
        $(#[doc = $err:literal])*
    } $($rest:tt)*) => {
        socket_options!(@get_bytes $row [$(#[$attr])*] $fn $ret [$($err)*]);
        socket_options!(@methods $row $($rest)*);
    };
    (@methods $row:tt $(#[$attr:meta])* set_bytes $fn:ident $([$($k:ident: $kt:ty),* $(,)?])?
        ($v:ident: $vt:ty) {
        $(#[doc = $err:literal])*
    } $($rest:tt)*) => {
        socket_options!(@set_bytes $row [$(#[$attr])*] $fn [$($($k: $kt),*)?] [$v: $vt] [$($err)*]);
        socket_options!(@methods $row $($rest)*);
    };

    // One getter.
    (@get [$c:literal $opt:ident $scope:ident [$($since:literal)?] [$($gate:tt)?] [$($req:ident)?]]
        [$(#[$attr:meta])*] $fn:ident [$($k:ident: $kt:ty),*] $ret:ty [$($err:literal)*]) => {
        socket_options!(@fn "getsockopt" [$c [$($since)?] [$($gate)?]] [$(#[$attr])*] [$($err)*]
        pub fn $fn(&self, $($k: $kt),*) -> $crate::error::Result<$ret> {
            let r = socket_options!(@read $scope self linux_sctp_sys::sockopt::$opt, ($($k,)*));
            self.finish($c, socket_options!(@gate $($gate)?), r)
        });
    };
    (@read socket $s:ident $opt:expr, ()) => { $s.read_plain($opt) };
    (@read assoc $s:ident $opt:expr, $keys:expr) => { $s.read_inout($opt, $keys) };

    // One setter.
    (@set [$c:literal $opt:ident $scope:ident [$($since:literal)?] [$($gate:tt)?] [$($req:ident)?]]
        [$(#[$attr:meta])*] $fn:ident [$($k:ident: $kt:ty),*] [$($v:ident: $vt:ty)?]
        [$($err:literal)*]) => {
        socket_options!(@fn "setsockopt" [$c [$($since)?] [$($gate)?]] [$(#[$attr])*] [$($err)*]
        pub fn $fn(&self, $($k: $kt,)* $($v: $vt)?) -> $crate::error::Result<()> {
            $(self.keep_on($c, $req)?;)?
            let r = socket_options!(
                @write $scope self linux_sctp_sys::sockopt::$opt, ($($k,)*),
                socket_options!(@value $($v)?)
            );
            self.finish($c, socket_options!(@gate $($gate)?), r)
        });
    };
    (@write socket $s:ident $opt:expr, (), $value:expr) => { $s.write_plain($opt, $value) };
    (@write assoc $s:ident $opt:expr, $keys:expr, $value:expr) => {
        $s.write_assoc($opt, $keys, $value)
    };
    (@value) => { () };
    (@value $v:ident) => { $v };

    // Variable-length options.
    (@get_bytes [$c:literal $opt:ident $scope:ident [$($since:literal)?] [$($gate:tt)?] [$($req:ident)?]]
        [$(#[$attr:meta])*] $fn:ident $ret:ty [$($err:literal)*]) => {
        socket_options!(@fn "getsockopt" [$c [$($since)?] [$($gate)?]] [$(#[$attr])*] [$($err)*]
        pub fn $fn(&self) -> $crate::error::Result<$ret> {
            let r = self.read_bytes(linux_sctp_sys::sockopt::$opt, socket_options!(@scoped $scope));
            self.finish($c, socket_options!(@gate $($gate)?), r)
        });
    };
    (@set_bytes [$c:literal $opt:ident $scope:ident [$($since:literal)?] [$($gate:tt)?] [$($req:ident)?]]
        [$(#[$attr:meta])*] $fn:ident [$($k:ident: $kt:ty),*] [$v:ident: $vt:ty]
        [$($err:literal)*]) => {
        socket_options!(@fn "setsockopt" [$c [$($since)?] [$($gate)?]] [$(#[$attr])*] [$($err)*]
        pub fn $fn(&self, $($k: $kt,)* $v: $vt) -> $crate::error::Result<()> {
            let r = self.write_bytes(
                linux_sctp_sys::sockopt::$opt,
                ($($k,)* $v,),
                socket_options!(@scoped $scope),
            );
            self.finish($c, socket_options!(@gate $($gate)?), r)
        });
    };
    (@scoped socket) => { false };
    (@scoped assoc) => { true };

    // Every method's docs: the row's summary, the C call, its errors, the gate, the alias.
    (@fn $call:literal [$c:literal [$($since:literal)?] [$($gate:tt)?]] [$(#[$attr:meta])*]
        [$($err:literal)*] $f:item) => {
        $(#[$attr])*
        ///
        #[doc = socket_options!(@maps $call $c $($since)?)]
        ///
        /// # Errors
        ///
        $(#[doc = $err])*
        #[doc = socket_options!(@gate_doc $($gate)?)]
        #[doc(alias = $c)]
        $f
    };

    // Docs and gates.
    (@maps $call:literal $c:literal $($since:literal)?) => {
        concat!("Maps to `", $call, "(", $c, ")`", $(" (Linux ", $since, "+)",)? ".")
    };
    (@gate) => { None };
    (@gate ($sysctl:literal, $errno:ident)) => {
        Some($crate::opts::table::Gate { sysctl: $sysctl, errno: libc::$errno, when: |_| true })
    };
    (@gate ($sysctl:literal, $errno:ident, $when:expr)) => {
        Some($crate::opts::table::Gate { sysctl: $sysctl, errno: libc::$errno, when: $when })
    };
    (@gate_doc) => { "" };
    (@gate_doc ($sysctl:literal, $errno:ident $(, $when:expr)?)) => {
        concat!(
            "\n\nThe kernel's `", stringify!($errno), "` comes as [`ErrorKind::FeatureDisabled`]",
            "(crate::error::ErrorKind::FeatureDisabled) for `", $sysctl, "`",
            $(socket_options!(@gate_when $when),)? "."
        )
    };
    (@gate_when $when:expr) => { " where the sysctl is the reason (see above)" };
}

pub(crate) use socket_options;

// The scalar payloads many rows share: `int` flags, `u32` values and `sctp_assoc_value`.

impl FromC<c_int> for bool {
    fn from_c(c: &c_int) -> Result<Self> {
        Ok(*c != 0)
    }
}

impl IntoC<c_int> for bool {
    fn into_c(self, c: &mut c_int) -> Result<()> {
        *c = c_int::from(self);
        Ok(())
    }
}

impl FromC<u32> for u32 {
    fn from_c(c: &u32) -> Result<Self> {
        Ok(*c)
    }
}

impl IntoC<u32> for u32 {
    fn into_c(self, c: &mut u32) -> Result<()> {
        *c = self;
        Ok(())
    }
}

/// Values that are one field of a payload, as they are.
macro_rules! field_codec {
    ($($c:ident.$field:ident: $t:ty),* $(,)?) => {$(
        impl FromC<linux_sctp_sys::$c> for $t {
            fn from_c(c: &linux_sctp_sys::$c) -> Result<Self> {
                Ok(c.$field)
            }
        }

        impl IntoC<linux_sctp_sys::$c> for $t {
            fn into_c(self, c: &mut linux_sctp_sys::$c) -> Result<()> {
                c.$field = self;
                Ok(())
            }
        }
    )*};
}

field_codec! {
    sctp_assoc_value.assoc_value: u32,
    sctp_stream_value.stream_value: u16,
    sctp_authkeyid.scact_keynumber: u16,
    sctp_setadaptation.ssb_adaptation_ind: u32,
}

impl FromC<linux_sctp_sys::sctp_assoc_value> for bool {
    fn from_c(c: &linux_sctp_sys::sctp_assoc_value) -> Result<Self> {
        Ok(c.assoc_value != 0)
    }
}

impl IntoC<linux_sctp_sys::sctp_assoc_value> for bool {
    fn into_c(self, c: &mut linux_sctp_sys::sctp_assoc_value) -> Result<()> {
        c.assoc_value = u32::from(self);
        Ok(())
    }
}

/// A value type that is one `u32` in `sctp_assoc_value` with `from_raw`/`to_raw`
/// conversions (the enums and flag sets of the `assoc_value` rows).
macro_rules! assoc_value_codec {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::opts::table::FromC<linux_sctp_sys::sctp_assoc_value> for $t {
            fn from_c(c: &linux_sctp_sys::sctp_assoc_value) -> $crate::error::Result<Self> {
                Ok(<$t>::from_raw(c.assoc_value))
            }
        }

        impl $crate::opts::table::IntoC<linux_sctp_sys::sctp_assoc_value> for $t {
            fn into_c(self, c: &mut linux_sctp_sys::sctp_assoc_value) -> $crate::error::Result<()> {
                c.assoc_value = self.to_raw();
                Ok(())
            }
        }
    )*};
}

pub(crate) use assoc_value_codec;

/// Request fields that are a path's address (`None`: the association or socket) for the
/// payloads with an address field.
macro_rules! address_request {
    ($($t:ident: $field:ident),* $(,)?) => {$(
        impl Request<linux_sctp_sys::$t> for (Option<&SocketAddr>,) {
            fn request(self, c: &mut linux_sctp_sys::$t) -> Result<()> {
                c.$field = storage_of(self.0);
                Ok(())
            }
        }
    )*};
}

address_request! {
    sctp_paddrparams: spp_address,
    sctp_paddrthlds_v2: spt_address,
    sctp_udpencaps: sue_address,
    sctp_probeinterval: spi_address,
}

/// Parses a variable-length kernel struct: the header `H`, then `count(&h)` elements of
/// `elem` bytes each from `list_at` (the flexible array's `offset_of!`), read by `read`.
/// Total: a short buffer or a count past the bytes is `InvalidData` naming `what`.
pub(crate) fn parse_list<H: Pod, T>(
    buf: &[u8],
    what: &str,
    count: impl Fn(&H) -> usize,
    list_at: usize,
    elem: usize,
    read: impl Fn(&[u8]) -> T,
) -> Result<Vec<T>> {
    let hdr = linux_sctp_sys::read_prefix::<H>(buf).ok_or_else(|| {
        bad_data(format!(
            "{what}: {} bytes, shorter than its header",
            buf.len()
        ))
    })?;
    let n = count(&hdr);
    let body = buf.get(list_at..).unwrap_or_default();
    if body.len() / elem < n {
        return Err(bad_data(format!(
            "{what}: {n} entries in {} bytes",
            body.len()
        )));
    }
    Ok(body.chunks_exact(elem).take(n).map(read).collect())
}

/// Writes `bytes` at `at` of a variable-length payload (a field at its `offset_of!`).
pub(crate) fn put(buf: &mut [u8], at: usize, bytes: &[u8]) {
    buf[at..at + bytes.len()].copy_from_slice(bytes);
}
