//! The seven categories every credit falls into, and a fixed-size counter over them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Index, IndexMut};

/// A category of work. The order here is the order everywhere: in the JSON, in tables and in charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Review,
    Docs,
    CoAuthoredFix,
    Onboarding,
    Support,
    Maintenance,
    Code,
}

impl Category {
    /// All categories in report order.
    pub const ALL: [Category; 7] = [
        Category::Review,
        Category::Docs,
        Category::CoAuthoredFix,
        Category::Onboarding,
        Category::Support,
        Category::Maintenance,
        Category::Code,
    ];

    /// The six glue categories (everything but `code`).
    pub const GLUE: [Category; 6] = [
        Category::Review,
        Category::Docs,
        Category::CoAuthoredFix,
        Category::Onboarding,
        Category::Support,
        Category::Maintenance,
    ];

    /// The name used in JSON, configuration and docs.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Review => "review",
            Category::Docs => "docs",
            Category::CoAuthoredFix => "co_authored_fix",
            Category::Onboarding => "onboarding",
            Category::Support => "support",
            Category::Maintenance => "maintenance",
            Category::Code => "code",
        }
    }

    /// A short column heading for narrow tables.
    pub fn short(self) -> &'static str {
        match self {
            Category::Review => "review",
            Category::Docs => "docs",
            Category::CoAuthoredFix => "fix+co",
            Category::Onboarding => "onboard",
            Category::Support => "support",
            Category::Maintenance => "maint",
            Category::Code => "code",
        }
    }

    pub fn is_glue(self) -> bool {
        self != Category::Code
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One counter per category, serialised as an object with all seven keys in category order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub review: u64,
    pub docs: u64,
    pub co_authored_fix: u64,
    pub onboarding: u64,
    pub support: u64,
    pub maintenance: u64,
    pub code: u64,
}

impl Counts {
    /// Sum of the six glue categories.
    pub fn glue(&self) -> u64 {
        Category::GLUE.iter().map(|&c| self[c]).sum()
    }

    pub fn total(&self) -> u64 {
        self.glue() + self.code
    }

    pub fn add(&mut self, other: &Counts) {
        for c in Category::ALL {
            self[c] += other[c];
        }
    }

    pub fn is_zero(&self) -> bool {
        self.total() == 0
    }
}

impl Index<Category> for Counts {
    type Output = u64;
    fn index(&self, c: Category) -> &u64 {
        match c {
            Category::Review => &self.review,
            Category::Docs => &self.docs,
            Category::CoAuthoredFix => &self.co_authored_fix,
            Category::Onboarding => &self.onboarding,
            Category::Support => &self.support,
            Category::Maintenance => &self.maintenance,
            Category::Code => &self.code,
        }
    }
}

impl IndexMut<Category> for Counts {
    fn index_mut(&mut self, c: Category) -> &mut u64 {
        match c {
            Category::Review => &mut self.review,
            Category::Docs => &mut self.docs,
            Category::CoAuthoredFix => &mut self.co_authored_fix,
            Category::Onboarding => &mut self.onboarding,
            Category::Support => &mut self.support,
            Category::Maintenance => &mut self.maintenance,
            Category::Code => &mut self.code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_order() {
        let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            names,
            [
                "review",
                "docs",
                "co_authored_fix",
                "onboarding",
                "support",
                "maintenance",
                "code"
            ]
        );
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
    }

    #[test]
    fn counts_glue_excludes_code() {
        let mut n = Counts::default();
        n[Category::Review] = 2;
        n[Category::Code] = 5;
        n[Category::Support] = 1;
        assert_eq!(n.glue(), 3);
        assert_eq!(n.total(), 8);
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(
            json,
            r#"{"review":2,"docs":0,"co_authored_fix":0,"onboarding":0,"support":1,"maintenance":0,"code":5}"#
        );
    }
}
