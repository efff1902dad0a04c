//! Checking what the schema files mean: types, roles, references between
//! files, uniqueness, and that each PG's success rule can be evaluated.

use std::collections::HashMap;

use crate::diag::{Diagnostics, Source, did_you_mean};
use crate::load::{Loc, Raw, RawField, RawPg, RawWindow};
use crate::model::{
    Evidence, Field, FieldType, Flow, Named, Pg, Presence, Role, Schema, SuccessRule, Window,
    WindowMode,
};

/// Words that cannot be Rust field names.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Field names the generated types use for themselves.
const RESERVED_FIELDS: &[&str] = &["extra"];

/// Validates everything read; `None` when any mistake was found (all of
/// them are in `diags`).
pub fn validate(raw: &Raw, flow: Flow, diags: &mut Diagnostics) -> Option<Schema> {
    let catalogue = raw
        .catalogue_file
        .map(|file| Catalogue::build(raw, file, diags));
    let shapes = match (&catalogue, raw.shapes_file) {
        (Some(catalogue), Some(file)) => build_shapes(raw, file, catalogue, diags),
        _ => HashMap::new(),
    };
    let catalogue = catalogue?;
    let mut pgs = Vec::new();
    let mut codes: HashMap<String, (usize, std::ops::Range<usize>)> = HashMap::new();
    let mut type_names: HashMap<String, String> = HashMap::new();
    for raw_pg in &raw.pgs {
        let source = &raw.sources[raw_pg.file];
        if let Some(pg) = build_pg(raw_pg, source, &catalogue, &shapes, diags) {
            let code_span = raw_pg.code.as_ref().map_or(0..0, |c| c.span.clone());
            let names = std::iter::once((&pg.code, code_span.clone()))
                .chain(raw_pg.aliases.iter().map(|a| (&a.value, a.span.clone())));
            let mut clash = false;
            for (name, span) in names {
                if let Some((first_file, first_span)) = codes.get(name) {
                    let first = &raw.sources[*first_file];
                    let (line, column) = first.line_column(first_span.start);
                    diags.at(
                        source,
                        span,
                        format!(
                            "code `{name}` is already defined by {}:{line}:{column}; each code (or alias) belongs to one file",
                            first.display
                        ),
                    );
                    clash = true;
                    continue;
                }
                codes.insert(name.clone(), (raw_pg.file, span));
            }
            if clash {
                continue;
            }
            for name in [pg.type_name.clone(), format!("{}Success", pg.type_name)] {
                if let Some(other) = type_names.insert(name.clone(), pg.code.clone()) {
                    diags.at(
                        source,
                        code_span.clone(),
                        format!("code `{}` would generate the type `{name}`, which code `{other}` already generates", pg.code),
                    );
                }
            }
            pgs.push(pg);
        }
    }
    // Related codes are checked against every file's code, valid or not, so
    // that one broken file does not cause a second error here.
    let all_codes: Vec<&str> = raw
        .pgs
        .iter()
        .filter_map(|pg| pg.code.as_ref().map(|c| c.value.as_str()))
        .collect();
    for raw_pg in &raw.pgs {
        let source = &raw.sources[raw_pg.file];
        let own = raw_pg.code.as_ref().map(|c| c.value.as_str());
        for related in &raw_pg.related {
            let is_code = all_codes.contains(&related.value.as_str());
            let message = if Some(related.value.as_str()) == own {
                format!("`{}` is this file's own code", related.value)
            } else if is_code {
                continue;
            } else {
                let hint = did_you_mean(&related.value, all_codes.iter().copied());
                format!("related code `{}` has no schema file{hint}", related.value)
            };
            diags.at(source, related.span.clone(), message);
        }
    }
    if !diags.is_empty() {
        return None;
    }
    Some(Schema {
        flow,
        external: false,
        fields: catalogue.fields,
        pgs,
        files: raw.paths.clone(),
    })
}

/// The validated catalogue plus name lookups.
struct Catalogue {
    fields: Vec<Field>,
    by_name: HashMap<String, usize>,
    by_alias: HashMap<String, usize>,
}

impl Catalogue {
    fn build(raw: &Raw, file: usize, diags: &mut Diagnostics) -> Self {
        let source = &raw.sources[file];
        let mut catalogue = Catalogue {
            fields: Vec::new(),
            by_name: HashMap::new(),
            by_alias: HashMap::new(),
        };
        let mut roles: HashMap<Role, String> = HashMap::new();
        for raw_field in &raw.fields {
            let field = build_field(raw_field, source, diags);
            let index = catalogue.fields.len();
            for alias in &raw_field.aliases {
                let taken = catalogue.by_name.contains_key(&alias.value)
                    || catalogue.by_alias.contains_key(&alias.value)
                    || raw.fields.iter().any(|f| f.name.value == alias.value);
                if taken {
                    diags.at(
                        source,
                        alias.span.clone(),
                        format!(
                            "alias `{}` is already the name or an alias of another field",
                            alias.value
                        ),
                    );
                } else {
                    catalogue.by_alias.insert(alias.value.clone(), index);
                }
            }
            if let (Some(role), Some(loc)) = (field.role, &raw_field.role)
                && let Some(other) = roles.insert(role, field.name.clone())
            {
                diags.at(
                    source,
                    loc.span.clone(),
                    format!("role `{}` is already played by `{other}`", role.name()),
                );
            }
            catalogue.by_name.insert(field.name.clone(), index);
            catalogue.fields.push(field);
        }
        for role in Role::REQUIRED {
            if !roles.contains_key(role) {
                diags.file(
                    &source.display,
                    format!(
                        "no field has role `{}`; the dispatcher needs one",
                        role.name()
                    ),
                );
            }
        }
        catalogue
    }

    /// Resolves a field reference, reporting unknown names and aliases.
    fn resolve(
        &self,
        name: &Loc<String>,
        source: &Source,
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        if let Some(&index) = self.by_name.get(&name.value) {
            return Some(index);
        }
        if let Some(&index) = self.by_alias.get(&name.value) {
            diags.at(
                source,
                name.span.clone(),
                format!(
                    "`{}` is an alias of `{}`; list the field by its name",
                    name.value, self.fields[index].name
                ),
            );
            return None;
        }
        let hint = did_you_mean(&name.value, self.fields.iter().map(|f| f.name.as_str()));
        diags.at(
            source,
            name.span.clone(),
            format!(
                "unknown field `{}`: it is not in the catalogue (fields.toml){hint}",
                name.value
            ),
        );
        None
    }
}

fn build_field(raw: &RawField, source: &Source, diags: &mut Diagnostics) -> Field {
    let name = &raw.name.value;
    if !is_snake_identifier(name) {
        diags.at(source, raw.name.span.clone(), format!("field name `{name}` must be lowercase letters, digits and `_`, starting with a letter"));
    } else if KEYWORDS.contains(&name.as_str()) {
        diags.at(source, raw.name.span.clone(), format!("field name `{name}` is a Rust keyword; name the field differently and keep `{name}` as an alias"));
    } else if RESERVED_FIELDS.contains(&name.as_str()) {
        diags.at(source, raw.name.span.clone(), format!("field name `{name}` is reserved: every generated type keeps unknown keys in `{name}`"));
    }
    let ty = raw
        .ty
        .as_ref()
        .and_then(|ty| pick::<FieldType>(ty, "type", source, diags));
    let role = raw.role.as_ref().and_then(|loc| {
        let role = pick::<Role>(loc, "role", source, diags)?;
        let required = role.required_type();
        if let Some(ty) = ty.filter(|t| *t != required) {
            diags.at(
                source,
                loc.span.clone(),
                format!(
                    "role `{}` needs type `{}`, but `{name}` has type `{}`",
                    loc.value,
                    required.name(),
                    ty.name()
                ),
            );
        }
        Some(role)
    });
    if raw.shared && DISPATCHER_METHODS.contains(&name.as_str()) {
        diags.at(
            source,
            raw.name.span.clone(),
            format!("`{name}` cannot be `shared`: the dispatcher already has a method `{name}`"),
        );
    }
    if let (Some(first), Some(ty)) = (raw.refuse.first(), ty.filter(|t| *t != FieldType::STRING)) {
        diags.at(
            source,
            first.span.clone(),
            format!(
                "`refuse` lists string values, but `{name}` has type `{}`",
                ty.name()
            ),
        );
    }
    Field {
        name: name.clone(),
        ty: ty.unwrap_or(FieldType::STRING),
        doc: raw.doc.clone().unwrap_or_default(),
        aliases: raw.aliases.iter().map(|a| a.value.clone()).collect(),
        pii: raw.pii,
        role,
        example: raw.example.clone(),
        refuse: raw.refuse.iter().map(|r| r.value.clone()).collect(),
        shared: raw.shared,
    }
}

/// Methods every dispatcher has: a `shared` field cannot take their names.
const DISPATCHER_METHODS: &[&str] = &[
    "provider",
    "imp_uid",
    "merchant_uid",
    "extra",
    "schema",
    "outcome",
    "from_json",
    "from_json_with_pg",
    "from_query",
    "from_query_with_pg",
];

/// A validated shape: its doc and its fields with presence.
struct Shape {
    doc: String,
    fields: Vec<(usize, Presence)>,
    window: Option<Window>,
}

fn build_shapes(
    raw: &Raw,
    file: usize,
    catalogue: &Catalogue,
    diags: &mut Diagnostics,
) -> HashMap<String, Shape> {
    let source = &raw.sources[file];
    let mut shapes = HashMap::new();
    for raw_shape in &raw.shapes {
        let mut fields = Vec::new();
        for (name, presence) in &raw_shape.fields {
            let index = catalogue.resolve(name, source, diags);
            let presence = parse_presence(presence, false, source, diags);
            if let (Some(index), Some(Some(presence))) = (index, presence) {
                fields.push((index, presence));
            }
        }
        if raw_shape.fields.is_empty() {
            diags.at(
                source,
                raw_shape.name.span.clone(),
                format!("shape `{}` lists no fields", raw_shape.name.value),
            );
        }
        let window = raw_shape
            .window
            .as_ref()
            .and_then(|w| build_window(w, source, diags));
        shapes.insert(
            raw_shape.name.value.clone(),
            Shape {
                doc: raw_shape.doc.clone().unwrap_or_default(),
                fields,
                window,
            },
        );
    }
    shapes
}

/// `Some(None)` is `never` (only where `allow_never`); `None` is a mistake.
fn parse_presence(
    loc: &Loc<String>,
    allow_never: bool,
    source: &Source,
    diags: &mut Diagnostics,
) -> Option<Option<Presence>> {
    if allow_never && loc.value == "never" {
        return Some(None);
    }
    if let Some((_, presence)) = Presence::all().into_iter().find(|(n, _)| *n == loc.value) {
        return Some(Some(presence));
    }
    let mut names: Vec<&str> = Presence::all().into_iter().map(|(n, _)| n).collect();
    if allow_never {
        names.push("never");
    }
    let hint = did_you_mean(&loc.value, names.iter().copied());
    diags.at(
        source,
        loc.span.clone(),
        format!(
            "unknown presence `{}`{hint} (expected one of {})",
            loc.value,
            list(names.iter().copied())
        ),
    );
    None
}

fn build_pg(
    raw: &RawPg,
    source: &Source,
    catalogue: &Catalogue,
    shapes: &HashMap<String, Shape>,
    diags: &mut Diagnostics,
) -> Option<Pg> {
    let mut missing =
        |key: &str, why: &str| diags.at(source, 0..0, format!("missing `{key}`: {why}"));
    if raw.code.is_none() {
        missing("code", "the `pg_provider` code this file describes");
    }
    if raw.name.is_none() {
        missing("name", "the PG's display name");
    }
    if raw.doc.is_none() {
        missing("doc", "what the PG is, for the generated documentation");
    }
    if raw.success.is_none() {
        missing("success", "the success rule, \"flag\" or \"no_error\"");
    }
    if raw.evidence.is_none() {
        missing("evidence", "\"documented\", \"observed\" or \"inferred\"");
    }
    if raw.sources.is_empty() {
        missing("sources", "at least one source for the facts in this file");
    }
    let code = raw.code.as_ref().filter(|code| {
        let ok = is_snake_identifier(&code.value) && code.value != "unknown";
        if !ok {
            diags.at(source, code.span.clone(), format!("code `{}` must be lowercase letters, digits and `_`, starting with a letter (and not `unknown`)", code.value));
        }
        ok
    });
    let success = raw
        .success
        .as_ref()
        .and_then(|s| pick::<SuccessRule>(s, "success rule", source, diags));
    let evidence = raw
        .evidence
        .as_ref()
        .and_then(|e| pick::<Evidence>(e, "evidence level", source, diags));

    let mut fields: Vec<(usize, Presence)> = Vec::new();
    let mut delta = Vec::new();
    let mut window = raw
        .window
        .as_ref()
        .and_then(|w| build_window(w, source, diags));
    let shape = match &raw.shape {
        Some(name) => match shapes.get(&name.value) {
            Some(shape) => {
                fields.extend(shape.fields.iter().copied());
                if raw.window.is_none() {
                    window = shape.window.clone();
                }
                Some((name.value.clone(), shape.doc.clone()))
            }
            None => {
                let hint = did_you_mean(&name.value, shapes.keys().map(String::as_str));
                diags.at(
                    source,
                    name.span.clone(),
                    format!("unknown shape `{}` (shapes.toml){hint}", name.value),
                );
                return None;
            }
        },
        None => None,
    };
    for (name, presence) in &raw.fields {
        let index = catalogue.resolve(name, source, diags);
        let presence = parse_presence(presence, true, source, diags);
        let (Some(index), Some(presence)) = (index, presence) else {
            continue;
        };
        let existing = fields.iter().position(|(i, _)| *i == index);
        match (existing, presence) {
            (Some(at), None) => {
                fields.remove(at);
                delta.push(format!("without `{}`", name.value));
            }
            (None, None) => diags.at(
                source,
                name.span.clone(),
                format!("`{}` = \"never\" removes a field of the shape, but the shape does not list `{}`; leave it out", name.value, name.value),
            ),
            (Some(at), Some(presence)) => {
                let before = fields[at].1;
                fields[at].1 = presence;
                delta.push(format!("`{}` {} (not {})", name.value, presence.name(), before.name()));
            }
            (None, Some(presence)) => {
                fields.push((index, presence));
                delta.push(format!("`{}` ({})", name.value, presence.name()));
            }
        }
    }
    fields.sort_by_key(|(index, _)| *index);
    if fields.is_empty() && shape.is_none() && raw.fields.is_empty() {
        diags.at(
            source,
            0..0,
            "the PG lists no fields: name a `shape` or add a `[fields]` table",
        );
    }

    if let (Some(rule), Some(loc)) = (success, &raw.success) {
        check_success_rule(rule, loc, &fields, catalogue, source, diags);
    }

    for alias in &raw.aliases {
        let ok = !alias.value.is_empty()
            && alias
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !ok {
            diags.at(
                source,
                alias.span.clone(),
                format!("alias `{}` must be letters, digits and `_`", alias.value),
            );
        }
    }
    for related in &raw.related {
        if !is_snake_identifier(&related.value) {
            diags.at(
                source,
                related.span.clone(),
                format!(
                    "related code `{}` must be lowercase letters, digits and `_`",
                    related.value
                ),
            );
        }
    }

    let code = code?.value.clone();
    Some(Pg {
        type_name: camel_case(&code),
        aliases: raw.aliases.iter().map(|a| a.value.clone()).collect(),
        related: raw.related.iter().map(|r| r.value.clone()).collect(),
        code,
        name: raw.name.clone()?,
        doc: raw.doc.clone()?,
        shape,
        success: success?,
        evidence: evidence?,
        sources: raw.sources.iter().map(|s| s.value.clone()).collect(),
        notes: raw.notes.clone(),
        fields,
        delta,
        window,
        file: source.display.clone(),
    })
}

/// A `[window]` table: every key but `popup_param` is required, so that
/// each claim carries its evidence.
fn build_window(raw: &RawWindow, source: &Source, diags: &mut Diagnostics) -> Option<Window> {
    let mut need = |key: &str, why: &str| {
        diags.at(
            source,
            raw.span.clone(),
            format!("`[window]` needs `{key}`: {why}"),
        );
    };
    if raw.pc.is_none() {
        need("pc", "\"iframe\", \"popup\" or \"redirect\"");
    }
    if raw.mobile.is_none() {
        need("mobile", "\"iframe\", \"popup\" or \"redirect\"");
    }
    if raw.evidence.is_none() {
        need("evidence", "\"documented\", \"observed\" or \"inferred\"");
    }
    if raw.sources.is_empty() {
        need("sources", "at least one source for how the window opens");
    }
    let pc = raw
        .pc
        .as_ref()
        .and_then(|m| pick::<WindowMode>(m, "window mode", source, diags));
    let mobile = raw
        .mobile
        .as_ref()
        .and_then(|m| pick::<WindowMode>(m, "window mode", source, diags));
    let evidence = raw
        .evidence
        .as_ref()
        .and_then(|e| pick::<Evidence>(e, "evidence level", source, diags));
    Some(Window {
        pc: pc?,
        mobile: mobile?,
        popup_param: raw.popup_param.as_ref().map(|p| p.value.clone()),
        redirect_flag: raw
            .redirect_flag
            .as_ref()
            .map_or_else(|| "imp_success".to_owned(), |f| f.value.clone()),
        evidence: evidence?,
        sources: raw.sources.iter().map(|s| s.value.clone()).collect(),
    })
}

fn check_success_rule(
    rule: SuccessRule,
    loc: &Loc<String>,
    fields: &[(usize, Presence)],
    catalogue: &Catalogue,
    source: &Source,
    diags: &mut Diagnostics,
) {
    let lists = |role: Role| {
        catalogue
            .fields
            .iter()
            .position(|f| f.role == Some(role))
            .map(|index| {
                (
                    fields.iter().any(|(i, _)| *i == index),
                    catalogue.fields[index].name.as_str(),
                )
            })
    };
    let needs = match rule {
        SuccessRule::Flag => vec![vec![Role::SuccessFlag]],
        SuccessRule::NoError => vec![
            vec![Role::PaymentId],
            vec![Role::ErrorCode, Role::ErrorMessage],
        ],
    };
    for any_of in needs {
        let candidates: Vec<_> = any_of.iter().map(|r| (*r, lists(*r))).collect();
        if candidates.iter().any(|(_, l)| matches!(l, Some((true, _)))) {
            continue;
        }
        let names: Vec<String> = candidates
            .iter()
            .map(|(role, l)| match l {
                Some((_, name)) => format!("`{name}`"),
                None => format!("a field with role `{}`", role.name()),
            })
            .collect();
        diags.at(
            source,
            loc.span.clone(),
            format!(
                "success rule `{}` reads {}, which this PG does not list; add it under [fields] or choose another rule",
                rule.name(),
                names.join(" or ")
            ),
        );
    }
}

/// The value `loc` names, or a diagnostic listing the accepted names.
fn pick<T: Named>(
    loc: &Loc<String>,
    what: &str,
    source: &Source,
    diags: &mut Diagnostics,
) -> Option<T> {
    let options = T::all();
    if let Some((_, value)) = options.iter().find(|(n, _)| *n == loc.value) {
        return Some(*value);
    }
    let hint = did_you_mean(&loc.value, options.iter().map(|(n, _)| *n));
    diags.at(
        source,
        loc.span.clone(),
        format!(
            "unknown {what} `{}`{hint} (expected one of {})",
            loc.value,
            list(options.iter().map(|(n, _)| *n))
        ),
    );
    None
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_snake_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `html5_inicis` → `Html5Inicis`.
pub fn camel_case(code: &str) -> String {
    code.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
                .collect::<String>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(camel_case("html5_inicis"), "Html5Inicis");
        assert_eq!(camel_case("nice_v2"), "NiceV2");
        assert_eq!(camel_case("kcp"), "Kcp");
    }
}
