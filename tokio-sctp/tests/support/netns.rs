//! Private network namespaces for kernel tests that change per-namespace state (`net.sctp.*`
//! sysctls, `iptables` rules, `tc` qdiscs) without touching the other tests.
//!
//! Shared by tokio-linux-sctp's own tests (`support::netns`) and the `tests` crate's lksctp ports
//! (`lksctp_support::netns`, included with `#[path]`), so both make namespaces the same way.
//! Needs root (`CAP_SYS_ADMIN`, `CAP_NET_ADMIN`), which the lab gives; without it the caller
//! fails at `unshare`, it is never skipped.

use std::io;
use std::process::Command;

/// Moves the calling thread (only it: `unshare(CLONE_NEWNET)` is per thread) into a new
/// network namespace, brings its loopback up and sets the given `net.sctp.*` sysctls, each
/// read back to prove it took. Call it on a thread of its own that ends with the namespace's
/// work, or that keeps a handle to it (`/proc/thread-self/ns/net`).
pub fn enter_new(sysctls: &[(&str, &str)]) {
    // SAFETY: unshare(2) takes no pointers; CLONE_NEWNET moves only the calling thread into
    // a new network namespace, which the caller's contract reserves for this purpose.
    let rc = unsafe { libc::unshare(libc::CLONE_NEWNET) };
    assert_eq!(
        rc,
        0,
        "unshare(CLONE_NEWNET): {}",
        io::Error::last_os_error()
    );
    let up = Command::new("ip")
        .args(["link", "set", "lo", "up"])
        .status()
        .expect("ip (iproute2)");
    assert!(up.success(), "ip link set lo up: {up}");
    for (k, v) in sysctls {
        let path = format!("/proc/sys/net/sctp/{k}");
        std::fs::write(&path, v).unwrap_or_else(|e| panic!("{path}: {e}"));
        let back = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(back.trim(), *v, "{path}");
    }
}
