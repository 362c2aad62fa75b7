//! Integration tests of the workspace (run against a real SCTP kernel through the lab runner).
