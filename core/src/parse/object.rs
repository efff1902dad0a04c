//! Hand-declared JSON objects (the REST payment, its history entries): one
//! declaration gives the struct, a single-pass `Deserialize` that keeps
//! unknown keys and refuses duplicates, `Serialize` giving the object back,
//! and a `Debug` that redacts personal data.
//!
//! Written as a declarative macro rather than with serde's derive because
//! `#[serde(flatten)]` (the derive's only way to keep unknown keys) buffers
//! every value and reads decimal amounts through `f64`.

use std::cell::Cell;

use serde::de::{self, Deserialize, Deserializer};

use crate::error::{Error, ErrorKind};
use crate::parse::ctx::ReadError;
use crate::value::FieldValue;

impl<T: for<'de> Deserialize<'de>> FieldValue for Vec<T> {
    fn deserialize_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_option(ListVisitor(std::marker::PhantomData))
    }
}

/// A list property (`cancel_history`): `null` is none; each element's index
/// is recorded on the error path (see [`path`]).
struct ListVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> de::Visitor<'de> for ListVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        loop {
            path::enter_index(items.len());
            match seq.next_element()? {
                Some(item) => items.push(item),
                None => break,
            }
            path::leave();
        }
        path::leave();
        Ok(Some(items))
    }
}

/// Where a parse of a REST object was when it failed
/// (`response.cancel_history[0].amount`), recorded only while an error is
/// being located: the first parse is untracked, and only a failed body is
/// parsed again with tracking on. One thread-local stack, instead of a
/// second instantiation of every visitor through a path-tracking
/// deserializer.
pub(crate) mod path {
    use std::cell::{Cell, RefCell};

    thread_local! {
        static TRACKING: Cell<bool> = const { Cell::new(false) };
        static STACK: RefCell<Vec<Segment>> = const { RefCell::new(Vec::new()) };
    }

    enum Segment {
        Key(String),
        Index(usize),
    }

    /// Runs `parse` with tracking on; returns its result and the path at the
    /// point it stopped.
    pub(crate) fn located<T>(parse: impl FnOnce() -> T) -> (T, String) {
        STACK.with(|stack| stack.borrow_mut().clear());
        TRACKING.with(|tracking| tracking.set(true));
        let result = parse();
        TRACKING.with(|tracking| tracking.set(false));
        let path = STACK.with(|stack| {
            let mut out = String::new();
            for segment in stack.borrow_mut().drain(..) {
                match segment {
                    Segment::Key(key) if out.is_empty() => out.push_str(&key),
                    Segment::Key(key) => {
                        out.push('.');
                        out.push_str(&key);
                    }
                    Segment::Index(index) => out.push_str(&format!("[{index}]")),
                }
            }
            out
        });
        (result, path)
    }

    fn push(segment: impl FnOnce() -> Segment) {
        if TRACKING.with(Cell::get) {
            STACK.with(|stack| stack.borrow_mut().push(segment()));
        }
    }

    /// Reading the value of `key`.
    #[inline]
    pub(crate) fn enter(key: &str) {
        push(|| Segment::Key(key.to_owned()));
    }

    /// Reading element `index` of a list.
    #[inline]
    pub(crate) fn enter_index(index: usize) {
        push(|| Segment::Index(index));
    }

    /// The value was read.
    #[inline]
    pub(crate) fn leave() {
        if TRACKING.with(Cell::get) {
            STACK.with(|stack| stack.borrow_mut().pop());
        }
    }
}

/// Which property of which object a parse is reading, for errors.
#[derive(Default)]
pub(crate) struct Context {
    pub(crate) field: Cell<Option<&'static str>>,
    pub(crate) kind: Cell<Option<ErrorKind>>,
    /// The property being read is personal data: errors leave its value out.
    pub(crate) personal: Cell<bool>,
    /// A key outside the declared properties that an error is about.
    pub(crate) other_key: std::cell::RefCell<Option<String>>,
}

impl Context {
    /// A failed read of a body, as an [`Error`] naming the property.
    pub(crate) fn into_read_error(self, err: ReadError) -> Error {
        match err {
            ReadError::Json(e) => self.into_error(&e),
            ReadError::NotUtf8(error) => self.name_property(error),
        }
    }

    /// A serde_json error of this parse, as an [`Error`] naming the property.
    pub(crate) fn into_error(self, err: &serde_json::Error) -> Error {
        let fallback = match (self.kind.get(), self.field.get()) {
            (Some(kind), _) => kind,
            (None, Some(_)) => ErrorKind::InvalidValue,
            (None, None) => ErrorKind::NotAnObject,
        };
        let mut error = Error::from_json(err, fallback);
        if self.personal.get() {
            error = error.without_values();
        }
        self.name_property(error)
    }

    /// Names the property being read, if any, on `error`.
    fn name_property(self, error: Error) -> Error {
        match (self.field.get(), self.other_key.take()) {
            (Some(field), _) => error.with_field(field),
            (None, Some(key)) => error.with_field(key),
            (None, None) => error,
        }
    }
}

/// The error for a key received twice. The message names the key, so that
/// an enclosing envelope can give its whole path (`response.amount`).
pub(crate) fn duplicate<E: de::Error>(ctx: &Context, key: &str) -> E {
    ctx.kind.set(Some(ErrorKind::DuplicateField));
    if ctx.field.get().is_none() {
        *ctx.other_key.borrow_mut() = Some(key.to_owned());
    }
    E::custom(format_args!("duplicate field `{key}`: received twice"))
}

/// The error for a required property that is absent or `null`.
pub(crate) fn missing<E: de::Error>(ctx: &Context, field: &'static str) -> E {
    ctx.kind.set(Some(ErrorKind::MissingField));
    ctx.field.set(Some(field));
    E::custom(format_args!("missing field `{field}`: every object has it"))
}

/// The error for an id property received as `""` or with a control
/// character, which names nothing.
pub(crate) fn not_an_id<E: de::Error>(ctx: &Context, field: &'static str, id: &str) -> E {
    ctx.kind.set(Some(ErrorKind::InvalidValue));
    ctx.field.set(Some(field));
    match id.is_empty() {
        true => E::custom(format_args!(
            "empty field `{field}`: an empty id names no payment"
        )),
        false => E::custom(format_args!(
            "invalid id field `{field}`: an id with a control character names no payment"
        )),
    }
}

/// Reads the value of the declared property `name` into `slot` (received,
/// value), refusing a second one. Generic over the value type only (every
/// object is read by the one text reader), so each property type is
/// compiled once for all objects, not once per property of each object.
#[inline(never)]
pub(crate) fn read_property<'de, A, T>(
    map: &mut A,
    ctx: &Context,
    name: &'static str,
    personal: bool,
    slot: &mut (bool, Option<T>),
) -> Result<(), A::Error>
where
    A: de::MapAccess<'de>,
    T: FieldValue,
{
    ctx.field.set(Some(name));
    ctx.personal.set(personal);
    if slot.0 {
        return Err(duplicate(ctx, name));
    }
    path::enter(name);
    *slot = (
        true,
        map.next_value::<crate::parse::table::Property<T>>()?.0,
    );
    path::leave();
    ctx.field.set(None);
    ctx.personal.set(false);
    Ok(())
}

/// Keeps the value of a key outside the declared properties, exactly as
/// received, refusing a second one.
#[inline(never)]
pub(crate) fn read_unknown<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    ctx: &Context,
    key: std::borrow::Cow<'de, str>,
    unknown: &mut std::collections::BTreeMap<String, crate::KeptValue>,
) -> Result<(), A::Error> {
    if unknown.contains_key(&*key) {
        return Err(duplicate(ctx, &key));
    }
    path::enter(&key);
    let value: crate::KeptValue = map.next_value()?;
    path::leave();
    unknown.insert(key.into_owned(), value);
    Ok(())
}

/// Declares a JSON object type; see the module docs. Each property is
/// `name: Type, required | id | optional | pii;` where `id` is a required
/// string that must not be empty nor hold a control character, and `pii`
/// is optional and personal data.
/// Unknown keys go to a map named `extra`, or the name given with
/// `unknown = name` when the object has a property called `extra`.
macro_rules! json_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($what:literal) {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty, $presence:ident; )*
        }
    ) => {
        json_object! {
            $(#[$meta])*
            pub struct $name ($what, unknown = extra) {
                $( $(#[$fmeta])* $field : $ty, $presence; )*
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($what:literal, unknown = $unknown:ident) {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty, $presence:ident; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: json_object!(@type $presence $ty), )*
            /// Keys this version does not know, with their values as received
            /// (numbers digit for digit).
            pub $unknown: ::std::collections::BTreeMap<String, $crate::KeptValue>,
        }

        const _: () = {
        impl $name {
            /// Whether the property `key` holds personal data: `Debug`
            /// shows `<redacted>` for it, and errors leave its value out.
            /// Keys the type does not know are `false` here, and are
            /// redacted in `Debug` all the same.
            pub fn is_personal_data(key: &str) -> bool {
                match key {
                    $( stringify!($field) => json_object!(@personal $presence), )*
                    _ => false,
                }
            }

            /// Parses the JSON object, in one pass.
            ///
            /// # Errors
            ///
            /// Malformed JSON, a wrong type (naming the property), a missing
            /// required property, or a key received twice.
            pub fn from_json(json: &[u8]) -> Result<Self, $crate::error::Error> {
                let ctx = $crate::parse::object::Context::default();
                $crate::parse::ctx::read_json(json, |reader| {
                    ::serde::Deserializer::deserialize_map(reader, Visitor(&ctx))
                })
                .map_err(|e| ctx.into_read_error(e))
            }

            /// Reads an already-decoded object (a form body), naming the
            /// property in errors.
            #[allow(dead_code)]
            pub(crate) fn from_object(
                fields: &::std::collections::BTreeMap<String, $crate::KeptValue>,
            ) -> Result<Self, $crate::error::Error> {
                // Written back as JSON (kept values keep their text) and read
                // by the one reader: no second copy of the visitor.
                let text = $crate::parse::ctx::fields_json(fields)?;
                Self::from_json(&text).map_err($crate::error::Error::without_position)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let ctx = $crate::parse::object::Context::default();
                d.deserialize_map(Visitor(&ctx))
            }
        }

        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                $crate::json_schema::object_schema(generator, stringify!($name), "", &[
                    $( $crate::json_schema::SchemaProperty {
                        name: stringify!($field),
                        aliases: &[],
                        presence: json_object!(@presence $presence),
                        description: "",
                        schema: |g| g.subschema_for::<$ty>(),
                    }, )*
                ], false)
            }
        }

        impl $crate::value::FieldValue for $name {
            fn deserialize_field<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                <Option<$name> as ::serde::Deserialize>::deserialize(d)
            }
        }

        struct Visitor<'a>(&'a $crate::parse::object::Context);

        impl<'de> ::serde::de::Visitor<'de> for Visitor<'_> {
            type Value = $name;

            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "a {} object", $what)
            }

            #[allow(non_snake_case)]
            fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                let ctx = self.0;
                $( let mut $field: (bool, Option<$ty>) = (false, None); )*
                let mut unknown = ::std::collections::BTreeMap::new();
                // Keys are borrowed from the input where they can be: only
                // a key this version does not know is copied.
                while let Some(key) = map.next_key_seed($crate::value::kept::BorrowedText)? {
                    match &*key {
                        $(
                            stringify!($field) => $crate::parse::object::read_property(
                                &mut map,
                                ctx,
                                stringify!($field),
                                json_object!(@personal $presence),
                                &mut $field,
                            )?,
                        )*
                        _ => $crate::parse::object::read_unknown(&mut map, ctx, key, &mut unknown)?,
                    }
                }
                Ok($name {
                    $( $field: json_object!(@finish $presence $field, ctx), )*
                    $unknown: unknown,
                })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                $( json_object!(@serialize map, $presence, stringify!($field), &self.$field); )*
                for (key, value) in &self.$unknown {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $( .field(stringify!($field), json_object!(@debug $presence &self.$field)) )*
                    .field(stringify!($unknown), &$crate::parse::redact::RedactedMap(&self.$unknown))
                    .finish()
            }
        }
        };
    };
    (@presence required) => { $crate::Presence::Always };
    (@presence id) => { $crate::Presence::Always };
    (@presence optional) => { $crate::Presence::Optional };
    (@presence pii) => { $crate::Presence::Optional };
    (@type required $ty:ty) => { $ty };
    (@type id $ty:ty) => { $ty };
    (@type optional $ty:ty) => { Option<$ty> };
    (@type pii $ty:ty) => { Option<$ty> };
    (@finish required $field:ident, $ctx:ident) => {
        match $field.1 {
            Some(value) => value,
            None => return Err($crate::parse::object::missing($ctx, stringify!($field))),
        }
    };
    (@finish id $field:ident, $ctx:ident) => {
        match $field.1 {
            Some(value) if value.is_empty() || $crate::parse::rules::names_nothing(&value) => {
                return Err($crate::parse::object::not_an_id($ctx, stringify!($field), &value))
            }
            Some(value) => value,
            None => return Err($crate::parse::object::missing($ctx, stringify!($field))),
        }
    };
    (@finish $presence:ident $field:ident, $ctx:ident) => { $field.1 };
    (@serialize $map:ident, required, $key:expr, $value:expr) => {
        $map.serialize_entry($key, $value)?;
    };
    (@serialize $map:ident, id, $key:expr, $value:expr) => {
        $map.serialize_entry($key, $value)?;
    };
    (@serialize $map:ident, $presence:ident, $key:expr, $value:expr) => {
        if let Some(value) = $value {
            $map.serialize_entry($key, value)?;
        }
    };
    (@personal pii) => { true };
    (@personal $presence:ident) => { false };
    (@debug pii $value:expr) => { &$crate::parse::redact::Redacted($value.is_some()) };
    (@debug $presence:ident $value:expr) => { $value };
}

pub(crate) use json_object;
