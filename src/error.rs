//! One error type for everything a user can get wrong, with messages they can act on.

use std::fmt;

/// Everything that can go wrong when reading a setting or running the engine.
///
/// Each variant names the key and says what would have been accepted, so that the page's
/// notice, the CLI's stderr line and a test can all show the same sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A key that no table row knows.
    UnknownKey { key: String },
    /// A value that is not a number of the right kind.
    NotANumber { key: &'static str, value: String },
    /// A number outside the allowed range.
    OutOfRange { key: &'static str, value: String, min: String, max: String },
    /// A word that is not one of the allowed choices.
    UnknownChoice { key: &'static str, value: String, expected: &'static str },
    /// A spectrum list that is empty, has a non-positive or non-finite entry, or the wrong length.
    BadSpectrum { reason: String },
    /// Settings that are fine alone but not together.
    Inconsistent { reason: String },
    /// A malformed `key=value` pair in a query string.
    Malformed { pair: String },
    /// Settings whose network (or race) is too big to train in a browser tab.
    TooLarge { reason: String },
}

impl Error {
    /// The key the error is about, when there is one (the page highlights that control).
    pub fn key(&self) -> Option<&str> {
        match self {
            Error::UnknownKey { key } => Some(key),
            Error::NotANumber { key, .. }
            | Error::OutOfRange { key, .. }
            | Error::UnknownChoice { key, .. } => Some(key),
            Error::BadSpectrum { .. } => Some("spectrum"),
            Error::TooLarge { .. } => Some("hidden"),
            Error::Inconsistent { .. } | Error::Malformed { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownKey { key } => write!(f, "unknown setting '{key}'"),
            Error::NotANumber { key, value } => {
                write!(f, "{key}: '{value}' is not a number")
            }
            Error::OutOfRange { key, value, min, max } => {
                write!(f, "{key}: {value} is out of range (allowed {min} to {max})")
            }
            Error::UnknownChoice { key, value, expected } => {
                write!(f, "{key}: '{value}' is not one of {expected}")
            }
            Error::BadSpectrum { reason } => write!(f, "spectrum: {reason}"),
            Error::Inconsistent { reason } => write!(f, "{reason}"),
            Error::TooLarge { reason } => write!(f, "too large: {reason}"),
            Error::Malformed { pair } => {
                write!(f, "'{pair}' is not of the form key=value")
            }
        }
    }
}

impl std::error::Error for Error {}
