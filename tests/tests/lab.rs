//! The test environment itself: every kernel test in this workspace must reach a real SCTP
//! stack (natively, or in the lab through `lab/cargo-runner`). These fail, never skip, when it
//! cannot. They check the kernel they run on (an SCTP socket, `/proc/sys/net/sctp`); the 6.1
//! lab kernel runs both.

use std::ffi::CStr;

#[test]
fn kernel_has_sctp() {
    // SAFETY: socket() takes no pointers; the returned fd is closed below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, libc::IPPROTO_SCTP) };
    let err = std::io::Error::last_os_error();
    assert!(fd >= 0, "socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP) failed: {err} (the test runner must provide a kernel with SCTP)");
    // SAFETY: fd is a valid descriptor we own.
    unsafe { libc::close(fd) };
    assert!(std::path::Path::new("/proc/sys/net/sctp").is_dir());
}

#[test]
fn report_kernel() {
    // SAFETY: utsname is plain data; uname fills it.
    let mut uts: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: &mut uts is a valid pointer to a utsname.
    assert_eq!(unsafe { libc::uname(&mut uts) }, 0);
    // SAFETY: the kernel NUL-terminates release.
    let release = unsafe { CStr::from_ptr(uts.release.as_ptr()) };
    println!("kernel under test: Linux {}", release.to_string_lossy());
    assert!(!release.to_bytes().is_empty());
}
