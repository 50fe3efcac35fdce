//! Self-contained HTML pages, rendered from the report model alone (like every renderer, so
//! `gluework render report.json` makes them too):
//!
//! - the team page (`DIR/index.html`, [`team_page`]): the team report's content, a people table
//!   that scripts sort, filter and paginate (it is all there without scripts), and one section
//!   per person with their charts (for the people [`HtmlOptions::person_charts`] selects, the
//!   selection `--people`/`--person` make for the chart files) and their newest evidence, folded;
//! - the packet page (`gluework person WHO --out DIR` writes `<slug>.html`, [`packet_page`]):
//!   the promotion packet laid out to print (A4 or Letter, sections on new pages, table rows
//!   never cut).
//!
//! One file each, with no network: the style sheet and the script are inline, the charts are
//! inline SVG, and a Content-Security-Policy allows only that inline code (by its SHA-256
//! digest) and nothing else. Every piece of text from history or from a saved report is
//! escaped ([`escape`]); links are built only by the checked forge addresses of
//! [`crate::render::markdown::Forges`].

mod md;
mod packet;
mod team;

pub use packet::packet_page;
pub use team::team_page;

use crate::model::{Evidence, Report};
use crate::render::chart::PeopleSelection;
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The style sheet of both pages (screen, dark mode and print).
const STYLE: &str = include_str!("style.css");
/// The team page's script: sorting, filtering and pagination of the people table.
const SCRIPT: &str = include_str!("table.js");

/// Options of the team page.
#[derive(Debug, Clone)]
pub struct HtmlOptions<'a> {
    /// The previous window's report, for the comparison section.
    pub previous: Option<&'a Report>,
    /// Whose section shows their two charts: the selection the personal chart files are
    /// written for (`--people N|all`, `--person WHO`), resolved by the same
    /// [`crate::render::chart::select_people`]. The other sections hold figures and evidence
    /// only, so that a page of thousands of people stays small. Default: the first
    /// [`PERSON_CHARTS`].
    pub person_charts: PeopleSelection,
    /// People on the team charts (who carries the glue, who helps whom); 0 for everyone.
    pub top: usize,
}

impl Default for HtmlOptions<'_> {
    fn default() -> Self {
        HtmlOptions {
            previous: None,
            person_charts: PeopleSelection::Top(PERSON_CHARTS),
            top: 15,
        }
    }
}

/// People whose section on the team page has charts, by default (as `--people`'s default).
pub const PERSON_CHARTS: usize = 15;

/// Evidence items a person's section on the team page lists (newest first); their packet
/// lists more, and its CSV every item.
pub const SECTION_EVIDENCE: usize = 5;

/// Escapes text for HTML content and attribute values: `& < > " '` become entities, control
/// characters become `�` (line breaks a space), and bidirectional overrides are removed.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// One character of [`escape`] (also the Markdown converter's, so both escape alike).
pub(super) fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        '\n' | '\r' | '\t' => out.push(' '),
        c if crate::input::is_bidi_control(c) => {}
        c if c.is_control() => out.push('\u{FFFD}'),
        c => out.push(c),
    }
}

/// [`escape`] of at most `max` characters, the cut marked with `…`.
pub fn escape_max(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return escape(s);
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", escape(cut.trim_end()))
}

// The evidence fields the pages read, in one place.

/// An evidence item's time, as the report holds it.
fn evidence_date(e: &Evidence) -> String {
    e.date_text()
}

/// An evidence item's day (`2024-03-01`).
fn evidence_day(e: &Evidence) -> String {
    let d = evidence_date(e);
    d.get(0..10).unwrap_or(&d).to_string()
}

/// An evidence item's commit id.
fn evidence_commit(e: &Evidence) -> String {
    e.commit.hex()
}

/// Evidence newest first: by time, then repository, commit and rule.
fn newest_first(mut items: Vec<&Evidence>) -> Vec<&Evidence> {
    items.sort_by_cached_key(|e| {
        (
            std::cmp::Reverse(evidence_date(e)),
            e.repo.clone(),
            evidence_commit(e),
            e.kind.clone(),
        )
    });
    items
}

/// Standard base64 (for the policy's digests).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `'sha256-…'`: a policy source that allows exactly this inline code.
fn csp_hash(code: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(code.as_bytes())))
}

/// A whole page: the policy, the inline style (and script), a skip link, and `body`.
fn page(title: &str, body: &str, script: Option<&str>, class: &str) -> String {
    let style = STYLE;
    let script_src = match script {
        Some(s) => csp_hash(s),
        None => "'none'".to_string(),
    };
    let mut out = String::with_capacity(body.len() + style.len() + 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src {}; script-src {script_src}; img-src data:; base-uri 'none'; \
         form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"generator\" content=\"gluework\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <title>{}</title>\n<style>{style}</style>\n</head>\n\
         <body class=\"{class}\">\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n\
         <main id=\"main\">\n",
        csp_hash(style),
        escape(title),
    );
    out.push_str(body);
    out.push_str("</main>\n");
    if let Some(s) = script {
        let _ = writeln!(out, "<script>{s}</script>");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// An inline chart: the SVG the chart module draws, marked as an image; its `<title>` (the
/// chart's own heading) names it for screen readers, and `alt` is the document's words for it.
fn figure(svg: &str, alt: &str) -> String {
    let svg = svg.trim_end();
    let svg = match svg.strip_prefix("<svg ") {
        Some(rest) => format!(
            "<svg role=\"img\" aria-label=\"{}\" focusable=\"false\" {rest}",
            escape(alt)
        ),
        None => svg.to_string(),
    };
    format!("<figure class=\"chart\">\n{svg}\n</figure>\n")
}

/// The rules and configuration that made the report, as a definition list (shown at the top of
/// both pages, under the window and tool the documents name).
fn about(report: &Report) -> String {
    let mut out = String::from("<dl class=\"about\">\n");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(out, "<div><dt>{k}</dt><dd>{v}</dd></div>");
    };
    row(
        "Rules",
        format!(
            "version {}, digest <code>{}</code>",
            report.tool.rules_version,
            escape(&report.config.digest)
        ),
    );
    if !report.config.sources.is_empty() {
        let shown: Vec<String> = report
            .config
            .sources
            .iter()
            .take(5)
            .map(|s| escape_max(s, 120))
            .collect();
        let more = report.config.sources.len().saturating_sub(5);
        row(
            "Configuration",
            format!(
                "{}{}",
                shown.join("; "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        );
    }
    out.push_str("</dl>\n");
    out
}

/// A document's Markdown as HTML: its head (title, introduction, the list naming the window
/// and tool), then `extra` (the rules), then its sections.
fn document(markdown: &str, conv: &md::Convert, extra: &str) -> String {
    let (head, rest) = match markdown.find("\n## ") {
        Some(i) => markdown.split_at(i + 1),
        None => (markdown, ""),
    };
    let mut out = String::from("<header>\n");
    out.push_str(&conv.blocks(head));
    out.push_str(extra);
    out.push_str("</header>\n");
    out.push_str(&conv.blocks(rest));
    out
}

/// One evidence table (date, repository, commit, change, PR, credit, with) in HTML, commits
/// and pull requests linked only through the checked forge addresses.
fn evidence_table(
    forges: &super::markdown::Forges,
    index: &crate::report::Names,
    items: &[&Evidence],
    caption: &str,
) -> String {
    use super::markdown::{is_hex_id, pr_url};
    let mut out = format!(
        "<div class=\"scroll\"><table class=\"evidence\">\n<caption>{}</caption>\n<thead><tr>\
         <th scope=\"col\">Date</th><th scope=\"col\">Repository</th><th scope=\"col\">Commit</th>\
         <th scope=\"col\">Change</th><th scope=\"col\">PR</th><th scope=\"col\">Credit</th>\
         <th scope=\"col\">With</th></tr></thead>\n<tbody>\n",
        escape(caption)
    );
    for e in items {
        let commit = evidence_commit(e);
        let short = if is_hex_id(&commit) {
            commit[..commit.len().min(7)].to_ascii_lowercase()
        } else {
            escape_max(&commit, 12)
        };
        let commit_cell = match forges.get(&e.repo).and_then(|f| f.commit_url(&commit)) {
            Some(url) => format!("<a href=\"{}\"><code>{short}</code></a>", escape(&url)),
            None => format!("<code>{short}</code>"),
        };
        let pr_cell = match e.pr {
            Some(n) => match pr_url(forges, &e.repo, n, e.url.as_deref()) {
                Some(url) => format!("<a href=\"{}\">#{n}</a>", escape(&url)),
                None => format!("#{n}"),
            },
            None => String::new(),
        };
        let mut with: Vec<String> = e
            .with
            .iter()
            .take(3)
            .map(|id| escape_max(index.get(id), 60))
            .collect();
        let more = e.with.len().saturating_sub(3) as u64 + e.with_more;
        if more > 0 {
            with.push(format!("{more} more"));
        }
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{commit_cell}</td><td>{}</td><td>{pr_cell}</td>\
             <td>{}</td><td>{}</td></tr>",
            escape(&evidence_day(e)),
            escape_max(&e.repo, 40),
            escape_max(&e.subject, 120),
            md::inline(&super::packet::kind_words(e.category, &e.kind)),
            with.join(", ")
        );
    }
    out.push_str("</tbody></table></div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</details>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/details&gt;"
        );
        assert_eq!(escape("a\u{1b}[31m\nb\u{202e}"), "a\u{FFFD}[31m b");
        assert_eq!(escape_max("abcdef", 4), "abc…");
    }

    #[test]
    fn base64_and_policy_digests() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }
}
