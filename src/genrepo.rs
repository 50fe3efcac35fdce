//! Generated histories for tests and benchmarks: the one random generator and the one
//! `git fast-import` commit writer that `gluework-genrepo` (realistic histories of any size) and
//! the accuracy tests' ground-truth repository (tests/accuracy/generated.rs) both use, so that
//! a seed means the same sequence everywhere.

use std::io::Write;

/// splitmix64: small, fast, and the same numbers on every machine for a seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `p` (0.0 to 1.0).
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// True in `percent` cases out of 100 (one draw of `below(100)`).
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A uniformly chosen item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One commit of a `git fast-import` stream. Signatures are `Name <email>`; all times UTC.
pub struct Commit<'a> {
    pub branch: &'a str,
    pub mark: u64,
    pub author: &'a str,
    pub committer: &'a str,
    pub time: i64,
    pub message: &'a str,
    /// The first parent (a mark).
    pub from: Option<u64>,
    /// The second parent (a mark).
    pub merge: Option<u64>,
    /// Files written (path, contents).
    pub files: &'a [(String, String)],
}

impl Commit<'_> {
    /// Writes the commit to a `git fast-import` stream.
    pub fn write(&self, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(
            out,
            "commit refs/heads/{}\nmark :{}",
            self.branch, self.mark
        )?;
        writeln!(
            out,
            "author {} {} +0000\ncommitter {} {} +0000",
            self.author, self.time, self.committer, self.time
        )?;
        data(out, self.message)?;
        if let Some(f) = self.from {
            writeln!(out, "from :{f}")?;
        }
        if let Some(m) = self.merge {
            writeln!(out, "merge :{m}")?;
        }
        for (path, content) in self.files {
            writeln!(out, "M 100644 inline {path}")?;
            data(out, content)?;
        }
        writeln!(out)
    }
}

/// `data N`, the bytes, and a newline.
fn data(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    write!(out, "data {}\n{text}\n", text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_numbers_for_a_seed() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        // splitmix64's first output for seed 0.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(Rng::new(3).below(0), 0);
        let mut r = Rng::new(1);
        assert!((0..1000).all(|_| r.below(10) < 10));
        assert!((0..100).all(|_| !r.percent(0) && r.percent(100)));
    }

    #[test]
    fn writes_a_fast_import_commit() {
        let mut out = Vec::new();
        Commit {
            branch: "main",
            mark: 2,
            author: "A <a@x>",
            committer: "C <c@x>",
            time: 5,
            message: "m\n",
            from: Some(1),
            merge: None,
            files: &[("f".into(), "x\n".into())],
        }
        .write(&mut out)
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "commit refs/heads/main\nmark :2\nauthor A <a@x> 5 +0000\ncommitter C <c@x> 5 +0000\n\
             data 2\nm\n\nfrom :1\nM 100644 inline f\ndata 2\nx\n\n\n"
        );
    }
}
