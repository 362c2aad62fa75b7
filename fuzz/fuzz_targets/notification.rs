//! Fuzzes `tokio_linux_sctp::notification::Notification::parse`, the parser of the bytes the
//! kernel (and, through ERROR and ABORT chunks, the peer) puts in a `MSG_NOTIFICATION` read.
//!
//! Besides "never panics", it checks that a successful parse is consistent: both entry
//! points agree, the type matches the header, and every prefix shorter than `sn_length` is
//! reported as truncated.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use tokio_linux_sctp::notification::{Notification, NotificationError};

fuzz_target!(|data: &[u8]| {
    let parsed = Notification::parse(data);
    let shared = Notification::parse_bytes(&Bytes::copy_from_slice(data));
    assert_eq!(parsed, shared);

    let Ok(n) = parsed else { return };
    let sn_type = u16::from_ne_bytes([data[0], data[1]]);
    let sn_length = u32::from_ne_bytes([data[4], data[5], data[6], data[7]]) as usize;
    assert!(sn_length <= data.len());
    assert_eq!(n.sn_type(), sn_type);
    assert_eq!(n.assoc_id().is_some(), n.event_type().is_some());

    // Any cut inside the notification is a truncation, never a different notification.
    for cut in [0, 1, 7, 8, sn_length / 2, sn_length.saturating_sub(1)] {
        if cut < sn_length {
            assert!(matches!(
                Notification::parse(&data[..cut]),
                Err(NotificationError::Truncated { .. })
            ));
        }
    }
});
