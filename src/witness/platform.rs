//! Platform keys: OpenPGP keys the project trusts to say that a hosting platform
//! authenticated a commit's author. GitHub's web editor commits as the signed-in user and
//! signs the commit with its own key ("web-flow"); a commit signed so, whose author is the
//! signer, is proof that the signer made it, as their own SSH signature would be.
//!
//! The keys are armored OpenPGP public keys in files under the records folder, named by
//! `policy.signoff.platform_keys`. Like people.yaml, both the list and the files are read as
//! they were before the commit being judged, so a commit cannot add the key that vouches for
//! it, and retiring a key later does not void what it signed while it was trusted.

use pgp::composed::{Deserializable, DetachedSignature, SignedPublicKey};

use crate::code::ErrorCode;
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

/// The armored OpenPGP public keys in `text` (one file may hold several, as GitHub's
/// web-flow file does), or why there are none.
pub fn parse_keys(text: &str) -> Result<Vec<SignedPublicKey>, String> {
    let (keys, _) = SignedPublicKey::from_string_many(text)
        .map_err(|e| format!("it is not an armored OpenPGP public key ({e})"))?;
    let keys: Vec<SignedPublicKey> = keys
        .collect::<Result<_, _>>()
        .map_err(|e| format!("it is not an armored OpenPGP public key ({e})"))?;
    if keys.is_empty() {
        return Err("it holds no OpenPGP public key".to_owned());
    }
    Ok(keys)
}

/// The platform key files the policy of `set` names that cannot be used, as policy errors at
/// their place in project.yaml; `read` gives a file's bytes (relative to the records folder),
/// or why it cannot.
pub fn problems(set: &RecordSet, read: impl Fn(&str) -> Result<Vec<u8>, String>) -> Vec<Finding> {
    let Some(project) = &set.project else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, name) in set.policy.signoff.platform_keys.iter().enumerate() {
        let why = match read(name) {
            Err(why) => why,
            Ok(bytes) => match std::str::from_utf8(&bytes) {
                Err(_) => "it is not text: write the key armored (gpg --armor --export)".to_owned(),
                Ok(text) => match parse_keys(text) {
                    Ok(_) => continue,
                    Err(why) => why,
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
            // The primary key, or any of its subkeys, may be the one that signs.
            let mut matched = false;
            let mut ok = false;
            if issued_by(&sig, &key.primary_key) {
                matched = true;
                ok = sig.verify(&key.primary_key, signed).is_ok();
            }
            for sub in &key.public_subkeys {
                if !ok && issued_by(&sig, &sub.key) {
                    matched = true;
                    ok = sig.verify(&sub.key, signed).is_ok();
                }
            }
            if ok {
                return Verdict::Platform {
                    fingerprint,
                    file: file.name.clone(),
                };
            }
            if matched {
                return Verdict::Mismatch;
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

/// Whether `sig` names `key` as its issuer, by fingerprint or by key id.
fn issued_by(sig: &pgp::packet::Signature, key: &impl KeyDetails) -> bool {
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
        assert!(parse_keys("not a key").unwrap_err().contains("OpenPGP"));
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
