//! Structs and unions of `linux/sctp.h`.
