//! SCTP ancillary data (cmsg) encoding and decoding.
