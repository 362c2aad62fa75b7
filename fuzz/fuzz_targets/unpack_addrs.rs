//! Fuzzes the packed address-list parser (`linux_sctp_sys::addr::unpack_addrs`) and the single
//! address reader on arbitrary bytes and counts.
//!
//! Checks: no panic; a successful parse re-packs to exactly the bytes it consumed (the format
//! has no slack except `sin_zero`, which `pack_addrs` writes as zeroes, so the comparison skips
//! IPv4 entries whose `sin_zero` is not zero).
#![no_main]

use libfuzzer_sys::fuzz_target;
use linux_sctp_sys::addr::{pack_addrs, socket_addr_from_bytes, unpack_addrs};

fuzz_target!(|input: (u8, &[u8])| {
    let (count, data) = input;
    let count = usize::from(count);
    let _ = socket_addr_from_bytes(data);
    let Ok(addrs) = unpack_addrs(data, count) else {
        return;
    };
    assert_eq!(addrs.len(), count);
    let packed = pack_addrs(&addrs);
    assert!(packed.len() <= data.len());
    // Walk both lists together and compare entry by entry.
    let mut off = 0;
    for a in &addrs {
        let (b, used) = socket_addr_from_bytes(&data[off..]).unwrap();
        assert_eq!(*a, b);
        let zero_padded = used == 28 || data[off + 8..off + 16].iter().all(|&x| x == 0);
        if zero_padded {
            assert_eq!(&packed[off..off + used], &data[off..off + used]);
        }
        off += used;
    }
    assert_eq!(off, packed.len());
});
