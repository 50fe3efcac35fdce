//! Credit identities: `parse_identity`, `parse_people`, `split_people` and `credit_ident` on arbitrary credit
//! values (`Name <email>`, `@login`, bare names, lists, junk).
#![no_main]

use gluework::classify::trailers::{parse_identity, parse_people, split_people};
use gluework::classify::{credit_ident, credit_idents};
use gluework::ident::mailmap::Mailmap;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static MAILMAP: LazyLock<Mailmap> = LazyLock::new(|| {
    let mut m = Mailmap::new();
    m.add_text(b"Jane Doe <jane@example.org> <j@x>\n<p@x> Old <o@x>\n");
    m
});

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    for v in std::iter::once(value).chain(split_people(value)) {
        if let Some(id) = parse_identity(v) {
            assert!(id.name.is_some() || id.email.is_some() || id.login.is_some());
            for field in [&id.name, &id.email, &id.login].into_iter().flatten() {
                assert!(!field.is_empty() && !field.contains('\0'));
            }
        }
        let _ = credit_ident(&MAILMAP, v);
        for id in parse_people(v) {
            assert!(id.name.is_some() || id.email.is_some() || id.login.is_some());
        }
        let _ = credit_idents(&MAILMAP, v);
    }
});
