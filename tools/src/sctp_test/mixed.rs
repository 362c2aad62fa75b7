//! sctp_test's mixed mode (`-L num-ports`, `-S num-ports`): `-L` listening sockets on
//! consecutive local ports (or one socket when 0), each sending to `-S` associations on
//! consecutive remote ports while it prints what it receives.
//!
//! The C tool `select`s over its sockets and, per round, reads one message from each
//! readable socket and sends one from each writable one. Here a thread per listening socket
//! prints what arrives (blocking reads) and the main thread sends, socket after socket, one
//! message per socket per round, drawing from the random generator in the C tool's order.

use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd};
use std::sync::Arc;

use socket2::Socket;

use super::run::{raise_rcvbuf, socket_r, Patterns};
use super::Config;
use crate::cli::{strerror, Exit};
use crate::crand::CRand;
use crate::show;
use crate::sock;
use crate::testgen::{self, MSG_CNT};

/// One association a socket sends on (`_assoc_state`).
#[derive(Default)]
struct Assoc {
    rem_port: u16,
    patterns: Patterns,
    msg_cnt: usize,
    msg_sent: i32,
    cycle: i32,
}

/// `next_assoc`: the next association of socket `i` with messages left, from the pattern.
fn next_assoc(
    assocs: &[Assoc],
    state: usize,
    pattern: i32,
    repeat: i32,
    rng: &mut CRand,
) -> Option<usize> {
    let n = assocs.len();
    if n == 0 {
        return None;
    }
    let start = if pattern == 1 {
        rng.rand() as usize % n
    } else if state + 1 >= n {
        0
    } else {
        state + 1
    };
    let mut j = start;
    loop {
        if assocs[j].msg_sent < repeat {
            return Some(j);
        }
        j = (j + 1) % n;
        if j == start {
            return None;
        }
    }
}

/// `mixed_mode_test`.
pub(super) fn run(cfg: &Config, rng: &mut CRand) -> Result<(), Exit> {
    let repeat = cfg.repeat.saturating_mul(cfg.msg_cnt as i32);
    let local = cfg.local_addr()?;
    let count = if cfg.listeners == 0 {
        1
    } else {
        cfg.listeners as usize
    };
    let mut sockets = Vec::with_capacity(count);
    for i in 0..count {
        let s = socket_r(cfg, &local)?;
        let mut at = local;
        at.set_port(cfg.local_port.wrapping_add(i as u16));
        testgen::bind_retrying(cfg.debug, &s, &at)?;
        if cfg.listeners != 0 {
            testgen::listen(cfg.debug, &s, 100)?;
        }
        raise_rcvbuf(cfg, &s)?;
        sockets.push(Arc::new(s));
    }
    let readers: Vec<_> = if cfg.listeners != 0 {
        sockets
            .iter()
            .map(|s| {
                let (s, cfg) = (Arc::clone(s), cfg.clone());
                std::thread::spawn(move || print_all(&cfg, &s))
            })
            .collect()
    } else {
        Vec::new()
    };
    if cfg.tosend > 0 {
        send_all(cfg, &sockets, repeat, rng)?;
    }
    for r in readers {
        if let Ok(Err(e)) = r.join() {
            return Err(e);
        }
    }
    Ok(())
}

/// The mixed mode's reading side of one socket: prints every message (with its `SNDRCV`).
fn print_all(cfg: &Config, s: &Socket) -> Result<(), Exit> {
    let mut buf = vec![0u8; sock::RECV_SIZE];
    loop {
        let r = match sock::recv(s.as_fd(), &mut buf, libc::MSG_WAITALL) {
            Ok(r) => r,
            // The other sockets keep the process alive: end it here, as the C tool leaves
            // its loop on the first failed read.
            Err(e) => std::process::exit(
                Exit::fail(format!("recvmsg: {}", strerror(&e))).report(&cfg.prog),
            ),
        };
        if r.len == 0 && !r.is_notification() {
            crate::show::out("\n\t\trecvmsg() returned 0 !!!!\n");
        }
        crate::show::out(show::test_message(cfg.debug.0, &r, &buf, r.sndrcv.as_ref()));
    }
}

/// The mixed mode's sending side: one message per socket per round, until every
/// association of every socket sent `repeat` messages (for ever with `-x 0`).
fn send_all(
    cfg: &Config,
    sockets: &[Arc<Socket>],
    repeat: i32,
    rng: &mut CRand,
) -> Result<(), Exit> {
    let remote = cfg
        .remote
        .ok_or_else(|| Exit::usage("Clients need remote address & port"))?;
    let mut state: Vec<(usize, Vec<Assoc>)> = sockets
        .iter()
        .map(|_| {
            let assocs = (0..cfg.tosend)
                .map(|j| Assoc {
                    rem_port: cfg.remote_port.wrapping_add(j as u16),
                    ..Assoc::default()
                })
                .collect();
            (0, assocs)
        })
        .collect();
    loop {
        for (i, s) in sockets.iter().enumerate() {
            let (last, assocs) = &mut state[i];
            let Some(j) = next_assoc(assocs, *last, cfg.assoc_pattern, repeat, rng) else {
                if cfg.listeners == 0 {
                    return Ok(());
                }
                continue;
            };
            *last = j;
            let a = &mut assocs[j];
            let m = a.patterns.next(cfg, a.msg_cnt, rng)?;
            let mut to: SocketAddr = remote;
            to.set_port(a.rem_port);
            crate::show::out(m.describe(cfg.debug, s.as_raw_fd(), j, false));
            testgen::send_test(s, Some(&to), &m)?;
            a.msg_cnt = (a.msg_cnt + 1) % MSG_CNT;
            a.msg_sent += 1;
            if a.msg_sent >= repeat {
                a.cycle += 1;
                eprintln!(
                    "Association #{j} in sk={} has completed {} msg as cycle {}.",
                    s.as_raw_fd(),
                    a.msg_sent,
                    a.cycle
                );
                if cfg.xflag {
                    a.msg_sent = 0;
                }
            }
        }
        if state
            .iter()
            .all(|(_, a)| a.iter().all(|x| x.msg_sent >= repeat))
            && cfg.listeners != 0
        {
            // Nothing left to send; the readers keep printing (the C tool's loop never ends
            // while it listens).
            return Ok(());
        }
    }
}
