//! The people of a report as CSV: one row per person with every category (`--csv FILE`).
//!
//! RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break quoted
//! (quotes doubled). Text that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) gets a leading `'`, so a name in git history cannot
//! become a formula when the file is opened in a spreadsheet.

use crate::category::Category;
use crate::model::Report;

/// The columns, in order: the person, a column per category (named as in the JSON, in
/// [`Category::ALL`] order), then the glue figures.
pub fn header() -> Vec<&'static str> {
    let person = [
        "rank", "id", "name", "email", "login", "bot", "teams", "commits",
    ];
    let categories = Category::ALL.iter().map(|c| c.as_str());
    let glue = ["glue", "glue_share", "first_seen", "last_seen"];
    person.into_iter().chain(categories).chain(glue).collect()
}

/// A text field, quoted where needed and defused against formula injection.
pub fn field(s: &str) -> String {
    let mut s: String = s
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\r' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Everyone in the report (bots too, marked in the `bot` column), in report order.
pub fn people(report: &Report) -> String {
    let mut out = header().join(",");
    out.push_str("\r\n");
    for (i, p) in report.people.iter().enumerate() {
        let mut row: Vec<String> = vec![
            (i + 1).to_string(),
            field(&p.id),
            field(&p.name),
            field(p.email.as_deref().unwrap_or("")),
            field(p.login.as_deref().unwrap_or("")),
            p.bot.to_string(),
            field(&p.teams.join(";")),
            p.commits.to_string(),
        ];
        row.extend(Category::ALL.iter().map(|&c| p.categories[c].to_string()));
        row.push(p.glue.to_string());
        row.push(format!("{:.4}", p.glue_share));
        let date =
            |t: Option<crate::date::Timestamp>| t.map_or(String::new(), crate::date::utc_text);
        row.push(field(&date(p.first_seen)));
        row.push(field(&date(p.last_seen)));
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(field("Ada"), "Ada");
        assert_eq!(field("Okafor, Bob"), "\"Okafor, Bob\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1+2"), "'-1+2");
        assert_eq!(field("@cmd"), "'@cmd");
        assert_eq!(field("a\nb"), "\"a\nb\"");
        assert_eq!(field("a\u{1b}b"), "a\u{FFFD}b");
    }

    #[test]
    fn header_names_every_category() {
        assert_eq!(
            header().join(","),
            "rank,id,name,email,login,bot,teams,commits,review,docs,co_authored_fix,onboarding,\
             support,maintenance,code,glue,glue_share,first_seen,last_seen"
        );
    }
}
