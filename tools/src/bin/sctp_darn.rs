//! `sctp_darn`: see [`linux_sctp_tools::sctp_darn`].

fn main() {
    std::process::exit(linux_sctp_tools::sctp_darn::main());
}
