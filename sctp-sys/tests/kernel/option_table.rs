//! The bookkeeping of the `options` test: one row per option name, typed reads and writes
//! through `linux_sctp_sys::sockopt`, and refusal probes that assert an errno.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::mem::size_of;
use std::net::SocketAddr;
use std::os::fd::BorrowedFd;

use libc::c_int;
use linux_sctp_sys::addr::socket_addr_to_raw;
use linux_sctp_sys::sockopt::{self, Get, GetBytes, GetInOut, Set, SetBytes, SockOpt};
use linux_sctp_sys::*;

/// An option number and its C name, for the rows without a marker type (the options behind
/// `sctp_bindx`/`sctp_connectx`/`sctp_peeloff`, numbers the kernel does not know).
#[derive(Clone, Copy, Debug)]
pub struct Opt(pub c_int, pub &'static str);

/// What names a row: a marker of the typed table or an [`Opt`].
pub trait Row: Copy {
    /// The number and the C name.
    fn opt(self) -> Opt;
}

impl<O: SockOpt> Row for O {
    fn opt(self) -> Opt {
        Opt(O::NAME, O::C_NAME)
    }
}

impl Row for Opt {
    fn opt(self) -> Opt {
        self
    }
}

/// The marker of the typed table for an option name.
macro_rules! opt {
    ($name:ident) => {
        linux_sctp_sys::sockopt::$name
    };
}

/// A row without a marker type.
macro_rules! raw {
    ($name:ident) => {
        $crate::option_table::Opt($name, stringify!($name))
    };
}

pub(crate) use {opt, raw};

/// Collects the outcome of every option row, so that one run reports every mismatch.
#[derive(Default)]
pub struct Table {
    /// optname -> name, for every row.
    pub rows: BTreeMap<c_int, &'static str>,
    pub gets: usize,
    pub sets: usize,
    pub refusals: usize,
    pub failures: Vec<String>,
}

impl Table {
    pub fn row(&mut self, o: impl Row) {
        let Opt(n, name) = o.opt();
        self.rows.insert(n, name);
    }

    pub fn fail(&mut self, o: impl Row, what: String) {
        self.failures.push(format!("{}: {what}", o.opt().1));
    }

    pub fn check<V: PartialEq + Debug>(&mut self, o: impl Row, what: &str, got: V, want: V) {
        if got != want {
            self.fail(o, format!("{what}: got {got:?}, want {want:?}"));
        }
    }

    pub fn ok(&mut self, o: impl Row, what: &str, cond: bool) {
        if !cond {
            self.fail(o, format!("{what}: false"));
        }
    }

    fn got<T>(&mut self, o: impl Row, what: &str, r: std::io::Result<T>) -> Option<T> {
        self.row(o);
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(o, format!("{what}: {e}"));
                None
            }
        }
    }

    /// getsockopt with `v` as the request; the kernel must fill the whole struct.
    pub fn get<O>(&mut self, fd: BorrowedFd<'_>, o: O, mut v: O::Value) -> O::Value
    where
        O: GetInOut,
        O::Value: Pod,
    {
        if let Some(len) = self.got(o, "getsockopt", sockopt::get_inout(fd, o, &mut v)) {
            self.gets += 1;
            self.check(o, "getsockopt length", len, size_of::<O::Value>());
        }
        v
    }

    /// getsockopt into a zeroed value (no request).
    pub fn get0<O>(&mut self, fd: BorrowedFd<'_>, o: O) -> O::Value
    where
        O: Get,
        O::Value: Pod,
    {
        let v = self.got(o, "getsockopt", sockopt::get(fd, o));
        self.gets += usize::from(v.is_some());
        v.unwrap_or_else(O::Value::zeroed)
    }

    /// [`get`](Self::get) with `query`, then checks `view` of the answer against `want`.
    pub fn get_check<O, V>(
        &mut self,
        fd: BorrowedFd<'_>,
        o: O,
        query: O::Value,
        what: &str,
        view: impl Fn(O::Value) -> V,
        want: V,
    ) -> O::Value
    where
        O: GetInOut,
        O::Value: Pod,
        V: PartialEq + Debug,
    {
        let v = self.get(fd, o, query);
        self.check(o, what, view(v), want);
        v
    }

    /// [`get0`](Self::get0), then checks `view` of the answer against `want`.
    pub fn get_check0<O, V>(
        &mut self,
        fd: BorrowedFd<'_>,
        o: O,
        what: &str,
        view: impl Fn(O::Value) -> V,
        want: V,
    ) -> O::Value
    where
        O: Get,
        O::Value: Pod,
        V: PartialEq + Debug,
    {
        let v = self.get0(fd, o);
        self.check(o, what, view(v), want);
        v
    }

    /// The round trip of a struct option: `view` of the answer to `query` is `default`; after
    /// setting `new`, `view` of the answer to `query` is `after`.
    #[allow(clippy::too_many_arguments)]
    pub fn roundtrip<O, V>(
        &mut self,
        fd: BorrowedFd<'_>,
        o: O,
        query: O::Value,
        view: impl Fn(O::Value) -> V,
        default: V,
        new: &O::Value,
        after: V,
    ) where
        O: GetInOut + Set,
        O::Value: Pod,
        V: PartialEq + Debug,
    {
        self.get_check(fd, o, query, "default", &view, default);
        self.set(fd, o, new);
        self.get_check(fd, o, query, "after set", &view, after);
    }

    /// [`roundtrip`](Self::roundtrip) for an option read without a request.
    pub fn roundtrip0<O, V>(
        &mut self,
        fd: BorrowedFd<'_>,
        o: O,
        view: impl Fn(O::Value) -> V,
        default: V,
        new: &O::Value,
        after: V,
    ) where
        O: Get + Set,
        O::Value: Pod,
        V: PartialEq + Debug,
    {
        self.get_check0(fd, o, "default", &view, default);
        self.set(fd, o, new);
        self.get_check0(fd, o, "after set", &view, after);
    }

    pub fn set<O>(&mut self, fd: BorrowedFd<'_>, o: O, v: &O::Value)
    where
        O: Set,
        O::Value: Pod,
    {
        if self.got(o, "setsockopt", sockopt::set(fd, o, v)).is_some() {
            self.sets += 1;
        }
    }

    pub fn set_bytes<O: SetBytes>(&mut self, fd: BorrowedFd<'_>, o: O, v: &[u8]) {
        if self
            .got(o, "setsockopt", sockopt::set_bytes(fd, o, v))
            .is_some()
        {
            self.sets += 1;
        }
    }

    pub fn get_bytes<O: GetBytes>(&mut self, fd: BorrowedFd<'_>, o: O, buf: &mut [u8]) -> usize {
        let n = self.got(o, "getsockopt", sockopt::get_bytes(fd, o, buf));
        self.gets += usize::from(n.is_some());
        n.unwrap_or(0)
    }

    pub fn refused<T>(&mut self, o: impl Row, what: &str, r: std::io::Result<T>, errno: i32) {
        self.row(o);
        match r {
            Ok(_) => self.fail(o, format!("{what}: succeeded, expected errno {errno}")),
            Err(e) if e.raw_os_error() == Some(errno) => self.refusals += 1,
            Err(e) => self.fail(o, format!("{what}: {e}, expected errno {errno}")),
        }
    }

    /// A getsockopt the kernel must refuse: also one that goes the way the option's row does
    /// not allow (the get of a set-only option), which is why it is the raw call.
    pub fn get_refused<T: Pod>(&mut self, fd: BorrowedFd<'_>, o: impl Row, mut v: T, errno: i32) {
        // SAFETY: every option probed here reads and writes only its buffer (rows of the
        // typed table, or numbers the kernel does not know), and `v` is a live `T` of the
        // size given: the kernel writes at most `size_of::<T>()` bytes into it.
        let r = unsafe { ops::getsockopt_inout(fd, SOL_SCTP, o.opt().0, &mut v) };
        self.refused(o, "getsockopt", r, errno);
    }

    /// A setsockopt the kernel must refuse (see [`get_refused`](Self::get_refused)).
    pub fn set_refused<T: Pod>(&mut self, fd: BorrowedFd<'_>, o: impl Row, v: &T, errno: i32) {
        // SAFETY: as in `get_refused`; the kernel only reads `v`.
        let r = unsafe { ops::setsockopt(fd, SOL_SCTP, o.opt().0, v) };
        self.refused(o, "setsockopt", r, errno);
    }

    /// [`get_refused`](Self::get_refused) into a byte buffer.
    pub fn get_bytes_refused(
        &mut self,
        fd: BorrowedFd<'_>,
        o: impl Row,
        buf: &mut [u8],
        errno: i32,
    ) {
        // SAFETY: as in `get_refused`, within `buf`.
        let r = unsafe { ops::getsockopt_bytes(fd, SOL_SCTP, o.opt().0, buf) };
        self.refused(o, "getsockopt", r, errno);
    }

    /// [`set_refused`](Self::set_refused) from a byte buffer.
    pub fn set_bytes_refused(&mut self, fd: BorrowedFd<'_>, o: impl Row, buf: &[u8], errno: i32) {
        // SAFETY: as in `get_refused`; the kernel only reads `buf`.
        let r = unsafe { ops::setsockopt_bytes(fd, SOL_SCTP, o.opt().0, buf) };
        self.refused(o, "setsockopt", r, errno);
    }
}

pub fn int_roundtrip<O>(t: &mut Table, fd: BorrowedFd<'_>, o: O, default: c_int, new: c_int)
where
    O: Get<Value = c_int> + Set,
{
    t.roundtrip0(fd, o, |v| v, default, &new, new);
}

pub fn assoc_value(id: sctp_assoc_t, v: u32) -> sctp_assoc_value {
    sctp_assoc_value {
        assoc_id: id,
        assoc_value: v,
    }
}

/// Reads a `sctp_assoc_value` option for `id`, checks it, sets `set_id` to `new` and reads
/// `set_id` back.
pub fn av_roundtrip<O>(
    t: &mut Table,
    fd: BorrowedFd<'_>,
    o: O,
    (id, want): (sctp_assoc_t, u32),
    (set_id, new): (sctp_assoc_t, u32),
) where
    O: GetInOut<Value = sctp_assoc_value> + Set,
{
    t.get_check(fd, o, assoc_value(id, 0), "value", |v| v.assoc_value, want);
    t.set(fd, o, &assoc_value(set_id, new));
    let v = t.get(fd, o, assoc_value(set_id, 0));
    t.check(o, "after set", v.assoc_value, new);
}

pub fn storage(a: SocketAddr) -> libc::sockaddr_storage {
    socket_addr_to_raw(&a).0
}
