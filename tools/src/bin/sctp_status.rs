//! `sctp_status`: see [`linux_sctp_tools::sctp_status`].

fn main() {
    std::process::exit(linux_sctp_tools::sctp_status::main());
}
