//! Object ids as one small type: a commit id is 20 bytes in memory (not a 40-character
//! string), written as lower-case hex at the JSON edge. The scan reads ids as `git2::Oid` or
//! gitoxide's `ObjectId` and hands them on as hex; the model holds them as [`CommitId`].

use std::fmt;

/// A SHA-1 object id. [`CommitId::NULL`] (all zeros, git's "null id", never a real object)
/// stands for "no commit" and is written as `""` (evidence from forge data about a pull request
/// whose commit is not in the scanned history).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CommitId([u8; 20]);

/// Why text is not a commit id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a commit id (40 hexadecimal digits)")]
pub struct BadId;

impl CommitId {
    /// No commit: written as `""`.
    pub const NULL: CommitId = CommitId([0; 20]);

    pub fn from_bytes(bytes: [u8; 20]) -> CommitId {
        CommitId(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    pub fn is_null(&self) -> bool {
        *self == CommitId::NULL
    }

    /// 40 hexadecimal digits (either case), or `""` for [`CommitId::NULL`].
    pub fn from_hex(s: &str) -> Result<CommitId, BadId> {
        if s.is_empty() {
            return Ok(CommitId::NULL);
        }
        let b = s.as_bytes();
        if b.len() != 40 {
            return Err(BadId);
        }
        let digit = |c: u8| -> Result<u8, BadId> {
            match c {
                b'0'..=b'9' => Ok(c - b'0'),
                b'a'..=b'f' => Ok(c - b'a' + 10),
                b'A'..=b'F' => Ok(c - b'A' + 10),
                _ => Err(BadId),
            }
        };
        let mut out = [0u8; 20];
        for (k, pair) in b.chunks_exact(2).enumerate() {
            out[k] = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Ok(CommitId(out))
    }

    /// Lower-case hex; `""` for [`CommitId::NULL`]. Hex compares as the bytes do, so ids sort
    /// the same either way.
    pub fn hex(&self) -> String {
        if self.is_null() {
            return String::new();
        }
        let mut s = String::with_capacity(40);
        for b in self.0 {
            s.push(char::from(b"0123456789abcdef"[(b >> 4) as usize]));
            s.push(char::from(b"0123456789abcdef"[(b & 15) as usize]));
        }
        s
    }
}

impl From<git2::Oid> for CommitId {
    fn from(oid: git2::Oid) -> CommitId {
        let mut out = [0u8; 20];
        let bytes = oid.as_bytes();
        let n = bytes.len().min(20);
        out[..n].copy_from_slice(&bytes[..n]);
        CommitId(out)
    }
}

/// The hex form ([`CommitId::hex`]): empty for the null id.
impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

impl fmt::Debug for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CommitId({:?})", self.hex())
    }
}

impl From<CommitId> for git2::Oid {
    fn from(id: CommitId) -> git2::Oid {
        git2::Oid::from_bytes(&id.0).expect("20 bytes")
    }
}

/// Hex text in JSON (reports, parts); the 20 bytes themselves in binary formats (the scan's
/// cache), where text would double their size and cost a parse each.
impl serde::Serialize for CommitId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.hex())
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> serde::Deserialize<'de> for CommitId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CommitId, D::Error> {
        if d.is_human_readable() {
            from_str(d, CommitId::from_hex)
        } else {
            <[u8; 20]>::deserialize(d).map(CommitId)
        }
    }
}

/// Deserialises a string through `parse` without copying it first (a report holds millions of
/// ids, dates and subjects: `Cow<str>` would allocate each).
pub(crate) fn from_str<'de, D, T, E>(
    d: D,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    E: fmt::Display,
{
    struct Visit<F>(F);
    impl<T, E: fmt::Display, F: FnOnce(&str) -> Result<T, E>> serde::de::Visitor<'_> for Visit<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<Er: serde::de::Error>(self, s: &str) -> Result<T, Er> {
            (self.0)(s).map_err(Er::custom)
        }
    }
    d.deserialize_str(Visit(parse))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_in_binary_formats() {
        let id = CommitId::from_hex("e2086f00db475e5a4cfde9e88f58eeb6029ce84d").unwrap();
        let bin = postcard::to_allocvec(&id).unwrap();
        assert_eq!(bin.len(), 20);
        assert_eq!(postcard::from_bytes::<CommitId>(&bin).unwrap(), id);
        assert_eq!(git2::Oid::from(id).to_string(), id.hex());
    }

    #[test]
    fn hex_round_trip() {
        let hex = "e2086f00db475e5a4cfde9e88f58eeb6029ce84d";
        let id = CommitId::from_hex(hex).unwrap();
        assert_eq!(id.hex(), hex);
        assert_eq!(id.to_string(), hex);
        assert_eq!(CommitId::from_hex(&hex.to_uppercase()).unwrap(), id);
        assert_eq!(CommitId::from(git2::Oid::from_str(hex).unwrap()), id);
        assert_eq!(CommitId::from_hex("").unwrap(), CommitId::NULL);
        assert_eq!(CommitId::NULL.hex(), "");
        for bad in ["e2086f", "not-hex)\"><b>", &format!("{}g", &hex[..39]), "é"] {
            assert_eq!(CommitId::from_hex(bad), Err(BadId), "{bad}");
        }
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{hex}\""));
        assert_eq!(serde_json::from_str::<CommitId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<CommitId>("\"xyz\"").is_err());
    }

    #[test]
    fn orders_as_hex() {
        let a = CommitId::from_hex("0f00000000000000000000000000000000000000").unwrap();
        let b = CommitId::from_hex("a000000000000000000000000000000000000000").unwrap();
        assert!(CommitId::NULL < a && a < b);
        assert!(CommitId::NULL.hex() < a.hex() && a.hex() < b.hex());
    }
}
