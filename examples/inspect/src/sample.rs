//! Captured responses read against portone-pg's catalogue
//! (`schemas/fields.toml`), the way `--draft-schema` and `--check-schema`
//! need them: each key resolved to its catalogue field (aliases too), each
//! value checked against the field's type, the PG and the claim found.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use portone_pg::PgProvider;
use portone_pg_schema::diag::Diagnostics;
use portone_pg_schema::model::{Field, Flow, Named, Role, Schema};
use portone_pg_schema::{load, validate};
use serde_json::Value;

use crate::input::{Channel, Input, json_type};

/// portone-pg's catalogue and shapes, read by the macro's own loader.
pub struct Catalogue {
    /// The schema directory.
    pub root: PathBuf,
    /// The validated payment schemas (catalogue fields, PGs).
    pub schema: Schema,
    /// Each shape's fields with their presence names, in file order.
    pub shapes: Vec<(String, Vec<(String, String)>)>,
}

impl Catalogue {
    /// portone-pg's `schemas/`, next to this example.
    pub fn load() -> Result<Catalogue, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        // One read of the files: the validated catalogue, and the shapes'
        // raw field lists, which the drafter compares presences with.
        let mut diags = Diagnostics::default();
        let raw = load::load(&root, portone_pg_schema::BUILTIN_DISPLAY, &mut diags);
        let schema = validate::validate(&raw, Flow::Payment, &mut diags);
        let schema = match schema {
            Some(schema) if diags.is_empty() => schema,
            _ => {
                let lines: Vec<String> = diags.into_vec().into_iter().map(|d| d.text).collect();
                return Err(format!(
                    "portone-pg's schemas do not load:\n{}",
                    lines.join("\n")
                ));
            }
        };
        let shapes = raw
            .shapes
            .iter()
            .map(|shape| {
                let fields = shape
                    .fields
                    .iter()
                    .map(|(name, presence)| (name.value.clone(), presence.value.clone()))
                    .collect();
                (shape.name.value.clone(), fields)
            })
            .collect();
        Ok(Catalogue {
            root,
            schema,
            shapes,
        })
    }

    /// The catalogue field a key names, by its name or an alias.
    pub fn field(&self, key: &str) -> Option<(usize, &Field)> {
        self.schema
            .fields
            .iter()
            .enumerate()
            .find(|(_, f)| f.name == key || f.aliases.iter().any(|a| a == key))
    }

    /// The field playing `role`.
    pub fn role(&self, role: Role) -> Option<(usize, &Field)> {
        self.schema.role(role)
    }
}

/// What a response claims, by the rule every PG's claim starts from: the
/// success flag when there is one, else an error code or message means
/// failure and an `imp_uid` success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    Success,
    Failure,
    Unclear,
}

impl Claim {
    pub fn word(self) -> &'static str {
        match self {
            Claim::Success => "success",
            Claim::Failure => "failure",
            Claim::Unclear => "unclear",
        }
    }
}

/// One captured response, read against the catalogue.
pub struct Sample {
    /// The file it came from.
    pub name: String,
    pub channel: Channel,
    /// Catalogue fields it carries, by catalogue index: its value (`null`
    /// included), and the key it came under.
    pub known: BTreeMap<usize, (Value, String)>,
    /// Keys the catalogue does not know, with their JSON types.
    pub unknown: Vec<(String, &'static str)>,
    /// Values that are not of their field's type: (key, type, what was
    /// found). Never the value: it may be personal data.
    pub mistyped: Vec<(String, &'static str, &'static str)>,
    /// The PG code it names (`pg_provider`) or was given (`--pg`).
    pub pg: Option<String>,
    pub claim: Claim,
}

impl Sample {
    /// Reads `input` (a callback or a redirect) against `catalogue`.
    pub fn read(input: &Input, catalogue: &Catalogue, pg: Option<&str>) -> Result<Sample, String> {
        let name = input.name.clone();
        if !matches!(input.channel, Channel::Callback | Channel::Redirect) {
            return Err(format!(
                "{name}: a {}; a schema describes callbacks and redirects",
                input.channel.name()
            ));
        }
        let mut known = BTreeMap::new();
        let mut unknown = Vec::new();
        let mut mistyped = Vec::new();
        for (key, value) in input.body.pairs().map_err(|e| format!("{name}: {e}"))? {
            let Some((index, field)) = catalogue.field(&key) else {
                unknown.push((key, json_type(&value)));
                continue;
            };
            if let Some((_, first)) = known.get(&index) {
                return Err(format!(
                    "{name}: `{key}` and `{first}` are one property (`{}`) received twice",
                    field.name
                ));
            }
            let ty = field.ty.name();
            if portone_pg::check_value(ty, &value.to_string()).is_err() {
                mistyped.push((key.clone(), ty, json_type(&value)));
            }
            known.insert(index, (value, key));
        }
        let text = |role: Role| -> Option<String> {
            let (index, _) = catalogue.role(role)?;
            match known.get(&index) {
                Some((Value::String(s), _)) if !s.is_empty() && s != "null" => Some(s.clone()),
                _ => None,
            }
        };
        let named = text(Role::Tag).map(|code| code_of(&code));
        let given = pg.map(code_of);
        let pg = match (named, given) {
            (Some(named), Some(given)) if named != given => {
                return Err(format!(
                    "{name}: names the PG `{named}`, but --pg says `{given}`"
                ));
            }
            (named, given) => named.or(given),
        };
        let flag = catalogue.role(Role::SuccessFlag).and_then(|(index, _)| {
            match known.get(&index).map(|(v, _)| v) {
                Some(Value::Bool(b)) => Some(*b),
                Some(Value::String(s)) if s == "true" => Some(true),
                Some(Value::String(s)) if s == "false" => Some(false),
                _ => None,
            }
        });
        let claim = match flag {
            Some(true) => Claim::Success,
            Some(false) => Claim::Failure,
            None if text(Role::ErrorCode).is_some() || text(Role::ErrorMessage).is_some() => {
                Claim::Failure
            }
            None if text(Role::PaymentId).is_some() => Claim::Success,
            None => Claim::Unclear,
        };
        Ok(Sample {
            name,
            channel: input.channel,
            known,
            unknown,
            mistyped,
            pg,
            claim,
        })
    }

    /// Whether it carries catalogue field `index` with a value (`null` and
    /// `"null"` are no value, as the parser reads them).
    pub fn has(&self, index: usize) -> bool {
        match self.known.get(&index) {
            None | Some((Value::Null, _)) => false,
            Some((Value::String(s), _)) => s != "null",
            Some(_) => true,
        }
    }
}

/// A PG's code from a body's `pg_provider` or a request's `pg`
/// (`kcp.T0000` → `kcp`, `nice_V2` → `nice_v2`).
pub fn code_of(text: &str) -> String {
    text.parse::<PgProvider>()
        .map_or_else(|_| text.to_owned(), |pg| pg.to_string())
}
