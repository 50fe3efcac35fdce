//! Turns the Markdown that gluework's own document renderers write (the team report, the
//! packet) into HTML, so the HTML pages carry the same content without a second copy of every
//! sentence. This is not a general Markdown parser: it reads the small dialect those renderers
//! emit — headings, `-` lists, GitHub tables, paragraphs, `**bold**`, `*italic*`, code spans,
//! links, images alone on a line, and the `<details>` folds of [`super::super::markdown::details`].
//!
//! Untrusted text reaches that Markdown only through [`crate::render::markdown::text`], which
//! turns `&`, `<` and `>` into entities and backslash-escapes Markdown punctuation. Here every
//! character that is not one of the constructs above is escaped again for HTML (a backslash
//! escape gives the character, escaped; only `&amp;`-style entities pass through), so nothing
//! in the input can open a tag or an attribute. Link targets are kept only when they are
//! `http(s)://` addresses (the Markdown renderers build them from checked forge addresses) and
//! are escaped as attribute values.

use super::push_escaped;
use std::fmt::Write;

/// How the blocks are turned into HTML.
pub struct Convert<'a> {
    /// The HTML of an image on a line of its own, by its target (`charts/trend.svg`): an
    /// inline chart. `None`: the image is left out (its alt text is shown instead).
    pub image: &'a dyn Fn(&str, &str) -> Option<String>,
    /// The HTML that replaces a section (its heading and everything up to the next heading of
    /// the same or a higher level), by level and heading text; `None` keeps it.
    pub replace: &'a dyn Fn(usize, &str) -> Option<String>,
    /// Whether folds (`<details>`) start open (the packet, so that it prints whole).
    pub open_details: bool,
    /// Whether each level-2 heading starts a `<section>` (page breaks in print).
    pub sections: bool,
    /// Heading levels are shifted by this much (a team report's `##` under a page's `<h1>`).
    pub shift: usize,
}

/// A heading's anchor: lower-case ASCII letters and digits joined by `-`.
pub fn anchor(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The plain text of inline Markdown (escapes and the entities the Markdown renderers write
/// resolved, markup dropped), for headings' anchors and charts' accessible names, which are
/// escaped again as they are written: a name written `<b>` reads `<b>`, not `&lt;b&gt;`.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' => {
                if let Some(n) = rest.chars().next() {
                    out.push(n);
                    rest = &rest[n.len_utf8()..];
                }
            }
            '*' | '`' => {}
            '&' => match entity(rest) {
                Some((decoded, len)) => {
                    out.push(decoded);
                    rest = &rest[len..];
                }
                None => out.push('&'),
            },
            c => out.push(c),
        }
    }
    out
}

/// The character of an entity (`amp;`, `lt;`, `#124;` …, after its `&`) and the entity's
/// length; `None` for anything else.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(10).position(|b| b == b';')?;
    let body = &s[..end];
    let c = match body {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = body.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// Inline Markdown to HTML.
pub fn inline(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 16);
    let (mut strong, mut em) = (false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                push_escaped(&mut out, chars[i + 1]);
                i += 2;
                continue;
            }
            '&' => {
                // Entities the Markdown renderers wrote (`&amp;`, `&lt;`, `&#124;`) pass
                // through: the ones `plain` resolves (an entity is ASCII and at most 10 long).
                let tail: String = chars[i + 1..].iter().take(11).collect();
                if let Some((_, len)) = entity(&tail) {
                    out.push('&');
                    out.push_str(&tail[..len]);
                    i += len + 1;
                    continue;
                }
                out.push_str("&amp;");
            }
            '*' if chars.get(i + 1) == Some(&'*') => {
                out.push_str(if strong { "</strong>" } else { "<strong>" });
                strong = !strong;
                i += 2;
                continue;
            }
            '*' => {
                out.push_str(if em { "</em>" } else { "<em>" });
                em = !em;
            }
            '`' => {
                if let Some(len) = chars[i + 1..].iter().position(|&c| c == '`') {
                    out.push_str("<code>");
                    for &c in &chars[i + 1..i + 1 + len] {
                        push_escaped(&mut out, c);
                    }
                    out.push_str("</code>");
                    i += len + 2;
                    continue;
                }
                out.push('`');
            }
            '[' => {
                if let Some((label, url, next)) = link_at(&chars, i) {
                    match safe_href(&url) {
                        Some(href) => {
                            let _ = write!(out, "<a href=\"{href}\">{}</a>", inline(&label));
                        }
                        None => out.push_str(&inline(&label)),
                    }
                    i = next;
                    continue;
                }
                out.push('[');
            }
            c => push_escaped(&mut out, c),
        }
        i += 1;
    }
    if em {
        out.push_str("</em>");
    }
    if strong {
        out.push_str("</strong>");
    }
    out
}

/// `[label](url)` starting at `i`: the label (Markdown), the target and the index after it.
fn link_at(chars: &[char], i: usize) -> Option<(String, String, usize)> {
    let mut j = i + 1;
    let mut depth = 0;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            '[' => depth += 1,
            ']' if depth == 0 => break,
            ']' => depth -= 1,
            _ => {}
        }
        j += 1;
    }
    if chars.get(j + 1) != Some(&'(') {
        return None;
    }
    let close = chars[j + 2..].iter().position(|&c| c == ')')? + j + 2;
    let label: String = chars[i + 1..j].iter().collect();
    let url: String = chars[j + 2..close].iter().collect();
    Some((label, url, close + 1))
}

/// A link target as an attribute value: only `http(s)://` addresses, with every character
/// that could leave the attribute escaped (entities the Markdown holds are kept), or a plain
/// file name beside the page (the packet's evidence CSV, a name gluework made: letters,
/// digits, `-`, `_` and one `.`).
fn safe_href(url: &str) -> Option<String> {
    let file = |u: &str| {
        u.split_once('.').is_some_and(|(stem, ext)| {
            let ok = |s: &str| {
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            };
            ok(stem) && ok(ext)
        })
    };
    if file(url) {
        return Some(url.to_string());
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
    {
        return None;
    }
    Some(inline(url))
}

/// Splits a table row on the `|` that are not backslash-escaped.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push('\\');
                cur.extend(chars.next());
            }
            '|' => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

/// An image alone on a line: `![alt](target)`.
fn image_line(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix("![")?;
    let chars: Vec<char> = format!("[{rest}").chars().collect();
    let (alt, target, next) = link_at(&chars, 0)?;
    (next == chars.len()).then_some((alt, target))
}

impl Convert<'_> {
    /// Markdown blocks to HTML.
    pub fn blocks(&self, md: &str) -> String {
        let lines: Vec<&str> = md.lines().collect();
        let mut out = String::with_capacity(md.len() * 2);
        let mut para: Vec<&str> = Vec::new();
        let mut open_section = false;
        // Headings' anchors, made unique (each team's section repeats the same headings).
        let mut anchors: std::collections::HashMap<String, usize> = Default::default();
        // The id of the heading the blocks are under: a table's accessible name.
        let mut under: Option<String> = None;
        let flush = |para: &mut Vec<&str>, out: &mut String| {
            if !para.is_empty() {
                let _ = writeln!(out, "<p>{}</p>", inline(&para.join(" ")));
                para.clear();
            }
        };
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let t = line.trim_end();
            let hashes = t.bytes().take_while(|&b| b == b'#').count();
            if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
                flush(&mut para, &mut out);
                let title = t[hashes + 1..].trim();
                let end = (i + 1..lines.len())
                    .find(|&j| {
                        let h = lines[j].bytes().take_while(|&b| b == b'#').count();
                        (1..=hashes).contains(&h) && lines[j][h..].starts_with(' ')
                    })
                    .unwrap_or(lines.len());
                if self.sections && hashes == 2 {
                    if open_section {
                        out.push_str("</section>\n");
                    }
                    out.push_str("<section>\n");
                    open_section = true;
                }
                if let Some(html) = (self.replace)(hashes, &plain(title)) {
                    out.push_str(&html);
                    under = None;
                    i = end;
                    continue;
                }
                let level = (hashes + self.shift).min(6);
                let base = match anchor(&plain(title)) {
                    // A title with no ASCII letter or digit still gets an id (tables point at it).
                    a if a.is_empty() => "section".to_string(),
                    a => a,
                };
                let n = anchors.entry(base.clone()).or_default();
                *n += 1;
                let id = if *n == 1 { base } else { format!("{base}-{n}") };
                let _ = writeln!(out, "<h{level} id=\"{id}\">{}</h{level}>", inline(title));
                under = Some(id);
            } else if t.is_empty() {
                flush(&mut para, &mut out);
            } else if t.starts_with("- ") {
                flush(&mut para, &mut out);
                out.push_str("<ul>\n");
                while i < lines.len() && lines[i].starts_with("- ") {
                    let _ = writeln!(out, "<li>{}</li>", inline(&lines[i][2..]));
                    i += 1;
                }
                out.push_str("</ul>\n");
                continue;
            } else if t.starts_with('|') {
                flush(&mut para, &mut out);
                let mut rows: Vec<Vec<String>> = Vec::new();
                while i < lines.len() && lines[i].starts_with('|') {
                    rows.push(cells(lines[i]));
                    i += 1;
                }
                out.push_str(&table(&rows, under.as_deref()));
                continue;
            } else if t == "<details>" {
                flush(&mut para, &mut out);
                out.push_str(if self.open_details {
                    "<details open>\n"
                } else {
                    "<details>\n"
                });
            } else if t == "</details>" {
                flush(&mut para, &mut out);
                out.push_str("</details>\n");
            } else if let Some(s) = t
                .strip_prefix("<summary>")
                .and_then(|s| s.strip_suffix("</summary>"))
            {
                flush(&mut para, &mut out);
                let _ = writeln!(out, "<summary>{}</summary>", inline(s));
            } else if let Some((alt, target)) = image_line(t) {
                flush(&mut para, &mut out);
                match (self.image)(&target, &plain(&alt)) {
                    Some(html) => out.push_str(&html),
                    None => {
                        let _ = writeln!(out, "<p>{}</p>", inline(&alt));
                    }
                }
            } else {
                para.push(t);
            }
            i += 1;
        }
        flush(&mut para, &mut out);
        if open_section {
            out.push_str("</section>\n");
        }
        out
    }
}

/// A GitHub table (header, alignment row, rows) as an HTML table; numeric columns (right
/// aligned in the Markdown) get the class `num`. `heading`: the id of the heading the table is
/// under, which names the table (`aria-labelledby`, so the name is the heading's text as shown,
/// escaped once, and not repeated on screen); `None` only for a table before any heading.
fn table(rows: &[Vec<String>], heading: Option<&str>) -> String {
    let Some(header) = rows.first() else {
        return String::new();
    };
    let mut out = match heading {
        // Ids are `anchor`'s: ASCII letters, digits and `-`, nothing to escape.
        Some(id) => format!("<div class=\"scroll\"><table aria-labelledby=\"{id}\">\n"),
        None => String::from("<div class=\"scroll\"><table>\n"),
    };
    let right: Vec<bool> = rows
        .get(1)
        .map(|r| r.iter().map(|c| c.ends_with(':')).collect())
        .unwrap_or_default();
    let class = |j: usize| {
        if right.get(j).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        }
    };
    out.push_str("<thead><tr>");
    for (j, h) in header.iter().enumerate() {
        let _ = write!(out, "<th scope=\"col\"{}>{}</th>", class(j), inline(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows.iter().skip(2) {
        out.push_str("<tr>");
        for (j, c) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(j), inline(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::text;

    #[test]
    fn escaped_markdown_stays_text() {
        for hostile in [
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "</details><details open>",
            "[a](javascript:alert(1))",
            "&lt;b&gt; &amp; &#60;",
            "`x` *y* **z** \\",
            "a\u{1}b\u{7f}c",
        ] {
            let html = inline(&text(hostile));
            assert!(!html.contains('<'), "{hostile:?} gave {html}");
            assert!(!html.contains('"'), "{hostile:?} gave {html}");
        }
        assert_eq!(
            inline(&text("<b> & \"q\"")),
            "&lt;b&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(inline(&text("&lt;")), "&amp;lt;");
    }

    #[test]
    fn plain_text_resolves_escapes_and_entities_once() {
        let hostile = "<b>Eve</b> & \"Mallory\" | *x*";
        assert_eq!(plain(&text(hostile)), hostile);
        // What is not an entity stays as written.
        assert_eq!(
            plain("a & b &nope; &#xZZ; &#1114112;"),
            "a & b &nope; &#xZZ; &#1114112;"
        );
    }

    #[test]
    fn bidirectional_overrides_are_dropped_as_in_plain_text() {
        // A name that reverses the text after it ("Trojan source") reads as written, through
        // Markdown as through the plain escaper.
        let name = "Eve\u{202E}gnp.exe\u{2066}";
        assert_eq!(inline(&text(name)), super::super::escape(name));
        assert!(!inline(&text(name)).contains('\u{202E}'));
    }

    #[test]
    fn tables_are_named_by_their_heading() {
        let c = Convert {
            image: &|_, _| None,
            replace: &|level, title| (level == 2 && title == "Gone").then(String::new),
            open_details: false,
            sections: false,
            shift: 1,
        };
        let hostile = "<b>Eve</b> & \"Mallory\" 'x'";
        let md = format!(
            "| a |\n|---|\n| 1 |\n\n# Title\n\n## {}\n\ntext\n\n| a |\n|---|\n| 1 |\n\n\
             ### People\n\n| b |\n|---|\n| 2 |\n\n## Team x\n\n### People\n\n| c |\n|---|\n| 3 |\n\n\
             ## Gone\n\n| d |\n|---|\n| 4 |\n\n## 日本\n\n| e |\n|---|\n| 5 |\n",
            text(hostile)
        );
        let html = c.blocks(&md);
        let tables: Vec<&str> = html
            .split("<table")
            .skip(1)
            .map(|t| t.split('>').next().unwrap())
            .collect();
        // Before any heading there is nothing to name it by; the replaced section's table is
        // not converted.
        assert_eq!(
            tables,
            [
                "",
                " aria-labelledby=\"b-eve-b-mallory-x\"",
                " aria-labelledby=\"people\"",
                " aria-labelledby=\"people-2\"",
                " aria-labelledby=\"section\"",
            ],
            "{html}"
        );
        // Each name is a heading on the page, its text escaped once.
        for (level, id) in [
            (3, "b-eve-b-mallory-x"),
            (4, "people"),
            (4, "people-2"),
            (3, "section"),
        ] {
            assert!(
                html.contains(&format!("<h{level} id=\"{id}\">")),
                "{id}: {html}"
            );
        }
        assert!(
            html.contains(
                "<h3 id=\"b-eve-b-mallory-x\">&lt;b&gt;Eve&lt;/b&gt; &amp; &quot;Mallory&quot; \
                 &#39;x&#39;</h3>"
            ),
            "{html}"
        );
        assert!(!html.contains("&amp;lt;"), "escaped twice: {html}");
        assert!(html.contains("<h3 id=\"section\">日本</h3>"), "{html}");
    }

    #[test]
    fn the_dialect() {
        assert_eq!(
            inline("**Window:** `abc` *x* [\\#7](https://github.com/o/r/pull/7)"),
            "<strong>Window:</strong> <code>abc</code> <em>x</em> \
             <a href=\"https://github.com/o/r/pull/7\">#7</a>"
        );
        assert_eq!(inline("[x](javascript:alert(1))"), "x)");
        assert_eq!(inline("[x](https://a.example/\"onload=)"), "x");
        assert_eq!(
            inline("[maya-evidence.csv](maya-evidence.csv)"),
            "<a href=\"maya-evidence.csv\">maya-evidence.csv</a>"
        );
        for bad in [
            "../x.csv",
            "/etc/passwd",
            "a.b.c",
            "x:y.csv",
            "javascript:x.csv",
        ] {
            assert_eq!(inline(&format!("[x]({bad})")), "x", "{bad}");
        }
        let c = Convert {
            image: &|t, alt| Some(format!("<img-{t}-{alt}>")),
            replace: &|_, _| None,
            open_details: false,
            sections: true,
            shift: 0,
        };
        let html = c.blocks(
            "# T\n\n## A b\n\n- one\n- two\n\npara\nline\n\n| N | x |\n|---|---:|\n| a \\| b | 1 |\n\n\
             ![Alt](charts/x.svg)\n\n<details>\n<summary>3 more</summary>\n\ntext\n</details>\n",
        );
        assert!(html.contains("<h2 id=\"a-b\">A b</h2>"), "{html}");
        assert!(html.contains("<li>one</li>\n<li>two</li>"), "{html}");
        assert!(html.contains("<p>para line</p>"), "{html}");
        assert!(
            html.contains("<td>a | b</td><td class=\"num\">1</td>"),
            "{html}"
        );
        assert!(html.contains("<img-charts/x.svg-Alt>"), "{html}");
        assert!(
            html.contains("<details>\n<summary>3 more</summary>"),
            "{html}"
        );
        assert!(
            html.contains("<section>") && html.ends_with("</section>\n"),
            "{html}"
        );
    }
}
