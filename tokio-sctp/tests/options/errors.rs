//! Errors of the option table against the kernel: every error names its option
//! (`"SCTP_RTOINFO: Invalid argument (os error 22)"`), keeps the errno, and converts to an
//! `io::Error` of the errno's kind that still says which option failed.

use crate::support::*;

#[test]
fn kernel_errors_name_the_option() {
    run(|| {
        // A one-to-many socket and an association id that names nothing: EINVAL.
        let m = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
        let o = SocketOptions::new(m.as_fd(), 4242);
        let e = o.rto_info().unwrap_err();
        assert_eq!(
            e.to_string(),
            "SCTP_RTOINFO: Invalid argument (os error 22)"
        );
        assert_eq!(e.socket_option(), Some("SCTP_RTOINFO"));
        assert!(matches!(e.kind(), ErrorKind::Io), "{e:?}");
        assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
        assert_eq!(e.io_kind(), io::ErrorKind::InvalidInput);
        let io: io::Error = e.into();
        assert_eq!(io.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(Error::errno_of(&io), Some(libc::EINVAL));
        assert_eq!(
            io.to_string(),
            "SCTP_RTOINFO: Invalid argument (os error 22)"
        );

        // A setter, a request-field getter and a variable-length one name theirs too.
        let e = o.set_max_burst(8).unwrap_err();
        assert_eq!(
            e.to_string(),
            "SCTP_MAX_BURST: Invalid argument (os error 22)"
        );
        let e = o.stream_scheduler_value(1).unwrap_err();
        assert_eq!(e.socket_option(), Some("SCTP_STREAM_SCHEDULER_VALUE"));
        assert_eq!(e.raw_os_error(), Some(libc::EINVAL));

        // A one-to-one socket has no association count: EOPNOTSUPP, named.
        let s = sock(libc::AF_INET, libc::SOCK_STREAM);
        let e = opts(&s).assoc_number().unwrap_err();
        assert_eq!(e.socket_option(), Some("SCTP_GET_ASSOC_NUMBER"));
        assert_eq!(e.raw_os_error(), Some(libc::EOPNOTSUPP));
        assert_eq!(e.io_kind(), io::ErrorKind::Unsupported);

        // A gated errno: the sysctl, the option and the errno in one error.
        let e = opts(&s).set_auth_key(1, b"key").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("SCTP_AUTH_KEY: the kernel has this SCTP feature turned off"),
            "{e}"
        );
        assert!(e.to_string().contains("net.sctp.auth_enable"), "{e}");
        assert_eq!(e.raw_os_error(), Some(libc::EACCES));
        assert_eq!(e.io_kind(), io::ErrorKind::PermissionDenied);
    });
}
