//! Constants of `linux/sctp.h`.
