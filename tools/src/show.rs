//! The C tools' printing of received messages, notifications and statistics, as pure
//! functions from what the kernel returned to the exact text the C tool prints.
//!
//! Two families: lksctp's test library `test_print_message` (sctp_darn: an `SNDRCV` block,
//! then `DATA(n):  text` or `NOTIFICATION: ...`) and sctp_test's own `print_message` (one
//! line per message whose detail depends on the debug level).

use std::fmt::Write as _;
use std::net::SocketAddr;

use linux_sctp_sys::sctp_sndrcvinfo;
use tokio_linux_sctp::notification::{AssocChangeState, Notification};
use tokio_linux_sctp::opts::AssocStats;

use crate::addr::darn_sockaddr;
use crate::sock;

/// Prints `text` on stdout and flushes (the C tools flush after every print that matters).
pub fn out(text: impl AsRef<str>) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_ref().as_bytes());
    let _ = o.flush();
}

/// C's `isprint` in the C locale.
fn isprint(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// The 32-bit field at `off` of a notification, in host order (0 if out of range).
fn u32_at(bytes: &[u8], off: usize) -> u32 {
    bytes
        .get(off..off + 4)
        .map_or(0, |b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

// ---------------------------------------------------------------------------------------
// sctp_darn (lksctp test library)
// ---------------------------------------------------------------------------------------

/// The `SNDRCV` block `test_print_cmsg` prints for a data message's control message.
pub fn darn_sndrcv(s: &sctp_sndrcvinfo) -> String {
    format!(
        "SNDRCV\n   sinfo_stream {}\n   sinfo_ssn {}\n   sinfo_flags 0x{:x}\n   sinfo_ppid {}\n   \
         sinfo_context {:x}\n   sinfo_tsn     {}\n   sinfo_cumtsn  {}\n   sinfo_assoc_id  {}\n",
        s.sinfo_stream,
        s.sinfo_ssn,
        s.sinfo_flags,
        s.sinfo_ppid,
        s.sinfo_context,
        s.sinfo_tsn,
        s.sinfo_cumtsn,
        s.sinfo_assoc_id as u32
    )
}

/// `test_print_message`: the control message block, then `DATA(n):  text` (the message's
/// bytes but the last, unprintable ones as `.`) or `NOTIFICATION: ...`, then a newline.
pub fn darn_message(r: &sock::Received, bytes: &[u8]) -> String {
    let mut out = String::new();
    if let Some(s) = &r.sndrcv {
        out.push_str(&darn_sndrcv(s));
    }
    if !r.is_notification() {
        let _ = write!(out, "DATA({}):  ", r.len);
        let data = &bytes[..r.len.min(bytes.len())];
        // The C tool overwrites the last byte with the string's NUL (unless the read filled
        // its whole buffer: then every byte is shown).
        let shown = if r.len < sock::RECV_SIZE {
            &data[..data.len().saturating_sub(1)]
        } else {
            data
        };
        out.extend(
            shown
                .iter()
                .map(|&b| if isprint(b) { b as char } else { '.' }),
        );
    } else {
        out.push_str("NOTIFICATION: ");
        match sock::notification(bytes) {
            Some(Notification::AssocChange(c)) => {
                let _ = match c.state {
                    AssocChangeState::CommUp => write!(out, "ASSOC_CHANGE - COMM_UP"),
                    AssocChangeState::CommLost => write!(out, "ASSOC_CHANGE - COMM_LOST"),
                    AssocChangeState::Restart => write!(out, "ASSOC_CHANGE - RESTART"),
                    AssocChangeState::ShutdownComplete => {
                        write!(out, "ASSOC_CHANGE - SHUTDOWN_COMP")
                    }
                    AssocChangeState::CantStartAssoc => {
                        write!(out, "ASSOC_CHANGE - CANT_STR_ASSOC")
                    }
                    other => write!(out, "ASSOC_CHANGE - UNEXPECTED({})", other.to_raw()),
                };
            }
            _ => {
                let _ = write!(out, "{}", sock::sn_type(bytes));
            }
        }
    }
    out.push('\n');
    out
}

/// What sctp_darn's `test_verify_assoc_change` prints for an association change
/// (`Received SCTP_COMM_UP`, ...; nothing for a state it does not know).
pub fn darn_assoc_change(state: AssocChangeState) -> &'static str {
    match state {
        AssocChangeState::CommUp => "Received SCTP_COMM_UP\n",
        AssocChangeState::CommLost => "Received SCTP_COMM_LOST\n",
        AssocChangeState::Restart => "Received SCTP_RESTART\n",
        AssocChangeState::ShutdownComplete => "Received SCTP_SHUTDOWN_COMP\n",
        AssocChangeState::CantStartAssoc => "Received SCTP_CANT_STR_ASSOC\n",
        _ => "",
    }
}

/// sctp_darn's `print_addr_buf`: one `print_sockaddr` per line.
pub fn darn_addr_list(addrs: &[SocketAddr]) -> String {
    addrs.iter().map(|a| darn_sockaddr(a) + "\n").collect()
}

/// sctp_darn's `stats` command (`SCTP_GET_ASSOC_STATS`).
pub fn darn_assoc_stats(s: &AssocStats) -> String {
    let transport = match &s.max_rto_address {
        Some(a) => darn_sockaddr(a),
        // An all-zero sockaddr_storage: the C tool takes its IPv6 branch.
        None => "0000:0000:0000:0000:0000:0000:0000:0000:0".to_owned(),
    };
    format!(
        "Retransmitted Chunks: {}\nGap Acknowledgements Received: {}\nTSN received > next \
         expected: {}\nSACKs sent: {}\nSACKs received: {}\nControl chunks sent: {}\nControl \
         chunks received: {}\nOrdered data chunks sent: {}\nOrdered data chunks received: {}\n\
         Unordered data chunks sent: {}\nUnordered data chunks received: {}\nDups received \
         (ordered+unordered): {}\nPackets sent: {}\nPackets received: {}\nMaximum Observed RTO \
         this period: {} - Transport: {transport}\n",
        s.retransmitted_chunks,
        s.gap_count,
        s.out_of_seq_tsns,
        s.out_sacks,
        s.in_sacks,
        s.out_control_chunks,
        s.in_control_chunks,
        s.out_ordered_chunks,
        s.in_ordered_chunks,
        s.out_unordered_chunks,
        s.in_unordered_chunks,
        s.in_dup_chunks,
        s.out_packets,
        s.in_packets,
        s.max_rto_jiffies,
    )
}

// ---------------------------------------------------------------------------------------
// sctp_test / sctp_status
// ---------------------------------------------------------------------------------------

/// sctp_test's debug levels (`-d`).
pub const DEBUG_NONE: i32 = 0;
/// `-d 1`.
pub const DEBUG_MIN: i32 = 1;
/// `-d 2` (sctp_test's default).
pub const DEBUG_MAX: i32 = 2;

/// sctp_test's names of association change states (`sac_state_tbl`).
fn test_assoc_state(raw: u16) -> &'static str {
    match raw {
        0 => "COMMUNICATION_UP",
        1 => "COMMUNICATION_LOST",
        2 => "RESTART",
        3 => "SHUTDOWN_COMPLETE",
        4 => "CANT_START_ASSOCICATION",
        _ => "UNKNOWN",
    }
}

/// sctp_test's `print_message` at debug level `debug`: `Data n bytes. First k bytes: text`
/// for data, `Notification: ...` for a notification, and the `SNDRCV` control message when
/// `cmsg` is given. `bytes` holds what the read returned.
pub fn test_message(
    debug: i32,
    r: &sock::Received,
    bytes: &[u8],
    cmsg: Option<&sctp_sndrcvinfo>,
) -> String {
    let mut out = String::new();
    let min = debug >= DEBUG_MIN;
    let max = debug >= DEBUG_MAX;
    if !r.is_notification() {
        let len = r.len.min(bytes.len());
        if min {
            let _ = write!(out, "Data {len} bytes.");
        }
        if max {
            let _ = write!(out, " First {} bytes: ", len.min(10));
        }
        let data = &bytes[..len];
        if len == 1 && data[0] == 0 {
            if min {
                out.push_str("<empty> text[0]=0");
            }
        } else if max && len > 0 {
            // All bytes but the last are shown printable; the C string ends at the first
            // NUL among the first nine (only the last byte can be one), or after nine.
            let mut shown = Vec::with_capacity(9);
            for (i, &b) in data.iter().take(9).enumerate() {
                let b = if i + 1 < len && !isprint(b) { b'.' } else { b };
                if b == 0 {
                    break;
                }
                shown.push(b);
            }
            out.push_str(&String::from_utf8_lossy(&shown));
        }
        if min {
            out.push('\n');
        }
        if let (Some(s), true) = (cmsg, min) {
            if max {
                let _ = writeln!(
                    out,
                    "\t  SNDRCV(stream={} ssn={} tsn={} flags=0x{:x} ppid={}\ncumtsn={}",
                    s.sinfo_stream,
                    s.sinfo_ssn,
                    s.sinfo_tsn,
                    s.sinfo_flags,
                    s.sinfo_ppid,
                    s.sinfo_cumtsn
                );
            }
        }
        return out;
    }
    if min {
        out.push_str("Notification:");
    }
    let n = sock::notification(bytes);
    match n {
        Some(Notification::AssocChange(c)) => {
            let raw = c.state.to_raw();
            if min {
                let _ = writeln!(out, " SCTP_ASSOC_CHANGE({})", test_assoc_state(raw));
            }
            if max {
                let _ = writeln!(
                    out,
                    "\t\t(assoc_change: state={raw}, error={}, instr={} outstr={})",
                    c.error, c.inbound_streams, c.outbound_streams
                );
            }
        }
        Some(Notification::PeerAddrChange(p)) => {
            if min {
                out.push_str(" SCTP_PEER_ADDR_CHANGE\n");
            }
            if max {
                let _ = writeln!(
                    out,
                    "\t\t(peer_addr_change: {} state={}, error={})",
                    p.addr.ip(),
                    p.state.to_raw(),
                    p.error
                );
            }
        }
        Some(Notification::SendFailed(f)) => {
            if min {
                out.push_str(" SCTP_SEND_FAILED\n");
            }
            if max {
                let _ = writeln!(
                    out,
                    "\t\t(sendfailed: len={} err={})",
                    u32_at(bytes, 4) as u16,
                    f.error as i32
                );
            }
        }
        Some(Notification::RemoteError(e)) => {
            if min {
                out.push_str(" SCTP_REMOTE_ERROR\n");
            }
            if max {
                let _ = writeln!(out, "\t\t(remote_error: err={})", e.cause);
            }
        }
        Some(Notification::Shutdown(_)) => {
            if min {
                out.push_str(" SCTP_SHUTDOWN_EVENT\n");
            }
        }
        _ => {
            if min {
                let _ = writeln!(out, " Unknown type: {}", sock::sn_type(bytes));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(len: usize) -> sock::Received {
        sock::Received {
            len,
            flags: libc::MSG_EOR,
            from: None,
            sndrcv: None,
        }
    }

    #[test]
    fn darn_data_hides_the_last_byte_and_dots_the_unprintable() {
        let r = data(7);
        assert_eq!(darn_message(&r, b"hello\n\0"), "DATA(7):  hello.\n");
        let r = sock::Received {
            sndrcv: Some(sctp_sndrcvinfo {
                sinfo_stream: 2,
                sinfo_ssn: 1,
                sinfo_ppid: 9,
                sinfo_tsn: 5,
                sinfo_assoc_id: 4,
                ..Default::default()
            }),
            ..data(3)
        };
        assert_eq!(
            darn_message(&r, b"a\x01b"),
            "SNDRCV\n   sinfo_stream 2\n   sinfo_ssn 1\n   sinfo_flags 0x0\n   sinfo_ppid 9\n   \
             sinfo_context 0\n   sinfo_tsn     5\n   sinfo_cumtsn  0\n   sinfo_assoc_id  4\n\
             DATA(3):  a.\n"
        );
    }

    #[test]
    fn test_data_at_each_debug_level() {
        let msg = b"0123456789012\0";
        let r = data(msg.len());
        assert_eq!(
            test_message(2, &r, msg, None),
            "Data 14 bytes. First 10 bytes: 012345678\n"
        );
        assert_eq!(test_message(1, &r, msg, None), "Data 14 bytes.\n");
        assert_eq!(test_message(0, &r, msg, None), "");
        let one = data(1);
        assert_eq!(
            test_message(2, &one, b"\0", None),
            "Data 1 bytes. First 1 bytes: <empty> text[0]=0\n"
        );
        assert_eq!(
            test_message(2, &data(4), b"hi\n\0", None),
            "Data 4 bytes. First 4 bytes: hi.\n"
        );
        let s = sctp_sndrcvinfo {
            sinfo_stream: 2,
            sinfo_tsn: 3,
            sinfo_flags: 1,
            sinfo_ppid: 7,
            sinfo_cumtsn: 3,
            ..Default::default()
        };
        assert_eq!(
            test_message(2, &data(2), b"0\0", Some(&s)),
            "Data 2 bytes. First 2 bytes: 0\n\t  SNDRCV(stream=2 ssn=0 tsn=3 flags=0x1 ppid=7\n\
             cumtsn=3\n"
        );
        assert_eq!(
            test_message(1, &data(2), b"0\0", Some(&s)),
            "Data 2 bytes.\n"
        );
    }

    #[test]
    fn notifications_of_any_size_never_panic() {
        let n = sock::Received {
            len: 3,
            flags: linux_sctp_sys::MSG_NOTIFICATION | libc::MSG_EOR,
            from: None,
            sndrcv: None,
        };
        for bytes in [&b""[..], b"\x01", b"\x01\x80\x00"] {
            let _ = test_message(2, &n, bytes, None);
            let _ = darn_message(&n, bytes);
        }
        assert_eq!(darn_message(&n, b"\x05\x80\x00"), "NOTIFICATION: 32773\n");
    }
}
