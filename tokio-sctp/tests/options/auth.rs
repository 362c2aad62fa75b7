//! SCTP-AUTH: refused by default (`FeatureDisabled`), then keys and chunks for real on
//! endpoints that turned AUTH on.

use crate::support::*;

#[test]
fn auth_refused_by_default() {
    run(|| {
        let fresh = sock(libc::AF_INET, libc::SOCK_STREAM);
        let o = opts(&fresh);
        let sysctl = "net.sctp.auth_enable";
        assert_feature_disabled(o.hmac_ident(), sysctl, libc::EACCES);
        assert_feature_disabled(o.set_hmac_ident(&[HmacId::Sha1]), sysctl, libc::EACCES);
        assert_feature_disabled(o.add_auth_chunk(0), sysctl, libc::EACCES);
        assert_feature_disabled(o.set_auth_key(1, b"key"), sysctl, libc::EACCES);
        assert_feature_disabled(o.active_auth_key(), sysctl, libc::EACCES);
        assert_feature_disabled(o.set_active_auth_key(0), sysctl, libc::EACCES);
        assert_feature_disabled(o.delete_auth_key(1), sysctl, libc::EACCES);
        assert_feature_disabled(o.deactivate_auth_key(1), sysctl, libc::EACCES);
        assert_feature_disabled(o.local_auth_chunks(), sysctl, libc::EACCES);
    });
}

#[test]
fn auth_keys_and_chunks() {
    run(|| {
        let key = b"0123456789abcdef";
        let p = pair_with(|o| {
            o.set_auth_supported(true).unwrap();
            assert!(o.auth_supported().unwrap());
            o.set_asconf_supported(true).unwrap();
            let default = o.hmac_ident().unwrap();
            assert!(default.contains(&HmacId::Sha1), "{default:?}");
            o.set_hmac_ident(&[HmacId::Sha256, HmacId::Sha1]).unwrap();
            assert_eq!(o.hmac_ident().unwrap(), vec![HmacId::Sha256, HmacId::Sha1]);
            // SHA-1 is mandatory.
            assert_eq!(errno(o.set_hmac_ident(&[HmacId::Sha256])), libc::EINVAL);
            // DATA (chunk type 0) must be authenticated.
            o.add_auth_chunk(0).unwrap();
            assert!(o.local_auth_chunks().unwrap().contains(&0));
            // INIT can never be.
            assert_eq!(errno(o.add_auth_chunk(1)), libc::EINVAL);
            o.set_auth_key(1, key).unwrap();
            assert_eq!(o.active_auth_key().unwrap(), 0);
            o.set_active_auth_key(1).unwrap();
            assert_eq!(o.active_auth_key().unwrap(), 1);
            assert_eq!(errno(o.set_active_auth_key(9)), libc::EINVAL);
        });
        let c = opts(&p.client);
        assert!(c.auth_supported().unwrap(), "the peer negotiated AUTH");
        assert!(c.peer_auth_chunks().unwrap().contains(&0));
        assert!(c.local_auth_chunks().unwrap().contains(&0));
        assert_eq!(c.active_auth_key().unwrap(), 1);
        // With ASCONF (and AUTH) on both sides the peer can be asked to change its primary.
        assert!(c.asconf_supported().unwrap());
        c.set_peer_primary_addr(&local_addr(&p.client)).unwrap();
        // Not one of our addresses.
        assert_eq!(
            errno(c.set_peer_primary_addr(&addr("127.0.0.9:1"))),
            libc::EADDRNOTAVAIL
        );
        // Authenticated DATA gets through with key 1 on both sides.
        send(&p.client, b"authenticated");
        assert_eq!(recv_data(&p.server).0, b"authenticated");
        // The active key cannot be deleted; the null key 0 can be retired and deleted.
        assert_eq!(errno(c.delete_auth_key(1)), libc::EINVAL);
        c.deactivate_auth_key(0).unwrap();
        c.delete_auth_key(0).unwrap();
        assert_eq!(errno(c.set_active_auth_key(0)), libc::EINVAL);
        // A new key, made active on the association.
        c.set_auth_key(2, b"another key").unwrap();
        c.set_active_auth_key(2).unwrap();
        assert_eq!(c.active_auth_key().unwrap(), 2);
    });
}
