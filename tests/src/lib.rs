//! Integration tests of the workspace (run against a real SCTP kernel through the lab runner).

/// The README's API tour, compiled as doc-tests so that it stays true (here rather than in
/// tokio-linux-sctp, whose published package does not contain the workspace README's path).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeTour;
