//! `sctp_test`: see [`linux_sctp_tools::sctp_test`].

fn main() {
    std::process::exit(linux_sctp_tools::sctp_test::main());
}
