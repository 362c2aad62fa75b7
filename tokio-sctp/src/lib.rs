//! Async SCTP for tokio.
