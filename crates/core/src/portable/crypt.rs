//! The age encryption of a portable profile, with a passphrase (scrypt recipient).

use std::{io::Read, io::Write, iter};

use age::secrecy::SecretString;

use crate::error::{CoreError, Result};

/// A passphrase that prints as `<redacted>`.
pub struct Passphrase(SecretString);

impl Passphrase {
    /// Refuses an empty passphrase: the file would be as good as unencrypted.
    pub fn new(text: impl Into<String>) -> Result<Self> {
        let text = text.into();
        if text.is_empty() {
            return Err(CoreError::invalid("The passphrase must not be empty."));
        }
        Ok(Passphrase(SecretString::from(text)))
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

pub(crate) fn encrypt(plain: &[u8], passphrase: &Passphrase) -> Result<Vec<u8>> {
    let encryptor = age::Encryptor::with_user_passphrase(passphrase.0.clone());
    let mut out = Vec::with_capacity(plain.len() + 256);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| CoreError::Internal(format!("cannot encrypt the profile: {e}")))?;
    writer
        .write_all(plain)
        .and_then(|()| writer.finish().map(drop))
        .map_err(|e| CoreError::Internal(format!("cannot encrypt the profile: {e}")))?;
    Ok(out)
}

pub(crate) fn decrypt(file: &[u8], passphrase: &Passphrase) -> Result<Vec<u8>> {
    let not_ours = || {
        CoreError::invalid(
            "This is not a Paneldeck profile file (not a passphrase-encrypted age file).",
        )
    };
    let decryptor = age::Decryptor::new(file).map_err(|_| not_ours())?;
    if !decryptor.is_scrypt() {
        return Err(not_ours());
    }
    // age's default ceiling on the scrypt work factor keeps a crafted file from making the
    // import run for hours.
    let identity = age::scrypt::Identity::new(passphrase.0.clone());
    let mut reader = decryptor
        .decrypt(iter::once(&identity as &dyn age::Identity))
        .map_err(|err| match err {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                CoreError::WrongPassphrase
            }
            age::DecryptError::ExcessiveWork { .. } => {
                CoreError::invalid("The profile file asks for more decryption work than allowed.")
            }
            other => CoreError::invalid(format!("The profile file is damaged: {other}")),
        })?;
    let mut plain = Vec::new();
    reader
        .read_to_end(&mut plain)
        .map_err(|e| CoreError::invalid(format!("The profile file is damaged: {e}")))?;
    Ok(plain)
}
