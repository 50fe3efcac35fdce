//! Configuration: `.gluework.toml` and friends.
//!
//! Sources, later refining earlier: the built-in defaults; the user's
//! `$XDG_CONFIG_HOME/gluework/config.toml`; `.gluework.toml` at the root of each scanned
//! repository (read from the scanned revision's tree, never the work tree); `--config FILE`.
//!
//! Every list is edited, not restated: `{ add = [...] }`, `{ remove = [...] }`, or
//! `{ replace = [...] }` to drop what earlier sources said. Rules (paths, credit keys, commit
//! words) apply per repository; identity and report settings (bots, people, aliases, teams,
//! period) apply to the whole report and are gathered from every source.

use crate::category::Category;
use crate::date::Period;
use crate::input::Links;
use crate::rules::{gitignore_to_globs, CompiledRules, Rules};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// A configuration file that cannot be used. Each names the file (`name`: its path, or
/// `.gluework.toml at COMMIT`); a cause is the error's `source()`, never repeated in its text.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// What the file says is wrong, at its line and column: TOML that does not parse, or a
    /// value that fails its check. The text is ours, not a source: the TOML parser's own text
    /// quotes the file, and a file read from disk may hold anything (a link to a secret), so
    /// only the parser's message is kept, its quotes taken out ([`Layer::parse`]).
    #[error("{name}:{line}:{column}: {message}")]
    Invalid {
        name: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file could not be read.
    #[error("{name}: cannot read")]
    Read {
        name: String,
        #[source]
        source: std::io::Error,
    },
    /// The file was not read: a link, not a regular file, or over the cap.
    #[error(transparent)]
    NotRead(crate::input::InputError),
    /// The rules the layers add up to do not compile (a pattern the checks let through, or
    /// a set too large).
    #[error("{name}")]
    Rules {
        name: String,
        #[source]
        source: Box<crate::rules::RuleError>,
    },
}

impl ConfigError {
    /// Where in its file the error is, for an error that has a place (line, column).
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            ConfigError::Invalid { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// Declares the structs a configuration file is read into: each derives what serde needs,
/// and each refuses a key it does not know (`deny_unknown_fields`: a misspelt setting is an
/// error naming its line, never a setting silently ignored).
macro_rules! config_structs {
    ($($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident: $ty:ty,)* })*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Default, Clone, Deserialize)]
            #[serde(deny_unknown_fields)]
            pub struct $name {
                $($(#[$field_meta])* pub $field: $ty,)*
            }
        )*
    };
}

config_structs! {
    /// A list, edited: `{ add = [...] }`, `{ remove = [...] }`, `{ replace = [...] }`.
    ListEdit {
        #[serde(default)]
        add: Vec<Spanned<String>>,
        #[serde(default)]
        remove: Vec<Spanned<String>>,
        #[serde(default)]
        replace: Option<Vec<Spanned<String>>>,
    }

    /// `[paths]`.
    PathsSection {
        docs: Option<ListEdit>,
        onboarding: Option<ListEdit>,
        maintenance: Option<ListEdit>,
        exclude: Option<ListEdit>,
        version: Option<ListEdit>,
    }

    /// `[credits]`.
    CreditsSection {
        review: Option<ListEdit>,
        onboarding: Option<ListEdit>,
        support: Option<ListEdit>,
        coauthor: Option<ListEdit>,
        signoff_is_review: Option<Spanned<bool>>,
        /// Credit kinds switched off (`applied`, `merge`, `trailer:*` …).
        off: Option<ListEdit>,
    }

    /// `[commits.conventional]`.
    ConventionalSection {
        docs: Option<ListEdit>,
        maintenance: Option<ListEdit>,
    }

    /// `[commits]`.
    CommitsSection {
        fix_words: Option<ListEdit>,
        newcomer_commits: Option<Spanned<i64>>,
        release_subjects: Option<ListEdit>,
        conventional: Option<ConventionalSection>,
    }

    /// `[bots]`.
    BotsSection {
        names: Option<ListEdit>,
        emails: Option<ListEdit>,
        web_ui_emails: Option<ListEdit>,
    }

    /// `[people]`.
    PeopleSection {
        exclude: Option<ListEdit>,
        /// Same full display name, one person (default true; docs/identity.md).
        merge_same_name: Option<Spanned<bool>>,
    }

    /// `[report]`.
    ReportSection {
        period: Option<Spanned<String>>,
        /// Active in at least this many distinct months of the window: a regular contributor.
        regular_months: Option<Spanned<i64>>,
    }

    /// One configuration file as written.
    FileConfig {
        paths: Option<PathsSection>,
        credits: Option<CreditsSection>,
        commits: Option<CommitsSection>,
        bots: Option<BotsSection>,
        people: Option<PeopleSection>,
        #[serde(default, rename = "alias")]
        aliases: Vec<Spanned<Alias>>,
        teams: Option<BTreeMap<String, ListEdit>>,
        report: Option<ReportSection>,
    }
}

/// The configuration layers that surround each repository's own `.gluework.toml`.
pub struct ConfigBase {
    /// The user's configuration file.
    pub user: Option<Layer>,
    /// `--config FILE`.
    pub cli: Option<Layer>,
    /// The rules for repositories without a `.gluework.toml`.
    pub rules: Arc<CompiledRules>,
    pub rules_digest: String,
    /// Digest of every setting from the built-in defaults, the user's file and `--config`:
    /// what applies to every repository (each repository's own file is in its own digest).
    pub digest: String,
}

impl ConfigBase {
    /// Checks the layers and compiles the rules for repositories without a file of their own.
    pub fn new(user: Option<Layer>, cli: Option<Layer>) -> Result<ConfigBase, ConfigError> {
        let eff = Self::effective(user.as_ref(), None, cli.as_ref())?;
        let rules = compile(&eff, user.as_ref().or(cli.as_ref()))?;
        Ok(ConfigBase {
            rules_digest: eff.digest(Scope::Rules),
            digest: eff.digest(Scope::All),
            rules: Arc::new(rules),
            user,
            cli,
        })
    }

    /// defaults < user < repository < --config.
    pub fn effective(
        user: Option<&Layer>,
        repo: Option<&Layer>,
        cli: Option<&Layer>,
    ) -> Result<Effective, ConfigError> {
        let mut eff = Effective::defaults();
        for layer in [user, repo, cli].into_iter().flatten() {
            eff.apply(layer, Scope::All)?;
        }
        Ok(eff)
    }

    /// The rules for a repository and their digest, given its own `.gluework.toml` as
    /// committed (`(name, text)`; `None`: it has none): parsed (its errors may quote it: it is
    /// what the repository committed) and layered as [`ConfigBase::for_repo`] does.
    pub fn for_file(
        &self,
        file: Option<(&str, &str)>,
    ) -> Result<(Arc<CompiledRules>, String), ConfigError> {
        let layer = file
            .map(|(name, text)| Layer::parse_committed(name, text))
            .transpose()?;
        self.for_repo(layer.as_ref())
    }

    /// The rules for a repository and their digest: its own `.gluework.toml` (`repo`) between
    /// the user's file and `--config`, or the base rules when it has none.
    pub fn for_repo(
        &self,
        repo: Option<&Layer>,
    ) -> Result<(Arc<CompiledRules>, String), ConfigError> {
        match repo {
            None => Ok((self.rules.clone(), self.rules_digest.clone())),
            Some(layer) => {
                let eff = Self::effective(self.user.as_ref(), Some(layer), self.cli.as_ref())?;
                let rules = compile(&eff, Some(layer))?;
                Ok((Arc::new(rules), eff.digest(Scope::Rules)))
            }
        }
    }
}

fn compile(eff: &Effective, blame: Option<&Layer>) -> Result<CompiledRules, ConfigError> {
    CompiledRules::new(eff.rules()).map_err(|source| ConfigError::Rules {
        name: blame
            .map(|l| l.name.clone())
            .unwrap_or_else(|| "configuration".to_string()),
        source: Box::new(source),
    })
}

/// An `[[alias]]` entry: the identity layer's type, read from TOML as it is.
pub use crate::identity::Alias;

/// A parsed configuration file with the name it is reported under.
#[derive(Debug, Clone)]
pub struct Layer {
    pub name: String,
    text: String,
    file: FileConfig,
}

fn locate(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// The words of the configuration's own schema: the only quoted words an error about a file
/// read from disk may keep (see [`unquote`]).
const SCHEMA_WORDS: &[&str] = &[
    "paths",
    "docs",
    "onboarding",
    "maintenance",
    "exclude",
    "credits",
    "review",
    "support",
    "coauthor",
    "signoff_is_review",
    "commits",
    "fix_words",
    "newcomer_commits",
    "conventional",
    "bots",
    "names",
    "emails",
    "web_ui_emails",
    "people",
    "alias",
    "name",
    "login",
    "logins",
    "teams",
    "report",
    "period",
    "add",
    "remove",
    "replace",
];

impl Layer {
    /// Parses configuration text read from a file on disk; `name` says where it came from in
    /// error messages, which never quote the file's text (beyond the schema's own words).
    pub fn parse(name: &str, text: &str) -> Result<Layer, ConfigError> {
        Self::parse_with(name, text, false)
    }

    /// Parses configuration text committed in a scanned repository (its `.gluework.toml`
    /// blob): its errors may quote short excerpts of it.
    pub fn parse_committed(name: &str, text: &str) -> Result<Layer, ConfigError> {
        Self::parse_with(name, text, true)
    }

    fn parse_with(name: &str, text: &str, quote: bool) -> Result<Layer, ConfigError> {
        let file: FileConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| locate(text, s.start)).unwrap_or((1, 1));
            let message = e.message().trim();
            ConfigError::Invalid {
                name: name.to_string(),
                line,
                column,
                message: if quote {
                    message.to_string()
                } else {
                    crate::input::unquote(message, SCHEMA_WORDS)
                },
            }
        })?;
        Ok(Layer {
            name: name.to_string(),
            text: text.to_string(),
            file,
        })
    }

    /// The sections of this file that decide who is who or who counts (`[[alias]]`,
    /// `[bots]`, `[people]`), in that order, for a message when they are not applied.
    pub fn identity_sections(&self) -> Vec<&'static str> {
        let f = &self.file;
        let mut out = Vec::new();
        if !f.aliases.is_empty() {
            out.push("[[alias]]");
        }
        if f.bots.is_some() {
            out.push("[bots]");
        }
        if f.people.is_some() {
            out.push("[people]");
        }
        out
    }

    /// The text the layer was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Reads and parses a file.
    pub fn read(path: &Path) -> Result<Layer, ConfigError> {
        let name = path.display().to_string();
        let text = crate::input::read_capped_string(path, crate::input::CONFIG, Links::Named)
            .map_err(|e| match e {
                crate::input::InputError::Io { source, .. } => ConfigError::Read {
                    name: name.clone(),
                    source,
                },
                other => ConfigError::NotRead(other.renamed(&name)),
            })?;
        Layer::parse(&name, &text)
    }

    fn error(&self, span: std::ops::Range<usize>, message: String) -> ConfigError {
        let (line, column) = locate(&self.text, span.start);
        ConfigError::Invalid {
            name: self.name.clone(),
            line,
            column,
            message,
        }
    }
}

/// The user's configuration file: `$XDG_CONFIG_HOME/gluework/config.toml`, else
/// `~/.config/gluework/config.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("gluework").join("config.toml"))
}

/// A value with the index of the source that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<T> {
    pub value: T,
    pub source: usize,
}

impl<T> Item<T> {
    /// A built-in value (source 0).
    fn built_in(value: T) -> Item<T> {
        Item { value, source: 0 }
    }
}

type List = Vec<Item<String>>;

/// The effective configuration, with where every value came from. Source 0 is "built-in".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub sources: Vec<String>,
    pub docs_paths: List,
    pub onboarding_paths: List,
    pub maintenance_paths: List,
    pub exclude_paths: List,
    pub version_paths: List,
    pub review_keys: List,
    pub onboarding_keys: List,
    pub support_keys: List,
    pub coauthor_keys: List,
    pub signoff_is_review: Item<bool>,
    pub credits_off: List,
    pub fix_words: List,
    pub release_subjects: List,
    pub conventional_docs: List,
    pub conventional_maintenance: List,
    pub newcomer_commits: Item<usize>,
    pub bot_names: List,
    pub bot_emails: List,
    pub web_ui_emails: List,
    pub people_exclude: List,
    pub merge_same_name: Item<bool>,
    pub aliases: Vec<Item<Alias>>,
    pub teams: BTreeMap<String, List>,
    pub period: Item<Period>,
    pub regular_months: Item<usize>,
}

/// The built-in values of a list (source 0).
fn builtin<'a>(values: impl IntoIterator<Item = &'a String>) -> List {
    values
        .into_iter()
        .map(|v| Item::built_in(v.clone()))
        .collect()
}

/// The keys of `map` that give category `c`, built in.
fn keys_of(map: &BTreeMap<String, Category>, c: Category) -> List {
    builtin(map.iter().filter(|(_, &cat)| cat == c).map(|(k, _)| k))
}

/// How the values of a list are checked and normalised.
#[derive(Clone, Copy)]
enum Check {
    Glob,
    Regex,
    /// Trailer keys and conventional types: lower-cased, letters, digits and `-`.
    Key,
    /// Plain words, lower-cased.
    Word,
    /// A credit kind that can be switched off (`rules::is_switchable_kind`), lower-cased.
    Kind,
    /// Team members and excluded people: an email, `@login` or a name.
    Person,
}

fn check_value(layer: &Layer, v: &Spanned<String>, check: Check) -> Result<String, ConfigError> {
    let raw = v.get_ref().trim();
    let err = |m: String| layer.error(v.span(), m);
    if raw.is_empty() {
        return Err(err("empty value".to_string()));
    }
    let max = crate::rules::MAX_PATTERN_CHARS;
    if raw.chars().count() > max {
        return Err(err(format!("value longer than {max} characters")));
    }
    match check {
        Check::Glob => {
            for g in gitignore_to_globs(raw) {
                globset::GlobBuilder::new(&g)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| err(format!("invalid glob {raw:?}: {}", e.kind())))?;
            }
            Ok(raw.to_string())
        }
        Check::Regex => crate::rules::configured_regex(raw)
            .map(|_| raw.to_string())
            .map_err(|e| {
                err(format!(
                    "invalid regex {raw:?}: {}",
                    e.to_string().lines().last().unwrap_or("")
                ))
            }),
        Check::Key => {
            let k = raw.to_ascii_lowercase();
            if k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                Ok(k)
            } else {
                Err(err(format!(
                    "invalid key {raw:?}: expected letters, digits and '-' (like \"reviewed-by\")"
                )))
            }
        }
        Check::Word => Ok(raw.to_lowercase()),
        Check::Kind => {
            if crate::rules::is_switchable_kind(raw) {
                Ok(raw.to_ascii_lowercase())
            } else {
                Err(err(format!(
                    "unknown credit kind {raw:?}: expected one of {}, or a key such as \"trailer:acked-by\" or a prefix such as \"trailer:*\" ({})",
                    crate::rules::SWITCHABLE_KINDS.join(", "),
                    crate::rules::SWITCHABLE_PREFIXES
                        .iter()
                        .map(|p| format!("{p}*"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        }
        Check::Person => Ok(raw.to_string()),
    }
}

fn apply(
    list: &mut List,
    edit: &ListEdit,
    layer: &Layer,
    source: usize,
    check: Check,
) -> Result<(), ConfigError> {
    if let Some(replace) = &edit.replace {
        list.clear();
        for v in replace {
            let value = check_value(layer, v, check)?;
            if !list.iter().any(|i| i.value == value) {
                list.push(Item { value, source });
            }
        }
    }
    for v in &edit.remove {
        let value = check_value(layer, v, check)?;
        list.retain(|i| i.value != value);
    }
    for v in &edit.add {
        let value = check_value(layer, v, check)?;
        if !list.iter().any(|i| i.value == value) {
            list.push(Item { value, source });
        }
    }
    Ok(())
}

fn apply_opt(
    list: &mut List,
    edit: &Option<ListEdit>,
    layer: &Layer,
    source: usize,
    check: Check,
) -> Result<(), ConfigError> {
    match edit {
        Some(e) => apply(list, e, layer, source, check),
        None => Ok(()),
    }
}

/// Each list's edit, where the layer has one, all checked alike.
fn apply_each<const N: usize>(
    lists: [(&mut List, &Option<ListEdit>); N],
    layer: &Layer,
    source: usize,
    check: Check,
) -> Result<(), ConfigError> {
    for (list, edit) in lists {
        apply_opt(list, edit, layer, source, check)?;
    }
    Ok(())
}

/// A whole number setting, checked to be in `range`.
fn in_range(
    layer: &Layer,
    n: &Spanned<i64>,
    key: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<usize, ConfigError> {
    let v = *n.get_ref();
    if range.contains(&v) {
        Ok(v as usize)
    } else {
        Err(layer.error(
            n.span(),
            format!(
                "{key} must be between {} and {}, not {v}",
                range.start(),
                range.end()
            ),
        ))
    }
}

/// Which parts of a layer to apply.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything.
    All,
    /// Only the per-repository rules (paths, credits, commits).
    Rules,
    /// Only the report-wide settings (bots, people, aliases, teams, report).
    ReportWide,
    /// The report-wide settings that do not decide who is who or who counts (teams and the
    /// period): what a repository's own file may set in a report that covers other
    /// repositories too. Bots, `[people]` and `[[alias]]` come only from the user's file and
    /// `--config` there (a repository must not hand another one's credits to someone else).
    ReportWideShared,
}

impl Effective {
    /// The built-in defaults.
    pub fn defaults() -> Effective {
        let r = Rules::default();
        Effective {
            sources: vec!["built-in".to_string()],
            docs_paths: builtin(&r.docs_paths),
            onboarding_paths: builtin(&r.onboarding_paths),
            maintenance_paths: builtin(&r.maintenance_paths),
            exclude_paths: builtin(&r.exclude_paths),
            version_paths: builtin(&r.version_paths),
            review_keys: keys_of(&r.credit_keys, Category::Review),
            onboarding_keys: keys_of(&r.credit_keys, Category::Onboarding),
            support_keys: keys_of(&r.credit_keys, Category::Support),
            coauthor_keys: builtin(&r.coauthor_keys),
            signoff_is_review: Item::built_in(r.signoff_is_review),
            credits_off: builtin(&r.disabled_kinds),
            fix_words: builtin(&r.fix_words),
            release_subjects: builtin(&r.release_subjects),
            conventional_docs: keys_of(&r.conventional_types, Category::Docs),
            conventional_maintenance: keys_of(&r.conventional_types, Category::Maintenance),
            newcomer_commits: Item::built_in(r.newcomer_commits),
            bot_names: builtin(&r.bot_names),
            bot_emails: builtin(&r.bot_emails),
            web_ui_emails: builtin(&r.web_ui_emails),
            people_exclude: Vec::new(),
            merge_same_name: Item::built_in(r.merge_same_name),
            aliases: Vec::new(),
            teams: BTreeMap::new(),
            period: Item::built_in(Period::Auto),
            regular_months: Item::built_in(3),
        }
    }

    /// Applies one layer on top: the per-repository rules (paths, credits, commits), the
    /// settings that decide who is who (bots, people, aliases), then the other report-wide
    /// ones (teams, report), as far as `scope` takes them.
    pub fn apply(&mut self, layer: &Layer, scope: Scope) -> Result<(), ConfigError> {
        let src = self.sources.len();
        self.sources.push(layer.name.clone());
        let f = &layer.file;
        if scope == Scope::All || scope == Scope::Rules {
            if let Some(p) = &f.paths {
                self.apply_paths(p, layer, src)?;
            }
            if let Some(c) = &f.credits {
                self.apply_credits(c, layer, src)?;
            }
            if let Some(c) = &f.commits {
                self.apply_commits(c, layer, src)?;
            }
        }
        if scope == Scope::All || scope == Scope::ReportWide {
            self.apply_identity(f, layer, src)?;
        }
        if scope != Scope::Rules {
            self.apply_wide(f, layer, src)?;
        }
        Ok(())
    }

    /// `[paths]`: globs.
    fn apply_paths(
        &mut self,
        p: &PathsSection,
        layer: &Layer,
        src: usize,
    ) -> Result<(), ConfigError> {
        let lists = [
            (&mut self.docs_paths, &p.docs),
            (&mut self.onboarding_paths, &p.onboarding),
            (&mut self.maintenance_paths, &p.maintenance),
            (&mut self.exclude_paths, &p.exclude),
            (&mut self.version_paths, &p.version),
        ];
        apply_each(lists, layer, src, Check::Glob)
    }

    /// `[credits]`: trailer keys per category (a key added to one category leaves the
    /// others), `signoff_is_review`, the credit kinds switched off.
    fn apply_credits(
        &mut self,
        c: &CreditsSection,
        layer: &Layer,
        src: usize,
    ) -> Result<(), ConfigError> {
        type Get = fn(&mut Effective) -> &mut List;
        let lists: [(&Option<ListEdit>, Get); 4] = [
            (&c.review, |e| &mut e.review_keys),
            (&c.onboarding, |e| &mut e.onboarding_keys),
            (&c.support, |e| &mut e.support_keys),
            (&c.coauthor, |e| &mut e.coauthor_keys),
        ];
        for (i, (edit, get)) in lists.iter().enumerate() {
            let Some(edit) = edit else { continue };
            let added: Vec<String> = edit
                .add
                .iter()
                .chain(edit.replace.iter().flatten())
                .map(|v| check_value(layer, v, Check::Key))
                .collect::<Result<_, _>>()?;
            for (j, (_, other)) in lists.iter().enumerate() {
                if i != j {
                    other(self).retain(|k| !added.contains(&k.value));
                }
            }
            apply(get(self), edit, layer, src, Check::Key)?;
        }
        if let Some(b) = &c.signoff_is_review {
            self.signoff_is_review = Item {
                value: *b.get_ref(),
                source: src,
            };
        }
        apply_opt(&mut self.credits_off, &c.off, layer, src, Check::Kind)
    }

    /// `[commits]` and `[commits.conventional]`.
    fn apply_commits(
        &mut self,
        c: &CommitsSection,
        layer: &Layer,
        src: usize,
    ) -> Result<(), ConfigError> {
        apply_opt(&mut self.fix_words, &c.fix_words, layer, src, Check::Word)?;
        apply_opt(
            &mut self.release_subjects,
            &c.release_subjects,
            layer,
            src,
            Check::Regex,
        )?;
        if let Some(n) = &c.newcomer_commits {
            self.newcomer_commits = Item {
                value: in_range(layer, n, "newcomer_commits", 0..=1000)?,
                source: src,
            };
        }
        if let Some(conv) = &c.conventional {
            let lists = [
                (&mut self.conventional_docs, &conv.docs),
                (&mut self.conventional_maintenance, &conv.maintenance),
            ];
            apply_each(lists, layer, src, Check::Key)?;
        }
        Ok(())
    }

    /// What decides who is who or who counts: `[bots]`, `[people]`, `[[alias]]`.
    fn apply_identity(
        &mut self,
        f: &FileConfig,
        layer: &Layer,
        src: usize,
    ) -> Result<(), ConfigError> {
        if let Some(b) = &f.bots {
            let lists = [
                (&mut self.bot_names, &b.names),
                (&mut self.bot_emails, &b.emails),
                (&mut self.web_ui_emails, &b.web_ui_emails),
            ];
            apply_each(lists, layer, src, Check::Regex)?;
        }
        if let Some(p) = &f.people {
            apply_opt(
                &mut self.people_exclude,
                &p.exclude,
                layer,
                src,
                Check::Person,
            )?;
            if let Some(b) = &p.merge_same_name {
                self.merge_same_name = Item {
                    value: *b.get_ref(),
                    source: src,
                };
            }
        }
        for a in &f.aliases {
            let alias = a.get_ref();
            if alias.emails.is_empty()
                && alias.names.is_empty()
                && alias.logins.is_empty()
                && alias.login.is_none()
            {
                return Err(layer.error(
                    a.span(),
                    "an [[alias]] needs at least one of emails, names, logins or login".to_string(),
                ));
            }
            self.aliases.push(Item {
                value: alias.clone(),
                source: src,
            });
        }
        Ok(())
    }

    /// The report-wide settings a repository's own file may set too: `[teams]`, `[report]`.
    fn apply_wide(&mut self, f: &FileConfig, layer: &Layer, src: usize) -> Result<(), ConfigError> {
        for (name, edit) in f.teams.iter().flatten() {
            let list = self.teams.entry(name.clone()).or_default();
            apply(list, edit, layer, src, Check::Person)?;
        }
        let Some(r) = &f.report else {
            return Ok(());
        };
        if let Some(p) = &r.period {
            let Some(value) = Period::parse(p.get_ref()) else {
                return Err(layer.error(
                    p.span(),
                    format!(
                        "unknown period {:?}: expected \"auto\", \"month\", \"week\", \"quarter\" or \"year\"",
                        p.get_ref()
                    ),
                ));
            };
            self.period = Item { value, source: src };
        }
        if let Some(n) = &r.regular_months {
            self.regular_months = Item {
                value: in_range(layer, n, "regular_months", 1..=1200)?,
                source: src,
            };
        }
        Ok(())
    }

    /// The rule set these settings describe.
    pub fn rules(&self) -> Rules {
        let vals = |l: &List| l.iter().map(|i| i.value.clone()).collect::<Vec<_>>();
        let mut credit_keys = BTreeMap::new();
        for (list, c) in [
            (&self.review_keys, Category::Review),
            (&self.onboarding_keys, Category::Onboarding),
            (&self.support_keys, Category::Support),
        ] {
            for k in list {
                credit_keys.insert(k.value.clone(), c);
            }
        }
        let mut conventional_types = BTreeMap::new();
        for t in &self.conventional_docs {
            conventional_types.insert(t.value.clone(), Category::Docs);
        }
        for t in &self.conventional_maintenance {
            conventional_types.insert(t.value.clone(), Category::Maintenance);
        }
        Rules {
            docs_paths: vals(&self.docs_paths),
            onboarding_paths: vals(&self.onboarding_paths),
            maintenance_paths: vals(&self.maintenance_paths),
            exclude_paths: vals(&self.exclude_paths),
            version_paths: vals(&self.version_paths),
            release_subjects: vals(&self.release_subjects),
            disabled_kinds: vals(&self.credits_off),
            credit_keys,
            coauthor_keys: vals(&self.coauthor_keys),
            signoff_is_review: self.signoff_is_review.value,
            fix_words: vals(&self.fix_words),
            conventional_types,
            newcomer_commits: self.newcomer_commits.value,
            bot_names: vals(&self.bot_names),
            bot_emails: vals(&self.bot_emails),
            web_ui_emails: vals(&self.web_ui_emails),
            merge_same_name: self.merge_same_name.value,
            ..Rules::default()
        }
    }

    /// Renders the configuration as TOML that parses back to the same settings (every list as
    /// `replace`). With `annotate`, each value carries a comment naming its source; with
    /// `scope`, only those sections are written. The text is also what [`Effective::digest`]
    /// hashes: a change to it changes every digest (and every cache key).
    pub fn to_toml(&self, annotate: bool, scope: Scope) -> String {
        let mut w = TomlWriter {
            out: String::new(),
            annotate,
            sources: &self.sources,
        };
        let rules = scope == Scope::All || scope == Scope::Rules;
        if rules {
            self.rules_toml(&mut w);
        }
        if scope != Scope::Rules {
            if rules {
                w.out.push('\n');
            }
            self.people_toml(&mut w);
            self.report_toml(&mut w);
            self.aliases_toml(&mut w);
        }
        w.out
    }

    /// `[paths]`, `[credits]`, `[commits]`, `[commits.conventional]`.
    fn rules_toml(&self, w: &mut TomlWriter) {
        w.line("[paths]");
        w.lists(&[
            ("docs", &self.docs_paths, "Documentation: commits touching only these are `docs`. Gitignore-style globs, case-insensitive."),
            ("onboarding", &self.onboarding_paths, "Onboarding material: commits touching only these are `onboarding`."),
            ("maintenance", &self.maintenance_paths, "CI, build, lock and test files: commits touching only these are `maintenance`."),
            ("exclude", &self.exclude_paths, "Vendored or generated: ignored when classifying; a commit touching only these counts for nobody."),
            ("version", &self.version_paths, "Files holding the version number: a release commit may touch these and stay `maintenance`."),
        ]);
        w.line("\n[credits]");
        w.lists(&[
            (
                "review",
                &self.review_keys,
                "Trailer keys (any case) whose people are credited with `review`.",
            ),
            (
                "onboarding",
                &self.onboarding_keys,
                "Trailer keys credited with `onboarding`.",
            ),
            (
                "support",
                &self.support_keys,
                "Trailer keys credited with `support`.",
            ),
            (
                "coauthor",
                &self.coauthor_keys,
                "Trailer keys that name co-authors.",
            ),
        ]);
        w.value("signoff_is_review", &self.signoff_is_review, "true: a maintainer's Signed-off-by on someone else's commit counts as a review (the kernel convention).");
        w.list("off", &self.credits_off, "Credit kinds switched off: applied, merge, bors, newcomer, co-authored-fix, pr-newcomer, or trailer:<key> / trailer:* (also phabricator:, gerrit:, pr-review:).");
        w.line("\n[commits]");
        w.lists(&[
            ("fix_words", &self.fix_words, "Words (whole words, any case) that make a subject a fix."),
            ("release_subjects", &self.release_subjects, "Regexes (any case) on subjects of release and version-bump commits: `maintenance` (`release`)."),
        ]);
        w.value(
            "newcomer_commits",
            &self.newcomer_commits,
            "A person's first N authored commits in a repository make them a newcomer there.",
        );
        w.line("\n[commits.conventional]");
        w.lists(&[
            (
                "docs",
                &self.conventional_docs,
                "Conventional-commit types whose commits are `docs`.",
            ),
            (
                "maintenance",
                &self.conventional_maintenance,
                "Conventional-commit types whose commits are `maintenance`.",
            ),
        ]);
    }

    /// `[bots]` and `[people]`.
    fn people_toml(&self, w: &mut TomlWriter) {
        w.line("[bots]");
        w.lists(&[
            (
                "names",
                &self.bot_names,
                "Regexes (case-insensitive) on names and logins that mark bots.",
            ),
            (
                "emails",
                &self.bot_emails,
                "Regexes on emails that mark bots.",
            ),
            (
                "web_ui_emails",
                &self.web_ui_emails,
                "Regexes on forge web-UI committer emails: never credited as people.",
            ),
        ]);
        w.line("\n[people]");
        w.list(
            "exclude",
            &self.people_exclude,
            "People left out entirely: emails, @logins or names.",
        );
        // Written only when turned off (or annotated), so that the default settings' digest is
        // what it was before the setting existed.
        if w.annotate || !self.merge_same_name.value {
            w.value(
                "merge_same_name",
                &self.merge_same_name,
                "Same full display name (two words or more): one person.",
            );
        }
    }

    /// `[report]` and `[teams]`.
    fn report_toml(&self, w: &mut TomlWriter) {
        w.line("\n[report]");
        let period = Item {
            value: toml_string(self.period.value.name()),
            source: self.period.source,
        };
        w.value("period", &period, "Timeline period: \"auto\" (month, quarter or year from the window's length), \"month\", \"week\", \"quarter\" or \"year\".");
        w.value("regular_months", &self.regular_months, "Regular contributors (concentration figures): active in at least this many distinct months of the window.");
        if !self.teams.is_empty() {
            w.line("\n[teams]");
            for (name, members) in &self.teams {
                w.list(&toml_key(name), members, "");
            }
        } else if w.annotate {
            w.line("\n# [teams]\n# platform = { add = [\"alice@example.com\", \"@bob\"] }");
        }
    }

    /// Each `[[alias]]`.
    fn aliases_toml(&self, w: &mut TomlWriter) {
        for a in &self.aliases {
            let from = w.from(a.source);
            w.line(&format!("\n[[alias]]{from}"));
            let alias = &a.value;
            if let Some(n) = &alias.name {
                w.line(&format!("name = {}", toml_string(n)));
            }
            if let Some(l) = &alias.login {
                w.line(&format!("login = {}", toml_string(l)));
            }
            for (key, vals) in [
                ("emails", &alias.emails),
                ("names", &alias.names),
                ("logins", &alias.logins),
            ] {
                if !vals.is_empty() {
                    let items: Vec<String> = vals.iter().map(|v| toml_string(v)).collect();
                    w.line(&format!("{key} = [{}]", items.join(", ")));
                }
            }
        }
        if self.aliases.is_empty() && w.annotate {
            w.line("\n# [[alias]]\n# name = \"Alice Liddell\"\n# login = \"alice\"\n# emails = [\"alice@old.example\", \"alice@new.example\"]");
        }
    }

    /// A digest of the settings in `scope` (sources left out): equal digests, equal settings.
    pub fn digest(&self, scope: Scope) -> String {
        let text = self.to_toml(false, scope);
        let hash = Sha256::digest(text.as_bytes());
        hash.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// The TOML text [`Effective::to_toml`] writes: each setting's comment and each value's
/// source when annotated.
struct TomlWriter<'a> {
    out: String,
    annotate: bool,
    /// The names of the sources an [`Item`] points into.
    sources: &'a [String],
}

impl TomlWriter<'_> {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// `  # SOURCE` after a value when annotated.
    fn from(&self, source: usize) -> String {
        if self.annotate {
            format!("  # {}", self.sources[source])
        } else {
            String::new()
        }
    }

    fn doc(&mut self, doc: &str) {
        if self.annotate && !doc.is_empty() {
            self.line(&format!("# {doc}"));
        }
    }

    /// `key = VALUE`, after its comment.
    fn value(&mut self, key: &str, item: &Item<impl std::fmt::Display>, doc: &str) {
        self.doc(doc);
        let from = self.from(item.source);
        self.line(&format!("{key} = {}{from}", item.value));
    }

    /// `key = { replace = [ … ] }`, a value a line, after its comment.
    fn list(&mut self, key: &str, list: &List, doc: &str) {
        self.doc(doc);
        if list.is_empty() {
            self.line(&format!("{key} = {{ replace = [] }}"));
            return;
        }
        self.line(&format!("{key} = {{ replace = ["));
        for i in list {
            let from = self.from(i.source);
            self.line(&format!("    {},{from}", toml_string(&i.value)));
        }
        self.line("] }");
    }

    /// Each `(key, list, comment)` in turn.
    fn lists(&mut self, lists: &[(&str, &List, &str)]) {
        for (key, list, doc) in lists {
            self.list(key, list, doc);
        }
    }
}

/// `s` as a TOML string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        k.to_string()
    } else {
        toml::Value::String(k.to_string()).to_string()
    }
}

/// The commented default configuration printed by `gluework config default`.
pub fn default_toml() -> String {
    let mut out = String::from(
        "# gluework configuration: the built-in defaults.\n\
         #\n\
         # Put settings in .gluework.toml at a repository's root (read from the scanned revision),\n\
         # in $XDG_CONFIG_HOME/gluework/config.toml, or pass --config FILE. Later sources refine\n\
         # earlier ones: built-in < user config < repository < --config.\n\
         #\n\
         # Every list takes { add = [...] }, { remove = [...] } or { replace = [...] }. This file uses\n\
         # `replace` everywhere so that it says everything; to change one thing, keep only that line\n\
         # and use `add` or `remove`, e.g.\n\
         #   [paths]\n\
         #   docs = { add = [\"site/\"] }\n\n",
    );
    out.push_str(
        &Effective::defaults()
            .to_toml(true, Scope::All)
            .replace("  # built-in", ""),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(text: &str) -> Layer {
        Layer::parse("test.toml", text).unwrap()
    }

    fn err(text: &str) -> String {
        let e = match Layer::parse("test.toml", text) {
            Err(e) => return e.to_string(),
            Ok(l) => Effective::defaults().apply(&l, Scope::All).unwrap_err(),
        };
        e.to_string()
    }

    #[test]
    fn default_toml_round_trips() {
        let l = layer(&default_toml());
        let mut e = Effective::defaults();
        e.apply(&l, Scope::All).unwrap();
        assert_eq!(e.rules(), Rules::default());
        // Replacing everything with itself from scratch gives the same rules too.
        let mut empty = Effective::defaults();
        empty.docs_paths.clear();
        empty.apply(&l, Scope::All).unwrap();
        assert_eq!(empty.rules(), Rules::default());
    }

    #[test]
    fn edits_add_remove_replace() {
        let mut e = Effective::defaults();
        e.apply(
            &layer(
                r#"
[paths]
docs = { add = ["site/"], remove = ["*.rst"] }
exclude = { replace = ["vendor/"] }
[credits]
support = { add = ["Tested-by"] }
review = { add = ["LGTM-by"] }
signoff_is_review = true
[commits]
newcomer_commits = 5
fix_words = { add = ["Oops"] }
"#,
            ),
            Scope::All,
        )
        .unwrap();
        let r = e.rules();
        assert!(r.docs_paths.contains(&"site/".to_string()));
        assert!(!r.docs_paths.contains(&"*.rst".to_string()));
        assert_eq!(r.exclude_paths, ["vendor/"]);
        assert_eq!(r.credit_keys.get("tested-by"), Some(&Category::Support));
        assert_eq!(r.credit_keys.get("lgtm-by"), Some(&Category::Review));
        assert!(r.signoff_is_review);
        assert_eq!(r.newcomer_commits, 5);
        assert!(r.fix_words.contains(&"oops".to_string()));
        let shown = e.to_toml(true, Scope::All);
        assert!(shown.contains("\"site/\",  # test.toml"), "{shown}");
        assert!(shown.contains("\"docs/\",  # built-in"), "{shown}");
    }

    #[test]
    fn errors_about_files_on_disk_quote_no_text() {
        let unquote = |m: &str| crate::input::unquote(m, SCHEMA_WORDS);
        assert_eq!(
            unquote("unknown field `ghp_Secret123`, expected one of `docs`, `onboarding`"),
            "unknown field `…`, expected one of `docs`, `onboarding`"
        );
        assert_eq!(
            unquote("invalid type: string \"AUTHORIZATION: basic x\", expected a boolean"),
            "invalid type: string \"…\", expected a boolean"
        );
        assert_eq!(unquote("unknown field `doc`"), "unknown field `doc`");
        assert_eq!(unquote("unterminated `abc"), "unterminated `…");
        let e = match Layer::parse("user.toml", "[paths]\nTOKEN_0123 = 1\n") {
            Err(e) => e,
            Ok(_) => panic!("accepted"),
        };
        assert!(!e.to_string().contains("TOKEN_0123"), "{e}");
        assert_eq!(e.position(), Some((2, 1)), "{e}");
        // A repository's committed file may be quoted.
        let e = match Layer::parse_committed("x.toml", "[paths]\nTOKEN_0123 = 1\n") {
            Err(e) => e,
            Ok(_) => panic!("accepted"),
        };
        assert!(e.to_string().contains("TOKEN_0123"), "{e}");
    }

    #[test]
    fn errors_have_file_line_and_column() {
        assert_eq!(
            err("[paths]\ndocs = { add = [\"docs/[\"] }\n"),
            "test.toml:2:17: invalid glob \"docs/[\": unclosed character class; missing ']'"
        );
        let unknown = err("[paths]\ndoc = { add = [] }\n");
        assert!(
            unknown.starts_with("test.toml:2:1: unknown field `doc`"),
            "{unknown}"
        );
        let wrong_type = err("[commits]\nnewcomer_commits = \"three\"\n");
        assert!(
            wrong_type.starts_with("test.toml:2:20: invalid type"),
            "{wrong_type}"
        );
        assert!(err("[bots]\nnames = { add = [\"(\"] }\n")
            .starts_with("test.toml:2:18: invalid regex \"(\""));
        assert!(err("[report]\nperiod = \"day\"\n").contains("unknown period \"day\""));
        assert!(err("[report]\nregular_months = 0\n")
            .starts_with("test.toml:2:18: regular_months must be between 1 and 1200, not 0"));
        assert!(err("[credits]\nreview = { add = [\"bad key\"] }\n")
            .contains("invalid key \"bad key\""));
        assert!(err("[[alias]]\nname = \"x\"\n").contains("needs at least one"));
        assert!(err("[paths]\ndocs = { append = [] }\n").contains("unknown field `append`"));
    }

    #[test]
    fn credit_kinds_switch_off() {
        let mut e = Effective::defaults();
        e.apply(
            &layer(
                "[credits]\noff = { add = [\"Applied\", \"trailer:*\"] }\n[commits]\nrelease_subjects = { add = [\"^ship it\"] }\n[paths]\nversion = { add = [\"src/meta.rs\"] }\n",
            ),
            Scope::All,
        )
        .unwrap();
        let r = e.rules();
        assert_eq!(r.disabled_kinds, ["applied", "trailer:*"]);
        assert!(r.release_subjects.contains(&"^ship it".to_string()));
        assert!(r.version_paths.contains(&"src/meta.rs".to_string()));
        let shown = e.to_toml(true, Scope::All);
        assert!(shown.contains("\"trailer:*\",  # test.toml"), "{shown}");
        let bad = err("[credits]\noff = { add = [\"code\"] }\n");
        assert!(
            bad.starts_with("test.toml:2:16: unknown credit kind \"code\""),
            "{bad}"
        );
    }

    #[test]
    fn scopes_split_rules_from_report_settings() {
        let l = layer(
            "[paths]\ndocs = { add = [\"site/\"] }\n[teams]\ncore = { add = [\"a@x.org\"] }\n",
        );
        let mut rules_only = Effective::defaults();
        rules_only.apply(&l, Scope::Rules).unwrap();
        assert!(rules_only.teams.is_empty());
        assert!(rules_only.rules().docs_paths.contains(&"site/".to_string()));
        let mut wide = Effective::defaults();
        wide.apply(&l, Scope::ReportWide).unwrap();
        assert_eq!(wide.teams["core"][0].value, "a@x.org");
        assert_eq!(wide.rules(), Rules::default());
    }

    #[test]
    fn merge_same_name_setting() {
        let mut e = Effective::defaults();
        assert!(e.rules().merge_same_name);
        // The default is not written into the digest's text: digests made before the setting
        // existed stay the same.
        assert!(!e.to_toml(false, Scope::All).contains("merge_same_name"));
        let before = e.digest(Scope::All);
        e.apply(
            &layer("[people]\nmerge_same_name = false\n"),
            Scope::ReportWide,
        )
        .unwrap();
        assert!(!e.rules().merge_same_name);
        assert_ne!(e.digest(Scope::All), before);
        let shown = e.to_toml(false, Scope::All);
        assert!(shown.contains("merge_same_name = false"), "{shown}");
        let mut again = Effective::defaults();
        again.apply(&layer(&shown), Scope::All).unwrap();
        assert_eq!(again.rules(), e.rules());
    }

    #[test]
    fn digest_ignores_sources_but_not_values() {
        let a = Effective::defaults();
        let mut b = Effective::defaults();
        b.apply(
            &layer("[paths]\ndocs = { add = [\"docs/\"] }\n"),
            Scope::All,
        )
        .unwrap();
        assert_eq!(a.digest(Scope::All), b.digest(Scope::All));
        b.apply(
            &layer("[paths]\ndocs = { add = [\"site/\"] }\n"),
            Scope::All,
        )
        .unwrap();
        assert_ne!(a.digest(Scope::All), b.digest(Scope::All));
    }
}
