//! The tools' command lines, without a kernel: `--help` on stdout with status 0 and the C
//! tools' usage texts; a bad command line is one line on stderr and status 1 (2 where the C
//! tool says 2). The interop and golden-output tests against the C tools, which need SCTP,
//! are in `tests/tests/tools_lksctp/`.

use std::process::{Command, Output, Stdio};

fn ours(tool: &str) -> &'static str {
    match tool {
        "checksctp" => env!("CARGO_BIN_EXE_checksctp"),
        "sctp_darn" => env!("CARGO_BIN_EXE_sctp_darn"),
        "sctp_status" => env!("CARGO_BIN_EXE_sctp_status"),
        "sctp_test" => env!("CARGO_BIN_EXE_sctp_test"),
        _ => unreachable!("not one of ours: {tool}"),
    }
}

/// Runs one of ours with `argv[0]` = `tool` (as the C tool is usually run).
fn run(tool: &str, args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    Command::new(ours(tool))
        .arg0(tool)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run the tool")
}

fn c_usage(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{tool} (install lksctp-tools: scripts/setup does): {e}"));
    String::from_utf8(out.stderr).unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

/// `--help` prints the C tool's usage text on stdout (plus what ours adds) and exits 0.
#[test]
fn help_is_the_c_usage_text() {
    let out = run("sctp_test", &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), c_usage("sctp_test", &[]));

    let out = run("sctp_darn", &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let c = c_usage("sctp_darn", &[]);
    let c = c.split_once('\n').expect("a first line").1;
    assert_eq!(text(&out.stdout), c);

    let out = run("sctp_status", &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let ours: String = text(&out.stdout)
        .lines()
        .filter(|l| !l.contains("--stats"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(ours, c_usage("sctp_status", &[]));

    let out = run("checksctp", &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("usage: checksctp [-v]\n"));
}

/// Unknown options, missing values, bad numbers and bad values: one line on stderr naming
/// the problem, nothing on stdout, status 1 (2 for the ones sctp_darn exits 2 on).
#[test]
fn bad_command_lines_are_one_line_errors() {
    let cases: &[(&str, &[&str], i32)] = &[
        ("sctp_test", &["-q"], 1),
        ("sctp_test", &["-l", "-H"], 1),
        ("sctp_test", &["-l", "-x", "ten"], 1),
        ("sctp_test", &["-l", "-c", "7"], 1),
        ("sctp_test", &["-s", "-l"], 1),
        ("sctp_test", &[], 1),
        ("sctp_status", &["-L", "1"], 1),
        ("sctp_status", &["-l", "-I", "0"], 1),
        ("sctp_status", &["-s"], 1),
        ("sctp_darn", &["--bogus"], 1),
        ("sctp_darn", &["--loc", "x"], 1),
        ("sctp_darn", &["-H", "127.0.0.1", "-l", "-P"], 1),
        ("sctp_darn", &["-H", "127.0.0.1"], 1),
        ("sctp_darn", &["-H", "127.0.0.1", "-i", "300"], 2),
        ("sctp_darn", &["-H", "127.0.0.1", "-l", "-z", "-1"], 2),
        (
            "sctp_darn",
            &["-H", "127.0.0.1", "-l", "-B", "no.such.host.invalid"],
            2,
        ),
        ("checksctp", &["-q"], 1),
    ];
    for &(tool, args, code) in cases {
        let out = run(tool, args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{tool} {args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{tool} {args:?}: {err}");
        assert!(
            err.starts_with(&format!("{tool}: ")),
            "{tool} {args:?}: {err}"
        );
        assert!(
            out.stdout.is_empty(),
            "{tool} {args:?}: {}",
            text(&out.stdout)
        );
    }
}
