//! The baseline: blocking one-to-one SCTP sockets driven with plain libc calls, the way a
//! hand-written C loop would do it.
//!
//! Every message is one `sendmsg(2)` carrying an `SCTP_SNDINFO` cmsg, every receive one
//! `recvmsg(2)` with `SCTP_RECVRCVINFO` on, so the kernel attaches an `SCTP_RCVINFO` cmsg that we
//! decode by hand with the `CMSG_*` macros. No readiness, no runtime: one thread per side
//! blocks in the kernel. Nothing here goes through `linux-sctp-sys` except its constants and structs,
//! so the baseline cannot inherit a cost from the code it is compared with.

use std::io;
use std::mem::{self, MaybeUninit};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use linux_sctp_sys::sockopt;
use linux_sctp_sys::{
    sctp_rcvinfo, sctp_sndinfo, IPPROTO_SCTP, SCTP_RCVINFO, SCTP_SNDINFO, SOL_SCTP,
};

/// Control space for one `SCTP_SNDINFO` or `SCTP_RCVINFO` cmsg (the larger of the two), with
/// room to spare, aligned for `cmsghdr`.
#[repr(C, align(8))]
struct Control([u8; 128]);

/// What one [`RawSocket::recv`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawRecv {
    /// Bytes received (0 with `eor == false` at end of file).
    pub len: usize,
    /// `MSG_EOR`: the message is complete.
    pub eor: bool,
    /// Stream id from `SCTP_RCVINFO`, if the cmsg was there.
    pub sid: Option<u16>,
    /// PPID from `SCTP_RCVINFO` (host order), if the cmsg was there.
    pub ppid: Option<u32>,
}

/// A blocking one-to-one SCTP socket (`SOCK_STREAM`, `IPPROTO_SCTP`).
#[derive(Debug)]
pub struct RawSocket {
    fd: OwnedFd,
}

fn cvt(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

impl RawSocket {
    fn new((sndbuf, rcvbuf): (usize, usize)) -> io::Result<RawSocket> {
        // SAFETY: socket() takes no pointers.
        let fd = cvt(unsafe {
            libc::socket(
                libc::AF_INET,
                libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
                IPPROTO_SCTP,
            )
        })?;
        // SAFETY: socket() just returned this descriptor and nothing else owns it.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let sock = RawSocket { fd };
        let int = |v: usize| libc::c_int::try_from(v).unwrap_or(libc::c_int::MAX);
        sock.set_int(libc::SOL_SOCKET, libc::SO_SNDBUF, int(sndbuf))?;
        force_rcvbuf(sock.as_fd(), rcvbuf)?;
        sock.set_int(SOL_SCTP, linux_sctp_sys::SCTP_NODELAY, 1)?;
        sock.set_int(SOL_SCTP, linux_sctp_sys::SCTP_RECVRCVINFO, 1)?;
        Ok(sock)
    }

    fn set_int(&self, level: libc::c_int, name: libc::c_int, val: libc::c_int) -> io::Result<()> {
        // SAFETY: `val` is a live c_int and we pass its exact size.
        cvt(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                level,
                name,
                (&val as *const libc::c_int).cast(),
                mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        })
        .map(drop)
    }

    /// The effective `(SO_SNDBUF, SO_RCVBUF)` (what the kernel made of the request).
    ///
    /// # Errors
    ///
    /// The `getsockopt` error.
    pub fn buffer_sizes(&self) -> io::Result<(usize, usize)> {
        let size = |v: libc::c_int| usize::try_from(v).unwrap_or(0);
        let fd = self.fd.as_fd();
        Ok((
            size(sockopt::get(fd, sockopt::SO_SNDBUF)?),
            size(sockopt::get(fd, sockopt::SO_RCVBUF)?),
        ))
    }

    /// A listener on `127.0.0.1` with an ephemeral port, `SO_SNDBUF`/`SO_RCVBUF` of `buffers`
    /// bytes (inherited by accepted sockets), `SCTP_NODELAY` and `SCTP_RECVRCVINFO` on.
    ///
    /// # Errors
    ///
    /// The failing syscall's error.
    pub fn listen(buffers: (usize, usize)) -> io::Result<(RawSocket, SocketAddr)> {
        let sock = RawSocket::new(buffers)?;
        let sin = sockaddr_in(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0));
        // SAFETY: `sin` is a valid sockaddr_in and we pass its size.
        cvt(unsafe {
            libc::bind(
                sock.fd.as_raw_fd(),
                (&sin as *const libc::sockaddr_in).cast(),
                mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
            )
        })?;
        // SAFETY: listen() takes no pointers.
        cvt(unsafe { libc::listen(sock.fd.as_raw_fd(), 16) })?;
        let mut out = MaybeUninit::<libc::sockaddr_in>::zeroed();
        let mut len = mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        // SAFETY: `out` has room for a sockaddr_in and `len` says so.
        cvt(unsafe { libc::getsockname(sock.fd.as_raw_fd(), out.as_mut_ptr().cast(), &mut len) })?;
        // SAFETY: zero-initialised, then (partly) written by the kernel; any bytes are valid.
        let out = unsafe { out.assume_init() };
        let port = u16::from_be(out.sin_port);
        Ok((
            sock,
            SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)),
        ))
    }

    /// A socket connected (blocking `connect(2)`) to `addr`, set up as in [`listen`](Self::listen).
    ///
    /// # Errors
    ///
    /// The failing syscall's error.
    pub fn connect(addr: SocketAddrV4, buffers: (usize, usize)) -> io::Result<RawSocket> {
        let sock = RawSocket::new(buffers)?;
        let sin = sockaddr_in(addr);
        // SAFETY: `sin` is a valid sockaddr_in and we pass its size.
        cvt(unsafe {
            libc::connect(
                sock.fd.as_raw_fd(),
                (&sin as *const libc::sockaddr_in).cast(),
                mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
            )
        })?;
        Ok(sock)
    }

    /// Accepts one association (blocking `accept4(2)`).
    ///
    /// # Errors
    ///
    /// The `accept4` error.
    pub fn accept(&self) -> io::Result<RawSocket> {
        // SAFETY: null address pointers are allowed by accept4.
        let fd = cvt(unsafe {
            libc::accept4(
                self.fd.as_raw_fd(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                libc::SOCK_CLOEXEC,
            )
        })?;
        // SAFETY: accept4 returned a new descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(RawSocket { fd })
    }

    /// Sends `data` as one message on stream `sid` with PPID `ppid`: one `sendmsg(2)` with an
    /// `SCTP_SNDINFO` cmsg.
    ///
    /// # Errors
    ///
    /// The `sendmsg` error.
    pub fn send(&self, data: &[u8], sid: u16, ppid: u32) -> io::Result<usize> {
        let info = sctp_sndinfo {
            snd_sid: sid,
            snd_ppid: ppid.to_be(),
            ..sctp_sndinfo::default()
        };
        let mut control = Control([0; 128]);
        let mut iov = libc::iovec {
            iov_base: data.as_ptr() as *mut libc::c_void,
            iov_len: data.len(),
        };
        // SAFETY: msghdr is plain data; all-zero is valid (null pointers, zero lengths).
        let mut msg: libc::msghdr = unsafe { mem::zeroed() };
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.0.as_mut_ptr().cast();
        // SAFETY: CMSG_SPACE is pure arithmetic on its argument.
        let space = unsafe { libc::CMSG_SPACE(mem::size_of::<sctp_sndinfo>() as u32) } as usize;
        assert!(space <= control.0.len());
        msg.msg_controllen = space as _;
        // SAFETY: `msg` points at `control`, which has `space` bytes, enough for one cmsg
        // holding an sctp_sndinfo, so CMSG_FIRSTHDR is non-null and in bounds, and CMSG_DATA
        // leaves room for the payload (written unaligned).
        unsafe {
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = SOL_SCTP;
            (*cmsg).cmsg_type = SCTP_SNDINFO;
            (*cmsg).cmsg_len = libc::CMSG_LEN(mem::size_of::<sctp_sndinfo>() as u32) as _;
            std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<sctp_sndinfo>(), info);
        }
        // SAFETY: every pointer in `msg` is live for the call: `iov` covers `data` (which the
        // kernel only reads), `control` holds the cmsg.
        let n = unsafe { libc::sendmsg(self.fd.as_raw_fd(), &msg, libc::MSG_NOSIGNAL) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }

    /// Receives into `buf`: one `recvmsg(2)`, decoding the `SCTP_RCVINFO` cmsg by hand.
    ///
    /// # Errors
    ///
    /// The `recvmsg` error.
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<RawRecv> {
        let mut control = Control([0; 128]);
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        // SAFETY: msghdr is plain data; all-zero is valid (null pointers, zero lengths).
        let mut msg: libc::msghdr = unsafe { mem::zeroed() };
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.0.as_mut_ptr().cast();
        msg.msg_controllen = control.0.len() as _;
        // SAFETY: every pointer in `msg` is live and writable for the stated length.
        let n = unsafe { libc::recvmsg(self.fd.as_raw_fd(), &mut msg, 0) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut out = RawRecv {
            len: n as usize,
            eor: msg.msg_flags & libc::MSG_EOR != 0,
            sid: None,
            ppid: None,
        };
        // SAFETY: the kernel wrote `msg_controllen` bytes of well-formed cmsgs into `control`;
        // CMSG_FIRSTHDR/CMSG_NXTHDR stay within that length, and we read the payload
        // unaligned only after checking that its cmsg_len covers an sctp_rcvinfo.
        unsafe {
            let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
            while !cmsg.is_null() {
                let c = &*cmsg;
                let need = libc::CMSG_LEN(mem::size_of::<sctp_rcvinfo>() as u32) as usize;
                if c.cmsg_level == SOL_SCTP
                    && c.cmsg_type == SCTP_RCVINFO
                    && c.cmsg_len as usize >= need
                {
                    let info: sctp_rcvinfo =
                        std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<sctp_rcvinfo>());
                    out.sid = Some(info.rcv_sid);
                    out.ppid = Some(u32::from_be(info.rcv_ppid));
                }
                cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
            }
        }
        Ok(out)
    }

    /// A connected pair on `127.0.0.1` with `buffers`: `(client, accepted server)`, both with
    /// `SCTP_NODELAY`.
    ///
    /// # Errors
    ///
    /// The failing syscall's error.
    pub fn pair(buffers: (usize, usize)) -> io::Result<(RawSocket, RawSocket)> {
        let (listener, addr) = RawSocket::listen(buffers)?;
        let SocketAddr::V4(v4) = addr else {
            unreachable!("listening on 127.0.0.1")
        };
        let client = RawSocket::connect(v4, buffers)?;
        let server = listener.accept()?;
        server.set_int(SOL_SCTP, linux_sctp_sys::SCTP_NODELAY, 1)?;
        Ok((client, server))
    }

    /// Sends `count` copies of `data` (stream `sid`, PPID `ppid`) with `sendmmsg(2)`, each
    /// with its `SCTP_SNDINFO` cmsg. With `more`, all but the last go in one `sendmmsg` with
    /// `MSG_MORE` (the kernel holds their DATA chunks back to bundle them) and the last in a
    /// `sendmsg` without it, which sends what was held back.
    ///
    /// # Errors
    ///
    /// The `sendmmsg`/`sendmsg` error.
    pub fn send_many(
        &self,
        data: &[u8],
        sid: u16,
        ppid: u32,
        count: usize,
        more: bool,
    ) -> io::Result<()> {
        let info = sctp_sndinfo {
            snd_sid: sid,
            snd_ppid: ppid.to_be(),
            ..sctp_sndinfo::default()
        };
        // SAFETY: CMSG_SPACE/CMSG_LEN are pure arithmetic on their argument.
        let (space, len) = unsafe {
            let size = mem::size_of::<sctp_sndinfo>() as u32;
            (libc::CMSG_SPACE(size) as usize, libc::CMSG_LEN(size))
        };
        assert!(space <= 128);
        let mut controls: Vec<Control> = (0..count).map(|_| Control([0; 128])).collect();
        let mut iovs: Vec<libc::iovec> = (0..count)
            .map(|_| libc::iovec {
                iov_base: data.as_ptr() as *mut libc::c_void,
                iov_len: data.len(),
            })
            .collect();
        let mut hdrs: Vec<libc::mmsghdr> = Vec::with_capacity(count);
        for (control, iov) in controls.iter_mut().zip(iovs.iter_mut()) {
            // SAFETY: mmsghdr is plain data; all-zero is valid.
            let mut h: libc::mmsghdr = unsafe { mem::zeroed() };
            h.msg_hdr.msg_iov = iov;
            h.msg_hdr.msg_iovlen = 1;
            h.msg_hdr.msg_control = control.0.as_mut_ptr().cast();
            h.msg_hdr.msg_controllen = space as _;
            // SAFETY: the control buffer has `space` bytes for one cmsg holding an
            // sctp_sndinfo, so CMSG_FIRSTHDR is non-null and CMSG_DATA in bounds.
            unsafe {
                let cmsg = libc::CMSG_FIRSTHDR(&h.msg_hdr);
                (*cmsg).cmsg_level = SOL_SCTP;
                (*cmsg).cmsg_type = SCTP_SNDINFO;
                (*cmsg).cmsg_len = len as _;
                std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<sctp_sndinfo>(), info);
            }
            hdrs.push(h);
        }
        let split = if more { count - 1 } else { count };
        let mut sent = 0;
        while sent < count {
            let (end, flags) = if sent < split {
                (
                    split,
                    libc::MSG_NOSIGNAL | if more { libc::MSG_MORE } else { 0 },
                )
            } else {
                (count, libc::MSG_NOSIGNAL)
            };
            // SAFETY: every header points at a live iovec (over `data`, only read) and a
            // live control buffer of the stated length.
            let n = unsafe {
                libc::sendmmsg(
                    self.fd.as_raw_fd(),
                    hdrs[sent..end].as_mut_ptr(),
                    (end - sent) as libc::c_uint,
                    flags,
                )
            };
            if n < 0 {
                return Err(io::Error::last_os_error());
            }
            sent += n as usize;
        }
        Ok(())
    }

    /// Receives up to `slots.len()` messages with one `recvmmsg(2)` (`MSG_WAITFORONE`: waits
    /// for the first, takes what is queued after it) and returns how many, after checking that
    /// each is whole (`MSG_EOR`) and `size` bytes long.
    ///
    /// # Errors
    ///
    /// The `recvmmsg` error; `InvalidData` for a message that is not whole or not `size`
    /// bytes.
    pub fn recv_many(&self, slots: &mut RecvSlots, size: usize) -> io::Result<usize> {
        let count = slots.hdrs.len();
        for ((h, iov), control) in slots
            .hdrs
            .iter_mut()
            .zip(slots.iovs.iter_mut())
            .zip(slots.controls.iter_mut())
        {
            h.msg_hdr.msg_iov = iov;
            h.msg_hdr.msg_iovlen = 1;
            h.msg_hdr.msg_control = control.0.as_mut_ptr().cast();
            h.msg_hdr.msg_controllen = control.0.len() as _;
            h.msg_hdr.msg_flags = 0;
        }
        // SAFETY: every header points at a live, writable iovec (into `slots.bufs`) and
        // control buffer of the stated lengths; a null timeout waits.
        let n = unsafe {
            libc::recvmmsg(
                self.fd.as_raw_fd(),
                slots.hdrs.as_mut_ptr(),
                count as libc::c_uint,
                libc::MSG_WAITFORONE,
                std::ptr::null_mut(),
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        for h in &slots.hdrs[..n as usize] {
            if h.msg_len as usize != size || h.msg_hdr.msg_flags & libc::MSG_EOR == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "bad message: {} bytes, flags {:#x}",
                        h.msg_len, h.msg_hdr.msg_flags
                    ),
                ));
            }
        }
        Ok(n as usize)
    }

    /// `shutdown(SHUT_WR)`: the SCTP graceful shutdown; the peer's `recv` then returns 0.
    ///
    /// # Errors
    ///
    /// The `shutdown` error.
    pub fn shutdown(&self) -> io::Result<()> {
        // SAFETY: shutdown() takes no pointers.
        cvt(unsafe { libc::shutdown(self.fd.as_raw_fd(), libc::SHUT_WR) }).map(drop)
    }
}

/// The buffers of [`RawSocket::recv_many`]: one receive buffer and control buffer per entry.
pub struct RecvSlots {
    bufs: Vec<u8>,
    iovs: Vec<libc::iovec>,
    controls: Vec<Control>,
    hdrs: Vec<libc::mmsghdr>,
}

// SAFETY: the raw pointers in `iovs` point into `bufs`, which the struct owns (it is only
// moved as a whole); nothing else aliases them.
unsafe impl Send for RecvSlots {}

impl RecvSlots {
    /// `count` entries of `cap` bytes each.
    pub fn new(count: usize, cap: usize) -> RecvSlots {
        let mut bufs = vec![0u8; count * cap];
        let iovs = bufs
            .chunks_mut(cap)
            .map(|b| libc::iovec {
                iov_base: b.as_mut_ptr().cast(),
                iov_len: b.len(),
            })
            .collect();
        RecvSlots {
            bufs,
            iovs,
            controls: (0..count).map(|_| Control([0; 128])).collect(),
            // SAFETY: mmsghdr is plain data; all-zero is valid.
            hdrs: (0..count).map(|_| unsafe { mem::zeroed() }).collect(),
        }
    }
}

impl std::fmt::Debug for RecvSlots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RecvSlots({} x {} bytes)",
            self.hdrs.len(),
            self.bufs.len() / self.hdrs.len().max(1)
        )
    }
}

impl AsRawFd for RawSocket {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.fd.as_raw_fd()
    }
}

impl AsFd for RawSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// Sets the receive buffer to `size` bytes: `SO_RCVBUFFORCE` where allowed (`CAP_NET_ADMIN`,
/// as in the lab), which ignores `net.core.rmem_max`, else `SO_RCVBUF` (capped by it).
///
/// # Errors
///
/// The `setsockopt` error other than `EPERM`.
pub fn force_rcvbuf(fd: BorrowedFd<'_>, size: usize) -> io::Result<()> {
    let v = libc::c_int::try_from(size).unwrap_or(libc::c_int::MAX);
    match sockopt::set(fd, sockopt::SO_RCVBUFFORCE, &v) {
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => sockopt::set(fd, sockopt::SO_RCVBUF, &v),
        r => r,
    }
}

fn sockaddr_in(addr: SocketAddrV4) -> libc::sockaddr_in {
    // SAFETY: sockaddr_in is plain data; all-zero is valid.
    let mut sin: libc::sockaddr_in = unsafe { mem::zeroed() };
    sin.sin_family = libc::AF_INET as libc::sa_family_t;
    sin.sin_port = addr.port().to_be();
    sin.sin_addr.s_addr = u32::from(*addr.ip()).to_be();
    sin
}
