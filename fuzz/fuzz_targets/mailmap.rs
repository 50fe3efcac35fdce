//! Mailmap: reading arbitrary bytes as a `.mailmap` file (`add_text`) and as a blob
//! (`add_blob_text`), then looking up identities taken from the same bytes (`map`).
#![no_main]

use gluework::ident::mailmap::Mailmap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = Mailmap::new();
    let warnings = file.add_text(data);
    let lines = data.split(|&b| b == b'\n').count().max(1);
    for w in &warnings {
        assert!(w.line >= 1 && w.line <= lines);
    }
    let mut blob = Mailmap::new();
    blob.add_blob_text(data);
    // Two sources in a row, as git reads .mailmap then mailmap.blob then mailmap.file.
    file.add_blob_text(data);

    let text = String::from_utf8_lossy(data);
    let probes: Vec<&str> = text
        .split(['<', '>', '\n'])
        .map(str::trim)
        .take(32)
        .chain(["", "\u{0}", "A@B.C"])
        .collect();
    for m in [&file, &blob] {
        for &name in &probes {
            for &email in &probes {
                let _ = m.map(name, email);
            }
        }
    }
});
