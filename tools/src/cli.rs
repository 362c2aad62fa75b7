//! Command lines read the way the C tools' `getopt(3)` / `getopt_long(3)` read them, over the
//! `lexopt` lexer, and the tools' exits (status and one-line message).
//!
//! What "the way getopt reads them" means here: short options cluster (`-lT`), a short option
//! that takes a value takes the rest of its cluster (`-P5000`, with no `=` stripping) or else
//! the next argument even when it starts with `-` (`-H -l` sets `H` to `-l`); long options take
//! `--name=value` or `--name value` (an optional value only as `--name=value`) and may be
//! shortened to any unambiguous prefix; operands may appear anywhere (GNU permutation) and
//! everything after `--` is an operand. `--help` is added to every tool.

use std::ffi::OsString;
use std::fmt;

/// Whether a long option takes a value (`struct option`'s `has_arg`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HasArg {
    /// `no_argument`.
    No,
    /// `required_argument`: `--name=value` or `--name value`.
    Required,
    /// `optional_argument`: only `--name=value`.
    Optional,
}

/// What an option is matched on by a tool: its short letter, or its long name when it has
/// no short form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A short option, or a long one that getopt_long maps to the same letter.
    Short(char),
    /// A long-only option.
    Long(&'static str),
}

/// One entry of a tool's long option table.
#[derive(Clone, Copy, Debug)]
pub struct LongOpt {
    /// The name after `--`.
    pub name: &'static str,
    /// Whether it takes a value.
    pub has_arg: HasArg,
    /// What the tool sees when it is given.
    pub key: Key,
}

/// A tool's options: the getopt option string (without a leading `:`) and its long options.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Letters, each followed by `:` when it takes a value (`"H:P:ls"`).
    pub shorts: &'static str,
    /// The long options (empty for plain `getopt` tools).
    pub longs: &'static [LongOpt],
}

/// One option as given, in command-line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt {
    /// Which option.
    pub key: Key,
    /// Its value, if it took one.
    pub value: Option<String>,
}

/// A whole command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The options in order.
    pub opts: Vec<Opt>,
    /// The operands (non-options), in order.
    pub operands: Vec<String>,
    /// `--help` was given.
    pub help: bool,
}

/// Why a command line was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CliError {
    /// An option the tool does not have.
    Unknown(String),
    /// An option that needs a value got none.
    MissingValue(String),
    /// A long option prefix that matches several options.
    Ambiguous(String, Vec<&'static str>),
    /// A value given to a long option that takes none (`--listen=1`).
    UnexpectedValue(String),
    /// An argument that is not valid UTF-8.
    NotUtf8(String),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Unknown(o) => write!(f, "unknown option '{o}'"),
            CliError::MissingValue(o) => write!(f, "option '{o}' needs a value"),
            CliError::Ambiguous(o, c) => write!(
                f,
                "option '{o}' is ambiguous ({})",
                c.iter()
                    .map(|n| format!("--{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CliError::UnexpectedValue(o) => write!(f, "option '{o}' takes no value"),
            CliError::NotUtf8(a) => write!(f, "argument is not valid UTF-8: {a}"),
        }
    }
}

impl std::error::Error for CliError {}

fn utf8(v: OsString) -> Result<String, CliError> {
    v.into_string()
        .map_err(|v| CliError::NotUtf8(v.to_string_lossy().into_owned()))
}

impl Spec {
    /// Whether `c` is a short option, and whether it takes a value.
    fn short(&self, c: char) -> Option<bool> {
        if c == ':' {
            return None;
        }
        let mut chars = self.shorts.chars().peekable();
        while let Some(x) = chars.next() {
            let takes = chars.peek() == Some(&':');
            if takes {
                chars.next();
            }
            if x == c {
                return Some(takes);
            }
        }
        None
    }

    /// The long option `name` stands for: an exact match, else the one option it is a
    /// prefix of.
    fn long(&self, name: &str) -> Result<Option<&LongOpt>, CliError> {
        if let Some(o) = self.longs.iter().find(|o| o.name == name) {
            return Ok(Some(o));
        }
        let matches: Vec<&LongOpt> = self
            .longs
            .iter()
            .filter(|o| !name.is_empty() && o.name.starts_with(name))
            .collect();
        match matches.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            many => Err(CliError::Ambiguous(
                format!("--{name}"),
                many.iter().map(|o| o.name).collect(),
            )),
        }
    }

    /// Parses `args` (without the program name).
    ///
    /// # Errors
    ///
    /// The first [`CliError`] met, as getopt would have reported it.
    pub fn parse<I>(&self, args: I) -> Result<Parsed, CliError>
    where
        I: IntoIterator,
        I::Item: Into<OsString>,
    {
        use lexopt::Arg;
        let mut parser = lexopt::Parser::from_args(args);
        parser.set_short_equals(false);
        let mut parsed = Parsed::default();
        loop {
            let arg = match parser.next() {
                Ok(Some(a)) => a,
                Ok(None) => break,
                // lexopt only fails here on a value left over from `--flag=value`, which
                // is handled below, or on non-UTF-8 option text.
                Err(e) => return Err(CliError::NotUtf8(e.to_string())),
            };
            match arg {
                Arg::Short(c) => {
                    let takes = self
                        .short(c)
                        .ok_or_else(|| CliError::Unknown(format!("-{c}")))?;
                    let value = if takes {
                        let v = parser
                            .value()
                            .map_err(|_| CliError::MissingValue(format!("-{c}")))?;
                        Some(utf8(v)?)
                    } else {
                        None
                    };
                    parsed.opts.push(Opt {
                        key: Key::Short(c),
                        value,
                    });
                }
                Arg::Long(name) => {
                    let name = name.to_owned();
                    let opt = match self.long(&name)? {
                        Some(o) => *o,
                        None if "help".starts_with(name.as_str()) && name.len() >= 2 => {
                            if parser.optional_value().is_some() {
                                return Err(CliError::UnexpectedValue("--help".into()));
                            }
                            parsed.help = true;
                            continue;
                        }
                        None => return Err(CliError::Unknown(format!("--{name}"))),
                    };
                    let shown = format!("--{}", opt.name);
                    let value = match opt.has_arg {
                        HasArg::No => {
                            if parser.optional_value().is_some() {
                                return Err(CliError::UnexpectedValue(shown));
                            }
                            None
                        }
                        HasArg::Optional => parser.optional_value().map(utf8).transpose()?,
                        HasArg::Required => {
                            let v = parser
                                .value()
                                .map_err(|_| CliError::MissingValue(shown.clone()))?;
                            Some(utf8(v)?)
                        }
                    };
                    parsed.opts.push(Opt {
                        key: opt.key,
                        value,
                    });
                }
                Arg::Value(v) => parsed.operands.push(utf8(v)?),
            }
        }
        Ok(parsed)
    }
}

impl Opt {
    /// The option as the user would write it, for messages (`-P`, `--use-poll`).
    pub fn shown(&self) -> String {
        match self.key {
            Key::Short(c) => format!("-{c}"),
            Key::Long(n) => format!("--{n}"),
        }
    }

    /// The option's value (empty when it took none).
    pub fn text(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }

    /// The option's value as a C `int`, see [`int`].
    ///
    /// # Errors
    ///
    /// A usage [`Exit`] naming the option when the value is not an integer.
    pub fn int(&self) -> Result<i32, Exit> {
        int(self.text()).ok_or_else(|| {
            Exit::usage(format!(
                "option {} needs an integer, not '{}'",
                self.shown(),
                self.text()
            ))
        })
    }
}

impl Opt {
    /// The value as a C `int` within `lo..=hi` (`what` names it in the error).
    ///
    /// # Errors
    ///
    /// A usage [`Exit`] for a value that is not an integer or is out of range.
    pub fn int_in(&self, lo: i32, hi: i32, what: &str) -> Result<i32, Exit> {
        let v = self.int()?;
        if v < lo || v > hi {
            return Err(Exit::usage(format!(
                "{} {what} must be {lo}..={hi}, not {v}",
                self.shown()
            )));
        }
        Ok(v)
    }

    /// The value as a port number.
    ///
    /// # Errors
    ///
    /// As [`int_in`](Self::int_in).
    pub fn port(&self) -> Result<u16, Exit> {
        Ok(self.int_in(0, 65535, "port")? as u16)
    }
}

/// Reads a whole C `int` the way `atoi` reads its digits (leading blanks, an optional sign),
/// but refuses what `atoi` would silently turn into 0 or truncate: trailing junk, no digits,
/// values outside `i32`.
pub fn int(text: &str) -> Option<i32> {
    let t = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i64 = digits.parse().ok()?;
    i32::try_from(if neg { -v } else { v }).ok()
}

/// How a tool ends: an exit status and, unless it is a plain status, one line for stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exit {
    /// The process exit status.
    pub code: i32,
    /// The line to print on stderr after `prog: `, if any.
    pub message: Option<String>,
    /// Print the "see --help" hint after the message (bad command lines).
    pub hint: bool,
}

impl Exit {
    /// A plain exit with `code`, nothing printed.
    pub fn status(code: i32) -> Exit {
        Exit {
            code,
            message: None,
            hint: false,
        }
    }

    /// A failure (status 1) with a message.
    pub fn fail(message: impl Into<String>) -> Exit {
        Exit::with(1, message)
    }

    /// A failure with status `code` and a message.
    pub fn with(code: i32, message: impl Into<String>) -> Exit {
        Exit {
            code,
            message: Some(message.into()),
            hint: false,
        }
    }

    /// A bad command line (status 1): the message and a pointer to `--help`.
    pub fn usage(message: impl Into<String>) -> Exit {
        Exit {
            hint: true,
            ..Exit::fail(message)
        }
    }

    /// Prints the message (if any) as `prog: message` on stderr and returns the status.
    pub fn report(&self, prog: &str) -> i32 {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if let Some(m) = &self.message {
            let mut err = std::io::stderr().lock();
            let _ = if self.hint {
                writeln!(err, "{prog}: {m} (see {prog} --help)")
            } else {
                writeln!(err, "{prog}: {m}")
            };
        }
        self.code
    }
}

impl From<CliError> for Exit {
    fn from(e: CliError) -> Exit {
        Exit::usage(e.to_string())
    }
}

/// The program name to print: `argv[0]` as given (as the C tools do), else `default`.
pub fn prog_name(args: &[OsString], default: &str) -> String {
    args.first()
        .map(|a| a.to_string_lossy().into_owned())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// The text of an OS error the way `strerror(3)` shows it ("Connection refused"), without
/// Rust's " (os error N)" suffix.
pub fn strerror(e: &impl CError) -> String {
    e.c_text()
}

/// The `strerror(3)` text of errno `errno`.
pub fn strerror_of(errno: i32) -> String {
    let s = std::io::Error::from_raw_os_error(errno).to_string();
    match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_owned(),
        _ => s,
    }
}

/// An error as the C tools print it: the errno's `strerror(3)` text when there is an errno
/// (without the socket option name tokio-linux-sctp adds), its message otherwise.
pub trait CError {
    /// The text.
    fn c_text(&self) -> String;
}

impl CError for std::io::Error {
    fn c_text(&self) -> String {
        match tokio_linux_sctp::error::Error::errno_of(self) {
            Some(errno) => strerror_of(errno),
            None => self.to_string(),
        }
    }
}

impl CError for tokio_linux_sctp::error::Error {
    fn c_text(&self) -> String {
        match (self.raw_os_error(), self.io_error()) {
            (Some(errno), _) => strerror_of(errno),
            (None, Some(io)) => io.to_string(),
            (None, None) => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DARN: Spec = Spec {
        shorts: "B:H:IP:b:h:i:p:lm:nstz:ec:",
        longs: &[
            LongOpt {
                name: "local",
                has_arg: HasArg::Required,
                key: Key::Short('H'),
            },
            LongOpt {
                name: "local-port",
                has_arg: HasArg::Required,
                key: Key::Short('P'),
            },
            LongOpt {
                name: "use-poll",
                has_arg: HasArg::No,
                key: Key::Long("use-poll"),
            },
            LongOpt {
                name: "interface",
                has_arg: HasArg::Optional,
                key: Key::Long("interface"),
            },
        ],
    };

    fn keys(p: &Parsed) -> Vec<(Key, Option<&str>)> {
        p.opts.iter().map(|o| (o.key, o.value.as_deref())).collect()
    }

    #[test]
    fn clusters_attached_values_and_dash_values_read_as_getopt_does() {
        let p = DARN.parse(["-lnH127.0.0.1", "-P", "-5", "-m=3"]).unwrap();
        assert_eq!(
            keys(&p),
            [
                (Key::Short('l'), None),
                (Key::Short('n'), None),
                (Key::Short('H'), Some("127.0.0.1")),
                (Key::Short('P'), Some("-5")),
                (Key::Short('m'), Some("=3")),
            ]
        );
    }

    #[test]
    fn long_options_take_prefixes_values_and_optional_values() {
        let p = DARN
            .parse([
                "--use",
                "--local-port=9",
                "--local",
                "h",
                "--interface",
                "x",
            ])
            .unwrap();
        assert_eq!(
            keys(&p),
            [
                (Key::Long("use-poll"), None),
                (Key::Short('P'), Some("9")),
                (Key::Short('H'), Some("h")),
                (Key::Long("interface"), None),
            ]
        );
        assert_eq!(p.operands, ["x"]);
        let p = DARN.parse(["--interface=eth1"]).unwrap();
        assert_eq!(keys(&p), [(Key::Long("interface"), Some("eth1"))]);
        assert!(matches!(
            DARN.parse(["--loc", "x"]),
            Err(CliError::Ambiguous(..))
        ));
        assert!(DARN.parse(["--help"]).unwrap().help);
    }

    #[test]
    fn operands_anywhere_and_after_double_dash() {
        let p = DARN.parse(["a", "-l", "--", "-s"]).unwrap();
        assert_eq!(keys(&p), [(Key::Short('l'), None)]);
        assert_eq!(p.operands, ["a", "-s"]);
    }

    #[test]
    fn errors_name_the_option() {
        assert_eq!(DARN.parse(["-q"]), Err(CliError::Unknown("-q".into())));
        assert_eq!(DARN.parse(["-P"]), Err(CliError::MissingValue("-P".into())));
        assert_eq!(
            DARN.parse(["--local"]),
            Err(CliError::MissingValue("--local".into()))
        );
        assert_eq!(
            DARN.parse(["--use-poll=1"]),
            Err(CliError::UnexpectedValue("--use-poll".into()))
        );
        assert_eq!(
            DARN.parse(["--nope"]),
            Err(CliError::Unknown("--nope".into()))
        );
        assert_eq!(DARN.parse(["-:"]), Err(CliError::Unknown("-:".into())));
    }

    #[test]
    fn int_reads_whole_c_ints_only() {
        assert_eq!(int("42"), Some(42));
        assert_eq!(int("  -7"), Some(-7));
        assert_eq!(int("+3"), Some(3));
        assert_eq!(int("2147483647"), Some(i32::MAX));
        assert_eq!(int("-2147483648"), Some(i32::MIN));
        for bad in ["", "-", "abc", "10x", "2147483648", "1 ", "0x10"] {
            assert_eq!(int(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn strerror_drops_the_rust_suffix() {
        assert_eq!(strerror_of(libc::ECONNREFUSED), "Connection refused");
    }
}
