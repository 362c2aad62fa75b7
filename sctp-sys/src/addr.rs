//! Kernel socket addresses and SCTP's packed address lists.
