//! sctp_darn `-i N` (`command_poll`): N listening endpoints on consecutive ports, each
//! printing what it receives; with `-h`/`-p`, the first one also sends `-z`-byte messages to
//! the peer as fast as it can.
//!
//! The C tool `select`s (or, with `--use-poll`, `poll`s) over the endpoints; here one thread
//! reads each endpoint (blocking) and one sends, so `--use-poll` changes nothing.

use std::net::SocketAddr;
use std::os::fd::AsFd;

use socket2::Socket;

use super::{assoc_change, build_endpoint, gen_message, Config, GEN_DATA_FIRST};
use crate::cli::{strerror, Exit};
use crate::show::{self, out};
use crate::sock;

/// Runs the endpoints until an error (or for ever).
pub(super) fn run(cfg: &Config, n: usize) -> Result<(), Exit> {
    let mut sockets = Vec::with_capacity(n);
    for i in 0..n {
        let port = cfg.local_port.wrapping_add(i as u16);
        sockets.push(build_endpoint(cfg, port)?);
    }
    let remote = match &cfg.remote_host {
        Some(h) => {
            Some(crate::addr::v4_first(h, cfg.remote_port, cfg.if_index).map_err(Exit::fail)?)
        }
        None => None,
    };
    for (i, s) in sockets.iter().enumerate() {
        s.listen(1).map_err(|e| {
            Exit::fail(format!(
                "Listen failed on socket number {i}: {}.",
                strerror(&e)
            ))
        })?;
        // Each endpoint has a reader of its own: it may wait.
        s.set_nonblocking(false)
            .map_err(|e| Exit::fail(format!("error fcntl: {}.", strerror(&e))))?;
    }
    out(format!("{} listening...\n", cfg.prog));
    std::thread::scope(|scope| {
        if let (Some(to), Some(first)) = (remote, sockets.first()) {
            scope.spawn(move || fail_process(cfg, send_forever(cfg, first, to)));
        }
        for (i, s) in sockets.iter().enumerate() {
            scope.spawn(move || fail_process(cfg, read_forever(i, s)));
        }
    });
    Ok(())
}

/// Ends the whole process on a thread's error, as the C tool's loop exits.
fn fail_process(cfg: &Config, r: Result<(), Exit>) {
    if let Err(e) = r {
        std::process::exit(e.report(&cfg.prog));
    }
}

/// Sends `-z`-byte generated messages to `to` for ever (`sent a message, msglen = N` on
/// stderr after each).
fn send_forever(cfg: &Config, s: &Socket, to: SocketAddr) -> Result<(), Exit> {
    let mut next = GEN_DATA_FIRST;
    let size = cfg.poll_snd_size as usize;
    loop {
        let msg = gen_message(&mut next, size);
        let r = sock::send(s.as_fd(), &msg, Some(&to), None, 0);
        eprintln!("sent a message, msglen = {size}");
        match r {
            Ok(n) if n == size => {}
            Ok(n) => return Err(Exit::fail(format!("error: sent {n} of {size} bytes."))),
            Err(e) => return Err(Exit::fail(format!("error: {}.", strerror(&e)))),
        }
    }
}

/// Prints what endpoint `i` receives, its association changes, and when it has no
/// association left.
fn read_forever(i: usize, s: &Socket) -> Result<(), Exit> {
    let mut buf = vec![0u8; sock::RECV_SIZE];
    let mut associd = 0;
    loop {
        let r = sock::recv(s.as_fd(), &mut buf, libc::MSG_WAITALL)
            .map_err(|e| Exit::fail(format!("error: {}.", strerror(&e))))?;
        let mut text = show::darn_message(&r, &buf);
        if r.is_notification() {
            let (id, line) = assoc_change(&r, &buf)?;
            associd = id;
            text.push_str(line);
        }
        if !sock::has_assoc(s.as_fd(), associd) {
            text.push_str(&format!("No association is present in sk No.{i} now!!\n"));
        }
        out(text);
    }
}
