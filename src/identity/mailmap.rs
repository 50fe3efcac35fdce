//! TEMPORARY stub: replaced by the git-exact implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailmapWarning {
    pub line: usize,
    pub message: String,
}
#[derive(Debug, Clone, Default)]
pub struct Mailmap {
    map: std::collections::HashMap<String, (Option<String>, Option<String>)>,
}
impl Mailmap {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add_text(&mut self, _text: &[u8]) -> Vec<MailmapWarning> {
        Vec::new()
    }
    pub fn map(&self, name: &str, email: &str) -> (String, String) {
        match self.map.get(&email.to_lowercase()) {
            Some((n, e)) => (
                n.clone().unwrap_or_else(|| name.to_string()),
                e.clone().unwrap_or_else(|| email.to_string()),
            ),
            None => (name.to_string(), email.to_string()),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}
