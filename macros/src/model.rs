//! The schema after loading and validation: what code generation consumes.

use std::path::PathBuf;

/// Which flow a schema directory describes; it names the generated items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `IMP.request_pay` results: `schemas/`.
    Payment,
    /// `IMP.certification` results: `schemas/certification/`.
    Certification,
}

impl Kind {
    /// The module holding one type pair per PG.
    pub fn module(self) -> &'static str {
        match self {
            Kind::Payment => "pg",
            Kind::Certification => "certification",
        }
    }

    /// The dispatcher enum.
    pub fn dispatcher(self) -> &'static str {
        match self {
            Kind::Payment => "PaymentResponse",
            Kind::Certification => "CertificationResponse",
        }
    }

    /// The hidden module with the catalogue-wide parser.
    pub fn parser(self) -> &'static str {
        match self {
            Kind::Payment => "__schema",
            Kind::Certification => "__certification_schema",
        }
    }

    /// The constant holding the support table.
    pub fn support_table(self) -> &'static str {
        match self {
            Kind::Payment => "SUPPORT_TABLE",
            Kind::Certification => "CERTIFICATION_SUPPORT_TABLE",
        }
    }

    /// What one response is, in prose.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Payment => "payment response",
            Kind::Certification => "identity verification response",
        }
    }

    /// The REST call that proves what a response claims.
    pub fn proof(self) -> &'static str {
        match self {
            Kind::Payment => {
                "confirm a payment with the REST API (`GET /payments/{imp_uid}`) and compare its amount with your order before fulfilling it"
            }
            Kind::Certification => {
                "read the verified identity with the REST API (`GET /certifications/{imp_uid}`) before trusting it"
            }
        }
    }
}

/// Everything the schema files say.
pub struct Schema {
    /// The flow these files describe.
    pub kind: Kind,
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
    const ALL: &'static [(&'static str, Self)];

    /// The schema name of this value.
    fn name(self) -> &'static str {
        Self::ALL
            .iter()
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
}

/// The closed set of runtime types implemented in portone-pg-core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    String,
    Flag,
    Amount,
    Integer,
    Timestamp,
    CustomData,
    PayMethod,
    Status,
    Currency,
    PgProvider,
    EmbPgProvider,
}

impl Named for FieldType {
    /// Every type name accepted in `fields.toml`, with its meaning.
    const ALL: &'static [(&'static str, FieldType)] = &[
        ("string", FieldType::String),
        ("flag", FieldType::Flag),
        ("amount", FieldType::Amount),
        ("integer", FieldType::Integer),
        ("timestamp", FieldType::Timestamp),
        ("custom_data", FieldType::CustomData),
        ("pay_method", FieldType::PayMethod),
        ("status", FieldType::Status),
        ("currency", FieldType::Currency),
        ("pg_provider", FieldType::PgProvider),
        ("emb_pg_provider", FieldType::EmbPgProvider),
    ];
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
    const ALL: &'static [(&'static str, Role)] = &[
        ("tag", Role::Tag),
        ("payment_id", Role::PaymentId),
        ("order_id", Role::OrderId),
        ("success_flag", Role::SuccessFlag),
        ("error_code", Role::ErrorCode),
        ("error_message", Role::ErrorMessage),
    ];
}

impl Role {
    /// The type a field playing this role must have.
    pub fn required_type(self) -> FieldType {
        match self {
            Role::Tag => FieldType::PgProvider,
            Role::SuccessFlag => FieldType::Flag,
            Role::PaymentId | Role::OrderId | Role::ErrorCode | Role::ErrorMessage => {
                FieldType::String
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
    const ALL: &'static [(&'static str, Presence)] = &[
        ("always", Presence::Always),
        ("on_success", Presence::OnSuccess),
        ("optional", Presence::Optional),
    ];
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
    const ALL: &'static [(&'static str, SuccessRule)] = &[
        ("flag", SuccessRule::Flag),
        ("no_error", SuccessRule::NoError),
    ];
}

/// How the facts about a PG are known (as in pg-facts.md).
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
    const ALL: &'static [(&'static str, Evidence)] = &[
        ("documented", Evidence::Documented),
        ("observed", Evidence::Observed),
        ("inferred", Evidence::Inferred),
    ];
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
