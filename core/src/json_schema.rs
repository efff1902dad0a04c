//! JSON Schema for every type a response is read into (feature `schemars`):
//! the value types, the REST objects, the webhook, and — through the
//! helpers here — the per-PG types and dispatchers portone-pg-macros
//! generates.
//!
//! Each schema accepts what the lenient readers accept: an amount as a
//! number or a numeric string, a flag as a boolean or `"true"`/`"false"`,
//! `null` and the text `"null"` (the Flutter bridge's) for an absent
//! optional property, a property under any of its aliases, and keys the
//! schema does not list (they are kept in `extra`).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value};

use crate::{Amount, CivilDateTime, CustomData, Flag, Integer, KeptValue, Presence, Timestamp};

/// One property of an object schema.
#[doc(hidden)]
pub struct SchemaProperty {
    /// The key.
    pub name: &'static str,
    /// Other keys it is read under.
    pub aliases: &'static [&'static str],
    /// How reliably the object has it: `Always` is required in both views,
    /// `OnSuccess` in the success view.
    pub presence: Presence,
    /// What it means.
    pub description: &'static str,
    /// Its value's schema.
    pub schema: fn(&mut SchemaGenerator) -> Schema,
}

/// An object with these properties; other keys are allowed (kept).
#[doc(hidden)]
pub fn object_schema(
    generator: &mut SchemaGenerator,
    title: &str,
    description: &str,
    properties: &[SchemaProperty],
    success_view: bool,
) -> Schema {
    let mut map = Map::new();
    let mut required = Vec::new();
    for property in properties {
        let is_required = match property.presence {
            Presence::Always => true,
            Presence::OnSuccess => success_view,
            Presence::Optional => false,
        };
        let mut schema = (property.schema)(generator);
        if !is_required {
            schema = json_schema!({ "anyOf": [schema, { "type": "null" }, { "const": "null" }] });
        }
        if !property.description.is_empty() {
            schema.insert("description".into(), property.description.into());
        }
        let value = Value::from(schema);
        for alias in property.aliases {
            map.insert((*alias).to_owned(), value.clone());
        }
        map.insert(property.name.to_owned(), value);
        if is_required {
            let names = std::iter::once(property.name).chain(property.aliases.iter().copied());
            let any: Vec<Value> = names
                .map(|name| serde_json::json!({ "required": [name] }))
                .collect();
            required.push(serde_json::json!({ "anyOf": any }));
        }
    }
    let mut schema = json_schema!({
        "title": title,
        "type": "object",
        "properties": map,
        "additionalProperties": true,
    });
    if !description.is_empty() {
        schema.insert("description".into(), description.into());
    }
    if !required.is_empty() {
        schema.insert("allOf".into(), required.into());
    }
    schema
}

/// Any of these schemas (a dispatcher: one per PG, and the fallback).
#[doc(hidden)]
pub fn any_of(
    generator: &mut SchemaGenerator,
    title: &str,
    description: &str,
    variants: &[fn(&mut SchemaGenerator) -> Schema],
) -> Schema {
    let variants: Vec<Value> = variants.iter().map(|v| Value::from(v(generator))).collect();
    json_schema!({ "title": title, "description": description, "anyOf": variants })
}

/// An open code enum: a string, with the codes this version knows.
#[doc(hidden)]
pub fn code_schema(description: &str, known: &[&str]) -> Schema {
    json_schema!({ "type": "string", "description": description, "examples": known })
}

/// The root schema of `T` for a standalone file: one per PG.
#[doc(hidden)]
pub fn root_schema<T: JsonSchema>() -> Schema {
    SchemaGenerator::default().into_root_schema_for::<T>()
}

macro_rules! value_schema {
    ($ty:ty, $name:literal, $schema:tt) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

value_schema!(Amount, "Amount", {
    "description": "An exact decimal amount: a JSON number, or a string of one (\"1004\").",
    "anyOf": [
        { "type": "number" },
        { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$" }
    ]
});

value_schema!(Flag, "Flag", {
    "description": "A boolean, or the strings \"true\" / \"false\".",
    "anyOf": [{ "type": "boolean" }, { "enum": ["true", "false"] }]
});

value_schema!(Integer, "Integer", {
    "description": "An integer, or a string of one.",
    "anyOf": [{ "type": "integer" }, { "type": "string", "pattern": "^-?[0-9]+$" }]
});

value_schema!(Timestamp, "Timestamp", {
    "description": "UNIX seconds as a number or a string (0: has not happened), or a Korea-time wall clock \"YYYY-MM-DD HH:MM:SS\".",
    "anyOf": [
        { "type": "integer" },
        { "type": "string", "pattern": "^[0-9]+$" },
        { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$" }
    ]
});

value_schema!(CivilDateTime, "CivilDateTime", {
    "description": "A Korea-time wall clock, \"YYYY-MM-DD HH:MM:SS\".",
    "type": "string",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"
});

value_schema!(CustomData, "CustomData", {
    "description": "The merchant's data: null, a string, or any JSON value."
});

value_schema!(crate::UnknownResponse, "UnknownResponse", {
    "description": "A response of a PG without a schema, or naming none: any object, every key kept.",
    "type": "object"
});

value_schema!(KeptValue, "KeptValue", {
    "description": "Any JSON value, kept as received."
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_schemas_accept_the_lenient_forms() {
        let schema = root_schema::<Amount>();
        let value = Value::from(schema);
        assert_eq!(value["anyOf"][0]["type"], "number");
        let object = object_schema(
            &mut SchemaGenerator::default(),
            "T",
            "",
            &[SchemaProperty {
                name: "success",
                aliases: &["imp_success"],
                presence: Presence::Always,
                description: "d",
                schema: |g| g.subschema_for::<Flag>(),
            }],
            false,
        );
        let value = Value::from(object);
        assert!(value["properties"]["imp_success"].is_object());
        assert_eq!(value["allOf"][0]["anyOf"][1]["required"][0], "imp_success");
    }
}
