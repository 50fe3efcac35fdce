//! A commit's id as 20 bytes (a record holds its own and its parents'), written as 40
//! lowercase hexadecimal digits wherever it is shown or saved as text.

use std::fmt;

/// A commit id. Orders as its hexadecimal text does.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct CommitId(pub [u8; 20]);

impl CommitId {
    /// The id written as 40 hexadecimal digits (either case); `None` for anything else.
    pub fn parse(hex: &str) -> Option<CommitId> {
        let hex = hex.as_bytes();
        if hex.len() != 40 {
            return None;
        }
        let val = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        };
        let mut raw = [0u8; 20];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            raw[i] = val(pair[0])? << 4 | val(pair[1])?;
        }
        Some(CommitId(raw))
    }

    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 40];
        for (i, b) in self.0.iter().enumerate() {
            text[2 * i] = HEX[(b >> 4) as usize];
            text[2 * i + 1] = HEX[(b & 15) as usize];
        }
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl From<git2::Oid> for CommitId {
    fn from(id: git2::Oid) -> CommitId {
        let mut raw = [0u8; 20];
        raw.copy_from_slice(&id.as_bytes()[..20]);
        CommitId(raw)
    }
}

impl From<CommitId> for git2::Oid {
    fn from(id: CommitId) -> git2::Oid {
        git2::Oid::from_bytes(&id.0).expect("20 bytes")
    }
}

impl PartialEq<str> for CommitId {
    fn eq(&self, other: &str) -> bool {
        CommitId::parse(other) == Some(*self)
    }
}

impl PartialEq<&str> for CommitId {
    fn eq(&self, other: &&str) -> bool {
        CommitId::parse(other) == Some(*self)
    }
}

/// Text (40 hexadecimal digits) in JSON, as reports and parts always had it; 20 bytes in the
/// binary cache.
impl serde::Serialize for CommitId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> serde::Deserialize<'de> for CommitId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
            CommitId::parse(&text).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "not a commit id (40 hexadecimal digits): {:?}",
                    text.chars().take(48).collect::<String>()
                ))
            })
        } else {
            <[u8; 20]>::deserialize(d).map(CommitId)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trip_and_order() {
        let a = CommitId::parse("0123456789abcdef0123456789ABCDEF01234567").unwrap();
        assert_eq!(a.to_string(), "0123456789abcdef0123456789abcdef01234567");
        assert_eq!(CommitId::parse("0123"), None);
        assert_eq!(CommitId::parse(&"g".repeat(40)), None);
        let b = CommitId::parse("0123456789abcdef0123456789abcdef0123456f").unwrap();
        assert!(a < b && a.to_string() < b.to_string());
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"0123456789abcdef0123456789abcdef01234567\"");
        assert_eq!(serde_json::from_str::<CommitId>(&json).unwrap(), a);
        assert!(serde_json::from_str::<CommitId>("\"xyz\"").is_err());
        let bin = postcard::to_allocvec(&a).unwrap();
        assert_eq!(bin.len(), 20);
        assert_eq!(postcard::from_bytes::<CommitId>(&bin).unwrap(), a);
    }
}
