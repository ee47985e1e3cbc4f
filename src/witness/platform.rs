//! Platform keys: OpenPGP keys the project trusts to say that a hosting platform
//! authenticated a commit's author. GitHub's web editor commits as the signed-in user and
//! signs the commit with its own key ("web-flow"); a commit signed so, whose author is the
//! signer, is proof that the signer made it, as their own SSH signature would be.
//!
//! The keys are armored OpenPGP public keys in files under the records folder, named by
//! `policy.signoff.platform_keys`. Like people.yaml, both the list and the files are read as
//! they were before the commit being judged, so a commit cannot add the key that vouches for
//! it, and retiring a key later does not void what it signed while it was trusted.

use pgp::composed::{Deserializable, DetachedSignature, SignedPublicKey, SignedPublicSubKey};
use pgp::packet::Signature;
use pgp::types::Tag;

use crate::code::ErrorCode;
use crate::error::Unusable;
use crate::finding::{Finding, Location};
use crate::records::RecordSet;
use pgp::packet::SignatureType;
use pgp::types::KeyDetails;

/// The keys of one platform key file.
#[derive(Debug, Clone)]
pub struct KeyFile {
    /// The file, relative to the records folder, as the policy names it.
    pub name: String,
    pub keys: Vec<SignedPublicKey>,
}

/// The armored OpenPGP public keys in `text`, in every armor block it holds (one file may
/// hold several keys, as GitHub's web-flow file does, or blocks appended one after another),
/// or why there are none. A private key is refused, saying what to do.
pub fn parse_keys(text: &str) -> Result<Vec<SignedPublicKey>, Unusable> {
    if text.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----") {
        return Err(Unusable::new(
            "it holds a private key: remove it from the repository now, and replace the key, as anyone who can read the repository has it",
        ));
    }
    let not_a_key = |e: pgp::errors::Error| {
        Unusable::because(format!("it is not an armored OpenPGP public key ({e})"), e)
    };
    const BEGIN: &str = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(BEGIN) {
        let block = &rest[at..];
        let next = block[BEGIN.len()..]
            .find(BEGIN)
            .map_or(block.len(), |n| n + BEGIN.len());
        let (parsed, _) = SignedPublicKey::from_string_many(&block[..next]).map_err(not_a_key)?;
        for key in parsed {
            keys.push(key.map_err(not_a_key)?);
        }
        rest = &block[next..];
    }
    if keys.is_empty() {
        return Err(Unusable::new(
            "it is not an armored OpenPGP public key (export one with gpg --armor --export)",
        ));
    }
    Ok(keys)
}

/// The fingerprints of `keys` and of their subkeys, as people compare them
/// ("key 9684…2194", "subkey …").
pub fn fingerprints(keys: &[SignedPublicKey]) -> Vec<String> {
    let mut out = Vec::new();
    for key in keys {
        out.push(format!("key {}", hex(&key.fingerprint().to_string())));
        for sub in &key.public_subkeys {
            out.push(format!(
                "subkey {}",
                hex(&sub.key.fingerprint().to_string())
            ));
        }
    }
    out
}

/// The platform key files the policy of `set` names that cannot be used, as policy errors at
/// their place in project.yaml; `read` gives a file's bytes (relative to the records folder),
/// or why it cannot.
pub fn problems(set: &RecordSet, read: impl Fn(&str) -> Result<Vec<u8>, Unusable>) -> Vec<Finding> {
    let Some(project) = &set.project else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, name) in set.policy.signoff.platform_keys.iter().enumerate() {
        let why = match read(name) {
            Err(unusable) => unusable.why,
            Ok(bytes) => match std::str::from_utf8(&bytes) {
                Err(_) => "it is not text: write the key armored (gpg --armor --export)".to_owned(),
                Ok(text) => match parse_keys(text) {
                    Ok(_) => continue,
                    Err(unusable) => unusable.why,
                },
            },
        };
        out.push(
            Finding::error(
                ErrorCode::InvalidPolicy,
                Location::field(&*project.file, format!("/policy/signoff/platform_keys/{i}")),
                format!("platform key file `{name}` cannot be used: {why}"),
            )
            .with_record("project", None)
            .with_hint(
                "put the armored public key in that file under the records folder (GitHub's web-flow key is at https://github.com/web-flow.gpg), or remove the entry",
            ),
        );
    }
    out
}

/// Whether an armored signature is an OpenPGP one (GPG's), rather than SSH or X.509.
pub fn is_openpgp(signature: &str) -> bool {
    signature
        .trim_start()
        .starts_with("-----BEGIN PGP SIGNATURE-----")
}

/// What an OpenPGP signature on a commit comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It verifies with a platform key: the key's fingerprint, and the file holding it.
    Platform { fingerprint: String, file: String },
    /// It was made by a key that is not a platform key (a person's GPG key): not checked.
    OtherKey { key: String },
    /// It is made by a platform key but does not match the commit's content.
    Mismatch,
    /// It names a platform key that could not sign then: a subkey the key does not bind
    /// for signing, a revoked key, or one expired when the signature was made.
    KeyNotValid,
    /// It cannot be read.
    Unreadable(String),
}

/// Judge the armored OpenPGP `signature` of the commit content `signed` against `files`.
pub fn verify(signature: &str, signed: &[u8], files: &[KeyFile]) -> Verdict {
    let sig = match DetachedSignature::from_string(signature.trim()) {
        Ok((sig, _)) => sig.signature,
        Err(e) => return Verdict::Unreadable(e.to_string()),
    };
    if !matches!(sig.typ(), Some(SignatureType::Binary | SignatureType::Text)) {
        return Verdict::Unreadable("it is not a signature of data".to_owned());
    }
    for file in files {
        for key in &file.keys {
            let fingerprint = hex(&key.fingerprint().to_string());
            // The primary key, or a subkey bound to it for signing, may be the one that signs;
            // only one that was valid (bound, not revoked, not expired) when it signed counts.
            let platform = || Verdict::Platform {
                fingerprint: fingerprint.clone(),
                file: file.name.clone(),
            };
            if issued_by(&sig, &key.primary_key) {
                if !primary_signs(key, &sig) {
                    return Verdict::KeyNotValid;
                }
                return match sig.verify(&key.primary_key, signed) {
                    Ok(()) => platform(),
                    Err(_) => Verdict::Mismatch,
                };
            }
            for sub in &key.public_subkeys {
                if issued_by(&sig, &sub.key) {
                    if !(primary_signs_or_certifies(key, &sig) && subkey_signs(key, sub, &sig)) {
                        return Verdict::KeyNotValid;
                    }
                    return match sig.verify(&sub.key, signed) {
                        Ok(()) => platform(),
                        Err(_) => Verdict::Mismatch,
                    };
                }
            }
        }
    }
    let key = sig
        .issuer_fingerprint()
        .first()
        .map(|f| hex(&f.to_string()))
        .or_else(|| sig.issuer_key_id().first().map(|k| hex(&k.to_string())))
        .unwrap_or_else(|| "of unknown id".to_owned());
    Verdict::OtherKey { key }
}

/// Whether the primary key of `key` may make `sig`: certified by itself for signing, not
/// revoked, and not expired when `sig` was made.
fn primary_signs(key: &SignedPublicKey, sig: &Signature) -> bool {
    primary_valid(key, sig, |s| s.key_flags().sign())
}

/// Whether the primary key of `key` is valid when `sig` was made (for a subkey's signature:
/// the primary need not sign itself).
fn primary_signs_or_certifies(key: &SignedPublicKey, sig: &Signature) -> bool {
    primary_valid(key, sig, |_| true)
}

fn primary_valid(
    key: &SignedPublicKey,
    sig: &Signature,
    flags: impl Fn(&Signature) -> bool,
) -> bool {
    let primary = &key.primary_key;
    let revoked = key
        .details
        .revocation_signatures
        .iter()
        .any(|r| r.verify_key(primary).is_ok());
    if revoked {
        return false;
    }
    let certified = key.details.users.iter().flat_map(|u| {
        u.signatures
            .iter()
            .filter(move |c| c.verify_certification(primary, Tag::UserId, &u.id).is_ok())
    });
    let direct = key
        .details
        .direct_signatures
        .iter()
        .filter(|d| d.verify_key(primary).is_ok());
    certified
        .chain(direct)
        .any(|c| flags(c) && in_date(primary.created_at(), c, sig))
}

/// Whether `sub` is bound to the primary of `key` for signing (with the subkey's own
/// back-signature), is not revoked, and had not expired when `sig` was made.
fn subkey_signs(key: &SignedPublicKey, sub: &SignedPublicSubKey, sig: &Signature) -> bool {
    let primary = &key.primary_key;
    let mut bound = false;
    for binding in &sub.signatures {
        if binding.verify_subkey_binding(primary, &sub.key).is_err() {
            continue;
        }
        match binding.typ() {
            Some(SignatureType::SubkeyRevocation) => return false,
            Some(SignatureType::SubkeyBinding) => {
                let back = binding
                    .embedded_signature()
                    .is_some_and(|b| b.verify_primary_key_binding(&sub.key, primary).is_ok());
                if binding.key_flags().sign() && back && in_date(sub.key.created_at(), binding, sig)
                {
                    bound = true;
                }
            }
            _ => {}
        }
    }
    bound
}

/// Whether a key created at `created`, whose self-signature `binding` may give it an expiry,
/// had not expired when `sig` was made.
fn in_date(created: pgp::types::Timestamp, binding: &Signature, sig: &Signature) -> bool {
    let Some(made) = sig.created() else {
        return false;
    };
    match binding.key_expiration_time().map(|d| d.as_secs()) {
        None | Some(0) => true,
        Some(valid) => u64::from(made.as_secs()) < u64::from(created.as_secs()) + u64::from(valid),
    }
}

/// Whether `sig` names `key` as its issuer, by fingerprint or by key id.
fn issued_by(sig: &Signature, key: &impl KeyDetails) -> bool {
    let fingerprint = key.fingerprint();
    let id = key.legacy_key_id();
    sig.issuer_fingerprint().iter().any(|f| **f == fingerprint)
        || sig.issuer_key_id().iter().any(|k| **k == id)
}

/// A key id or fingerprint as GnuPG and GitHub show it: upper-case hex.
fn hex(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_a_key_says_so() {
        assert!(parse_keys("not a key").unwrap_err().why.contains("OpenPGP"));
        assert!(parse_keys("").is_err());
    }

    #[test]
    fn only_pgp_armor_is_openpgp() {
        assert!(is_openpgp("\n-----BEGIN PGP SIGNATURE-----\n..."));
        assert!(!is_openpgp("-----BEGIN SSH SIGNATURE-----\n..."));
    }

    #[test]
    fn an_unreadable_signature_is_not_a_verdict_on_anyone() {
        assert!(matches!(
            verify(
                "-----BEGIN PGP SIGNATURE-----\n\nxx\n-----END PGP SIGNATURE-----\n",
                b"",
                &[]
            ),
            Verdict::Unreadable(_)
        ));
    }
}
