//! SCTP-AUTH (RFC 4895): the HMAC algorithms ([`HmacId`]), the chunk types that must be
//! authenticated, the shared keys, and whether AUTH is on. While `net.sctp.auth_enable` is
//! off (and the endpoint has not turned it on with `set_auth_supported`), the kernel answers
//! these options with `EACCES`, which comes as `FeatureDisabled`.

use std::mem::{offset_of, size_of};

use linux_sctp_sys::{sctp_assoc_t, sctp_authchunk, sctp_authchunks, sctp_authkey, sctp_hmacalgo};

use super::table::{invalid, parse_list, put, socket_options, FromBytes, IntoC, ToBytes};
use crate::error::Result;

/// An HMAC algorithm for SCTP-AUTH (`SCTP_AUTH_HMAC_ID_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HmacId {
    /// `SCTP_AUTH_HMAC_ID_SHA1` (1): every list must contain it.
    #[doc(alias = "SCTP_AUTH_HMAC_ID_SHA1")]
    Sha1,
    /// `SCTP_AUTH_HMAC_ID_SHA256` (3).
    #[doc(alias = "SCTP_AUTH_HMAC_ID_SHA256")]
    Sha256,
    /// A value this crate does not know.
    Unknown(u16),
}

impl HmacId {
    /// Converts the kernel's value.
    pub const fn from_raw(raw: u16) -> Self {
        match raw {
            linux_sctp_sys::SCTP_AUTH_HMAC_ID_SHA1 => Self::Sha1,
            linux_sctp_sys::SCTP_AUTH_HMAC_ID_SHA256 => Self::Sha256,
            other => Self::Unknown(other),
        }
    }

    /// The kernel's value.
    pub const fn to_raw(self) -> u16 {
        match self {
            Self::Sha1 => linux_sctp_sys::SCTP_AUTH_HMAC_ID_SHA1,
            Self::Sha256 => linux_sctp_sys::SCTP_AUTH_HMAC_ID_SHA256,
            Self::Unknown(raw) => raw,
        }
    }
}

/// `SCTP_HMAC_IDENT`: `struct sctp_hmacalgo`, a count then that many identifiers (room for
/// 32, more than the kernel knows).
impl FromBytes for Vec<HmacId> {
    const CAPACITY: usize = size_of::<sctp_hmacalgo>() + 32 * size_of::<u16>();

    fn from_bytes(b: &[u8]) -> Result<Self> {
        parse_list(
            b,
            "SCTP_HMAC_IDENT",
            |h: &sctp_hmacalgo| h.shmac_num_idents as usize,
            offset_of!(sctp_hmacalgo, shmac_idents),
            size_of::<u16>(),
            |c| HmacId::from_raw(u16::from_ne_bytes([c[0], c[1]])),
        )
    }
}

impl ToBytes for (&[HmacId],) {
    fn to_bytes(self, _: Option<sctp_assoc_t>) -> Result<Vec<u8>> {
        let ids = self.0;
        let n = u32::try_from(ids.len()).map_err(|_| invalid("too many HMAC ids"))?;
        let at = offset_of!(sctp_hmacalgo, shmac_idents);
        let mut b = vec![0u8; at + size_of::<u16>() * ids.len()];
        put(
            &mut b,
            offset_of!(sctp_hmacalgo, shmac_num_idents),
            &n.to_ne_bytes(),
        );
        for (i, id) in ids.iter().enumerate() {
            put(&mut b, at + 2 * i, &id.to_raw().to_ne_bytes());
        }
        Ok(b)
    }
}

/// `SCTP_PEER_AUTH_CHUNKS` / `SCTP_LOCAL_AUTH_CHUNKS`: `struct sctp_authchunks`, the
/// association id, a count, then that many chunk types (room for all 256).
impl FromBytes for Vec<u8> {
    const CAPACITY: usize = size_of::<sctp_authchunks>() + 256;

    fn from_bytes(b: &[u8]) -> Result<Self> {
        parse_list(
            b,
            "AUTH_CHUNKS",
            |h: &sctp_authchunks| h.gauth_number_of_chunks as usize,
            offset_of!(sctp_authchunks, gauth_chunks),
            1,
            |c| c[0],
        )
    }
}

/// `SCTP_AUTH_KEY`: `struct sctp_authkey` and the key bytes.
impl ToBytes for (u16, &[u8]) {
    fn to_bytes(self, assoc_id: Option<sctp_assoc_t>) -> Result<Vec<u8>> {
        let (number, key) = self;
        let len = u16::try_from(key.len()).map_err(|_| invalid("AUTH key too long"))?;
        let at = offset_of!(sctp_authkey, sca_key);
        let mut b = vec![0u8; at + key.len()];
        let id = assoc_id.unwrap_or(linux_sctp_sys::SCTP_FUTURE_ASSOC);
        put(
            &mut b,
            offset_of!(sctp_authkey, sca_assoc_id),
            &id.to_ne_bytes(),
        );
        put(
            &mut b,
            offset_of!(sctp_authkey, sca_keynumber),
            &number.to_ne_bytes(),
        );
        put(
            &mut b,
            offset_of!(sctp_authkey, sca_keylength),
            &len.to_ne_bytes(),
        );
        put(&mut b, at, key);
        Ok(b)
    }
}

impl IntoC<sctp_authchunk> for u8 {
    fn into_c(self, c: &mut sctp_authchunk) -> Result<()> {
        c.sauth_chunk = self;
        Ok(())
    }
}

socket_options! {
    "SCTP_HMAC_IDENT" SCTP_HMAC_IDENT: socket gate("net.sctp.auth_enable", EACCES) {
        /// The HMAC algorithms we accept, in order of preference.
        #[doc(alias = "sctp_hmacalgo")]
        get_bytes hmac_ident() -> Vec<HmacId> {
            /// `EACCES` when AUTH is off.
        }
        /// Sets the HMAC algorithms we accept, in order of preference; the list must contain
        /// [`HmacId::Sha1`].
        set_bytes set_hmac_ident(idents: &[HmacId]) {
            /// `EINVAL` for an empty list or one without SHA-1; `EACCES` when AUTH is off.
        }
    }

    "SCTP_AUTH_CHUNK" SCTP_AUTH_CHUNK: socket gate("net.sctp.auth_enable", EACCES) {
        /// Requires chunks of type `chunk_type` to be authenticated in future associations.
        set add_auth_chunk(chunk_type: u8) {
            /// `EINVAL` for INIT, INIT-ACK, SHUTDOWN-COMPLETE and AUTH; `EACCES` when AUTH is
            /// off.
        }
    }

    "SCTP_PEER_AUTH_CHUNKS" SCTP_PEER_AUTH_CHUNKS: assoc gate("net.sctp.auth_enable", EACCES) {
        /// Chunk types the peer requires us to authenticate.
        get_bytes peer_auth_chunks() -> Vec<u8> {
            /// `EINVAL` without an association; `EACCES` when the association did not
            /// negotiate AUTH.
        }
    }

    "SCTP_LOCAL_AUTH_CHUNKS" SCTP_LOCAL_AUTH_CHUNKS: assoc gate("net.sctp.auth_enable", EACCES) {
        /// Chunk types we require the peer to authenticate.
        get_bytes local_auth_chunks() -> Vec<u8> {
            /// `EACCES` when AUTH is off.
        }
    }

    "SCTP_AUTH_KEY" SCTP_AUTH_KEY: assoc gate("net.sctp.auth_enable", EACCES) {
        /// Installs the shared key `key` under `key_number` (replacing a key of that number).
        #[doc(alias = "sctp_authkey")]
        set_bytes set_auth_key[key_number: u16](key: &[u8]) {
            /// `EINVAL` for an empty key; `EACCES` when AUTH is off.
        }
    }

    "SCTP_AUTH_ACTIVE_KEY" SCTP_AUTH_ACTIVE_KEY: assoc gate("net.sctp.auth_enable", EACCES) {
        /// The key number used to authenticate outgoing chunks.
        get active_auth_key() -> u16 {
            /// `EACCES` when AUTH is off.
        }
        /// Makes key `key_number` the one that authenticates outgoing chunks. Accepts
        /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
        set set_active_auth_key(key_number: u16) {
            /// `EINVAL` for a key number not installed; `EACCES` when AUTH is off.
        }
    }

    "SCTP_AUTH_DELETE_KEY" SCTP_AUTH_DELETE_KEY: assoc gate("net.sctp.auth_enable", EACCES) {
        /// Deletes key `key_number` (not the active one).
        set delete_auth_key(key_number: u16) {
            /// `EINVAL` for the active key or a key not installed; `EACCES` when AUTH is off.
        }
    }

    "SCTP_AUTH_DEACTIVATE_KEY" SCTP_AUTH_DEACTIVATE_KEY: assoc since "4.17"
        gate("net.sctp.auth_enable", EACCES) {
        /// Retires key `key_number`: no longer used to send; an `SCTP_AUTH_FREE_KEY`
        /// authentication event follows once nothing in flight uses it.
        set deactivate_auth_key(key_number: u16) {
            /// `EINVAL` for the active key or a key not installed; `EACCES` when AUTH is off.
        }
    }

    "SCTP_AUTH_SUPPORTED" SCTP_AUTH_SUPPORTED: assoc since "5.4" {
        /// SCTP-AUTH (RFC 4895): with an association, whether the peer supports it;
        /// otherwise whether we advertise it.
        get auth_supported() -> bool {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Turns SCTP-AUTH on for this endpoint (default: sysctl `net.sctp.auth_enable`,
        /// off), which also makes the AUTH key and chunk options usable.
        set set_auth_supported(on: bool) {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_ids_round_trip() {
        assert_eq!(HmacId::from_raw(3), HmacId::Sha256);
        assert_eq!(HmacId::from_raw(2).to_raw(), 2);
        let b = (&[HmacId::Sha256, HmacId::Sha1][..],)
            .to_bytes(None)
            .unwrap();
        assert_eq!(
            b,
            [
                2u32.to_ne_bytes().as_slice(),
                &3u16.to_ne_bytes(),
                &1u16.to_ne_bytes()
            ]
            .concat()
        );
        assert_eq!(
            Vec::<HmacId>::from_bytes(&b).unwrap(),
            vec![HmacId::Sha256, HmacId::Sha1]
        );
    }

    #[test]
    fn variable_length_parsers_are_total() {
        let mut h = Vec::new();
        h.extend_from_slice(&2u32.to_ne_bytes());
        h.extend_from_slice(&3u16.to_ne_bytes());
        h.extend_from_slice(&1u16.to_ne_bytes());
        for cut in 0..h.len() {
            assert!(Vec::<HmacId>::from_bytes(&h[..cut]).is_err(), "cut {cut}");
        }
        let mut c = Vec::new();
        c.extend_from_slice(&0i32.to_ne_bytes());
        c.extend_from_slice(&2u32.to_ne_bytes());
        c.extend_from_slice(&[0, 0x80]);
        assert_eq!(Vec::<u8>::from_bytes(&c).unwrap(), vec![0, 0x80]);
        for cut in 0..c.len() {
            assert!(Vec::<u8>::from_bytes(&c[..cut]).is_err(), "cut {cut}");
        }
        // Huge counts do not allocate or panic.
        let mut big = u32::MAX.to_ne_bytes().to_vec();
        big.extend_from_slice(&[0; 8]);
        assert!(Vec::<HmacId>::from_bytes(&big).is_err());
        assert!(Vec::<u8>::from_bytes(&[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]).is_err());
    }

    #[test]
    fn auth_key_layout() {
        let b = (7u16, &b"k3y!"[..]).to_bytes(Some(5)).unwrap();
        let mut want = 5i32.to_ne_bytes().to_vec();
        want.extend_from_slice(&7u16.to_ne_bytes());
        want.extend_from_slice(&4u16.to_ne_bytes());
        want.extend_from_slice(b"k3y!");
        assert_eq!(b, want);
    }
}
