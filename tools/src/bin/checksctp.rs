//! `checksctp`: see [`linux_sctp_tools::checksctp`].

fn main() {
    std::process::exit(linux_sctp_tools::checksctp::main());
}
