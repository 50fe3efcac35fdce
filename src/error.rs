//! Errors as people read them: one line, the error and its causes joined by `: `.
//!
//! The rule every error type of gluework follows (docs/architecture.md, "Errors"): an error's
//! own text says what failed and where, and its cause is its `source()`, never both; so the
//! chain printed here names each cause once. A low module: it imports nothing of gluework.

use std::error::Error;

/// `e` and each of its causes, joined by `: ` (`cannot write out/report.json: No space left
/// on device`). What the command line prints after `error: `, and what a session tells its
/// observer for a repository that could not be scanned.
pub fn one_line(e: &(dyn Error + 'static)) -> String {
    let mut line = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        line.push_str(": ");
        line.push_str(&c.to_string());
        cause = c.source();
    }
    line
}

/// `e` and its causes, outermost first, as texts (for tests and for the one-line form).
pub fn chain(e: &(dyn Error + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push(c.to_string());
        cause = c.source();
    }
    out
}

/// An error whose text is vetted before anyone reads it: a credential redacted from an HTTP
/// error, text quoted from an untrusted file left out of a parse error. Its text is the
/// vetted one-line form of `inner` and its causes; `inner` is kept, typed, for a program
/// that looks at it ([`Vetted::inner`]), but is not its `source()` (a printer walking the
/// chain would show the unvetted text).
#[derive(Debug)]
pub struct Vetted<E> {
    text: String,
    inner: E,
}

impl<E: Error + 'static> Vetted<E> {
    /// `inner`, shown as `vet` rewrites its one-line text.
    pub fn new(inner: E, vet: impl FnOnce(&str) -> String) -> Self {
        Vetted {
            text: vet(&one_line(&inner)),
            inner,
        }
    }

    /// `inner`, shown as `text`.
    pub fn with_text(inner: E, text: String) -> Self {
        Vetted { text, inner }
    }

    /// The error as it came.
    pub fn inner(&self) -> &E {
        &self.inner
    }
}

impl<E> std::fmt::Display for Vetted<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl<E: Error> Error for Vetted<E> {}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io;

    /// Fails unless each cause of `e` is printed once: no error's text holds its cause's
    /// text (which the chain prints after it), and the one-line form holds each cause once.
    pub(crate) fn assert_each_cause_once(e: &(dyn Error + 'static)) {
        let chain = chain(e);
        let line = one_line(e);
        for pair in chain.windows(2) {
            let (outer, cause) = (&pair[0], &pair[1]);
            assert!(!cause.is_empty(), "an empty cause in {line:?}");
            assert!(
                !outer.contains(cause.as_str()),
                "{outer:?} shows its cause {cause:?} itself: printed twice in {line:?}"
            );
        }
        for cause in chain.iter().skip(1) {
            assert_eq!(
                line.matches(cause.as_str()).count(),
                1,
                "{cause:?} is not printed once in {line:?}"
            );
        }
    }

    fn io_error() -> io::Error {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            "permission denied (os error 13)",
        )
    }

    fn json_error() -> serde_json::Error {
        serde_json::from_str::<serde_json::Value>("{").unwrap_err()
    }

    #[test]
    fn the_test_catches_a_cause_printed_twice() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot write x: {source}")]
        struct Twice {
            source: io::Error,
        }
        let e = Twice { source: io_error() };
        let caught =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| assert_each_cause_once(&e)));
        assert!(caught.is_err(), "{}", one_line(&e));
        assert_eq!(
            one_line(&Twice { source: io_error() }),
            "cannot write x: permission denied (os error 13): permission denied (os error 13)"
        );
    }

    #[test]
    fn one_line_joins_the_causes() {
        let e = crate::fsio::WriteError {
            path: "out/report.json".into(),
            source: io_error(),
        };
        assert_eq!(
            one_line(&e),
            "cannot write out/report.json: permission denied (os error 13)"
        );
        assert_eq!(chain(&e).len(), 2);
    }

    #[test]
    fn vetted_errors_show_the_vetted_text_and_keep_the_error() {
        let e = Vetted::new(json_error(), |t| t.replace("EOF", "[end]"));
        assert!(e.to_string().contains("[end]"), "{e}");
        assert!(e.source().is_none());
        assert!(e.inner().is_eof());
    }
}
