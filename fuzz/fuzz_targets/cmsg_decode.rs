//! Fuzzes the receive-side cmsg decoder (`linux_sctp_sys::cmsg::decode`) on arbitrary control bytes,
//! and the encoder/decoder pair on arbitrary send parameters.
//!
//! Checks: no panic; `decode_truncated` agrees with `decode` whenever `decode` succeeds; the
//! iterator never yields a payload that runs past the input; an encoding always walks back
//! into exactly the messages that were asked for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linux_sctp_sys::cmsg::{self, CmsgBuffer, CmsgIter, SendCmsgs};
use linux_sctp_sys::{sctp_prinfo, sctp_sndinfo};

fuzz_target!(|data: &[u8]| {
    let strict = cmsg::decode(data);
    let lenient = cmsg::decode_truncated(data);
    if let Ok(full) = strict {
        assert_eq!(full, lenient);
    }
    let mut total = 0usize;
    for m in CmsgIter::new(data) {
        match m {
            Ok(m) => {
                total += m.data.len();
                assert!(total <= data.len());
            }
            Err(_) => break,
        }
    }

    // Use the first bytes as send parameters and round-trip them through the encoder.
    if data.len() >= 12 {
        let sid = u16::from_ne_bytes([data[0], data[1]]);
        let ppid = u32::from_ne_bytes([data[2], data[3], data[4], data[5]]);
        let n = usize::from(data[6] % 40);
        let addrs: Vec<std::net::SocketAddr> = (0..n)
            .map(|i| {
                if data[7] & 1 == 0 {
                    std::net::SocketAddr::from(([10, 0, 0, i as u8], 1))
                } else {
                    std::net::SocketAddr::from(([0xfe80, 0, 0, 0, 0, 0, 0, i as u16], 1))
                }
            })
            .collect();
        let c = SendCmsgs {
            sndinfo: (data[8] & 1 == 1).then_some(sctp_sndinfo {
                snd_sid: sid,
                snd_ppid: ppid,
                ..Default::default()
            }),
            prinfo: (data[8] & 2 == 2).then_some(sctp_prinfo {
                pr_policy: u16::from(data[9]),
                pr_value: ppid,
            }),
            dstaddrs: &addrs,
            ..Default::default()
        };
        let mut buf = CmsgBuffer::new();
        let bytes = cmsg::encode(&c, &mut buf).expect("small encodings fit");
        assert_eq!(bytes.len(), c.space());
        let count = CmsgIter::new(bytes)
            .map(|m| m.expect("own encoding parses"))
            .count();
        let want = usize::from(c.sndinfo.is_some()) + usize::from(c.prinfo.is_some()) + n;
        assert_eq!(count, want);
    }
});
