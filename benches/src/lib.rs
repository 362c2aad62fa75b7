//! Benchmarks of the workspace (run in the SCTP lab).
