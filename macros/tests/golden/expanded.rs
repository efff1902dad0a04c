/**The 2 PGs this version has a pg schema file for, as a Markdown table generated from the files: code, name, shape, success rule, evidence level, related codes and sources (links to the documents, code and fixtures that show the facts).

The README embeds this table; a test fails when the two differ.*/
pub const SUPPORT_TABLE: &str = "| code | name | shape | success | evidence | related | sources |\n|---|---|---|---|---|---|---|\n| `alpha` | Alpha Pay | thin | flag | observed |  | [golden test](https://github.com/portone-pg/portone-pg/blob/HEAD/golden test) |\n| `beta_v2` | Beta (new module) | thin | no_error | documented |  | [golden test](https://github.com/portone-pg/portone-pg/blob/HEAD/golden test) |\n";
const _: &str = include_str!("$DIR/fields.toml");
const _: &str = include_str!("$DIR/shapes.toml");
const _: &str = include_str!("$DIR/pg/alpha.toml");
const _: &str = include_str!("$DIR/pg/beta.toml");
#[doc(hidden)]
pub mod __schema {
    use ::portone_pg::__private::{self as rt, serde, serde_json};
    /// Words in a field bitset.
    pub const WORDS: usize = 1usize;
    /// The key that names the PG.
    pub const TAG_KEY: &str = "pg_provider";
    const TAG_ID: u16 = 2;
    /// Whether `value` of catalogue field `id` marks a body of the other flow.
    fn refuses(id: u16, value: &str) -> bool {
        match id {
            _ => {
                let _ = value;
                false
            }
        }
    }
    /// Refuses a body of unknown PG whose kept fields mark the other flow.
    pub fn check_flow(
        unknown: &::portone_pg::UnknownResponse,
    ) -> ::std::result::Result<(), ::portone_pg::Error> {
        const REFUSING: &[(u16, &str)] = &[];
        for &(id, key) in REFUSING {
            if let ::std::option::Option::Some(value) = unknown
                .get_str(key)
                .filter(|value| refuses(id, value))
            {
                return ::std::result::Result::Err(
                    rt::other_flow_error(key, value, "payment response"),
                );
            }
        }
        ::std::result::Result::Ok(())
    }
    /// Catalogue field names by id.
    pub const FIELD_NAMES: &[&str] = &[
        "imp_uid",
        "merchant_uid",
        "pg_provider",
        "success",
        "paid_amount",
        "error_code",
        "error_msg",
    ];
    /// Whether catalogue field `id` is personal data.
    #[inline]
    pub fn is_personal(id: u16) -> bool {
        {
            let _ = id;
            false
        }
    }
    /// The catalogue id of a key (field name or alias) and the key itself.
    #[inline]
    pub fn field_index(key: &str) -> ::std::option::Option<(u16, &'static str, bool)> {
        match key.len() {
            7usize => {
                match key {
                    "imp_uid" => ::std::option::Option::Some((0, "imp_uid", false)),
                    "success" => ::std::option::Option::Some((3, "success", false)),
                    _ => ::std::option::Option::None,
                }
            }
            9usize => {
                match key {
                    "error_msg" => ::std::option::Option::Some((6, "error_msg", false)),
                    _ => ::std::option::Option::None,
                }
            }
            10usize => {
                match key {
                    "error_code" => ::std::option::Option::Some((5, "error_code", false)),
                    _ => ::std::option::Option::None,
                }
            }
            11usize => {
                match key {
                    "pg_provider" => {
                        ::std::option::Option::Some((2, "pg_provider", false))
                    }
                    "imp_success" => {
                        ::std::option::Option::Some((3, "imp_success", true))
                    }
                    "paid_amount" => {
                        ::std::option::Option::Some((4, "paid_amount", false))
                    }
                    _ => ::std::option::Option::None,
                }
            }
            12usize => {
                match key {
                    "merchant_uid" => {
                        ::std::option::Option::Some((1, "merchant_uid", false))
                    }
                    _ => ::std::option::Option::None,
                }
            }
            _ => ::std::option::Option::None,
        }
    }
    /// One slot per catalogue field; a PG's parse fills the slots it accepts.
    #[derive(Default)]
    pub struct Slots {
        pub imp_uid: ::std::option::Option<::std::string::String>,
        pub merchant_uid: ::std::option::Option<::std::string::String>,
        pub pg_provider: ::std::option::Option<::portone_pg::PgProvider>,
        pub success: ::std::option::Option<::portone_pg::Flag>,
        pub paid_amount: ::std::option::Option<::portone_pg::Amount>,
        pub error_code: ::std::option::Option<::std::string::String>,
        pub error_msg: ::std::option::Option<::std::string::String>,
        pub extra: ::std::option::Option<
            ::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue>,
        >,
    }
    /// What a parse that learns its PG while reading learns it with.
    pub type Learn<'a> = rt::Learn<'a, super::PaymentResponse>;
    /// Runs the shared visitor over any deserializer.
    pub fn parse_slots<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
        ctx: &rt::ParseCtx,
    ) -> ::std::result::Result<Slots, D::Error> {
        let mut slots = Slots::default();
        deserializer
            .deserialize_map(
                SlotsVisitor(ctx, ::std::option::Option::None, &mut slots),
            )?;
        ::std::result::Result::Ok(slots)
    }
    /// One typed parse of a JSON body for the PG of `table`.
    pub fn parse_json(
        json: &[u8],
        table: &'static rt::PgTable,
    ) -> ::std::result::Result<Slots, ::portone_pg::Error> {
        let mut slots = Slots::default();
        rt::parse_text(
            json,
            || rt::ParseCtx::new(table),
            |reader, ctx| read_slots(
                reader,
                ctx,
                ::std::option::Option::None,
                &mut slots,
            ),
        )?;
        ::std::result::Result::Ok(slots)
    }
    /// Runs the shared visitor over a body; with `learn`, the PG is
    /// learned from the tag (or the hint) while reading.
    pub fn read_slots(
        reader: &mut rt::TextDeserializer<'_>,
        ctx: &rt::ParseCtx,
        learn: ::std::option::Option<&Learn<'_>>,
        slots: &mut Slots,
    ) -> ::std::result::Result<(), serde_json::Error> {
        serde::Deserializer::deserialize_map(reader, SlotsVisitor(ctx, learn, slots))
    }
    /// Runs the shared visitor over a redirect's decoded pairs (no
    /// JSON text in between), learning the PG while reading.
    pub fn read_pairs(
        pairs: &rt::QueryPairs<'_>,
        ctx: &rt::ParseCtx,
        learn: &Learn<'_>,
        slots: &mut Slots,
    ) -> ::std::result::Result<(), serde_json::Error> {
        pairs.visit(SlotsVisitor(ctx, ::std::option::Option::Some(learn), slots))
    }
    /// The typed parse of an already-parsed object (the fallback path).
    pub fn parse_fields(
        fields: &::std::collections::BTreeMap<
            ::std::string::String,
            ::portone_pg::KeptValue,
        >,
        table: &'static rt::PgTable,
    ) -> ::std::result::Result<Slots, ::portone_pg::Error> {
        let mut slots = Slots::default();
        rt::parse_fields(
            fields,
            || rt::ParseCtx::new(table),
            |reader, ctx| read_slots(
                reader,
                ctx,
                ::std::option::Option::None,
                &mut slots,
            ),
        )?;
        ::std::result::Result::Ok(slots)
    }
    struct SlotsVisitor<'a, 'h>(
        &'a rt::ParseCtx,
        ::std::option::Option<&'a Learn<'h>>,
        &'a mut Slots,
    );
    impl<'de> serde::de::Visitor<'de> for SlotsVisitor<'_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self.0.table() {
                ::std::option::Option::Some(table) => {
                    write!(f, "a {} {} object", table.code, "payment response")
                }
                ::std::option::Option::None => {
                    write!(f, "a {} object", "payment response")
                }
            }
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> ::std::result::Result<(), A::Error> {
            let SlotsVisitor(ctx, learn, slots) = self;
            let mut table = ctx.table();
            let mut seen = rt::Seen::<WORDS>::new();
            let mut aliased = rt::Seen::<WORDS>::new();
            while let ::std::option::Option::Some(key) = map
                .next_key_seed(rt::KeySeed(field_index))?
            {
                match key {
                    rt::Key::Known(
                        id,
                        name,
                        alias,
                    ) if table.is_none_or(|table| table.accepts(id)) => {
                        if !seen.insert(id) {
                            if aliased.contains(id) == alias {
                                return ::std::result::Result::Err(
                                    ctx.duplicate(FIELD_NAMES[usize::from(id)], name),
                                );
                            }
                            ctx.enter(name, is_personal(id));
                            match id {
                                3 => {
                                    let again = map.next_value::<rt::Property<_>>()?.0;
                                    if again != slots.success {
                                        return ::std::result::Result::Err(
                                            ctx
                                                .disagree(
                                                    FIELD_NAMES[usize::from(id)],
                                                    "`success` / `imp_success`",
                                                ),
                                        );
                                    }
                                }
                                _ => {}
                            }
                            ctx.leave();
                            continue;
                        }
                        if alias {
                            aliased.insert(id);
                        }
                        ctx.enter(name, is_personal(id));
                        match id {
                            0 => {
                                slots.imp_uid = map.next_value::<rt::Property<_>>()?.0;
                                if slots.imp_uid.as_deref().is_some_and(rt::names_nothing) {
                                    return ::std::result::Result::Err(
                                        ctx.not_an_id(FIELD_NAMES[0]),
                                    );
                                }
                            }
                            1 => {
                                slots.merchant_uid = map.next_value::<rt::Property<_>>()?.0;
                                if slots
                                    .merchant_uid
                                    .as_deref()
                                    .is_some_and(rt::names_nothing)
                                {
                                    return ::std::result::Result::Err(
                                        ctx.not_an_id(FIELD_NAMES[1]),
                                    );
                                }
                            }
                            2 => {
                                slots.pg_provider = map.next_value::<rt::Property<_>>()?.0;
                            }
                            3 => slots.success = map.next_value::<rt::Property<_>>()?.0,
                            4 => {
                                slots.paid_amount = map.next_value::<rt::Property<_>>()?.0;
                            }
                            5 => {
                                slots.error_code = map.next_value::<rt::Property<_>>()?.0;
                            }
                            6 => slots.error_msg = map.next_value::<rt::Property<_>>()?.0,
                            _ => {}
                        }
                        if id == TAG_ID {
                            match learn {
                                ::std::option::Option::Some(learn) if table.is_none() => {
                                    table = learn
                                        .resolve(ctx, slots.pg_provider.as_ref(), &seen, false)?;
                                }
                                _ => {
                                    ctx.check_tag(
                                        slots
                                            .pg_provider
                                            .as_ref()
                                            .map(::portone_pg::PgProvider::as_str),
                                    )?
                                }
                            }
                        }
                        ctx.leave();
                    }
                    rt::Key::Known(id, name, _) => {
                        ctx.enter(name, is_personal(id));
                        let value: ::portone_pg::KeptValue = map.next_value()?;
                        if id == TAG_ID {
                            ctx.check_tag_value(&value)?;
                        }
                        if let ::std::option::Option::Some(text) = value
                            .as_str()
                            .filter(|text| refuses(id, text))
                        {
                            return ::std::result::Result::Err(
                                ctx.other_flow(text, "payment response"),
                            );
                        }
                        ctx.leave();
                        rt::insert_extra(
                            ctx,
                            &mut slots.extra,
                            ::std::borrow::ToOwned::to_owned(name),
                            value,
                        )?;
                    }
                    rt::Key::Unknown(key) => {
                        let value: ::portone_pg::KeptValue = map.next_value()?;
                        rt::insert_extra(ctx, &mut slots.extra, key, value)?;
                    }
                }
            }
            if let (::std::option::Option::None, ::std::option::Option::Some(learn)) = (
                table,
                learn,
            ) {
                learn.resolve(ctx, ::std::option::Option::None, &seen, true)?;
            }
            ::std::result::Result::Ok(())
        }
    }
    ///The slots of a PG that lists only `imp_uid`, `merchant_uid`, `pg_provider`, `success`, `paid_amount`, `error_code`, `error_msg`: a few words to set up and take apart, where the catalogue-wide `Slots` has one per catalogue field.
    #[derive(Default)]
    pub struct Compact0 {
        pub imp_uid: ::std::option::Option<::std::string::String>,
        pub merchant_uid: ::std::option::Option<::std::string::String>,
        pub pg_provider: ::std::option::Option<::portone_pg::PgProvider>,
        pub success: ::std::option::Option<::portone_pg::Flag>,
        pub paid_amount: ::std::option::Option<::portone_pg::Amount>,
        pub error_code: ::std::option::Option<::std::string::String>,
        pub error_msg: ::std::option::Option<::std::string::String>,
        pub extra: ::std::option::Option<
            ::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue>,
        >,
    }
    impl Compact0 {
        /// The fields of these PGs, moved out of the catalogue-wide slots.
        pub fn take(slots: &mut Slots) -> Self {
            Compact0 {
                imp_uid: slots.imp_uid.take(),
                merchant_uid: slots.merchant_uid.take(),
                pg_provider: slots.pg_provider.take(),
                success: slots.success.take(),
                paid_amount: slots.paid_amount.take(),
                error_code: slots.error_code.take(),
                error_msg: slots.error_msg.take(),
                extra: slots.extra.take(),
            }
        }
    }
    impl rt::CompactSlots for Compact0 {
        fn visit<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
            ctx: &rt::ParseCtx,
            slots: &mut Self,
        ) -> ::std::result::Result<(), D::Error> {
            deserializer.deserialize_map(CompactVisitor0(ctx, slots))
        }
    }
    struct CompactVisitor0<'a>(&'a rt::ParseCtx, &'a mut Compact0);
    impl<'de> serde::de::Visitor<'de> for CompactVisitor0<'_> {
        type Value = ();
        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self.0.table() {
                ::std::option::Option::Some(table) => {
                    write!(f, "a {} {} object", table.code, "payment response")
                }
                ::std::option::Option::None => {
                    write!(f, "a {} object", "payment response")
                }
            }
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> ::std::result::Result<(), A::Error> {
            let CompactVisitor0(ctx, slots) = self;
            let mut seen = rt::Seen::<WORDS>::new();
            let mut aliased = rt::Seen::<WORDS>::new();
            while let ::std::option::Option::Some(key) = map
                .next_key_seed(rt::KeySeed(field_index))?
            {
                match key {
                    rt::Key::Known(
                        id,
                        name,
                        alias,
                    ) if matches!(id, 0 | 1 | 2 | 3 | 4 | 5 | 6) => {
                        if !seen.insert(id) {
                            if aliased.contains(id) == alias {
                                return ::std::result::Result::Err(
                                    ctx.duplicate(FIELD_NAMES[usize::from(id)], name),
                                );
                            }
                            ctx.enter(name, is_personal(id));
                            match id {
                                3 => {
                                    let again = map.next_value::<rt::Property<_>>()?.0;
                                    if again != slots.success {
                                        return ::std::result::Result::Err(
                                            ctx
                                                .disagree(
                                                    FIELD_NAMES[usize::from(id)],
                                                    "`success` / `imp_success`",
                                                ),
                                        );
                                    }
                                }
                                _ => {}
                            }
                            ctx.leave();
                            continue;
                        }
                        if alias {
                            aliased.insert(id);
                        }
                        ctx.enter(name, is_personal(id));
                        match id {
                            0 => {
                                slots.imp_uid = map.next_value::<rt::Property<_>>()?.0;
                                if slots.imp_uid.as_deref().is_some_and(rt::names_nothing) {
                                    return ::std::result::Result::Err(
                                        ctx.not_an_id(FIELD_NAMES[0]),
                                    );
                                }
                            }
                            1 => {
                                slots.merchant_uid = map.next_value::<rt::Property<_>>()?.0;
                                if slots
                                    .merchant_uid
                                    .as_deref()
                                    .is_some_and(rt::names_nothing)
                                {
                                    return ::std::result::Result::Err(
                                        ctx.not_an_id(FIELD_NAMES[1]),
                                    );
                                }
                            }
                            2 => {
                                slots.pg_provider = map.next_value::<rt::Property<_>>()?.0;
                            }
                            3 => slots.success = map.next_value::<rt::Property<_>>()?.0,
                            4 => {
                                slots.paid_amount = map.next_value::<rt::Property<_>>()?.0;
                            }
                            5 => {
                                slots.error_code = map.next_value::<rt::Property<_>>()?.0;
                            }
                            6 => slots.error_msg = map.next_value::<rt::Property<_>>()?.0,
                            _ => {}
                        }
                        if id == TAG_ID {
                            ctx.check_tag(
                                slots
                                    .pg_provider
                                    .as_ref()
                                    .map(::portone_pg::PgProvider::as_str),
                            )?;
                        }
                        ctx.leave();
                    }
                    rt::Key::Known(id, name, _) => {
                        ctx.enter(name, is_personal(id));
                        let value: ::portone_pg::KeptValue = map.next_value()?;
                        if id == TAG_ID {
                            ctx.check_tag_value(&value)?;
                        }
                        if let ::std::option::Option::Some(text) = value
                            .as_str()
                            .filter(|text| refuses(id, text))
                        {
                            return ::std::result::Result::Err(
                                ctx.other_flow(text, "payment response"),
                            );
                        }
                        ctx.leave();
                        rt::insert_extra(
                            ctx,
                            &mut slots.extra,
                            ::std::borrow::ToOwned::to_owned(name),
                            value,
                        )?;
                    }
                    rt::Key::Unknown(key) => {
                        let value: ::portone_pg::KeptValue = map.next_value()?;
                        rt::insert_extra(ctx, &mut slots.extra, key, value)?;
                    }
                }
            }
            ::std::result::Result::Ok(())
        }
    }
    ///The slots of a PG that lists only `imp_uid`, `merchant_uid`, `error_code`, `error_msg`: a few words to set up and take apart, where the catalogue-wide `Slots` has one per catalogue field.
    #[derive(Default)]
    pub struct Compact1 {
        pub imp_uid: ::std::option::Option<::std::string::String>,
        pub merchant_uid: ::std::option::Option<::std::string::String>,
        pub error_code: ::std::option::Option<::std::string::String>,
        pub error_msg: ::std::option::Option<::std::string::String>,
        pub extra: ::std::option::Option<
            ::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue>,
        >,
    }
    impl Compact1 {
        /// The fields of these PGs, moved out of the catalogue-wide slots.
        pub fn take(slots: &mut Slots) -> Self {
            Compact1 {
                imp_uid: slots.imp_uid.take(),
                merchant_uid: slots.merchant_uid.take(),
                error_code: slots.error_code.take(),
                error_msg: slots.error_msg.take(),
                extra: slots.extra.take(),
            }
        }
    }
    impl rt::CompactSlots for Compact1 {
        fn visit<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
            ctx: &rt::ParseCtx,
            slots: &mut Self,
        ) -> ::std::result::Result<(), D::Error> {
            deserializer.deserialize_map(CompactVisitor1(ctx, slots))
        }
    }
    struct CompactVisitor1<'a>(&'a rt::ParseCtx, &'a mut Compact1);
    impl<'de> serde::de::Visitor<'de> for CompactVisitor1<'_> {
        type Value = ();
        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self.0.table() {
                ::std::option::Option::Some(table) => {
                    write!(f, "a {} {} object", table.code, "payment response")
                }
                ::std::option::Option::None => {
                    write!(f, "a {} object", "payment response")
                }
            }
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> ::std::result::Result<(), A::Error> {
            let CompactVisitor1(ctx, slots) = self;
            let mut seen = rt::Seen::<WORDS>::new();
            let mut aliased = rt::Seen::<WORDS>::new();
            while let ::std::option::Option::Some(key) = map
                .next_key_seed(rt::KeySeed(field_index))?
            {
                match key {
                    rt::Key::Known(id, name, alias) if matches!(id, 0 | 1 | 5 | 6) => {
                        if !seen.insert(id) {
                            if aliased.contains(id) == alias {
                                return ::std::result::Result::Err(
                                    ctx.duplicate(FIELD_NAMES[usize::from(id)], name),
                                );
                            }
                            ctx.enter(name, is_personal(id));
                            match id {
                                _ => {}
                            }
                            ctx.leave();
                            continue;
                        }
                        if alias {
                            aliased.insert(id);
                        }
                        ctx.enter(name, is_personal(id));
                        match id {
                            0 => {
                                slots.imp_uid = map.next_value::<rt::Property<_>>()?.0;
                                if slots.imp_uid.as_deref().is_some_and(rt::names_nothing) {
                                    return ::std::result::Result::Err(
                                        ctx.not_an_id(FIELD_NAMES[0]),
                                    );
                                }
                            }
                            1 => {
                                slots.merchant_uid = map.next_value::<rt::Property<_>>()?.0;
                                if slots
                                    .merchant_uid
                                    .as_deref()
                                    .is_some_and(rt::names_nothing)
                                {
                                    return ::std::result::Result::Err(
                                        ctx.not_an_id(FIELD_NAMES[1]),
                                    );
                                }
                            }
                            5 => {
                                slots.error_code = map.next_value::<rt::Property<_>>()?.0;
                            }
                            6 => slots.error_msg = map.next_value::<rt::Property<_>>()?.0,
                            _ => {}
                        }
                        ctx.leave();
                    }
                    rt::Key::Known(id, name, _) => {
                        ctx.enter(name, is_personal(id));
                        let value: ::portone_pg::KeptValue = map.next_value()?;
                        if id == TAG_ID {
                            ctx.check_tag_value(&value)?;
                        }
                        if let ::std::option::Option::Some(text) = value
                            .as_str()
                            .filter(|text| refuses(id, text))
                        {
                            return ::std::result::Result::Err(
                                ctx.other_flow(text, "payment response"),
                            );
                        }
                        ctx.leave();
                        rt::insert_extra(
                            ctx,
                            &mut slots.extra,
                            ::std::borrow::ToOwned::to_owned(name),
                            value,
                        )?;
                    }
                    rt::Key::Unknown(key) => {
                        let value: ::portone_pg::KeptValue = map.next_value()?;
                        rt::insert_extra(ctx, &mut slots.extra, key, value)?;
                    }
                }
            }
            ::std::result::Result::Ok(())
        }
    }
}
///One type per PG provider for `IMP.request_pay` results, generated from the schema files.
///
/// Each `X` is the response object as the PG sends it; each `XSuccess`
/// is the same response after `into_success()` has checked that it
/// claims success, with every property the PG always sends on success
/// as a plain value.
pub mod pg {
    ::portone_pg::__private::if_schemars! {
        const _ : () = { static PROPERTIES : & [::portone_pg::__private::SchemaProperty]
        = & [::portone_pg::__private::SchemaProperty { name : "imp_uid", aliases : & [],
        presence : ::portone_pg::Presence::OnSuccess, description : "Payment id.", schema
        : | g | g.subschema_for:: < ::std::string::String > (), },
        ::portone_pg::__private::SchemaProperty { name : "merchant_uid", aliases : & [],
        presence : ::portone_pg::Presence::Always, description : "Order id.", schema : |
        g | g.subschema_for:: < ::std::string::String > (), },
        ::portone_pg::__private::SchemaProperty { name : "pg_provider", aliases : & [],
        presence : ::portone_pg::Presence::OnSuccess, description : "PG code.", schema :
        | g | g.subschema_for:: < ::portone_pg::PgProvider > (), },
        ::portone_pg::__private::SchemaProperty { name : "success", aliases : &
        ["imp_success"], presence : ::portone_pg::Presence::Optional, description :
        "Success flag.", schema : | g | g.subschema_for:: < ::portone_pg::Flag > (), },
        ::portone_pg::__private::SchemaProperty { name : "paid_amount", aliases : & [],
        presence : ::portone_pg::Presence::OnSuccess, description : "Amount paid.",
        schema : | g | g.subschema_for:: < ::portone_pg::Amount > (), },
        ::portone_pg::__private::SchemaProperty { name : "error_code", aliases : & [],
        presence : ::portone_pg::Presence::Optional, description : "Error code.", schema
        : | g | g.subschema_for:: < ::std::string::String > (), },
        ::portone_pg::__private::SchemaProperty { name : "error_msg", aliases : & [],
        presence : ::portone_pg::Presence::Optional, description : "Error message.",
        schema : | g | g.subschema_for:: < ::std::string::String > (), },]; impl
        ::portone_pg::__private::schemars::JsonSchema for Alpha { fn schema_name() ->
        ::std::borrow::Cow < 'static, str > { ::std::borrow::Cow::Borrowed("Alpha") } fn
        json_schema(generator : & mut ::portone_pg::__private::schemars::SchemaGenerator)
        -> ::portone_pg::__private::schemars::Schema {
        ::portone_pg::__private::object_schema(generator, "Alpha",
        "A payment response of Alpha Pay (`alpha`), as portone-pg reads it.", PROPERTIES,
        false) } } impl ::portone_pg::__private::schemars::JsonSchema for AlphaSuccess {
        fn schema_name() -> ::std::borrow::Cow < 'static, str > {
        ::std::borrow::Cow::Borrowed("AlphaSuccess") } fn json_schema(generator : & mut
        ::portone_pg::__private::schemars::SchemaGenerator) ->
        ::portone_pg::__private::schemars::Schema {
        ::portone_pg::__private::object_schema(generator, "AlphaSuccess",
        "A response of Alpha Pay (`alpha`) claiming success, with every property it always sends on success.",
        PROPERTIES, true) } } };
    }
    /**A payment response from **Alpha Pay** (`pg_provider` `alpha`).

A PG with a success flag and an amount.

| | |
|---|---|
| code | `alpha` |
| shape | `thin`, plus `pg_provider` (on_success), `success` (optional), `paid_amount` (on_success): four properties |
| success rule | `flag`: the `success` flag decides; without it an error code or message means failure, else an `imp_uid` means success (the official SDKs' rule) |
| evidence | **observed** |
| schema file | [`tests/golden/pg/alpha.toml`](https://github.com/portone-pg/portone-pg/blob/HEAD/tests/golden/pg/alpha.toml) |

A property this PG never sends is not a field of this type, so reading it does not compile. Fields it sends in every response are plain values; the others are `Option`s, which [`into_success`](Self::into_success) turns into plain values where the PG always sends them on success.

What a callback says is a claim made in the buyer's browser: confirm a payment with the REST API (`GET /payments/{imp_uid}`) and compare its amount with your order before fulfilling it.

# Sources

- [golden test](https://github.com/portone-pg/portone-pg/blob/HEAD/golden test)

# Example

```
use portone_pg::{pg, PaymentResponse};

let body = r##"{"imp_uid": "imp_1", "merchant_uid": "o-1", "pg_provider": "alpha", "success": true, "paid_amount": 1004}"##;
let PaymentResponse::Alpha(response) = PaymentResponse::from_json_with_pg("alpha", body.as_bytes())? else {
    panic!("dispatched by the pg hint");
};
assert!(response.outcome().is_success());
let success: pg::AlphaSuccess = response.into_success()?;
let imp_uid: &str = &success.imp_uid;
assert!(!imp_uid.is_empty());
# Ok::<(), portone_pg::Error>(())
```
*/
    #[derive(Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Alpha {
        /**Payment id.

*Presence: `on_success`.* Sent by Alpha Pay whenever it reports success (a plain value in the success view); `None` otherwise.*/
        pub imp_uid: ::std::option::Option<::std::string::String>,
        /**Order id.

*Presence: `always`.* Sent by Alpha Pay in every response.*/
        pub merchant_uid: ::std::string::String,
        /**PG code.

*Presence: `on_success`.* Sent by Alpha Pay whenever it reports success (a plain value in the success view); `None` otherwise.*/
        pub pg_provider: ::std::option::Option<::portone_pg::PgProvider>,
        /**Success flag.

*Presence: `optional`.* Sent by Alpha Pay only sometimes. Also accepted under the key `imp_success`.*/
        pub success: ::std::option::Option<::portone_pg::Flag>,
        /**Amount paid.

*Presence: `on_success`.* Sent by Alpha Pay whenever it reports success (a plain value in the success view); `None` otherwise.*/
        pub paid_amount: ::std::option::Option<::portone_pg::Amount>,
        /**Error code.

*Presence: `optional`.* Sent by Alpha Pay only sometimes.*/
        pub error_code: ::std::option::Option<::std::string::String>,
        /**Error message.

*Presence: `optional`.* Sent by Alpha Pay only sometimes.*/
        pub error_msg: ::std::option::Option<::std::string::String>,
        ///Keys this schema does not list for Alpha Pay, with their values as received. Nothing is dropped.
        pub extra: ::std::collections::BTreeMap<
            ::std::string::String,
            ::portone_pg::KeptValue,
        >,
    }
    /**A response from **Alpha Pay** (`alpha`) that claims success, as returned by [`Alpha::into_success`]: every property Alpha Pay always sends on success is a plain value.

The claim still has to be verified through the REST API before an order is fulfilled.*/
    #[derive(Clone, PartialEq)]
    #[non_exhaustive]
    pub struct AlphaSuccess {
        /**Payment id.

*Presence: `on_success`.* Sent by Alpha Pay whenever it reports success.*/
        pub imp_uid: ::std::string::String,
        /**Order id.

*Presence: `always`.* Sent by Alpha Pay in every response.*/
        pub merchant_uid: ::std::string::String,
        /**PG code.

*Presence: `on_success`.* Sent by Alpha Pay whenever it reports success.*/
        pub pg_provider: ::portone_pg::PgProvider,
        /**Success flag.

*Presence: `optional`.* Sent by Alpha Pay only sometimes. Also accepted under the key `imp_success`.*/
        pub success: ::std::option::Option<::portone_pg::Flag>,
        /**Amount paid.

*Presence: `on_success`.* Sent by Alpha Pay whenever it reports success.*/
        pub paid_amount: ::portone_pg::Amount,
        /**Error code.

*Presence: `optional`.* Sent by Alpha Pay only sometimes.*/
        pub error_code: ::std::option::Option<::std::string::String>,
        /**Error message.

*Presence: `optional`.* Sent by Alpha Pay only sometimes.*/
        pub error_msg: ::std::option::Option<::std::string::String>,
        ///Keys this schema does not list for Alpha Pay, with their values as received. Nothing is dropped.
        pub extra: ::std::collections::BTreeMap<
            ::std::string::String,
            ::portone_pg::KeptValue,
        >,
    }
    impl Alpha {
        ///The `pg_provider` code of Alpha Pay.
        pub const CODE: &'static str = "alpha";
        ///Every property Alpha Pay lists in its schema file, in catalogue order: its key, its presence and whether it is personal data.
        pub const SCHEMA: &'static [::portone_pg::SchemaField] = &[
            ::portone_pg::SchemaField {
                name: "imp_uid",
                presence: ::portone_pg::Presence::OnSuccess,
                personal: false,
            },
            ::portone_pg::SchemaField {
                name: "merchant_uid",
                presence: ::portone_pg::Presence::Always,
                personal: false,
            },
            ::portone_pg::SchemaField {
                name: "pg_provider",
                presence: ::portone_pg::Presence::OnSuccess,
                personal: false,
            },
            ::portone_pg::SchemaField {
                name: "success",
                presence: ::portone_pg::Presence::Optional,
                personal: false,
            },
            ::portone_pg::SchemaField {
                name: "paid_amount",
                presence: ::portone_pg::Presence::OnSuccess,
                personal: false,
            },
            ::portone_pg::SchemaField {
                name: "error_code",
                presence: ::portone_pg::Presence::Optional,
                personal: false,
            },
            ::portone_pg::SchemaField {
                name: "error_msg",
                presence: ::portone_pg::Presence::Optional,
                personal: false,
            },
        ];
        #[doc(hidden)]
        pub const __TABLE: &'static ::portone_pg::__private::PgTable = &::portone_pg::__private::PgTable {
            code: "alpha",
            aliases: &[],
            accepts: &[127],
        };
        /**What this response claims happened, by Alpha Pay's success rule: `flag`: the `success` flag decides; without it an error code or message means failure, else an `imp_uid` means success (the official SDKs' rule).

A claim, not proof of payment: see [`Outcome`](::portone_pg::Outcome).*/
        pub fn outcome(&self) -> ::portone_pg::Outcome {
            ::portone_pg::Outcome::from_flag(
                self.success.map(::portone_pg::Flag::get),
                (::portone_pg::__private::payment_id(self.imp_uid.as_deref())).is_some(),
                self.error_code.as_deref(),
                self.error_msg.as_deref(),
            )
        }
        ///Whether [`into_success`](Self::into_success) would succeed, without consuming the response: the same error it would return (the response does not claim success, or lacks a property Alpha Pay always sends on success), so a caller keeps the response to log or answer with after a failed check.
        pub fn check_success(&self) -> ::std::result::Result<(), ::portone_pg::Error> {
            let outcome = self.outcome();
            if !outcome.is_success() {
                return ::std::result::Result::Err(
                    ::portone_pg::__private::not_success("alpha", &outcome),
                );
            }
            match ::portone_pg::__private::first_missing(
                &[
                    (self.imp_uid.is_none(), "imp_uid"),
                    (self.pg_provider.is_none(), "pg_provider"),
                    (self.paid_amount.is_none(), "paid_amount"),
                ],
            ) {
                "" => ::std::result::Result::Ok(()),
                field => {
                    ::std::result::Result::Err(
                        ::portone_pg::__private::Violation::incomplete("alpha", field)
                            .into_error(),
                    )
                }
            }
        }
        /**The success view of this response.

# Errors

[`ErrorKind::NotSuccess`](::portone_pg::ErrorKind::NotSuccess) when the response does not claim success ([`outcome`](Self::outcome) is a failure or unknown); [`ErrorKind::Incomplete`](::portone_pg::ErrorKind::Incomplete) when it claims success but lacks a property Alpha Pay always sends on success (`imp_uid`, `pg_provider`, `paid_amount`).*/
        pub fn into_success(
            self,
        ) -> ::std::result::Result<AlphaSuccess, ::portone_pg::Error> {
            let outcome = self.outcome();
            if !outcome.is_success() {
                return ::std::result::Result::Err(
                    ::portone_pg::__private::not_success("alpha", &outcome),
                );
            }
            match self {
                Alpha {
                    imp_uid: ::std::option::Option::Some(imp_uid),
                    merchant_uid,
                    pg_provider: ::std::option::Option::Some(pg_provider),
                    success,
                    paid_amount: ::std::option::Option::Some(paid_amount),
                    error_code,
                    error_msg,
                    extra,
                } => {
                    ::std::result::Result::Ok(AlphaSuccess {
                        imp_uid,
                        merchant_uid,
                        pg_provider,
                        success,
                        paid_amount,
                        error_code,
                        error_msg,
                        extra: extra,
                    })
                }
                #[allow(unreachable_patterns)]
                incomplete => {
                    ::std::result::Result::Err(
                        ::portone_pg::__private::Violation::incomplete(
                                "alpha",
                                ::portone_pg::__private::first_missing(
                                    &[
                                        (incomplete.imp_uid.is_none(), "imp_uid"),
                                        (incomplete.pg_provider.is_none(), "pg_provider"),
                                        (incomplete.paid_amount.is_none(), "paid_amount"),
                                    ],
                                ),
                            )
                            .into_error(),
                    )
                }
            }
        }
        #[doc(hidden)]
        pub fn __from_slots(
            slots: &mut crate::__schema::Slots,
        ) -> ::std::result::Result<Self, ::portone_pg::__private::Violation> {
            Self::__from_compact(crate::__schema::Compact0::take(slots))
        }
        #[doc(hidden)]
        pub fn __from_compact(
            slots: crate::__schema::Compact0,
        ) -> ::std::result::Result<Self, ::portone_pg::__private::Violation> {
            match slots {
                crate::__schema::Compact0 {
                    imp_uid,
                    merchant_uid: ::std::option::Option::Some(merchant_uid),
                    pg_provider,
                    success,
                    paid_amount,
                    error_code,
                    error_msg,
                    extra,
                } => {
                    ::std::result::Result::Ok(Alpha {
                        imp_uid,
                        merchant_uid,
                        pg_provider,
                        success,
                        paid_amount,
                        error_code,
                        error_msg,
                        extra: extra.unwrap_or_default(),
                    })
                }
                #[allow(unreachable_patterns)]
                incomplete => {
                    ::std::result::Result::Err(
                        ::portone_pg::__private::Violation::missing(
                            "alpha",
                            ::portone_pg::__private::first_missing(
                                &[(incomplete.merchant_uid.is_none(), "merchant_uid")],
                            ),
                        ),
                    )
                }
            }
        }
    }
    impl<'de> ::portone_pg::__private::serde::Deserialize<'de> for Alpha {
        fn deserialize<D: ::portone_pg::__private::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            let ctx = ::portone_pg::__private::ParseCtx::new(Self::__TABLE);
            let slots = ::portone_pg::__private::parse_compact::<
                crate::__schema::Compact0,
                D,
            >(deserializer, &ctx)?;
            Self::__from_compact(slots)
                .map_err(::portone_pg::__private::serde::de::Error::custom)
        }
    }
    impl<'de> ::portone_pg::__private::serde::Deserialize<'de> for AlphaSuccess {
        fn deserialize<D: ::portone_pg::__private::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            let wire = Alpha::deserialize(deserializer)?;
            wire.into_success()
                .map_err(::portone_pg::__private::serde::de::Error::custom)
        }
    }
    impl Alpha {
        #[doc(hidden)]
        pub fn __entry_at(&self, index: usize) -> ::portone_pg::__private::Entry<'_> {
            match index {
                0usize => ::portone_pg::__private::AsEntry::entry(&self.imp_uid),
                1usize => ::portone_pg::__private::AsEntry::entry(&self.merchant_uid),
                2usize => ::portone_pg::__private::AsEntry::entry(&self.pg_provider),
                3usize => ::portone_pg::__private::AsEntry::entry(&self.success),
                4usize => ::portone_pg::__private::AsEntry::entry(&self.paid_amount),
                5usize => ::portone_pg::__private::AsEntry::entry(&self.error_code),
                6usize => ::portone_pg::__private::AsEntry::entry(&self.error_msg),
                _ => ::portone_pg::__private::Entry::Absent,
            }
        }
    }
    impl ::portone_pg::__private::serde::Serialize for Alpha {
        fn serialize<S: ::portone_pg::__private::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            ::portone_pg::__private::serialize_object(
                serializer,
                Alpha::SCHEMA,
                &|index| self.__entry_at(index),
                &self.extra,
            )
        }
    }
    impl AlphaSuccess {
        #[doc(hidden)]
        pub fn __entry_at(&self, index: usize) -> ::portone_pg::__private::Entry<'_> {
            match index {
                0usize => ::portone_pg::__private::AsEntry::entry(&self.imp_uid),
                1usize => ::portone_pg::__private::AsEntry::entry(&self.merchant_uid),
                2usize => ::portone_pg::__private::AsEntry::entry(&self.pg_provider),
                3usize => ::portone_pg::__private::AsEntry::entry(&self.success),
                4usize => ::portone_pg::__private::AsEntry::entry(&self.paid_amount),
                5usize => ::portone_pg::__private::AsEntry::entry(&self.error_code),
                6usize => ::portone_pg::__private::AsEntry::entry(&self.error_msg),
                _ => ::portone_pg::__private::Entry::Absent,
            }
        }
    }
    impl ::portone_pg::__private::serde::Serialize for AlphaSuccess {
        fn serialize<S: ::portone_pg::__private::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            ::portone_pg::__private::serialize_object(
                serializer,
                Alpha::SCHEMA,
                &|index| self.__entry_at(index),
                &self.extra,
            )
        }
    }
    impl ::std::fmt::Debug for Alpha {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            ::portone_pg::__private::debug_object(
                f,
                "Alpha",
                Alpha::SCHEMA,
                &|index| self.__entry_at(index),
                &self.extra,
            )
        }
    }
    impl ::std::fmt::Debug for AlphaSuccess {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            ::portone_pg::__private::debug_object(
                f,
                "AlphaSuccess",
                Alpha::SCHEMA,
                &|index| self.__entry_at(index),
                &self.extra,
            )
        }
    }
    ::portone_pg::__private::if_schemars! {
        const _ : () = { static PROPERTIES : & [::portone_pg::__private::SchemaProperty]
        = & [::portone_pg::__private::SchemaProperty { name : "imp_uid", aliases : & [],
        presence : ::portone_pg::Presence::OnSuccess, description : "Payment id.", schema
        : | g | g.subschema_for:: < ::std::string::String > (), },
        ::portone_pg::__private::SchemaProperty { name : "merchant_uid", aliases : & [],
        presence : ::portone_pg::Presence::Always, description : "Order id.", schema : |
        g | g.subschema_for:: < ::std::string::String > (), },
        ::portone_pg::__private::SchemaProperty { name : "error_code", aliases : & [],
        presence : ::portone_pg::Presence::Optional, description : "Error code.", schema
        : | g | g.subschema_for:: < ::std::string::String > (), },
        ::portone_pg::__private::SchemaProperty { name : "error_msg", aliases : & [],
        presence : ::portone_pg::Presence::Optional, description : "Error message.",
        schema : | g | g.subschema_for:: < ::std::string::String > (), },]; impl
        ::portone_pg::__private::schemars::JsonSchema for BetaV2 { fn schema_name() ->
        ::std::borrow::Cow < 'static, str > { ::std::borrow::Cow::Borrowed("BetaV2") } fn
        json_schema(generator : & mut ::portone_pg::__private::schemars::SchemaGenerator)
        -> ::portone_pg::__private::schemars::Schema {
        ::portone_pg::__private::object_schema(generator, "BetaV2",
        "A payment response of Beta (new module) (`beta_v2`), as portone-pg reads it.",
        PROPERTIES, false) } } impl ::portone_pg::__private::schemars::JsonSchema for
        BetaV2Success { fn schema_name() -> ::std::borrow::Cow < 'static, str > {
        ::std::borrow::Cow::Borrowed("BetaV2Success") } fn json_schema(generator : & mut
        ::portone_pg::__private::schemars::SchemaGenerator) ->
        ::portone_pg::__private::schemars::Schema {
        ::portone_pg::__private::object_schema(generator, "BetaV2Success",
        "A response of Beta (new module) (`beta_v2`) claiming success, with every property it always sends on success.",
        PROPERTIES, true) } } };
    }
    /**A payment response from **Beta (new module)** (`pg_provider` `beta_v2`).

A thin PG.

| | |
|---|---|
| code | `beta_v2` |
| shape | `thin`: four properties |
| success rule | `no_error`: a non-empty `imp_uid` with no `error_code` or `error_msg` means success |
| evidence | **documented** |
| schema file | [`tests/golden/pg/beta.toml`](https://github.com/portone-pg/portone-pg/blob/HEAD/tests/golden/pg/beta.toml) |

A property this PG never sends is not a field of this type, so reading it does not compile. Fields it sends in every response are plain values; the others are `Option`s, which [`into_success`](Self::into_success) turns into plain values where the PG always sends them on success.

What a callback says is a claim made in the buyer's browser: confirm a payment with the REST API (`GET /payments/{imp_uid}`) and compare its amount with your order before fulfilling it.

# Sources

- [golden test](https://github.com/portone-pg/portone-pg/blob/HEAD/golden test)

# Example

```
use portone_pg::{pg, PaymentResponse};

let body = r##"{"imp_uid": "imp_1", "merchant_uid": "o-1"}"##;
let PaymentResponse::BetaV2(response) = PaymentResponse::from_json_with_pg("beta_v2", body.as_bytes())? else {
    panic!("dispatched by the pg hint");
};
assert!(response.outcome().is_success());
let success: pg::BetaV2Success = response.into_success()?;
let imp_uid: &str = &success.imp_uid;
assert!(!imp_uid.is_empty());
# Ok::<(), portone_pg::Error>(())
```
*/
    #[derive(Clone, PartialEq)]
    #[non_exhaustive]
    pub struct BetaV2 {
        /**Payment id.

*Presence: `on_success`.* Sent by Beta (new module) whenever it reports success (a plain value in the success view); `None` otherwise.*/
        pub imp_uid: ::std::option::Option<::std::string::String>,
        /**Order id.

*Presence: `always`.* Sent by Beta (new module) in every response.*/
        pub merchant_uid: ::std::string::String,
        /**Error code.

*Presence: `optional`.* Sent by Beta (new module) only sometimes.*/
        pub error_code: ::std::option::Option<::std::string::String>,
        /**Error message.

*Presence: `optional`.* Sent by Beta (new module) only sometimes.*/
        pub error_msg: ::std::option::Option<::std::string::String>,
        ///Keys this schema does not list for Beta (new module), with their values as received. Nothing is dropped.
        pub extra: ::std::collections::BTreeMap<
            ::std::string::String,
            ::portone_pg::KeptValue,
        >,
    }
    /**A response from **Beta (new module)** (`beta_v2`) that claims success, as returned by [`BetaV2::into_success`]: every property Beta (new module) always sends on success is a plain value.

The claim still has to be verified through the REST API before an order is fulfilled.*/
    #[derive(Clone, PartialEq)]
    #[non_exhaustive]
    pub struct BetaV2Success {
        /**Payment id.

*Presence: `on_success`.* Sent by Beta (new module) whenever it reports success.*/
        pub imp_uid: ::std::string::String,
        /**Order id.

*Presence: `always`.* Sent by Beta (new module) in every response.*/
        pub merchant_uid: ::std::string::String,
        /**Error code.

*Presence: `optional`.* Sent by Beta (new module) only sometimes.*/
        pub error_code: ::std::option::Option<::std::string::String>,
        /**Error message.

*Presence: `optional`.* Sent by Beta (new module) only sometimes.*/
        pub error_msg: ::std::option::Option<::std::string::String>,
        ///Keys this schema does not list for Beta (new module), with their values as received. Nothing is dropped.
        pub extra: ::std::collections::BTreeMap<
            ::std::string::String,
            ::portone_pg::KeptValue,
        >,
    }
    impl BetaV2 {
        ///The `pg_provider` code of Beta (new module).
        pub const CODE: &'static str = "beta_v2";
        ///Every property Beta (new module) lists in its schema file, in catalogue order: its key, its presence and whether it is personal data.
        pub const SCHEMA: &'static [::portone_pg::SchemaField] = &[
            ::portone_pg::SchemaField {
                name: "imp_uid",
                presence: ::portone_pg::Presence::OnSuccess,
                personal: false,
            },
            ::portone_pg::SchemaField {
                name: "merchant_uid",
                presence: ::portone_pg::Presence::Always,
                personal: false,
            },
            ::portone_pg::SchemaField {
                name: "error_code",
                presence: ::portone_pg::Presence::Optional,
                personal: false,
            },
            ::portone_pg::SchemaField {
                name: "error_msg",
                presence: ::portone_pg::Presence::Optional,
                personal: false,
            },
        ];
        #[doc(hidden)]
        pub const __TABLE: &'static ::portone_pg::__private::PgTable = &::portone_pg::__private::PgTable {
            code: "beta_v2",
            aliases: &[],
            accepts: &[99],
        };
        /**What this response claims happened, by Beta (new module)'s success rule: `no_error`: a non-empty `imp_uid` with no `error_code` or `error_msg` means success.

A claim, not proof of payment: see [`Outcome`](::portone_pg::Outcome).*/
        pub fn outcome(&self) -> ::portone_pg::Outcome {
            ::portone_pg::Outcome::from_flag(
                ::std::option::Option::None,
                (::portone_pg::__private::payment_id(self.imp_uid.as_deref())).is_some(),
                self.error_code.as_deref(),
                self.error_msg.as_deref(),
            )
        }
        ///Whether [`into_success`](Self::into_success) would succeed, without consuming the response: the same error it would return (the response does not claim success, or lacks a property Beta (new module) always sends on success), so a caller keeps the response to log or answer with after a failed check.
        pub fn check_success(&self) -> ::std::result::Result<(), ::portone_pg::Error> {
            let outcome = self.outcome();
            if !outcome.is_success() {
                return ::std::result::Result::Err(
                    ::portone_pg::__private::not_success("beta_v2", &outcome),
                );
            }
            match ::portone_pg::__private::first_missing(
                &[(self.imp_uid.is_none(), "imp_uid")],
            ) {
                "" => ::std::result::Result::Ok(()),
                field => {
                    ::std::result::Result::Err(
                        ::portone_pg::__private::Violation::incomplete("beta_v2", field)
                            .into_error(),
                    )
                }
            }
        }
        /**The success view of this response.

# Errors

[`ErrorKind::NotSuccess`](::portone_pg::ErrorKind::NotSuccess) when the response does not claim success ([`outcome`](Self::outcome) is a failure or unknown); [`ErrorKind::Incomplete`](::portone_pg::ErrorKind::Incomplete) when it claims success but lacks a property Beta (new module) always sends on success (`imp_uid`).*/
        pub fn into_success(
            self,
        ) -> ::std::result::Result<BetaV2Success, ::portone_pg::Error> {
            let outcome = self.outcome();
            if !outcome.is_success() {
                return ::std::result::Result::Err(
                    ::portone_pg::__private::not_success("beta_v2", &outcome),
                );
            }
            match self {
                BetaV2 {
                    imp_uid: ::std::option::Option::Some(imp_uid),
                    merchant_uid,
                    error_code,
                    error_msg,
                    extra,
                } => {
                    ::std::result::Result::Ok(BetaV2Success {
                        imp_uid,
                        merchant_uid,
                        error_code,
                        error_msg,
                        extra: extra,
                    })
                }
                #[allow(unreachable_patterns)]
                incomplete => {
                    ::std::result::Result::Err(
                        ::portone_pg::__private::Violation::incomplete(
                                "beta_v2",
                                ::portone_pg::__private::first_missing(
                                    &[(incomplete.imp_uid.is_none(), "imp_uid")],
                                ),
                            )
                            .into_error(),
                    )
                }
            }
        }
        #[doc(hidden)]
        pub fn __from_slots(
            slots: &mut crate::__schema::Slots,
        ) -> ::std::result::Result<Self, ::portone_pg::__private::Violation> {
            Self::__from_compact(crate::__schema::Compact1::take(slots))
        }
        #[doc(hidden)]
        pub fn __from_compact(
            slots: crate::__schema::Compact1,
        ) -> ::std::result::Result<Self, ::portone_pg::__private::Violation> {
            match slots {
                crate::__schema::Compact1 {
                    imp_uid,
                    merchant_uid: ::std::option::Option::Some(merchant_uid),
                    error_code,
                    error_msg,
                    extra,
                } => {
                    ::std::result::Result::Ok(BetaV2 {
                        imp_uid,
                        merchant_uid,
                        error_code,
                        error_msg,
                        extra: extra.unwrap_or_default(),
                    })
                }
                #[allow(unreachable_patterns)]
                incomplete => {
                    ::std::result::Result::Err(
                        ::portone_pg::__private::Violation::missing(
                            "beta_v2",
                            ::portone_pg::__private::first_missing(
                                &[(incomplete.merchant_uid.is_none(), "merchant_uid")],
                            ),
                        ),
                    )
                }
            }
        }
    }
    impl<'de> ::portone_pg::__private::serde::Deserialize<'de> for BetaV2 {
        fn deserialize<D: ::portone_pg::__private::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            let ctx = ::portone_pg::__private::ParseCtx::new(Self::__TABLE);
            let slots = ::portone_pg::__private::parse_compact::<
                crate::__schema::Compact1,
                D,
            >(deserializer, &ctx)?;
            Self::__from_compact(slots)
                .map_err(::portone_pg::__private::serde::de::Error::custom)
        }
    }
    impl<'de> ::portone_pg::__private::serde::Deserialize<'de> for BetaV2Success {
        fn deserialize<D: ::portone_pg::__private::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            let wire = BetaV2::deserialize(deserializer)?;
            wire.into_success()
                .map_err(::portone_pg::__private::serde::de::Error::custom)
        }
    }
    impl BetaV2 {
        #[doc(hidden)]
        pub fn __entry_at(&self, index: usize) -> ::portone_pg::__private::Entry<'_> {
            match index {
                0usize => ::portone_pg::__private::AsEntry::entry(&self.imp_uid),
                1usize => ::portone_pg::__private::AsEntry::entry(&self.merchant_uid),
                2usize => ::portone_pg::__private::AsEntry::entry(&self.error_code),
                3usize => ::portone_pg::__private::AsEntry::entry(&self.error_msg),
                _ => ::portone_pg::__private::Entry::Absent,
            }
        }
    }
    impl ::portone_pg::__private::serde::Serialize for BetaV2 {
        fn serialize<S: ::portone_pg::__private::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            ::portone_pg::__private::serialize_object(
                serializer,
                BetaV2::SCHEMA,
                &|index| self.__entry_at(index),
                &self.extra,
            )
        }
    }
    impl BetaV2Success {
        #[doc(hidden)]
        pub fn __entry_at(&self, index: usize) -> ::portone_pg::__private::Entry<'_> {
            match index {
                0usize => ::portone_pg::__private::AsEntry::entry(&self.imp_uid),
                1usize => ::portone_pg::__private::AsEntry::entry(&self.merchant_uid),
                2usize => ::portone_pg::__private::AsEntry::entry(&self.error_code),
                3usize => ::portone_pg::__private::AsEntry::entry(&self.error_msg),
                _ => ::portone_pg::__private::Entry::Absent,
            }
        }
    }
    impl ::portone_pg::__private::serde::Serialize for BetaV2Success {
        fn serialize<S: ::portone_pg::__private::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            ::portone_pg::__private::serialize_object(
                serializer,
                BetaV2::SCHEMA,
                &|index| self.__entry_at(index),
                &self.extra,
            )
        }
    }
    impl ::std::fmt::Debug for BetaV2 {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            ::portone_pg::__private::debug_object(
                f,
                "BetaV2",
                BetaV2::SCHEMA,
                &|index| self.__entry_at(index),
                &self.extra,
            )
        }
    }
    impl ::std::fmt::Debug for BetaV2Success {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            ::portone_pg::__private::debug_object(
                f,
                "BetaV2Success",
                BetaV2::SCHEMA,
                &|index| self.__entry_at(index),
                &self.extra,
            )
        }
    }
}
/**A payment response (`IMP.request_pay` callback) of any PG, dispatched on its `pg_provider`.

[`from_json`](Self::from_json) runs one typed parse that learns the PG from the body's `pg_provider` as it reads it (a body it cannot decide alone is scanned for the tag and parsed again). [`from_json_with_pg`](Self::from_json_with_pg) also takes the request's `pg` parameter, needed when the body names no PG. [`from_query`](Self::from_query) and [`from_query_with_pg`](Self::from_query_with_pg) read the same object from a redirect's query string (every value a string). A response of a PG this version does not know, or naming none, is [`Unknown`](Self::Unknown), with every key kept.

Serializing gives back the received JSON (`null` and absent are the same; an alias key such as `imp_success` comes back as `success`). Deserializing through serde reads the object whole first and cannot know the request's `pg`, so a body naming no PG stays `Unknown`; prefer `from_json_with_pg`.

```
use portone_pg::{Outcome, PaymentResponse};

let body = br#"{"success":false,"imp_uid":"imp_268424450329","merchant_uid":"sub-94d7","pay_method":"card",
                "pg_provider":"html5_inicis","pg_type":"payment","error_msg":"user cancelled"}"#;
let response = PaymentResponse::from_json(body)?;
assert!(matches!(response, PaymentResponse::Html5Inicis(_)));
assert_eq!(response.merchant_uid(), Some("sub-94d7"));
assert_eq!(response.outcome(), Outcome::Failure { code: None, message: Some("user cancelled".into()) });

// Thin PGs name no PG in the body: pass the request's `pg`.
let body = br#"{"imp_uid":"imp_1234","merchant_uid":"order-7"}"#;
let response = PaymentResponse::from_json_with_pg("tosspayments", body)?;
assert!(matches!(response, PaymentResponse::Tosspayments(_)));
# Ok::<(), portone_pg::Error>(())
```*/
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PaymentResponse {
    ///A response from Alpha Pay (`alpha`).
    Alpha(pg::Alpha),
    ///A response from Beta (new module) (`beta_v2`).
    BetaV2(pg::BetaV2),
    ///A PG without a schema here, or no PG named: every key and value kept.
    Unknown(::portone_pg::UnknownResponse),
}
impl PaymentResponse {
    /// Parses a response whose body names its PG (`pg_provider`).
    ///
    /// A body without `pg_provider` (thin PGs, pre-validation failures)
    /// names no PG; use [`from_json_with_pg`](Self::from_json_with_pg)
    /// when you know it.
    pub fn from_json(json: &[u8]) -> ::std::result::Result<Self, ::portone_pg::Error> {
        ::portone_pg::__private::dispatch::<Self>(json, ::std::option::Option::None)
    }
    /// Parses a response received for the request's `pg` parameter
    /// (`"tosspayments"`, `"kcp.T0000"`).
    ///
    /// # Errors
    ///
    /// Besides parse errors: [`ErrorKind::InvalidPg`](::portone_pg::ErrorKind::InvalidPg)
    /// when `pg` is not a code, and
    /// [`ErrorKind::ProviderMismatch`](::portone_pg::ErrorKind::ProviderMismatch)
    /// when the body's `pg_provider` names another PG.
    pub fn from_json_with_pg(
        pg: &str,
        json: &[u8],
    ) -> ::std::result::Result<Self, ::portone_pg::Error> {
        let hint = <Self as ::portone_pg::__private::Dispatch>::hint(pg)?;
        ::portone_pg::__private::dispatch::<
            Self,
        >(json, ::std::option::Option::Some(&hint))
    }
    /// Parses a redirect's query string (`imp_uid=…&merchant_uid=…&imp_success=true`,
    /// with or without the leading `?`). Every value is a string there; the
    /// lenient types read `"true"` and `"1004"`. Redirects rarely name
    /// their PG: use [`from_query_with_pg`](Self::from_query_with_pg)
    /// when you know it.
    ///
    /// # Errors
    ///
    /// Malformed percent-encoding, bytes that are not UTF-8, a key repeated
    /// with different values, and the parse errors of the PG's type.
    pub fn from_query(query: &str) -> ::std::result::Result<Self, ::portone_pg::Error> {
        ::portone_pg::__private::parse_pairs(
            query,
            |pairs| ::portone_pg::__private::dispatch_query::<
                Self,
            >(pairs, ::std::option::Option::None),
        )
    }
    /// Parses a redirect's query string received for the request's `pg`
    /// parameter (`"kcp"`, `"danal.A010002002"`).
    pub fn from_query_with_pg(
        pg: &str,
        query: &str,
    ) -> ::std::result::Result<Self, ::portone_pg::Error> {
        let hint = <Self as ::portone_pg::__private::Dispatch>::hint(pg)?;
        ::portone_pg::__private::parse_pairs(
            query,
            |pairs| ::portone_pg::__private::dispatch_query::<
                Self,
            >(pairs, ::std::option::Option::Some(&hint)),
        )
    }
    /// A [`DeserializeSeed`](::portone_pg::__private::serde::de::DeserializeSeed)
    /// carrying the request's `pg` (`"kcp.T0000"`): for serde entry points
    /// where `from_json_with_pg` cannot be called, so that thin PGs' bodies
    /// are typed there too. (Plain `Deserialize` has no hint.)
    pub fn seed(pg: &str) -> ::portone_pg::WithPg<'_, Self> {
        ::portone_pg::WithPg::new(pg)
    }
    /// The PG: the variant's, or what the body or the hint named.
    pub fn provider(&self) -> ::std::option::Option<::portone_pg::PgProvider> {
        match self {
            PaymentResponse::Alpha(_) => {
                ::std::option::Option::Some(::portone_pg::PgProvider::Alpha)
            }
            PaymentResponse::BetaV2(_) => {
                ::std::option::Option::Some(::portone_pg::PgProvider::BetaV2)
            }
            PaymentResponse::Unknown(unknown) => {
                unknown.pg_provider().map(::portone_pg::PgProvider::from_code)
            }
        }
    }
    /// i'mport's payment id, the key for `GET /payments/{imp_uid}`; absent
    /// when the payment never started (pre-validation failure), and
    /// never empty.
    pub fn imp_uid(&self) -> ::std::option::Option<&str> {
        match self {
            PaymentResponse::Alpha(response) => {
                ::portone_pg::__private::payment_id(response.imp_uid.as_deref())
            }
            PaymentResponse::BetaV2(response) => {
                ::portone_pg::__private::payment_id(response.imp_uid.as_deref())
            }
            PaymentResponse::Unknown(fallback) => fallback.imp_uid(),
        }
    }
    /// The merchant's order id, as sent in the request.
    pub fn merchant_uid(&self) -> ::std::option::Option<&str> {
        match self {
            PaymentResponse::Alpha(response) => {
                ::std::option::Option::Some(response.merchant_uid.as_str())
            }
            PaymentResponse::BetaV2(response) => {
                ::std::option::Option::Some(response.merchant_uid.as_str())
            }
            PaymentResponse::Unknown(fallback) => fallback.merchant_uid(),
        }
    }
    /// Keys the PG's schema does not list, with their values as received
    /// (for a response of no known PG: every key).
    pub fn extra(
        &self,
    ) -> &::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue> {
        match self {
            PaymentResponse::Alpha(response) => &response.extra,
            PaymentResponse::BetaV2(response) => &response.extra,
            PaymentResponse::Unknown(unknown) => unknown.fields(),
        }
    }
    /// The properties the PG's schema file lists, with their presence
    /// (empty for a response of no known PG).
    pub fn schema(&self) -> &'static [::portone_pg::SchemaField] {
        match self {
            PaymentResponse::Alpha(_) => pg::Alpha::SCHEMA,
            PaymentResponse::BetaV2(_) => pg::BetaV2::SCHEMA,
            PaymentResponse::Unknown(unknown) => {
                let _ = unknown;
                &[]
            }
        }
    }
    /// What the response claims happened, by its PG's rule (for a
    /// response of no known PG, the generic rule of the official
    /// SDKs). A claim, not proof: see [`Outcome`](::portone_pg::Outcome).
    pub fn outcome(&self) -> ::portone_pg::Outcome {
        match self {
            PaymentResponse::Alpha(response) => response.outcome(),
            PaymentResponse::BetaV2(response) => response.outcome(),
            PaymentResponse::Unknown(fallback) => fallback.outcome(),
        }
    }
}
impl ::portone_pg::__private::Dispatch for PaymentResponse {
    type Code = ::portone_pg::PgProvider;
    type Slots = ::portone_pg::__schema::Slots;
    const ONE_PASS: bool = true;
    fn resolve(
        code: &::portone_pg::PgProvider,
    ) -> ::std::option::Option<(u16, &'static ::portone_pg::__private::PgTable)> {
        match code {
            ::portone_pg::PgProvider::Alpha => {
                ::std::option::Option::Some((0, pg::Alpha::__TABLE))
            }
            ::portone_pg::PgProvider::BetaV2 => {
                ::std::option::Option::Some((1, pg::BetaV2::__TABLE))
            }
            _ => ::std::option::Option::None,
        }
    }
    fn same_pg(
        hint: &::portone_pg::PgProvider,
        body: &::portone_pg::PgProvider,
    ) -> bool {
        hint == body || hint.related_codes().contains(&body.as_str())
    }
    fn read(
        reader: &mut ::portone_pg::__private::TextDeserializer<'_>,
        ctx: &::portone_pg::__private::ParseCtx,
        learn: ::std::option::Option<&::portone_pg::__private::Learn<'_, Self>>,
        slots: &mut Self::Slots,
    ) -> ::std::result::Result<(), ::portone_pg::__private::serde_json::Error> {
        ::portone_pg::__schema::read_slots(reader, ctx, learn, slots)
    }
    fn read_pairs(
        pairs: &::portone_pg::__private::QueryPairs<'_>,
        ctx: &::portone_pg::__private::ParseCtx,
        learn: &::portone_pg::__private::Learn<'_, Self>,
        slots: &mut Self::Slots,
    ) -> ::std::result::Result<(), ::portone_pg::__private::serde_json::Error> {
        ::portone_pg::__schema::read_pairs(pairs, ctx, learn, slots)
    }
    fn read_compact(
        index: u16,
        text: &str,
        readers: ::portone_pg::__private::Readers,
        otherwise: impl ::std::ops::FnOnce(
        ) -> ::std::result::Result<Self, ::portone_pg::Error>,
    ) -> ::std::result::Result<Self, ::portone_pg::Error> {
        match index {
            0 => {
                let mut slots = ::portone_pg::__schema::Compact0::default();
                if ::portone_pg::__private::read_compact(
                    text,
                    pg::Alpha::__TABLE,
                    &mut slots,
                    readers,
                ) {
                    if let ::std::result::Result::Ok(response) = pg::Alpha::__from_compact(
                        slots,
                    ) {
                        return ::std::result::Result::Ok(
                            PaymentResponse::Alpha(response),
                        );
                    }
                }
                otherwise()
            }
            1 => {
                let mut slots = ::portone_pg::__schema::Compact1::default();
                if ::portone_pg::__private::read_compact(
                    text,
                    pg::BetaV2::__TABLE,
                    &mut slots,
                    readers,
                ) {
                    if let ::std::result::Result::Ok(response) = pg::BetaV2::__from_compact(
                        slots,
                    ) {
                        return ::std::result::Result::Ok(
                            PaymentResponse::BetaV2(response),
                        );
                    }
                }
                otherwise()
            }
            _ => otherwise(),
        }
    }
    /// Kept whole, unless it marks the other flow.
    fn keep(
        unknown: ::portone_pg::UnknownResponse,
    ) -> ::std::result::Result<Self, ::portone_pg::Error> {
        ::portone_pg::__schema::check_flow(&unknown)?;
        ::std::result::Result::Ok(PaymentResponse::Unknown(unknown))
    }
    #[inline]
    fn code(text: &str) -> ::portone_pg::PgProvider {
        ::portone_pg::PgProvider::from_code(text)
    }
    #[inline]
    fn code_text(code: &::portone_pg::PgProvider) -> &str {
        code.as_str()
    }
    fn hint(
        pg: &str,
    ) -> ::std::result::Result<::portone_pg::PgProvider, ::portone_pg::Error> {
        pg.parse()
    }
    fn from_slots(
        index: u16,
        slots: &mut Self::Slots,
    ) -> ::std::result::Result<Self, ::portone_pg::Error> {
        let into_error = ::portone_pg::__private::Violation::into_error;
        match index {
            0 => {
                pg::Alpha::__from_slots(slots)
                    .map(PaymentResponse::Alpha)
                    .map_err(into_error)
            }
            _ => {
                pg::BetaV2::__from_slots(slots)
                    .map(PaymentResponse::BetaV2)
                    .map_err(into_error)
            }
        }
    }
}
::portone_pg::__private::if_schemars! {
    impl ::portone_pg::__private::schemars::JsonSchema for PaymentResponse { fn
    schema_name() -> ::std::borrow::Cow < 'static, str > {
    ::std::borrow::Cow::Borrowed("PaymentResponse") } fn json_schema(generator : & mut
    ::portone_pg::__private::schemars::SchemaGenerator) ->
    ::portone_pg::__private::schemars::Schema {
    ::portone_pg::__private::any_of(generator, "PaymentResponse",
    "A PaymentResponse: the type of the PG it comes from, or (any other object) the fallback keeping every key.",
    & [| g | g.subschema_for:: < pg::Alpha > (), | g | g.subschema_for:: < pg::BetaV2 >
    (), | g | g.subschema_for:: < ::portone_pg::UnknownResponse > (),]) } } impl
    PaymentResponse { #[doc =
    r" One standalone JSON Schema per PG with a schema file, keyed by"] #[doc =
    r" its code (feature `schemars`): what the schema files know,"] #[doc =
    r" for frontends and other languages."] pub fn json_schemas() -> ::std::vec::Vec < (&
    'static str, ::portone_pg::__private::schemars::Schema) > { ::std::vec![("alpha",
    ::portone_pg::__private::root_schema:: < pg::Alpha > ()), ("beta_v2",
    ::portone_pg::__private::root_schema:: < pg::BetaV2 > ()),] } }
}
impl ::portone_pg::__private::serde::Serialize for PaymentResponse {
    fn serialize<S: ::portone_pg::__private::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        match self {
            PaymentResponse::Alpha(response) => {
                ::portone_pg::__private::serde::Serialize::serialize(
                    response,
                    serializer,
                )
            }
            PaymentResponse::BetaV2(response) => {
                ::portone_pg::__private::serde::Serialize::serialize(
                    response,
                    serializer,
                )
            }
            PaymentResponse::Unknown(fallback) => {
                ::portone_pg::__private::serde::Serialize::serialize(
                    fallback,
                    serializer,
                )
            }
        }
    }
}
/// For serde entry points (`serde_json::from_str`, a framework's
/// `Json<…>` extractor): reads the object whole, then types it if
/// the body names its PG. serde cannot carry the request's `pg`, so
/// the bodies of thin PGs (Toss Payments, NICE v2, … which name no
/// PG) come out as the untyped fallback, without an error. Where the
/// request's `pg` is known, use `from_json_with_pg`, or with the
/// `axum` / `actix-web` features the `Callback` extractor, which
/// reads it from the query.
impl<'de> ::portone_pg::__private::serde::Deserialize<'de> for PaymentResponse {
    fn deserialize<D: ::portone_pg::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let unknown = <::portone_pg::UnknownResponse as ::portone_pg::__private::serde::Deserialize>::deserialize(
            deserializer,
        )?;
        ::portone_pg::__private::from_unknown::<Self>(unknown)
            .map_err(::portone_pg::__private::serde::de::Error::custom)
    }
}
::portone_pg::__private::open_enum! {
    #[doc =
    "A PG provider code (`pg_provider`): one variant for each of the 2 PGs with a schema file, and `Other` keeping any other code.\n\n`Display` and `as_str` give the code. `FromStr` also accepts the request's `pg` parameter, which may carry a store id after a dot (`\"kcp.T0000\"`, `\"html5_inicis.INIpayTest\"`); responses carry the bare code.\n\n```\nuse portone_pg::PgProvider;\n\nassert_eq!(\"kcp.T0000\".parse::<PgProvider>()?, PgProvider::Kcp);\nassert_eq!(PgProvider::Html5Inicis.to_string(), \"html5_inicis\");\nassert_eq!(PgProvider::from_code(\"newpg\"), PgProvider::Other(\"newpg\".into()));\nassert!(\"\".parse::<PgProvider>().is_err());\n# Ok::<(), portone_pg::Error>(())\n```"]
    pub enum PgProvider { #[doc = "`alpha`: Alpha Pay."] Alpha = "alpha", #[doc =
    "`beta_v2`: Beta (new module)."] BetaV2 = "beta_v2", }
}
impl ::std::str::FromStr for PgProvider {
    type Err = ::portone_pg::Error;
    /// Parses a code or a request `pg` parameter (`code.storeId`).
    fn from_str(pg: &str) -> ::std::result::Result<Self, Self::Err> {
        if let ::std::option::Option::Some(known) = PgProvider::known(pg) {
            return ::std::result::Result::Ok(known);
        }
        let end = pg
            .bytes()
            .position(|b| b == b'.' || !b.is_ascii_graphic())
            .unwrap_or(pg.len());
        let code = &pg[..end];
        if code.is_empty() || pg.as_bytes().get(end).is_some_and(|&b| b != b'.') {
            return ::std::result::Result::Err(
                ::portone_pg::Error::new(
                    ::portone_pg::ErrorKind::InvalidPg,
                    ::std::format!(
                        "{pg:?} is not a PG code: expected `code` or `code.storeId`, e.g. \"kcp\" or \"kcp.T0000\""
                    ),
                ),
            );
        }
        ::std::result::Result::Ok(PgProvider::from_code(code))
    }
}
impl PgProvider {
    /// Codes of the same provider's other modules (legacy and new
    /// modules, billing windows), as the schema files relate them. A
    /// response whose `pg_provider` is one of these is accepted for a
    /// request made with this code: the body names the module that
    /// processed it.
    pub fn related_codes(&self) -> &'static [&'static str] {
        match self {
            PgProvider::Alpha => &[],
            PgProvider::BetaV2 => &[],
            _ => &[],
        }
    }
    /// What the PG's payment schema file says of each property it
    /// sends (key, presence, personal data), for codes with one:
    /// the table of its type (`pg::Kcp::SCHEMA`), without a
    /// response in hand. For tools that render or check a PG's
    /// responses.
    ///
    /// ```
    /// use portone_pg::{PgProvider, Presence};
    ///
    /// let toss = PgProvider::Tosspayments.payment_schema().unwrap();
    /// assert!(toss.iter().any(|f| f.name == "merchant_uid" && f.presence == Presence::Always));
    /// assert_eq!(PgProvider::from_code("newpg").payment_schema(), None);
    /// ```
    pub fn payment_schema(
        &self,
    ) -> ::std::option::Option<&'static [::portone_pg::SchemaField]> {
        match self {
            PgProvider::Alpha => ::std::option::Option::Some(pg::Alpha::SCHEMA),
            PgProvider::BetaV2 => ::std::option::Option::Some(pg::BetaV2::SCHEMA),
            _ => ::std::option::Option::None,
        }
    }
    /// How the PG's payment responses say they succeeded, as its
    /// schema file's `success` says; `None` for codes without a
    /// payment schema.
    ///
    /// ```
    /// use portone_pg::{PgProvider, SuccessRule};
    ///
    /// assert_eq!(PgProvider::Kcp.success_rule(), Some(SuccessRule::Flag));
    /// assert_eq!(PgProvider::Tosspayments.success_rule(), Some(SuccessRule::NoError));
    /// ```
    pub fn success_rule(&self) -> ::std::option::Option<::portone_pg::SuccessRule> {
        match self {
            PgProvider::Alpha => {
                ::std::option::Option::Some(::portone_pg::SuccessRule::Flag)
            }
            PgProvider::BetaV2 => {
                ::std::option::Option::Some(::portone_pg::SuccessRule::NoError)
            }
            _ => ::std::option::Option::None,
        }
    }
    /// How the PG's payment window opens, as its schema file's
    /// `[window]` table (or its shape's) says; `None` where neither
    /// says.
    ///
    /// ```
    /// use portone_pg::{PgProvider, WindowMode};
    ///
    /// let window = PgProvider::Kcp.payment_window().unwrap();
    /// assert_eq!((window.pc, window.mobile), (WindowMode::Iframe, WindowMode::Redirect));
    /// ```
    pub fn payment_window(&self) -> ::std::option::Option<::portone_pg::PaymentWindow> {
        match self {
            _ => ::std::option::Option::None,
        }
    }
    /// The PG's display name (`"NHN KCP"`), for codes with a schema file.
    pub fn name(&self) -> ::std::option::Option<&'static str> {
        match self {
            PgProvider::Alpha => ::std::option::Option::Some("Alpha Pay"),
            PgProvider::BetaV2 => ::std::option::Option::Some("Beta (new module)"),
            _ => ::std::option::Option::None,
        }
    }
}
/// The value-type vocabulary of the schema files: name, Rust type,
/// whether it is an open code enum, and what it accepts (tests check
/// `schemas/README.md` against it).
#[doc(hidden)]
pub const __VALUE_TYPES: &[(&str, &str, bool, &str)] = &[
    (
        "string",
        "::std::string::String",
        false,
        "a JSON string, kept as received (`\"\"` included)",
    ),
    (
        "flag",
        "::portone_pg::Flag",
        false,
        "a boolean, or the strings `\"true\"` / `\"false\"`",
    ),
    (
        "amount",
        "::portone_pg::Amount",
        false,
        "an exact decimal, from a JSON number or a numeric string",
    ),
    (
        "integer",
        "::portone_pg::Integer",
        false,
        "a whole number (`i64`), from a JSON number or a string of digits",
    ),
    (
        "timestamp",
        "::portone_pg::Timestamp",
        false,
        "UNIX seconds as a number or a string (`0` is none), or `\"YYYY-MM-DD HH:MM:SS\"` (Korea time)",
    ),
    ("custom_data", "::portone_pg::CustomData", false, "any JSON, kept as received"),
    (
        "pay_method",
        "::portone_pg::PayMethod",
        true,
        "a pay method code (open enum: an unknown code is kept)",
    ),
    ("status", "::portone_pg::Status", true, "a payment status code (open enum)"),
    ("currency", "::portone_pg::Currency", true, "a currency code (open enum)"),
    (
        "pg_provider",
        "::portone_pg::PgProvider",
        true,
        "a PG code (open enum, one variant per schema file)",
    ),
    (
        "emb_pg_provider",
        "::portone_pg::EmbPgProvider",
        true,
        "an easy-pay brand code (open enum)",
    ),
];
