//! SCTP-AUTH events ([`Authentication`], [`AuthIndication`]).

use linux_sctp_sys::sctp_assoc_t;

/// `SCTP_AUTHENTICATION_EVENT` (`struct sctp_authkey_event`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Authentication {
    /// The key concerned (`auth_keynumber`).
    pub keynumber: u16,
    /// What happened (`auth_indication`).
    pub indication: AuthIndication,
    /// The association (`auth_assoc_id`).
    pub assoc_id: sctp_assoc_t,
}

/// `auth_indication` of [`Authentication`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthIndication {
    /// `SCTP_AUTH_NEW_KEY` (`SCTP_AUTH_NEWKEY`): the peer used a new key.
    #[doc(alias = "SCTP_AUTH_NEW_KEY")]
    #[doc(alias = "SCTP_AUTH_NEWKEY")]
    NewKey,
    /// `SCTP_AUTH_FREE_KEY`: a deactivated key is no longer in use and can be deleted.
    #[doc(alias = "SCTP_AUTH_FREE_KEY")]
    FreeKey,
    /// `SCTP_AUTH_NO_AUTH`: the peer does not support SCTP-AUTH (Linux 4.16+).
    #[doc(alias = "SCTP_AUTH_NO_AUTH")]
    NoAuth,
    /// A value this crate does not know.
    Unknown(u32),
}

impl AuthIndication {
    /// Converts the kernel's `auth_indication`.
    pub const fn from_raw(raw: u32) -> Self {
        match raw {
            0 => Self::NewKey,
            1 => Self::FreeKey,
            2 => Self::NoAuth,
            other => Self::Unknown(other),
        }
    }
}
