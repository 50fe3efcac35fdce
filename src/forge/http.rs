//! The HTTP side of fetching: GET requests to a forge's REST API with pagination (`Link:
//! rel="next"`, GitLab's `x-next-page`), rate-limit waits (`x-ratelimit-*`, `ratelimit-*`,
//! `Retry-After`) and retries with exponential backoff on 5xx answers and broken connections.
//!
//! Waits are announced through a callback before they start; one longer than
//! [`ClientOptions::longest_wait`] fails the request instead, and each sleep can be capped
//! ([`ClientOptions::max_wait`]) so tests do not sleep. Listings stop at
//! [`ClientOptions::max_pages`] pages and each request at [`ClientOptions::timeout`]. The token travels only in a request
//! header: it is never part of a URL or a message.

use super::ForgeError;
use crate::date::format_utc;
use crate::error::Vetted;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;
use std::cell::Cell;
use std::time::Duration;

/// Attempts per request on 5xx answers and broken connections.
pub const MAX_ATTEMPTS: u32 = 5;
/// Rate-limit waits per request before giving up.
pub const MAX_RATE_LIMIT_WAITS: u32 = 5;
/// Redirects followed per request (GitHub redirects renamed repositories).
const MAX_REDIRECTS: u32 = 5;
/// The largest response body read (a page of 100 GitHub pull requests is a few MB).
const BODY_LIMIT: u64 = 512 << 20;
/// A secondary rate limit with no hint of its length: the first wait, doubled each time.
const SECONDARY_WAIT: u64 = 60;

/// How a client talks to one API.
pub struct ClientOptions {
    /// The API root, e.g. `https://api.github.com`: the only origin requests and next-page
    /// links may go to.
    pub api_url: String,
    /// Headers sent with every request (the token among them).
    pub headers: Vec<(&'static str, String)>,
    /// Caps every single sleep (rate limits and backoff), which then goes on as if it had
    /// waited; for tests (`GLUEWORK_FETCH_MAX_WAIT`). `None` sleeps as long as asked.
    pub max_wait: Option<Duration>,
    /// The longest single wait: a rate limit asking for longer fails the request, naming when
    /// it resets (`--max-wait`).
    pub longest_wait: Duration,
    /// Pages of one listing followed at most (`--max-pages`).
    pub max_pages: u64,
    /// The most one request may take, from connecting to the last byte (`--timeout`).
    pub timeout: Duration,
}

/// Something worth telling the person waiting, one line.
pub type Notify<'a> = &'a dyn Fn(&str);

/// A page of a listing (or a single object).
#[derive(Debug)]
pub struct Page {
    pub body: Value,
    /// The next page's URL, if any.
    pub next: Option<String>,
    /// The server's clock when it answered (the `Date` header), Unix seconds.
    pub date: Option<i64>,
}

pub struct Client<'a> {
    agent: ureq::Agent,
    opts: ClientOptions,
    origin: String,
    host: String,
    notify: Notify<'a>,
    requests: Cell<u64>,
}

impl<'a> Client<'a> {
    pub fn new(opts: ClientOptions, notify: Notify<'a>) -> Result<Self, ForgeError> {
        let (origin, host) = origin_of(&opts.api_url).ok_or_else(|| {
            ForgeError::Usage(format!(
                "--api-url {}: expected an http:// or https:// URL",
                opts.api_url
            ))
        })?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(format!("gluework/{}", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(opts.timeout.min(Duration::from_secs(30))))
            .timeout_global(Some(opts.timeout))
            // Redirects are followed here, within the API's origin only: ureq would carry
            // headers such as GitLab's PRIVATE-TOKEN to any host.
            .max_redirects(0)
            .build()
            .into();
        Ok(Client {
            agent,
            opts,
            origin,
            host,
            notify,
            requests: Cell::new(0),
        })
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.requests.get()
    }

    /// The API's host (and port), for messages.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Every item of a listing, following next-page links, until `stop` says an item ends it
    /// (that item and the rest are left out). Returns the items and the server's clock at the
    /// first answer.
    pub fn get_all(
        &self,
        url: &str,
        mut stop: impl FnMut(&Value) -> bool,
    ) -> Result<(Vec<Value>, Option<i64>), ForgeError> {
        let mut items = Vec::new();
        let mut next = Some(url.to_string());
        let mut first_date = None;
        let mut seen = std::collections::HashSet::new();
        while let Some(url) = next.take() {
            if !seen.insert(url.clone()) {
                return Err(ForgeError::Http {
                    url,
                    message: "the next-page links go round in a circle".into(),
                });
            }
            if seen.len() as u64 > self.opts.max_pages {
                return Err(ForgeError::Http {
                    url,
                    message: format!(
                        "the listing goes on past {} pages (--max-pages); raise --max-pages if \
                         the repository really is that large",
                        self.opts.max_pages
                    ),
                });
            }
            let page = self.get(&url)?;
            first_date = first_date.or(page.date);
            let Value::Array(page_items) = page.body else {
                return Err(ForgeError::Http {
                    url,
                    message: format!("expected a JSON array, got {}", kind_of(&page.body)),
                });
            };
            for item in page_items {
                if stop(&item) {
                    return Ok((items, first_date));
                }
                items.push(item);
            }
            next = page.next;
        }
        Ok((items, first_date))
    }

    /// One GET, retried on 5xx answers and broken connections, waiting out rate limits.
    pub fn get(&self, url: &str) -> Result<Page, ForgeError> {
        // A server may echo the request, token and all, in its error: never print it.
        self.get_unredacted(url).map_err(|e| self.redact(e))
    }

    /// The token (and any other credential header's value) as sent.
    fn secrets(&self) -> Vec<&str> {
        self.opts
            .headers
            .iter()
            .filter(|(k, _)| {
                k.eq_ignore_ascii_case("authorization") || k.eq_ignore_ascii_case("private-token")
            })
            .flat_map(|(_, v)| [v.as_str(), v.rsplit(' ').next().unwrap_or(v)])
            .collect()
    }

    /// `text` with every credential replaced by `[REDACTED]`.
    fn redact_text(&self, text: &str) -> String {
        crate::input::redact(text, &self.secrets())
    }

    /// A request that failed after `attempts` tries, its error redacted.
    fn request_error(&self, url: &str, attempts: u32, e: ureq::Error) -> ForgeError {
        ForgeError::Request {
            url: url.to_string(),
            attempts,
            source: Vetted::new(e, |t| self.redact_text(t)),
        }
    }

    /// `e` with every credential replaced by `[REDACTED]`.
    fn redact(&self, e: ForgeError) -> ForgeError {
        let r = |s: String| self.redact_text(&s);
        match e {
            ForgeError::Http { url, message } => ForgeError::Http {
                url: r(url),
                message: r(message),
            },
            ForgeError::Status {
                url,
                status,
                message,
            } => ForgeError::Status {
                url: r(url),
                status,
                message: r(message),
            },
            ForgeError::Usage(m) => ForgeError::Usage(r(m)),
            ForgeError::Data { path, message } => ForgeError::Data {
                path,
                message: r(message),
            },
            // Their sources' texts were redacted when they were made.
            ForgeError::Request {
                url,
                attempts,
                source,
            } => ForgeError::Request {
                url: r(url),
                attempts,
                source,
            },
            ForgeError::Json { url, source } => ForgeError::Json {
                url: r(url),
                source,
            },
            other => other,
        }
    }

    fn get_unredacted(&self, url: &str) -> Result<Page, ForgeError> {
        let err = |message: String| ForgeError::Http {
            url: url.to_string(),
            message,
        };
        if !self.within(url) {
            return Err(err(format!(
                "not under {} (refusing to send the token elsewhere)",
                self.origin
            )));
        }
        let mut current = url.to_string();
        let mut redirects = 0;
        let mut failures = 0;
        let mut rate_waits = 0;
        loop {
            self.requests.set(self.requests.get() + 1);
            let mut req = self.agent.get(&current);
            for (k, v) in &self.opts.headers {
                req = req.header(*k, v);
            }
            let outcome = req.call().and_then(|mut resp| {
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(BODY_LIMIT)
                    .read_to_vec()?;
                Ok((resp.status().as_u16(), resp.headers().clone(), body))
            });
            let (status, headers, body) = match outcome {
                Ok(x) => x,
                Err(e) if transient(&e) => {
                    failures += 1;
                    if failures >= MAX_ATTEMPTS {
                        return Err(self.request_error(url, failures, e));
                    }
                    self.backoff(failures, &format!("{}: connection failed ({e})", self.host));
                    continue;
                }
                Err(e) => return Err(self.request_error(url, 1, e)),
            };
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::trim)
            };
            let date = header("date").and_then(parse_http_date);
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let Some(location) = header("location") else {
                    return Err(err(format!("{} without a Location", status_text(status))));
                };
                let target = self.absolute(location);
                redirects += 1;
                if !self.within(&target) {
                    return Err(err(format!(
                        "redirected to {target}, off {} (refusing to send the token elsewhere)",
                        self.origin
                    )));
                }
                if redirects > MAX_REDIRECTS {
                    return Err(err(format!("more than {MAX_REDIRECTS} redirects")));
                }
                current = target;
                continue;
            }
            if status == 403 || status == 429 {
                let now = date.unwrap_or_else(unix_now);
                if let Some(wait) = rate_limit_wait(status, &header, &body, now) {
                    rate_waits += 1;
                    if rate_waits > MAX_RATE_LIMIT_WAITS {
                        return Err(err(format!(
                            "still rate limited after waiting {MAX_RATE_LIMIT_WAITS} times"
                        )));
                    }
                    // A limit that gives no length: 1, 2, 4, … minutes (GitHub's advice).
                    let wait = match wait {
                        Wait::Told(secs) => secs,
                        Wait::Guessed(secs) => secs.saturating_mul(1 << (rate_waits - 1).min(16)),
                    };
                    let until =
                        when(unix_now().saturating_add(wait.min(i64::MAX as u64 / 2) as i64));
                    let longest = self.opts.longest_wait.as_secs();
                    if wait > longest {
                        return Err(err(format!(
                            "rate limited by {} until {until} ({} from now), longer than the \
                             longest wait (--max-wait {longest} s); run again after then, or \
                             raise --max-wait",
                            self.host,
                            human_duration(wait)
                        )));
                    }
                    self.wait(
                        Duration::from_secs(wait),
                        &format!(
                            "rate limited by {}; waiting {wait} s (until {until})",
                            self.host
                        ),
                    );
                    continue;
                }
            }
            if status >= 500 {
                failures += 1;
                let what = format!("{} answered {}", self.host, status_text(status));
                if failures >= MAX_ATTEMPTS {
                    return Err(err(format!(
                        "{} (gave up after {failures} attempts)",
                        status_text(status)
                    )));
                }
                self.backoff(failures, &what);
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(ForgeError::Status {
                    url: url.to_string(),
                    status,
                    message: status_message(status, &body),
                });
            }
            let body: Value = serde_json::from_slice(&body).map_err(|e| ForgeError::Json {
                url: url.to_string(),
                source: Vetted::new(e, |t| self.redact_text(t)),
            })?;
            let next = match next_link(&header) {
                Some(next) => {
                    let next = self.absolute(&next);
                    if !self.within(&next) {
                        return Err(err(format!(
                            "the next-page link leads off {} (refusing to send the token \
                             elsewhere)",
                            self.origin
                        )));
                    }
                    Some(next)
                }
                None => header("x-next-page")
                    .filter(|p| !p.is_empty())
                    .map(|p| set_query(&current, "page", p)),
            };
            return Ok(Page { body, next, date });
        }
    }

    /// Whether `url` is under the API's origin (where the token may go).
    fn within(&self, url: &str) -> bool {
        url.get(..self.origin.len())
            .is_some_and(|o| o.eq_ignore_ascii_case(&self.origin))
            && url[self.origin.len()..].starts_with('/')
    }

    /// `/path` → `ORIGIN/path`; absolute URLs unchanged.
    fn absolute(&self, link: &str) -> String {
        if link.starts_with('/') {
            format!("{}{link}", self.origin)
        } else {
            link.to_string()
        }
    }

    /// Sleeps before attempt `failures + 1`: 1, 2, 4, 8 s.
    fn backoff(&self, failures: u32, what: &str) {
        let secs = 1u64 << (failures - 1).min(6);
        self.wait(
            Duration::from_secs(secs),
            &format!(
                "{what}; retrying in {secs} s (attempt {} of {MAX_ATTEMPTS})",
                failures + 1
            ),
        );
    }

    fn wait(&self, wanted: Duration, message: &str) {
        match self.opts.max_wait {
            Some(cap) if cap < wanted => {
                (self.notify)(&format!("{message} [wait capped to {} s]", cap.as_secs()));
                std::thread::sleep(cap);
            }
            _ => {
                (self.notify)(message);
                std::thread::sleep(wanted);
            }
        }
    }
}

/// Errors worth another attempt: the connection broke or timed out.
fn transient(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::Protocol(_)
    )
}

fn unix_now() -> i64 {
    crate::date::now()
}

/// A rate limit's wait, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// As the server said (`Retry-After`, a reset time).
    Told(u64),
    /// The server gave no length: the first wait, doubled on each repeat.
    Guessed(u64),
}

/// A moment as `YYYY-MM-DD HH:MM:SS UTC`: a reset hours away may fall on another day.
fn when(ts: i64) -> String {
    let t = format_utc(ts);
    format!("{} {} UTC", &t[..10], &t[11..19])
}

/// `42 s`, `14 min`, `3 h 5 min`, `2 d 4 h`.
fn human_duration(secs: u64) -> String {
    match secs {
        0..=119 => format!("{secs} s"),
        120..=3599 => format!("{} min", secs / 60),
        3600..=86_399 => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
        _ => format!("{} d {} h", secs / 86_400, secs % 86_400 / 3600),
    }
}

/// How long to wait before asking again, for a 403 or 429 answer that is a rate limit; `None`
/// for a 403 that is not (a permission problem). `now` is the server's clock if known.
///
/// GitHub: `Retry-After` (secondary limits), else `x-ratelimit-remaining: 0` with
/// `x-ratelimit-reset` (epoch seconds), else a 403 saying "secondary rate limit" (a minute,
/// doubled on each repeat by the caller). GitLab: `Retry-After`, else `ratelimit-remaining: 0`
/// with `ratelimit-reset`. Any 429 without a hint: as a secondary limit.
pub fn rate_limit_wait<'h>(
    status: u16,
    header: &dyn Fn(&str) -> Option<&'h str>,
    body: &[u8],
    now: i64,
) -> Option<Wait> {
    if let Some(secs) = header("retry-after").and_then(|v| v.parse::<u64>().ok()) {
        return Some(Wait::Told(secs.max(1)));
    }
    for prefix in ["x-ratelimit", "ratelimit"] {
        let remaining = header(&format!("{prefix}-remaining"));
        let reset = header(&format!("{prefix}-reset")).and_then(|v| v.parse::<i64>().ok());
        if remaining == Some("0") {
            if let Some(reset) = reset {
                // One second more, for clocks that disagree on when the second starts.
                return Some(Wait::Told(reset.saturating_sub(now).max(0) as u64 + 1));
            }
        }
    }
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    if status == 429 || text.contains("secondary rate limit") || text.contains("abuse") {
        return Some(Wait::Guessed(SECONDARY_WAIT));
    }
    None
}

/// The `rel="next"` target of a `Link` header.
pub fn next_link<'h>(header: &dyn Fn(&str) -> Option<&'h str>) -> Option<String> {
    let link = header("link")?;
    let mut rest = link;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>')? + start;
        let target = &rest[start + 1..end];
        let params_end = rest[end..].find('<').map_or(rest.len(), |i| i + end);
        let params = rest[end + 1..params_end].trim_end().trim_end_matches(',');
        let is_next = params.split(';').any(|p| {
            let Some((k, v)) = p.split_once('=') else {
                return false;
            };
            k.trim().eq_ignore_ascii_case("rel")
                && v.trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.to_string());
        }
        rest = &rest[params_end..];
    }
    None
}

/// `url` with query parameter `key` set to `value` (replaced, or added).
pub fn set_query(url: &str, key: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some(key))
        .map(str::to_string)
        .collect();
    parts.push(format!("{key}={value}"));
    format!("{base}?{}", parts.join("&"))
}

/// `scheme://host[:port]` of an http(s) URL, and `host[:port]` for messages.
fn origin_of(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some((
        format!("{}://{authority}", scheme.to_ascii_lowercase()),
        authority.to_string(),
    ))
}

/// RFC 3986's unreserved characters: letters, digits, `-`, `.`, `_`, `~`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes everything but unreserved characters, every byte of a non-ASCII character
/// too, with upper-case hex (GitLab's `/projects/:id` with a path).
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("HTTP {status} {reason}").trim_end().to_string()
}

/// A failed answer as one line: the status, the API's own message, and a hint.
fn status_message(status: u16, body: &[u8]) -> String {
    let api_message = serde_json::from_slice::<Value>(body).ok().and_then(|v| {
        // GitHub: {"message": …}; GitLab: {"message": …} or {"error": …}.
        let m = v.get("message").or_else(|| v.get("error"))?;
        Some(match m {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    });
    let mut out = status_text(status);
    if let Some(m) = api_message {
        let m: String = m.split_whitespace().collect::<Vec<_>>().join(" ");
        let m: String = m.chars().take(300).collect();
        out.push_str(&format!(" ({m})"));
    }
    match status {
        401 => out.push_str("; check the token"),
        403 => out.push_str("; the token may lack a scope (see docs/forge.md)"),
        404 => out.push_str("; no such repository, or the token cannot see it"),
        _ => {}
    }
    out
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110's IMF-fixdate, an RFC 2822 date)
/// as Unix seconds, read by jiff; the weekday is not checked against the date (a server's
/// clock is what counts, not its calendar).
pub fn parse_http_date(s: &str) -> Option<i64> {
    static PARSER: jiff::fmt::rfc2822::DateTimeParser =
        jiff::fmt::rfc2822::DateTimeParser::new().relaxed_weekday(true);
    PARSER.parse_timestamp(s).ok().map(|t| t.as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers<'h>(pairs: &'h [(&'h str, &'h str)]) -> impl Fn(&str) -> Option<&'h str> {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        }
    }

    #[test]
    fn link_headers() {
        let h = [(
            "Link",
            r#"<https://api.github.com/repositories/1/pulls?state=all&page=2>; rel="next", <https://api.github.com/repositories/1/pulls?state=all&page=9>; rel="last""#,
        )];
        assert_eq!(
            next_link(&headers(&h)).as_deref(),
            Some("https://api.github.com/repositories/1/pulls?state=all&page=2")
        );
        let h = [(
            "link",
            r#"<https://gitlab.com/api/v4/x?page=1>; rel="first", <https://gitlab.com/api/v4/x?page=3>; rel="next""#,
        )];
        assert_eq!(
            next_link(&headers(&h)).as_deref(),
            Some("https://gitlab.com/api/v4/x?page=3")
        );
        let h = [("Link", r#"<https://a/x?page=1>; rel="prev first""#)];
        assert_eq!(next_link(&headers(&h)), None);
        let h = [("Link", "<https://a/x?page=4>; title=\"a, b\"; rel=next")];
        assert_eq!(
            next_link(&headers(&h)).as_deref(),
            Some("https://a/x?page=4")
        );
        assert_eq!(next_link(&headers(&[])), None);
        assert_eq!(next_link(&headers(&[("Link", "garbage")])), None);
    }

    #[test]
    fn rate_limits() {
        let now = 1_000;
        let h = [
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1036"),
        ];
        assert_eq!(
            rate_limit_wait(403, &headers(&h), b"", now),
            Some(Wait::Told(37))
        );
        let h = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "900")];
        assert_eq!(
            rate_limit_wait(403, &headers(&h), b"", now),
            Some(Wait::Told(1))
        );
        let h = [("RateLimit-Remaining", "0"), ("RateLimit-Reset", "1010")];
        assert_eq!(
            rate_limit_wait(429, &headers(&h), b"", now),
            Some(Wait::Told(11))
        );
        let h = [("Retry-After", "30"), ("x-ratelimit-remaining", "0")];
        assert_eq!(
            rate_limit_wait(403, &headers(&h), b"", now),
            Some(Wait::Told(30))
        );
        let body = br#"{"message":"You have exceeded a secondary rate limit."}"#;
        assert_eq!(
            rate_limit_wait(403, &headers(&[]), body, now),
            Some(Wait::Guessed(60))
        );
        assert_eq!(
            rate_limit_wait(429, &headers(&[]), b"", now),
            Some(Wait::Guessed(60))
        );
        // A 403 with requests left is a permission problem, not a limit.
        let h = [
            ("x-ratelimit-remaining", "4999"),
            ("x-ratelimit-reset", "1036"),
        ];
        let body = br#"{"message":"Resource not accessible by integration"}"#;
        assert_eq!(rate_limit_wait(403, &headers(&h), body, now), None);
    }

    #[test]
    fn urls() {
        assert_eq!(
            set_query("http://h/x?page=2&per_page=100", "page", "3"),
            "http://h/x?per_page=100&page=3"
        );
        assert_eq!(set_query("http://h/x", "page", "2"), "http://h/x?page=2");
        assert_eq!(
            percent_encode("group/sub group/p.x"),
            "group%2Fsub%20group%2Fp.x"
        );
        // Unreserved characters stay, everything else is encoded byte by byte, upper-case hex.
        assert_eq!(percent_encode("a-Z_0.9~"), "a-Z_0.9~");
        assert_eq!(
            percent_encode("g+h%i?j#k&l=m@n:o!*'()\u{7f}"),
            "g%2Bh%25i%3Fj%23k%26l%3Dm%40n%3Ao%21%2A%27%28%29%7F"
        );
        assert_eq!(percent_encode("é/ü"), "%C3%A9%2F%C3%BC");
        // Every ASCII character: kept exactly when unreserved, else `%XX`.
        for b in 0u8..=0x7f {
            let c = (b as char).to_string();
            let want = if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                c.clone()
            } else {
                format!("%{b:02X}")
            };
            assert_eq!(percent_encode(&c), want, "{b:#x}");
        }
        assert_eq!(
            origin_of("https://ghe.example.com/api/v3"),
            Some(("https://ghe.example.com".into(), "ghe.example.com".into()))
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080"),
            Some(("http://127.0.0.1:8080".into(), "127.0.0.1:8080".into()))
        );
        assert_eq!(origin_of("ftp://x"), None);
        assert_eq!(origin_of("https://user:pw@x"), None);
        assert_eq!(origin_of("api.github.com"), None);
    }

    #[test]
    fn far_resets_say_the_date() {
        assert_eq!(when(1_709_287_200), "2024-03-01 10:00:00 UTC");
        assert_eq!(human_duration(42), "42 s");
        assert_eq!(human_duration(900), "15 min");
        assert_eq!(human_duration(3 * 3600 + 300), "3 h 5 min");
        assert_eq!(human_duration(2 * 86_400 + 4 * 3600), "2 d 4 h");
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_http_date("Fri, 01 Mar 2024 10:00:00 GMT"),
            Some(1_709_287_200)
        );
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date("Fri, 01 Foo 2024 10:00:00 GMT"), None);
        // A wrong weekday is forgiven; a day the month lacks, an hour past 23 are not.
        assert_eq!(
            parse_http_date("Mon, 01 Mar 2024 10:00:00 GMT"),
            Some(1_709_287_200)
        );
        assert_eq!(
            parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT"),
            Some(1_709_164_800)
        );
        assert_eq!(parse_http_date("Fri, 30 Feb 2024 10:00:00 GMT"), None);
        assert_eq!(parse_http_date("Fri, 01 Mar 2024 24:00:00 GMT"), None);
        assert_eq!(parse_http_date(""), None);
        // Far resets: the nearer end of what a date holds, never a panic.
        assert_eq!(when(i64::MAX), "9999-12-30 22:00:00 UTC");
    }

    #[test]
    fn failure_messages() {
        assert_eq!(
            status_message(404, br#"{"message":"Not Found","documentation_url":"x"}"#),
            "HTTP 404 Not Found (Not Found); no such repository, or the token cannot see it"
        );
        assert_eq!(
            status_message(401, br#"{"message":"401 Unauthorized"}"#),
            "HTTP 401 Unauthorized (401 Unauthorized); check the token"
        );
        assert_eq!(status_message(418, b"<html>"), "HTTP 418 I'm a teapot");
    }
}
