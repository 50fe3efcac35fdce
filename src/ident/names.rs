//! Display names compared as people compare them: case, accents and spacing do not matter.

/// A name normalised for comparison: lower case, Latin accents folded (`é` → `e`, `ễ` → `e`,
/// `ß` → `ss`, `ĳ` → `ij`), combining marks dropped, dots read as spaces (`P. J.` = `P J`),
/// runs of whitespace made one space, trimmed.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.trim().chars() {
        if c.is_whitespace() || c == '.' {
            space = true;
            continue;
        }
        // Combining diacritical marks.
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        for l in c.to_lowercase() {
            match fold_char(l) {
                Some(s) => out.push_str(s),
                None => out.push(l),
            }
        }
    }
    out
}

fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        // Vietnamese (Latin Extended Additional).
        'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ' | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => {
            "a"
        }
        'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể' | 'ễ' | 'ệ' => "e",
        'ỉ' | 'ị' => "i",
        'ọ' | 'ỏ' | 'ố' | 'ồ' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => {
            "o"
        }
        'ụ' | 'ủ' | 'ư' | 'ứ' | 'ừ' | 'ử' | 'ữ' | 'ự' => "u",
        'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' => "y",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        // Letters that are two letters (Dutch `ĳ`, the Croatian digraphs): `Vernooĳ` is
        // `Vernooij`.
        'ĳ' => "ij",
        'ǆ' => "dz",
        'ǉ' => "lj",
        'ǌ' => "nj",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => return None,
    })
}

/// The key two identities must share to be one person by display name: the folded name when
/// it has at least two words, else `None` (one word — `alex`, `root` — proves nothing).
pub fn full_name_key(name: &str) -> Option<String> {
    let f = fold(name);
    (f.split(' ').filter(|w| !w.is_empty()).count() >= 2).then_some(f)
}

/// The folded name with spaces, dots, hyphens and underscores removed (`Alex Crichton` →
/// `alexcrichton`): compared with logins to find likely duplicates and in the self-credit
/// guard.
pub fn compact(name: &str) -> String {
    fold(name)
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '_'))
        .collect()
}

/// Whether a display name is one word that could be a GitHub login (ASCII letters, digits,
/// single hyphens; not only digits).
pub fn is_login_shaped(name: &str) -> bool {
    let n = name.trim();
    !n.is_empty()
        && n.len() <= 39
        && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !n.starts_with('-')
        && !n.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_spacing() {
        assert_eq!(fold("  José   ÁLVAREZ "), "jose alvarez");
        assert_eq!(fold("Jose\u{301} Alvarez"), "jose alvarez");
        assert_eq!(fold("Weihang\tLo"), "weihang lo");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Nguyễn Thái Ngọc Duy"), "nguyen thai ngoc duy");
        assert_eq!(fold("Robert P. J. Day"), fold("Robert P J Day"));
        assert_eq!(fold("J.R. Smith"), "j r smith");
        assert_eq!(fold("Jelmer Vernooĳ"), fold("Jelmer Vernooij"));
        assert_eq!(fold("ĲSSEL Ǉubić"), "ijssel ljubic");
        assert_eq!(full_name_key("Alice  Ryhl").as_deref(), Some("alice ryhl"));
        assert_eq!(full_name_key("alice"), None);
        assert_eq!(compact("Alex Crichton"), "alexcrichton");
        assert_eq!(compact("Jean-Luc O'Neil"), "jeanluco'neil");
    }

    #[test]
    fn login_shapes() {
        assert!(is_login_shaped("ehuss"));
        assert!(is_login_shaped("Darksonn"));
        assert!(is_login_shaped("weihanglo-2"));
        assert!(!is_login_shaped("Eric Huss"));
        assert!(!is_login_shaped("12345"));
        assert!(!is_login_shaped("-x"));
        assert!(!is_login_shaped(""));
    }
}
