//! Reading the schema directory: files → TOML → raw records that keep the
//! position of every value. Unknown keys and wrongly typed values are
//! reported here; what the values *mean* is checked in `validate`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostics, Source, did_you_mean};

/// A value and where it was written.
#[derive(Clone, Debug)]
pub struct Loc<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the file.
    pub span: Range<usize>,
}

/// A catalogue entry as written in `fields.toml`.
pub struct RawField {
    /// The table's name: the property's key.
    pub name: Loc<String>,
    /// `type`.
    pub ty: Option<Loc<String>>,
    /// `doc`.
    pub doc: Option<String>,
    /// `aliases`: other keys it arrives under.
    pub aliases: Vec<Loc<String>>,
    /// `pii`: personal data.
    pub pii: bool,
    /// `role`.
    pub role: Option<Loc<String>>,
    /// `example`, as JSON text.
    pub example: Option<String>,
    /// Values that mark a body of another flow (`certification` in a payment).
    pub refuse: Vec<Loc<String>>,
    /// Read across PGs by an accessor on the dispatcher.
    pub shared: bool,
}

/// A shape as written in `shapes.toml`.
pub struct RawShape {
    /// The table's name.
    pub name: Loc<String>,
    /// `doc`.
    pub doc: Option<String>,
    /// `fields`: (field, presence).
    pub fields: Vec<(Loc<String>, Loc<String>)>,
    /// `[window]`.
    pub window: Option<RawWindow>,
}

/// A `[window]` table: how the PG's payment window opens.
pub struct RawWindow {
    /// Where the table starts.
    pub span: std::ops::Range<usize>,
    /// `pc`.
    pub pc: Option<Loc<String>>,
    /// `mobile`.
    pub mobile: Option<Loc<String>>,
    /// `popup_param`.
    pub popup_param: Option<Loc<String>>,
    /// `redirect_flag`.
    pub redirect_flag: Option<Loc<String>>,
    /// `evidence`.
    pub evidence: Option<Loc<String>>,
    /// `sources`.
    pub sources: Vec<Loc<String>>,
}

/// A PG file as written under `pg/`.
pub struct RawPg {
    /// Index of its file in [`Raw::sources`].
    pub file: usize,
    /// `code`.
    pub code: Option<Loc<String>>,
    /// `aliases`.
    pub aliases: Vec<Loc<String>>,
    /// `related`.
    pub related: Vec<Loc<String>>,
    /// `name`.
    pub name: Option<String>,
    /// `doc`.
    pub doc: Option<String>,
    /// `shape`.
    pub shape: Option<Loc<String>>,
    /// `success`.
    pub success: Option<Loc<String>>,
    /// `evidence`.
    pub evidence: Option<Loc<String>>,
    /// `sources`.
    pub sources: Vec<Loc<String>>,
    /// `notes`.
    pub notes: Option<String>,
    /// `[fields]`: (field, presence).
    pub fields: Vec<(Loc<String>, Loc<String>)>,
    /// `[window]`.
    pub window: Option<RawWindow>,
}

/// Everything read from a schema directory.
pub struct Raw {
    /// Each file's text, indexed by the `file` numbers in the records.
    pub sources: Vec<Source>,
    /// Absolute paths of the files read.
    pub paths: Vec<PathBuf>,
    /// Index of `fields.toml` in `sources`, if it was read.
    pub catalogue_file: Option<usize>,
    /// Index of `shapes.toml` in `sources`, if it was read.
    pub shapes_file: Option<usize>,
    /// The catalogue's entries.
    pub fields: Vec<RawField>,
    /// The shapes.
    pub shapes: Vec<RawShape>,
    /// The PG files, in the order read.
    pub pgs: Vec<RawPg>,
}

/// The catalogue's file name.
pub const CATALOGUE_FILE: &str = "fields.toml";
/// The shapes' file name.
pub const SHAPES_FILE: &str = "shapes.toml";
/// The directory of PG files.
pub const PG_DIR: &str = "pg";

const FIELD_KEYS: &[&str] = &[
    "type", "doc", "aliases", "pii", "role", "example", "refuse", "shared",
];
const SHAPE_KEYS: &[&str] = &["doc", "fields", "window"];
const PG_KEYS: &[&str] = &[
    "code", "aliases", "related", "name", "doc", "shape", "success", "evidence", "sources",
    "notes", "fields", "window",
];
const WINDOW_KEYS: &[&str] = &[
    "pc",
    "mobile",
    "popup_param",
    "redirect_flag",
    "evidence",
    "sources",
];

/// Reads `root` (shown in messages as `display_root`): the catalogue, the
/// shapes and every PG file.
pub fn load(root: &Path, display_root: &str, diags: &mut Diagnostics) -> Raw {
    let mut raw = load_shared(root, display_root, diags);
    load_pgs(&mut raw, root, display_root, diags);
    raw
}

/// Reads the catalogue and the shapes of `root`, without PG files.
pub fn load_shared(root: &Path, display_root: &str, diags: &mut Diagnostics) -> Raw {
    let mut raw = Raw {
        sources: Vec::new(),
        paths: Vec::new(),
        catalogue_file: None,
        shapes_file: None,
        fields: Vec::new(),
        shapes: Vec::new(),
        pgs: Vec::new(),
    };
    let display = |name: &str| join_display(display_root, name);

    if let Some(file) = raw.read(root, &display(CATALOGUE_FILE), CATALOGUE_FILE, diags) {
        raw.catalogue_file = Some(file);
        if let Some(table) = parse(&raw.sources[file], diags) {
            let mut reader = Reader {
                source: &raw.sources[file],
                diags,
            };
            raw.fields = read_catalogue(&mut reader, table.get_ref());
        }
    }
    if let Some(file) = raw.read(root, &display(SHAPES_FILE), SHAPES_FILE, diags) {
        raw.shapes_file = Some(file);
        if let Some(table) = parse(&raw.sources[file], diags) {
            let mut reader = Reader {
                source: &raw.sources[file],
                diags,
            };
            raw.shapes = read_shapes(&mut reader, table.get_ref());
        }
    }
    raw
}

/// Reads every `pg/*.toml` under `root` into `raw`, after what it holds
/// (an integrator's own PG files go after the built-in ones).
pub fn load_pgs(raw: &mut Raw, root: &Path, display_root: &str, diags: &mut Diagnostics) {
    let display = |name: &str| join_display(display_root, name);
    let pg_dir = root.join(PG_DIR);
    let mut names: Vec<String> = match std::fs::read_dir(&pg_dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect(),
        Err(e) => {
            diags.file(
                &display(PG_DIR),
                format!("cannot read the PG directory: {e}"),
            );
            Vec::new()
        }
    };
    names.sort();
    if names.is_empty() && pg_dir.is_dir() {
        diags.file(&display(PG_DIR), "no PG files (`*.toml`) found");
    }
    for name in names {
        let relative = format!("{PG_DIR}/{name}");
        load_pg_file(raw, &root.join(&relative), &display(&relative), diags);
    }
}

/// Reads one PG file, `path` (shown as `display`), into `raw`.
pub fn load_pg_file(raw: &mut Raw, path: &Path, display: &str, diags: &mut Diagnostics) {
    let Some(file) = raw.read_file(path, display, diags) else {
        return;
    };
    if let Some(table) = parse(&raw.sources[file], diags) {
        let mut reader = Reader {
            source: &raw.sources[file],
            diags,
        };
        let pg = read_pg(&mut reader, table.get_ref(), file);
        raw.pgs.push(pg);
    }
}

fn join_display(root: &str, name: &str) -> String {
    let root = root.trim_end_matches('/');
    if root.is_empty() || root == "." {
        name.to_owned()
    } else {
        format!("{root}/{name}")
    }
}

impl Raw {
    fn read(
        &mut self,
        root: &Path,
        display: &str,
        relative: &str,
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        self.read_file(&root.join(relative), display, diags)
    }

    fn read_file(&mut self, path: &Path, display: &str, diags: &mut Diagnostics) -> Option<usize> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                self.sources.push(Source {
                    display: display.to_owned(),
                    text,
                });
                self.paths.push(path.to_owned());
                Some(self.sources.len() - 1)
            }
            Err(e) => {
                diags.file(display, format!("cannot read: {e}"));
                None
            }
        }
    }
}

fn parse<'i>(source: &'i Source, diags: &mut Diagnostics) -> Option<Spanned<DeTable<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(&source.text);
    if errors.is_empty() {
        return Some(table);
    }
    for error in errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim_end();
        let message = match source.text.get(span.clone()) {
            // toml says only "duplicate key"; name the key, which here is
            // usually a field listed twice.
            Some(key) if message == "duplicate key" => format!("`{}` is listed twice", key.trim()),
            _ => format!("malformed TOML: {message}"),
        };
        diags.at(source, span, message);
    }
    None
}

fn read_catalogue(reader: &mut Reader<'_>, table: &DeTable<'_>) -> Vec<RawField> {
    let mut fields = Vec::new();
    for (key, value) in written(table) {
        let name = loc(key);
        let Some(entry) = reader.expect_table(value, &format!("catalogue entry `{}`", name.value))
        else {
            continue;
        };
        let context = format!("catalogue entry `{}`", name.value);
        reader.check_keys(entry, FIELD_KEYS, &context);
        let ty = reader.string(entry, "type");
        if ty.is_none() && !has(entry, "type") {
            reader.error(key.span(), format!("{context} has no `type`"));
        }
        let doc = reader.string(entry, "doc").map(|d| d.value);
        if doc.is_none() && !has(entry, "doc") {
            reader.error(
                key.span(),
                format!("{context} has no `doc`: say what the property means"),
            );
        }
        fields.push(RawField {
            ty,
            doc,
            aliases: reader.strings(entry, "aliases"),
            pii: reader.boolean(entry, "pii").unwrap_or(false),
            role: reader.string(entry, "role"),
            example: reader.example(entry, "example"),
            refuse: reader.strings(entry, "refuse"),
            shared: reader.boolean(entry, "shared").unwrap_or(false),
            name,
        });
    }
    fields
}

fn read_shapes(reader: &mut Reader<'_>, table: &DeTable<'_>) -> Vec<RawShape> {
    let mut shapes = Vec::new();
    for (key, value) in written(table) {
        let name = loc(key);
        let context = format!("shape `{}`", name.value);
        let Some(entry) = reader.expect_table(value, &context) else {
            continue;
        };
        reader.check_keys(entry, SHAPE_KEYS, &context);
        shapes.push(RawShape {
            doc: reader.string(entry, "doc").map(|d| d.value),
            fields: reader.presence_table(entry, &context),
            window: reader.window(entry, &context),
            name,
        });
    }
    shapes
}

fn read_pg(reader: &mut Reader<'_>, table: &DeTable<'_>, file: usize) -> RawPg {
    reader.check_keys(table, PG_KEYS, "a PG file");
    RawPg {
        file,
        code: reader.string(table, "code"),
        aliases: reader.strings(table, "aliases"),
        related: reader.strings(table, "related"),
        name: reader.string(table, "name").map(|n| n.value),
        doc: reader.string(table, "doc").map(|d| d.value),
        shape: reader.string(table, "shape"),
        success: reader.string(table, "success"),
        evidence: reader.string(table, "evidence"),
        sources: reader.strings(table, "sources"),
        notes: reader.string(table, "notes").map(|n| n.value),
        fields: reader.presence_table(table, "the PG"),
        window: reader.window(table, "the PG"),
    }
}

fn loc(key: &Spanned<std::borrow::Cow<'_, str>>) -> Loc<String> {
    Loc {
        value: key.get_ref().to_string(),
        span: key.span(),
    }
}

fn has(table: &DeTable<'_>, key: &str) -> bool {
    lookup(table, key).is_some()
}

/// A table's entries in the order they were written. The TOML map is sorted
/// by key; the order of the file is what the generated types and the errors
/// follow (a catalogue's fields, a PG's listing), so it is restored from the
/// keys' positions rather than kept by an order-preserving map dependency.
fn written<'t, 'i>(table: &'t DeTable<'i>) -> Vec<Entry<'t, 'i>> {
    let mut entries: Vec<Entry<'t, 'i>> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

type Entry<'t, 'i> = (
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'t Spanned<DeValue<'i>>,
);

fn lookup<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<Entry<'t, 'i>> {
    table.iter().find(|(k, _)| k.get_ref() == key)
}

fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a datetime",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Typed access to a TOML table that reports every mismatch with its position.
struct Reader<'a> {
    source: &'a Source,
    diags: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn error(&mut self, span: Range<usize>, message: impl AsRef<str>) {
        self.diags.at(self.source, span, message);
    }

    fn check_keys(&mut self, table: &DeTable<'_>, allowed: &[&str], context: &str) {
        for (key, _) in written(table) {
            let name = key.get_ref();
            if !allowed.contains(&name.as_ref()) {
                let hint = did_you_mean(name, allowed.iter().copied());
                let expected = allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    key.span(),
                    format!("unknown key `{name}` in {context}{hint} (expected one of {expected})"),
                );
            }
        }
    }

    fn expect_table<'t, 'i>(
        &mut self,
        value: &'t Spanned<DeValue<'i>>,
        context: &str,
    ) -> Option<&'t DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            other => {
                self.error(
                    value.span(),
                    format!("{context} must be a table, found {}", kind(other)),
                );
                None
            }
        }
    }

    fn string(&mut self, table: &DeTable<'_>, key: &str) -> Option<Loc<String>> {
        let (_, value) = lookup(table, key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Loc {
                value: s.to_string(),
                span: value.span(),
            }),
            other => {
                self.error(
                    value.span(),
                    format!("`{key}` must be a string, found {}", kind(other)),
                );
                None
            }
        }
    }

    fn strings(&mut self, table: &DeTable<'_>, key: &str) -> Vec<Loc<String>> {
        let Some((_, value)) = lookup(table, key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                value.span(),
                format!(
                    "`{key}` must be an array of strings, found {}",
                    kind(value.get_ref())
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push(Loc {
                    value: s.to_string(),
                    span: item.span(),
                }),
                other => self.error(
                    item.span(),
                    format!("`{key}` must hold strings, found {}", kind(other)),
                ),
            }
        }
        out
    }

    fn boolean(&mut self, table: &DeTable<'_>, key: &str) -> Option<bool> {
        let (_, value) = lookup(table, key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.error(
                    value.span(),
                    format!("`{key}` must be true or false, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// An example value, as JSON text.
    fn example(&mut self, table: &DeTable<'_>, key: &str) -> Option<String> {
        let (_, value) = lookup(table, key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(json_string(s)),
            DeValue::Boolean(b) => Some(b.to_string()),
            DeValue::Integer(i) if i.radix() == 10 => Some(i.as_str().replace('_', "")),
            DeValue::Float(f)
                if f.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') =>
            {
                Some(f.as_str().to_owned())
            }
            other => {
                self.error(
                    value.span(),
                    format!(
                        "`{key}` must be a string, a decimal number or a boolean, found {}",
                        kind(other)
                    ),
                );
                None
            }
        }
    }

    /// A `[window]` table.
    fn window(&mut self, table: &DeTable<'_>, context: &str) -> Option<RawWindow> {
        let (_, value) = lookup(table, "window")?;
        let context = format!("`window` of {context}");
        let window = self.expect_table(value, &context)?;
        self.check_keys(window, WINDOW_KEYS, &context);
        Some(RawWindow {
            span: value.span(),
            pc: self.string(window, "pc"),
            mobile: self.string(window, "mobile"),
            popup_param: self.string(window, "popup_param"),
            redirect_flag: self.string(window, "redirect_flag"),
            evidence: self.string(window, "evidence"),
            sources: self.strings(window, "sources"),
        })
    }

    /// A `[fields]` table of `name = "presence"`.
    fn presence_table(
        &mut self,
        table: &DeTable<'_>,
        context: &str,
    ) -> Vec<(Loc<String>, Loc<String>)> {
        let Some((_, value)) = lookup(table, "fields") else {
            return Vec::new();
        };
        let Some(fields) = self.expect_table(value, &format!("`fields` of {context}")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in written(fields) {
            match value.get_ref() {
                DeValue::String(s) => out.push((
                    loc(key),
                    Loc {
                        value: s.to_string(),
                        span: value.span(),
                    },
                )),
                other => self.error(
                    value.span(),
                    format!(
                        "the presence of `{}` must be a string (\"always\", \"on_success\", \"optional\" or \"never\"), found {}",
                        key.get_ref(),
                        kind(other)
                    ),
                ),
            }
        }
        out
    }
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
