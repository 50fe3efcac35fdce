//! Markdown building blocks for the documents (the promotion packet and the team report):
//! escaping of untrusted text, links built only from trusted parts, tables and folds.
//!
//! Every string that comes from git history or from a saved report (names, emails, subjects,
//! repository and area names, even dates) goes through [`text`] before it reaches a document.
//! Link targets are never built from such text: a link is made only from a forge address that
//! passes [`Forge::of`]'s strict check, a hexadecimal commit id, or a pull-request number.

use crate::model::{Remote, Report};
pub use crate::report::links::{is_hex_id, Forge};

/// Escapes untrusted text for Markdown inline content. The result is safe in paragraphs, list
/// items, headings and GitHub-flavoured table cells, and renders as the original characters:
///
/// - line breaks, tabs and other line separators become spaces (a table row stays one row);
///   other control characters become `�`; bidi override and isolate characters are removed;
/// - `&`, `<` and `>` become entities, so no HTML tag, entity or `<…>` autolink can form;
/// - Markdown punctuation (`\` `` ` `` `*` `_` `[` `]` `|` `#` `~` `$`, and `:` before `//`)
///   is backslash-escaped: no emphasis, code span, link, image, table cell break, heading,
///   strike-through, maths, issue reference or `https://` autolink can form; `www.` loses its
///   autolink too;
/// - `@` is followed by an invisible word joiner (U+2060), so no email autolink or @mention
///   forms (GitHub finds those in the text after escapes are resolved).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\n' | '\r' | '\t' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                out.push(' ')
            }
            c if crate::input::is_bidi_control(c) => {}
            c if c.is_control() => out.push('\u{FFFD}'),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // A word joiner after `@` (invisible) stops email autolinks and @mentions, which
            // renderers find in text after escapes are resolved.
            '@' => out.push_str("@\u{2060}"),
            ':' if chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'/') => {
                out.push_str("\\:")
            }
            '.' if i >= 3 && chars[i - 3..i].iter().all(|w| w.eq_ignore_ascii_case(&'w')) => {
                out.push_str("\\.")
            }
            c => out.push(c),
        }
    }
    out
}

/// [`text`] of at most `max` characters, the cut marked with `…`.
pub fn text_max(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return text(s);
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", text(cut.trim_end()))
}

/// Whether `s` is a plausible git object id: 4 to 64 lower- or upper-case hex digits.
/// A link target from data (a forge's pull request page): only `http(s)://`, with every byte
/// that could end or break a Markdown link or an HTML attribute percent-encoded; `None` for
/// anything else (a `javascript:` URL, no scheme).
pub fn safe_url(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        match b {
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b':'
            | b'/'
            | b'?'
            | b'#'
            | b'='
            | b'&'
            | b'+'
            | b'%'
            | b'@'
            | b','
            | b';'
            | b'!' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Some(out.replace('&', "&amp;"))
}

/// A pull request as a link: built from the repository's forge address and the number
/// ([`Forges::pr`]); for a repository without one, from the report's `url` only when that is
/// exactly a checked forge address followed by `/pull/<n>` or `/-/merge_requests/<n>` (any
/// other address, e.g. a hand-edited report's, gives plain `#n`).
pub fn pr_link(forges: &Forges, repo: &str, n: u64, url: Option<&str>) -> String {
    if url.is_none() {
        return forges.pr(repo, n);
    }
    match pr_url(forges, repo, n, url) {
        Some(u) => format!("[\\#{n}]({u})"),
        None => forges.pr(repo, n),
    }
}

/// The web page of a pull request for [`pr_link`] (and the HTML pages): from the repository's
/// checked forge address, else from `url` only when that is exactly a checked forge address
/// followed by `/pull/<n>` or `/-/merge_requests/<n>`; `None` otherwise.
pub fn pr_url(forges: &Forges, repo: &str, n: u64, url: Option<&str>) -> Option<String> {
    let from_url = |u: &str| {
        let (base, gitlab) = match u.strip_suffix(&format!("/-/merge_requests/{n}")) {
            Some(b) => (b, true),
            None => (u.strip_suffix(&format!("/pull/{n}"))?, false),
        };
        let remote = Remote {
            url: base.to_string(),
            forge: if gitlab { "gitlab" } else { "github" }.to_string(),
        };
        Forge::of(Some(&remote)).map(|f| f.pr_url(n))
    };
    match url {
        None => forges.get(repo).map(|f| f.pr_url(n)),
        Some(u) => forges
            .get(repo)
            .map(|f| f.pr_url(n))
            .or_else(|| from_url(u)),
    }
}

/// A commit id shortened for display (`abc1234`), or the escaped text when it is not hex.
pub fn short_id(id: &str) -> String {
    if is_hex_id(id) {
        id[..id.len().min(7)].to_ascii_lowercase()
    } else {
        text_max(id, 12)
    }
}

/// The forges of a report's repositories, by repository name.
pub struct Forges(std::collections::BTreeMap<String, Forge>);

impl Forges {
    pub fn of(report: &Report) -> Forges {
        Forges(
            report
                .repositories
                .iter()
                .filter_map(|r| Forge::of(r.remote.as_ref()).map(|f| (r.name.clone(), f)))
                .collect(),
        )
    }

    pub fn get(&self, repo: &str) -> Option<&Forge> {
        self.0.get(repo)
    }

    /// A commit as `` [`abc1234`](…/commit/…) `` when its repository is on a forge, else
    /// `` `abc1234` ``.
    pub fn commit(&self, repo: &str, id: &str) -> String {
        let short = short_id(id);
        match self.get(repo).and_then(|f| f.commit_url(id)) {
            Some(url) => format!("[`{short}`]({url})"),
            None if is_hex_id(id) => format!("`{short}`"),
            None => short,
        }
    }

    /// A pull request as `[#12](…/pull/12)` when the repository is on a forge, else `#12`
    /// (escaped so that no renderer turns it into a link of its own).
    pub fn pr(&self, repo: &str, n: u64) -> String {
        match self.get(repo) {
            Some(f) => format!("[{}]({})", f.pr_label(n), f.pr_url(n)),
            None => format!("\\#{n}"),
        }
    }

    /// A repository's name, linked to its forge page when it has one.
    pub fn repo(&self, repo: &str) -> String {
        match self.get(repo) {
            Some(f) => format!("[{}]({})", text(repo), f.url()),
            None => text(repo),
        }
    }
}

/// Alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A GitHub-flavoured Markdown table. Cells must already be escaped (see [`text`]).
pub fn table(header: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    out.push('|');
    for (h, _) in header {
        out.push(' ');
        out.push_str(h);
        out.push_str(" |");
    }
    out.push_str("\n|");
    for (_, a) in header {
        out.push_str(match a {
            Align::Left => "---|",
            Align::Right => "---:|",
        });
    }
    out.push('\n');
    for row in rows {
        out.push('|');
        for cell in row {
            out.push(' ');
            out.push_str(if cell.is_empty() { " " } else { cell });
            out.push_str(" |");
        }
        out.push('\n');
    }
    out
}

/// A fold: `<details>` with a summary (trusted text only) and Markdown content.
pub fn details(summary: &str, content: &str) -> String {
    format!("<details>\n<summary>{summary}</summary>\n\n{content}\n</details>\n")
}

/// The day of an RFC 3339 time (`2024-03-01T…` → `2024-03-01`), escaped.
pub fn day(time: crate::date::Timestamp) -> String {
    text(&crate::date::utc_day(time))
}

/// The report's window as a phrase: `2024-01-01 to 2024-06-30`, `since 2024-01-01`,
/// `until 2024-06-30`, or `all history (2024-01-03 to 2024-06-12)` from the first and last
/// activity in the report. Escaped.
pub fn window(report: &Report) -> String {
    text(&super::window_phrase(report, super::Span::Day))
}

/// A whole percentage: `31%`, `<1%` for small shares that are not zero.
pub fn percent(x: f64) -> String {
    if x > 0.0 && x < 0.005 {
        "<1%".to_string()
    } else {
        format!("{:.0}%", x * 100.0)
    }
}

/// `1 change`, `2 changes`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A person's name for a document, escaped; a bot is marked.
pub fn person_name(p: &crate::model::Person) -> String {
    let mut s = text_max(&p.name, 80);
    if p.bot {
        s.push_str(" (bot)");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_urls_are_made_safe_for_links() {
        assert_eq!(
            safe_url("https://github.com/o/r/pull/12").as_deref(),
            Some("https://github.com/o/r/pull/12")
        );
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("//evil.example/x"), None);
        assert_eq!(
            safe_url("https://x.example/a b)\"<c>[d]").as_deref(),
            Some("https://x.example/a%20b%29%22%3Cc%3E%5Bd%5D")
        );
        assert_eq!(
            safe_url("https://x.example/?a=1&b=2").as_deref(),
            Some("https://x.example/?a=1&amp;b=2")
        );
    }

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(text("a | b"), "a \\| b");
        assert_eq!(
            text("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(text("`rm -rf` *x* _y_"), "\\`rm -rf\\` \\*x\\* \\_y\\_");
        assert_eq!(text("[a](javascript:x)"), "\\[a\\](javascript:x)");
        assert_eq!(text("fix(config): panic!"), "fix(config): panic!");
        assert_eq!(text("line\nbreak\r\n"), "line break  ");
        assert_eq!(text("esc\u{1b}[31m"), "esc\u{FFFD}\\[31m");
        assert_eq!(text("&lt;"), "&amp;lt;");
        assert_eq!(text("see https://x.org"), "see https\\://x.org");
        assert_eq!(text("www.evil.example"), "www\\.evil.example");
        assert_eq!(
            text("@team #1 ~~s~~ $x$"),
            "@\u{2060}team \\#1 \\~\\~s\\~\\~ \\$x\\$"
        );
        assert_eq!(text("a@b.org"), "a@\u{2060}b.org");
        assert_eq!(text("a\u{202E}b"), "ab");
        assert_eq!(text("José Müller 李明"), "José Müller 李明");
        assert_eq!(text("\\"), "\\\\");
    }

    #[test]
    fn text_max_cuts_by_characters() {
        assert_eq!(text_max("abcdef", 4), "abc…");
        assert_eq!(text_max("abc", 4), "abc");
        assert_eq!(text_max("李明李明李明", 3), "李明…");
    }

    fn remote(url: &str, forge: &str) -> Remote {
        Remote {
            url: url.to_string(),
            forge: forge.to_string(),
        }
    }

    #[test]
    fn forge_links_only_from_checked_parts() {
        let gh = Forge::of(Some(&remote("https://github.com/acme/widget", "github"))).unwrap();
        assert_eq!(
            gh.commit_url("ABCDEF1234").unwrap(),
            "https://github.com/acme/widget/commit/abcdef1234"
        );
        assert_eq!(gh.pr_url(12), "https://github.com/acme/widget/pull/12");
        assert_eq!(gh.commit_url("abc)x"), None);
        let gl = Forge::of(Some(&remote("https://gitlab.com/g/sub/p", "gitlab"))).unwrap();
        assert_eq!(
            gl.commit_url("abcdef1").unwrap(),
            "https://gitlab.com/g/sub/p/-/commit/abcdef1"
        );
        assert_eq!(
            gl.pr_url(7),
            "https://gitlab.com/g/sub/p/-/merge_requests/7"
        );
        for bad in [
            "https://github.x\"><script>/o/r",
            "https://github.com/o/r)(x",
            "https://github.com/o",
            "http://github.com/o/r",
            "javascript:alert(1)//github.com/o/r",
            "https://github.com/o/../r",
            "https://GITHUB.com/o/r",
            "https://github.com:x/o/r",
            "https://github.com/o/r/",
        ] {
            assert_eq!(Forge::of(Some(&remote(bad, "github"))), None, "{bad}");
        }
        assert_eq!(
            Forge::of(Some(&remote("https://github.com/o/r", "gitea"))),
            None
        );
    }
}
