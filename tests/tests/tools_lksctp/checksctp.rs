//! checksctp: the C tool's answer and lines, and `-v`.

use crate::netlab::Netns;
use crate::support::{assert_same_lines, one_line, run, tool, tool_here, Impl};

/// Both checksctp find SCTP in the lab kernel: exit status 0, `SCTP supported` on stderr,
/// nothing on stdout (golden: the same output line by line).
#[test]
fn checksctp_finds_sctp_like_the_c_tool() {
    let ours = run(tool_here(Impl::Ours, "checksctp", &[]), b"");
    let c = run(tool_here(Impl::C, "checksctp", &[]), b"");
    assert_eq!((ours.code, c.code), (Some(0), Some(0)));
    assert_same_lines("checksctp stderr", &ours.stderr, &c.stderr);
    assert_same_lines("checksctp stdout", &ours.stdout, &c.stdout);
    assert_eq!(ours.stderr, "SCTP supported\n");
}

/// `checksctp -v` reports the module and each `net.sctp.*` extension sysctl with the value
/// the namespace has: turning AUTH and ADD-IP on in a namespace shows there, and only there.
#[test]
fn checksctp_v_reports_the_namespaces_extensions() {
    let ns = Netns::new("cksv");
    ns.exec(
        "dash",
        "sh",
        &[
            "-c",
            "echo 1 > /proc/sys/net/sctp/auth_enable && echo 1 > /proc/sys/net/sctp/addip_enable \
             && echo 9899 > /proc/sys/net/sctp/udp_port",
        ],
    );
    let inside = run(tool(&ns, Impl::Ours, "checksctp", &["-v"]), b"");
    assert_eq!(inside.code, Some(0), "{inside:?}");
    let outside = run(tool_here(Impl::Ours, "checksctp", &["-v"]), b"");
    assert_eq!(outside.code, Some(0), "{outside:?}");
    assert!(
        inside.stdout.contains("module: sctp loaded as a module"),
        "{}",
        inside.stdout
    );
    for (name, _) in linux_sctp_names() {
        let want = std::fs::read_to_string(format!("/proc/sys/net/sctp/{name}")).unwrap();
        assert!(
            outside
                .stdout
                .contains(&format!("net.sctp.{name} = {} (", want.trim())),
            "{name}: {}",
            outside.stdout
        );
    }
    assert!(
        inside.stdout.contains("net.sctp.auth_enable = 1 ("),
        "{}",
        inside.stdout
    );
    assert!(
        inside.stdout.contains("net.sctp.addip_enable = 1 ("),
        "{}",
        inside.stdout
    );
    assert!(
        inside.stdout.contains(
            "net.sctp.udp_port = 9899 (UDP encapsulation port, 0 = off (RFC 6951): on, port 9899)"
        ),
        "{}",
        inside.stdout
    );
    assert!(
        outside.stdout.contains("net.sctp.auth_enable = 0 ("),
        "{}",
        outside.stdout
    );
    assert_eq!(inside.stderr, "SCTP supported\n");
}

fn linux_sctp_names() -> [(&'static str, ()); 7] {
    [
        ("auth_enable", ()),
        ("addip_enable", ()),
        ("prsctp_enable", ()),
        ("reconf_enable", ()),
        ("intl_enable", ()),
        ("ecn_enable", ()),
        ("udp_port", ()),
    ]
}

/// A bad command line is one line on stderr and exit status 1 (the C tool ignores its
/// arguments).
#[test]
fn checksctp_refuses_unknown_options() {
    for args in [&["-x"][..], &["extra"]] {
        let out = run(tool_here(Impl::Ours, "checksctp", args), b"");
        assert_eq!(out.code, Some(1), "{args:?}: {out:?}");
        let line = one_line("checksctp", &out.stderr);
        assert!(line.starts_with("checksctp: "), "{line}");
    }
}
