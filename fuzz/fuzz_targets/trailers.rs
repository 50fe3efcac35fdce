//! Trailers: `git_trailers` (git interpret-trailers --parse) and `credit_lines` (gluework's
//! lenient superset, and `all_credit_lines`) on arbitrary messages. Besides not panicking, credit lines must begin with
//! exactly git's trailers, and lenient lines may only appear where git found no block.
#![no_main]

use gluework::classify::trailers::{all_credit_lines, credit_lines, git_trailers, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Commit text reaches the parsers as UTF-8, or decoded as Windows-1252 when it is not.
    let text = match std::str::from_utf8(data) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(data)
            .0
            .into_owned(),
    };
    let git: Vec<(String, String)> = git_trailers(&text)
        .into_iter()
        .map(|t| (t.key, t.value))
        .collect();
    let lines = credit_lines(&text, &|_| true);
    let head: Vec<(String, String)> = lines
        .iter()
        .take_while(|l| l.source == Source::Git)
        .map(|l| (l.key.clone(), l.value.clone()))
        .collect();
    assert_eq!(head, git, "credit lines must start with git's trailers");
    for l in &lines[head.len()..] {
        assert!(l.source != Source::Git);
        assert!(l.source != Source::Lenient || git.is_empty());
    }
    // With the trailing paragraphs above the final one: the same start, then additions.
    let all = all_credit_lines(&text, &|_| true);
    assert!(all.len() >= lines.len() && all[..head.len()] == lines[..head.len()]);
    assert!(all[head.len()..].iter().all(|l| l.source != Source::Git));
});
