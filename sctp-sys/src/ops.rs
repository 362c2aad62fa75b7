//! The libsctp operations over raw syscalls.
