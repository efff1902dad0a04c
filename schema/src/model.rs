//! The schema after loading and validation: what code generation consumes.

use std::path::PathBuf;

/// Which flow a schema directory describes; it names the generated items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// `IMP.request_pay` results: `schemas/`.
    Payment,
    /// `IMP.certification` results: `schemas/certification/`.
    Certification,
}

impl Flow {
    /// The module holding one type pair per PG.
    pub fn module(self) -> &'static str {
        match self {
            Flow::Payment => "pg",
            Flow::Certification => "certification",
        }
    }

    /// The dispatcher enum.
    pub fn dispatcher(self) -> &'static str {
        match self {
            Flow::Payment => "PaymentResponse",
            Flow::Certification => "CertificationResponse",
        }
    }

    /// The hidden module with the catalogue-wide parser.
    pub fn parser(self) -> &'static str {
        match self {
            Flow::Payment => "__schema",
            Flow::Certification => "__certification_schema",
        }
    }

    /// The constant holding the support table.
    pub fn support_table(self) -> &'static str {
        match self {
            Flow::Payment => "SUPPORT_TABLE",
            Flow::Certification => "CERTIFICATION_SUPPORT_TABLE",
        }
    }

    /// What one response is, in prose.
    pub fn noun(self) -> &'static str {
        match self {
            Flow::Payment => "payment response",
            Flow::Certification => "identity verification response",
        }
    }

    /// The REST call that proves what a response claims.
    pub fn proof(self) -> &'static str {
        match self {
            Flow::Payment => {
                "confirm a payment with the REST API (`GET /payments/{imp_uid}`) and compare its amount with your order before fulfilling it"
            }
            Flow::Certification => {
                "read the verified identity with the REST API (`GET /certifications/{imp_uid}`) before trusting it"
            }
        }
    }
}

/// Everything the schema files say.
pub struct Schema {
    /// The flow these files describe.
    pub flow: Flow,
    /// Whether the types are generated outside portone-pg (an integrator's
    /// own schemas), reusing its catalogue-wide parser.
    pub external: bool,
    /// The catalogue, in file order (which is the field order of every type).
    pub fields: Vec<Field>,
    /// The PGs, in file-name order.
    pub pgs: Vec<Pg>,
    /// Absolute paths of every file read, so the expansion can track them.
    pub files: Vec<PathBuf>,
}

impl Schema {
    /// The catalogue field playing `role`; validation guarantees the
    /// required roles exist.
    pub fn role(&self, role: Role) -> Option<(usize, &Field)> {
        self.fields
            .iter()
            .enumerate()
            .find(|(_, f)| f.role == Some(role))
    }
}

/// A closed set of values that schema files spell by name.
pub trait Named: Copy + PartialEq + 'static {
    /// Every accepted name with its value.
    fn all() -> Vec<(&'static str, Self)>;

    /// The schema name of this value.
    fn name(self) -> &'static str {
        Self::all()
            .into_iter()
            .find(|(_, v)| *v == self)
            .map_or("?", |(n, _)| n)
    }
}

/// One catalogue entry: a property some PG may send.
pub struct Field {
    /// The JSON key and Rust field name (`paid_amount`).
    pub name: String,
    /// The runtime type.
    pub ty: FieldType,
    /// What the property means.
    pub doc: String,
    /// Other keys it arrives under (`imp_success` for `success`).
    pub aliases: Vec<String>,
    /// Personal data: redacted in `Debug`.
    pub pii: bool,
    /// The part it plays in dispatch and outcome, if any.
    pub role: Option<Role>,
    /// A JSON value used in generated examples.
    pub example: Option<String>,
    /// String values that mark a body as a response of another flow; the
    /// parse refuses them.
    pub refuse: Vec<String>,
    /// Many PGs send it: the dispatcher has an accessor reading it from any
    /// of them (`PaymentResponse::paid_amount()`).
    pub shared: bool,
}

impl Field {
    /// The doc's first paragraph on one line: what generated docs and JSON
    /// Schema descriptions say of the property.
    pub fn summary(&self) -> String {
        self.doc
            .split("\n\n")
            .next()
            .unwrap_or_default()
            .replace('\n', " ")
    }
}

/// A runtime type a catalogue field can name: one row of [`VALUE_TYPES`].
pub struct ValueType {
    /// The name in `fields.toml` (`amount`).
    pub name: &'static str,
    /// The Rust type generated code uses (`::portone_pg::Amount`).
    pub rust: &'static str,
    /// An open code enum: a known code is read without allocating.
    pub code: bool,
    /// What it accepts, for `schemas/README.md` (a test keeps the two equal).
    pub meaning: &'static str,
}

/// The value-type vocabulary: every runtime type portone-pg-core implements
/// that a schema can name. A new type is its module in `core/src/value/`
/// plus one row here; nothing else names types one by one.
pub const VALUE_TYPES: &[ValueType] = &[
    ValueType {
        name: "string",
        rust: "::std::string::String",
        code: false,
        meaning: "a JSON string, kept as received (`\"\"` included)",
    },
    ValueType {
        name: "flag",
        rust: "::portone_pg::Flag",
        code: false,
        meaning: "a boolean, or the strings `\"true\"` / `\"false\"`",
    },
    ValueType {
        name: "amount",
        rust: "::portone_pg::Amount",
        code: false,
        meaning: "an exact decimal, from a JSON number or a numeric string",
    },
    ValueType {
        name: "integer",
        rust: "::portone_pg::Integer",
        code: false,
        meaning: "a whole number (`i64`), from a JSON number or a string of digits",
    },
    ValueType {
        name: "timestamp",
        rust: "::portone_pg::Timestamp",
        code: false,
        meaning: "UNIX seconds as a number or a string (`0` is none), or `\"YYYY-MM-DD HH:MM:SS\"` (Korea time)",
    },
    ValueType {
        name: "custom_data",
        rust: "::portone_pg::CustomData",
        code: false,
        meaning: "any JSON, kept as received",
    },
    ValueType {
        name: "pay_method",
        rust: "::portone_pg::PayMethod",
        code: true,
        meaning: "a pay method code (open enum: an unknown code is kept)",
    },
    ValueType {
        name: "status",
        rust: "::portone_pg::Status",
        code: true,
        meaning: "a payment status code (open enum)",
    },
    ValueType {
        name: "currency",
        rust: "::portone_pg::Currency",
        code: true,
        meaning: "a currency code (open enum)",
    },
    ValueType {
        name: "pg_provider",
        rust: "::portone_pg::PgProvider",
        code: true,
        meaning: "a PG code (open enum, one variant per schema file)",
    },
    ValueType {
        name: "emb_pg_provider",
        rust: "::portone_pg::EmbPgProvider",
        code: true,
        meaning: "an easy-pay brand code (open enum)",
    },
];

/// The runtime type of a catalogue field: a row of [`VALUE_TYPES`], by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldType(&'static str);

impl FieldType {
    /// `string`.
    pub const STRING: FieldType = FieldType("string");
    /// `flag`.
    pub const FLAG: FieldType = FieldType("flag");
    /// `pg_provider`.
    pub const PG_PROVIDER: FieldType = FieldType("pg_provider");

    /// The Rust type generated code uses.
    pub fn rust(self) -> &'static str {
        VALUE_TYPES
            .iter()
            .find(|t| t.name == self.0)
            .map_or("()", |t| t.rust)
    }
}

impl Named for FieldType {
    /// Every type name accepted in `fields.toml`.
    fn all() -> Vec<(&'static str, FieldType)> {
        VALUE_TYPES
            .iter()
            .map(|t| (t.name, FieldType(t.name)))
            .collect()
    }
}

/// The part a catalogue field plays for the machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Names the PG; the dispatcher's tag (`pg_provider`).
    Tag,
    /// i'mport's payment id (`imp_uid`).
    PaymentId,
    /// The merchant's order id (`merchant_uid`).
    OrderId,
    /// The success flag read by the `flag` rule (`success`).
    SuccessFlag,
    /// The raw error code (`error_code`).
    ErrorCode,
    /// The raw error message (`error_msg`).
    ErrorMessage,
}

impl Named for Role {
    /// Every role name accepted in `fields.toml`.
    fn all() -> Vec<(&'static str, Role)> {
        vec![
            ("tag", Role::Tag),
            ("payment_id", Role::PaymentId),
            ("order_id", Role::OrderId),
            ("success_flag", Role::SuccessFlag),
            ("error_code", Role::ErrorCode),
            ("error_message", Role::ErrorMessage),
        ]
    }
}

impl Role {
    /// The type a field playing this role must have.
    pub fn required_type(self) -> FieldType {
        match self {
            Role::Tag => FieldType::PG_PROVIDER,
            Role::SuccessFlag => FieldType::FLAG,
            Role::PaymentId | Role::OrderId | Role::ErrorCode | Role::ErrorMessage => {
                FieldType::STRING
            }
        }
    }

    /// Roles every catalogue must fill: the dispatcher and the contract use them.
    pub const REQUIRED: &'static [Role] = &[Role::Tag, Role::PaymentId, Role::OrderId];
}

/// How reliably a PG sends a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// In every response, success or failure.
    Always,
    /// In every response that reports success.
    OnSuccess,
    /// Sometimes.
    Optional,
}

impl Named for Presence {
    /// Accepted names in `[fields]` tables (`never` is handled separately).
    fn all() -> Vec<(&'static str, Presence)> {
        vec![
            ("always", Presence::Always),
            ("on_success", Presence::OnSuccess),
            ("optional", Presence::Optional),
        ]
    }
}

/// How a PG's response says whether the window succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuccessRule {
    /// The success flag decides.
    Flag,
    /// Success is "an `imp_uid` and no error code or message".
    NoError,
}

impl Named for SuccessRule {
    /// Accepted names.
    fn all() -> Vec<(&'static str, SuccessRule)> {
        vec![
            ("flag", SuccessRule::Flag),
            ("no_error", SuccessRule::NoError),
        ]
    }
}

/// How the facts about a PG are known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// Stated in an official PortOne document.
    Documented,
    /// Seen in a real response, an official SDK, or a maintainer's reply.
    Observed,
    /// Inferred from related PGs; a hypothesis.
    Inferred,
}

impl Named for Evidence {
    /// Accepted names.
    fn all() -> Vec<(&'static str, Evidence)> {
        vec![
            ("documented", Evidence::Documented),
            ("observed", Evidence::Observed),
            ("inferred", Evidence::Inferred),
        ]
    }
}

/// How a payment window opens on one kind of device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowMode {
    /// An overlay in the page; the result comes back to the callback.
    Iframe,
    /// A popup window; the result comes back to the callback.
    Popup,
    /// The page is replaced; the result comes back to `m_redirect_url`.
    Redirect,
}

impl Named for WindowMode {
    /// Every mode name accepted in a `[window]` table.
    fn all() -> Vec<(&'static str, WindowMode)> {
        vec![
            ("iframe", WindowMode::Iframe),
            ("popup", WindowMode::Popup),
            ("redirect", WindowMode::Redirect),
        ]
    }
}

/// A PG's payment window, from its file's `[window]` table or its
/// shape's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// On a desktop.
    pub pc: WindowMode,
    /// On a phone (the SDK reads "phone" from the user agent).
    pub mobile: WindowMode,
    /// A `request_pay` parameter that, `true`, opens a popup instead.
    pub popup_param: Option<String>,
    /// The redirect query's success flag: `imp_success` unless the PG's
    /// guide names another (`imp_status`).
    pub redirect_flag: String,
    /// How this is known.
    pub evidence: Evidence,
    /// Where it comes from.
    pub sources: Vec<String>,
}

/// One PG provider, from one file under `pg/`.
pub struct Pg {
    /// The `pg_provider` code (`kcp`).
    pub code: String,
    /// Other spellings of the code that name this PG (`nice_V2`).
    pub aliases: Vec<String>,
    /// Codes of the same provider's other modules (legacy/new, billing
    /// windows): a request for one may be answered by another.
    pub related: Vec<String>,
    /// The Rust type name (`Kcp`, `Html5Inicis`).
    pub type_name: String,
    /// Display name (`NHN KCP`).
    pub name: String,
    /// What the PG is.
    pub doc: String,
    /// The shape it extends, with that shape's description.
    pub shape: Option<(String, String)>,
    /// How success is decided.
    pub success: SuccessRule,
    /// How the facts are known.
    pub evidence: Evidence,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// Caveats: what is inferred, contradictions and the reading taken.
    pub notes: Option<String>,
    /// The fields it sends, in catalogue order: (catalogue index, presence).
    pub fields: Vec<(usize, Presence)>,
    /// What the file changes relative to its shape, for the docs.
    pub delta: Vec<String>,
    /// How its payment window opens; `None` when neither the file nor
    /// its shape says.
    pub window: Option<Window>,
    /// The file, as shown in messages (`schemas/pg/kcp.toml`).
    pub file: String,
}

impl Pg {
    /// The presence of catalogue field `index`, if the PG lists it.
    pub fn presence(&self, index: usize) -> Option<Presence> {
        self.fields
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, p)| *p)
    }
}
