//! The server: accepts associations (one task per association on a one-to-one listener, or
//! one loop over every association of a one-to-many endpoint), feeds what arrives into each
//! association's [`Session`] and carries out what it says (reply, echo, print a finished
//! run).

use std::collections::HashMap;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use tokio::sync::Notify;
use tokio_linux_sctp::error::{Error, ErrorKind};
use tokio_linux_sctp::message::{RecvInfo, SendInfo};
use tokio_linux_sctp::notification::{AssocChangeState, Notification};
use tokio_linux_sctp::{AssocId, SctpEndpoint, SctpListener, SctpSocket, SctpStream};

use super::cli::{Options, Role};
use super::net;
use super::report::server_line;
use super::session::{Action, Session};
use super::wire::CONTROL_PPID;

/// A server socket that listens.
pub enum Listening {
    /// One-to-one: a listener, one socket per association.
    OneToOne(SctpListener),
    /// One-to-many: one endpoint for every association.
    OneToMany(SctpEndpoint),
}

/// Makes `socket` (from [`net::server_socket`]) listen, and says so (except as the server
/// half of a `-L` run, which prints nothing).
///
/// # Errors
///
/// The `listen` error.
pub fn listen(o: &Options, socket: SctpSocket) -> Result<Listening, String> {
    let local = socket
        .local_addrs()
        .map(|a| net::join(&a))
        .unwrap_or_default();
    let listening = if o.one_to_many {
        let endpoint = socket
            .into_endpoint()
            .map_err(|e| format!("endpoint: {e}"))?;
        endpoint.listen(128).map_err(|e| format!("listen: {e}"))?;
        Listening::OneToMany(endpoint)
    } else {
        Listening::OneToOne(socket.listen(128).map_err(|e| format!("listen: {e}"))?)
    };
    if !o.json && o.role != Role::Loopback {
        let style = if o.one_to_many {
            "one-to-many"
        } else {
            "one-to-one"
        };
        println!(
            "sctp_perf: server on {local}, {style}, {} streams",
            o.streams
        );
    }
    Ok(listening)
}

/// Serves clients until killed, or (`-1`) until the first client's associations are gone.
///
/// # Errors
///
/// With `-1`, an association that ended in the middle of a run; an accept or receive
/// failure of the listening socket.
pub async fn serve(o: Arc<Options>, listening: Listening) -> Result<(), String> {
    match listening {
        Listening::OneToMany(endpoint) => serve_endpoint(&o, &endpoint).await,
        Listening::OneToOne(listener) => serve_listener(o, listener).await,
    }
}

/// Accepts associations, one task each.
async fn serve_listener(o: Arc<Options>, listener: SctpListener) -> Result<(), String> {
    let live = Arc::new(AtomicUsize::new(0));
    let gone = Arc::new(Notify::new());
    let failed = Arc::new(Mutex::new(None::<String>));
    let mut served = false;
    loop {
        tokio::select! {
            r = listener.accept() => {
                let (stream, peers) = r.map_err(|e| format!("accept: {e}"))?;
                let peer = peers.first().map(ToString::to_string).unwrap_or_default();
                served = true;
                live.fetch_add(1, Ordering::SeqCst);
                let (o, live, gone, failed) =
                    (Arc::clone(&o), Arc::clone(&live), Arc::clone(&gone), Arc::clone(&failed));
                tokio::spawn(async move {
                    if let Err(e) = serve_stream(&o, stream, &peer).await {
                        eprintln!("sctp_perf: {peer}: {e}");
                        if let Ok(mut f) = failed.lock() {
                            f.get_or_insert(format!("{peer}: {e}"));
                        }
                    }
                    live.fetch_sub(1, Ordering::SeqCst);
                    gone.notify_one();
                });
            }
            () = gone.notified(), if o.one_off => {}
        }
        if o.one_off && served && live.load(Ordering::SeqCst) == 0 {
            let failure = failed.lock().ok().and_then(|mut f| f.take());
            return failure.map_or(Ok(()), Err);
        }
    }
}

/// Reads one message or, with `batch` > 1, up to `batch` (one `recvmmsg`).
async fn recv_some(
    s: &SctpStream,
    out: &mut Vec<(Bytes, RecvInfo)>,
    batch: usize,
) -> Result<(), Error> {
    out.clear();
    if batch > 1 {
        s.recv_batch(out, batch).await.map(drop)
    } else {
        out.push(s.recv().await?);
        Ok(())
    }
}

/// Whether an error is the graceful end of an association (the peer's SHUTDOWN).
fn graceful(e: &Error) -> bool {
    match e.kind() {
        ErrorKind::AssociationEnded { cause } => match &**cause {
            Notification::Shutdown(_) => true,
            Notification::AssocChange(c) => c.state == AssocChangeState::ShutdownComplete,
            _ => false,
        },
        _ => false,
    }
}

fn is_control(info: &RecvInfo) -> bool {
    info.ppid == CONTROL_PPID && info.stream == 0
}

/// Feeds one received message to `session`.
fn feed(
    session: &mut Session,
    msg: &[u8],
    info: &RecvInfo,
    outbound: impl FnOnce() -> u16,
) -> Action {
    if is_control(info) {
        session.on_control(msg, outbound(), Instant::now())
    } else {
        session.on_data(msg.len(), Instant::now)
    }
}

/// What to send for `action` (printing a finished run on the way): a control message, or
/// the echo of `msg`.
fn reply(
    o: &Options,
    action: Action,
    peer: &str,
    msg: Option<(&Bytes, &RecvInfo)>,
) -> Option<(Bytes, SendInfo)> {
    let control = SendInfo::new().ppid(CONTROL_PPID);
    match action {
        Action::None => None,
        Action::Reply(c) => Some((c.encode().into(), control)),
        Action::Finished(c, f) => {
            if o.role != Role::Loopback {
                println!("{}", server_line(peer, &f, o.json));
            }
            Some((c.encode().into(), control))
        }
        Action::Echo => msg.map(|(m, i)| {
            let back = SendInfo::new()
                .stream(i.stream)
                .ppid(i.ppid)
                .unordered(i.flags.is_unordered());
            (m.clone(), back)
        }),
    }
}

/// Serves one one-to-one association until it ends.
async fn serve_stream(o: &Options, stream: SctpStream, peer: &str) -> Result<(), String> {
    net::set_nodelay(stream.as_fd(), o.nodelay)?;
    let mut session = Session::new();
    let mut msgs = Vec::new();
    let stream = &stream;
    let send = |(b, i): (Bytes, SendInfo)| async move {
        stream
            .send(&b, &i)
            .await
            .map(drop)
            .map_err(|e| format!("send: {e}"))
    };
    loop {
        let batch = session.batch();
        let got = match session.deadline() {
            Some(d) => tokio::select! {
                r = recv_some(stream, &mut msgs, batch) => Some(r),
                () = tokio::time::sleep_until(d.into()) => None,
            },
            None => Some(recv_some(stream, &mut msgs, batch).await),
        };
        match got {
            None => {
                let action = session.on_deadline(Instant::now());
                if let Some(out) = reply(o, action, peer, None) {
                    send(out).await?;
                }
            }
            Some(Err(e)) if graceful(&e) && session.idle() => return Ok(()),
            Some(Err(e)) => return Err(format!("association ended during a run: {e}")),
            Some(Ok(())) => {
                for (msg, info) in msgs.drain(..) {
                    let action = feed(&mut session, &msg, &info, || stream.outbound_streams());
                    if let Action::Reply(_) = action {
                        net::fit_sndbuf(stream.as_fd(), session.max_size())?;
                    }
                    if let Some(out) = reply(o, action, peer, Some((&msg, &info))) {
                        send(out).await?;
                    }
                }
            }
        }
    }
}

/// What woke the endpoint loop.
enum Wake {
    Data(Result<usize, Error>),
    Event(Option<Result<Notification, Error>>),
    Deadline,
}

/// Serves every association of a one-to-many endpoint on one loop.
async fn serve_endpoint(o: &Options, endpoint: &SctpEndpoint) -> Result<(), String> {
    let mut events = endpoint.events();
    let mut sessions: HashMap<AssocId, (Session, String)> = HashMap::new();
    let mut msgs = Vec::new();
    let mut served = false;
    let mut failure = None;
    let send = |id: AssocId, (b, i): (Bytes, SendInfo)| async move {
        endpoint
            .send(&b, &i.assoc_id(id))
            .await
            .map(drop)
            .map_err(|e| format!("send: {e}"))
    };
    loop {
        let batch = sessions.values().map(|(s, _)| s.batch()).max().unwrap_or(1);
        let deadline = sessions.values().filter_map(|(s, _)| s.deadline()).min();
        msgs.clear();
        let wake = tokio::select! {
            biased;
            r = endpoint.recv_batch(&mut msgs, batch) => Wake::Data(r),
            ev = events.next() => Wake::Event(ev),
            () = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d.into()).await,
                    None => std::future::pending().await,
                }
            } => Wake::Deadline,
        };
        match wake {
            Wake::Data(r) => {
                r.map_err(|e| format!("recv: {e}"))?;
                for (msg, info) in msgs.drain(..) {
                    let id = info.assoc_id;
                    let (session, peer) = sessions
                        .entry(id)
                        .or_insert_with(|| (Session::new(), peer_of(endpoint, id)));
                    served = true;
                    let action = feed(session, &msg, &info, || {
                        endpoint.outbound_streams(id).unwrap_or(0)
                    });
                    if let Action::Reply(_) = action {
                        net::fit_sndbuf(endpoint.as_fd(), session.max_size())?;
                    }
                    if let Some(out) = reply(o, action, peer, Some((&msg, &info))) {
                        if let Err(e) = send(id, out).await {
                            eprintln!("sctp_perf: {peer}: {e}");
                        }
                    }
                }
            }
            Wake::Event(Some(Ok(Notification::AssocChange(c)))) => {
                if c.state == AssocChangeState::CommUp {
                    served = true;
                    sessions
                        .entry(c.assoc_id)
                        .or_insert_with(|| (Session::new(), peer_of(endpoint, c.assoc_id)));
                } else if c.state.is_terminal() {
                    if let Some((session, peer)) = sessions.remove(&c.assoc_id) {
                        let clean = c.state == AssocChangeState::ShutdownComplete;
                        if !(clean && session.idle()) {
                            let e =
                                format!("{peer}: association ended during a run ({:?})", c.state);
                            eprintln!("sctp_perf: {e}");
                            failure.get_or_insert(e);
                        }
                    }
                }
            }
            Wake::Event(Some(Err(e))) => eprintln!("sctp_perf: event: {e}"),
            Wake::Event(_) => {}
            Wake::Deadline => {
                let now = Instant::now();
                for (&id, (session, peer)) in sessions.iter_mut() {
                    let action = session.on_deadline(now);
                    if let Some(out) = reply(o, action, peer, None) {
                        if let Err(e) = send(id, out).await {
                            eprintln!("sctp_perf: {peer}: {e}");
                        }
                    }
                }
            }
        }
        if o.one_off && served && sessions.is_empty() {
            return failure.map_or(Ok(()), Err);
        }
    }
}

fn peer_of(endpoint: &SctpEndpoint, id: AssocId) -> String {
    endpoint
        .peer_addrs(id)
        .ok()
        .and_then(|a| a.first().map(ToString::to_string))
        .unwrap_or_else(|| format!("association {id}"))
}
