//! Examples of tokio-linux-sctp.
