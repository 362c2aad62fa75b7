//! Examples of tokio-sctp.
