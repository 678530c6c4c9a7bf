//! The intermediate representation: the contract between `lower` and `emit`.
//!
//! Plain data, no tokens and no JSON. Every name in it is already a valid, collision-free Rust identifier.

/// The whole generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Crate {
    /// Modules sorted by name.
    pub modules: Vec<Module>,
}

impl Crate {
    /// Whether any type checks values (validating mode), so the crate needs `validate.rs`.
    pub fn has_checks(&self) -> bool {
        self.modules
            .iter()
            .flat_map(|m| &m.types)
            .any(|t| matches!(t.kind, TypeKind::Checked(_)))
    }

    /// Whether any module has operations or webhook events (and so the crate needs its HTTP
    /// machinery: requests, answers, events).
    pub fn has_http(&self) -> bool {
        self.modules
            .iter()
            .any(|m| !m.operations.is_empty() || !m.webhooks.is_empty())
    }
}

/// One Rust module (one vendor folder, or one input file).
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Module identifier (`snake_case`), also the name of its cargo feature.
    pub name: String,
    pub doc: Option<String>,
    /// Types sorted by name.
    pub types: Vec<TypeDef>,
    /// Where the API lives and how it authenticates (from an OpenAPI document), if described.
    pub api: Option<Api>,
    /// Operations sorted by name.
    pub operations: Vec<Operation>,
    /// The events the API sends to the user's server, sorted by name.
    pub webhooks: Vec<Webhook>,
    /// The property (a path of wire names, `["data", "event_type"]`) whose value tells the
    /// module's events apart, when every event's payload fixes it to a value of its own.
    pub event_tag: Option<Vec<String>>,
}

/// An event the API sends to the user's server: a 3.1 `webhooks` entry, an `x-webhooks` entry,
/// or one request of an operation's `callbacks`.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Variant name in the module's `webhooks::Event` and `webhooks::EventKind`.
    pub name: String,
    /// The event's name in the document: its key, or the callback's request `operationId`.
    pub key: String,
    /// Where the document declares it.
    pub source: WebhookSource,
    /// Upper-case HTTP method the vendor sends it with.
    pub method: String,
    pub doc: Option<String>,
    /// The payload, read by its first JSON (else form, else other) media type; `None` when the
    /// event has no body.
    pub body: Option<BodyContent>,
    /// The header parameters the event declares, by Rust name.
    pub headers: Vec<ResponseHeader>,
    /// The value of the module's `event_tag` that selects this event.
    pub tag_value: Option<String>,
    /// The file and JSON pointer of its declaration.
    pub origin: String,
}

/// Where a webhook is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookSource {
    /// OpenAPI 3.1 `webhooks`.
    Webhooks,
    /// The `x-webhooks` extension.
    XWebhooks,
    /// A callback of an operation: its Rust type name and the callback URL's expression.
    Callback { operation: String, url: String },
}

/// How the vendor signs its webhook requests (`x-webhook-signature`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    StandardWebhooks,
    Stripe,
    Twilio,
    /// An HMAC of the body in a header: its name, `sha1`/`sha256`/`sha512`, `hex`/`base64`, and
    /// a prefix before the signature.
    HmacBody {
        header: String,
        algorithm: String,
        encoding: String,
        prefix: Option<String>,
    },
}

/// Servers and authentication of an API.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Api {
    /// The OpenAPI file it comes from (relative to the schemas folder).
    pub origin: String,
    /// The first `servers` entry: the default base URL.
    pub base_url: Option<String>,
    /// Every security scheme the generated code can apply, sorted by name.
    pub schemes: Vec<SecurityScheme>,
    /// The scheme of the first global security requirement, if any: the credential `api(…)` takes.
    pub default_scheme: Option<String>,
    /// The scheme the document says its webhooks are signed with (`x-webhook-signature`).
    pub signature: Option<Signature>,
}

/// A named security scheme (`components/securitySchemes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The name requirements use.
    pub name: String,
    /// Rust name of the function that makes its credential.
    pub fn_name: String,
    pub doc: Option<String>,
    pub kind: Security,
}

/// How requests authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Security {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <credentials>`.
    Basic,
    /// A key sent in the named header.
    ApiKeyHeader(String),
    /// A key sent as the named query parameter.
    ApiKeyQuery(String),
    /// An OAuth 2.0 client-credentials flow: a token from `token_url` (as the document writes
    /// it, perhaps relative to the server), sent as a bearer token. `json`: the document's token
    /// operation takes a JSON body, so the client's id and secret are sent in one.
    ClientCredentials { token_url: String, json: bool },
}

impl Security {
    /// What a request carries: a client-credentials flow's token is a bearer token.
    pub fn as_sent(&self) -> Security {
        match self {
            Security::ClientCredentials { .. } => Security::Bearer,
            other => other.clone(),
        }
    }
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Type name of the request (`ListCalls`); the builder is `<name>Builder`.
    pub name: String,
    /// The `operationId` (or `method path` when there is none).
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template with `{wire name}` placeholders.
    pub path: String,
    pub doc: Option<String>,
    /// The operation's `tags` in the document's order (the first names its cargo feature group).
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    /// The request body, if the operation takes one.
    pub body: Option<RequestBody>,
    /// Alternatives of security requirements (each a set of scheme names that must all be
    /// applied); empty when the operation sends no credentials. An empty alternative means
    /// credentials are optional.
    pub security: Vec<Vec<String>>,
    /// The documented success answers, by status (`200`, `2XX`), in status order.
    pub responses: Vec<StatusAnswer>,
    /// The documented error answers (every other status, `4XX`, `default`), in status order.
    pub errors: Vec<StatusAnswer>,
    /// The headers the document declares on any of the operation's answers, by Rust name.
    pub headers: Vec<ResponseHeader>,
    /// The OAuth 2.0 scopes each security requirement names for its `oauth2` schemes, sorted
    /// (parallel to `security`).
    pub scopes: Vec<Vec<String>>,
    /// The wire name of a header parameter that carries an idempotency key (`Idempotency-Key`):
    /// a request that sets it may be retried whatever its method.
    pub idempotency_key: Option<String>,
    pub pagination: Option<Pagination>,
    /// The operation's own server (the first of its `servers`, else its path's), when it has one
    /// that is an absolute URL: Stripe's file uploads go to `https://files.stripe.com/`.
    pub server: Option<String>,
}

impl Operation {
    /// What every success answer carries, when they all carry the same (no documented success
    /// answer reads as no body); `None` when answers differ, and the response is an enum by status.
    pub fn single_answer(&self) -> Option<&Answer> {
        match self.responses.split_first() {
            None => Some(&Answer::Empty),
            Some((first, rest)) => rest
                .iter()
                .all(|s| s.answer == first.answer)
                .then_some(&first.answer),
        }
    }

    /// What every documented error answer is read as, when they are all read alike: the body
    /// they share (JSON, text or bytes), or `Json(Json)` when none documents a body (or none is
    /// documented); `None` when they differ, and the error is the operation's `Error` enum by
    /// status.
    pub fn shared_error(&self) -> Option<Answer> {
        if self.errors.iter().all(|e| e.answer == Answer::Empty) {
            return Some(Answer::Json(TypeRef::Json));
        }
        let (first, rest) = self.errors.split_first()?;
        rest.iter()
            .all(|e| e.answer == first.answer)
            .then(|| first.answer.clone())
    }

    /// Whether the `Error` enum has a variant for a status the document does not list: not when
    /// `default` covers every other status.
    pub fn error_fallback(&self) -> bool {
        !self.errors.iter().any(|e| e.status == "default")
    }

    /// The JSON success body type, when every success answer is that body.
    pub fn json_response(&self) -> Option<&TypeRef> {
        match self.single_answer() {
            Some(Answer::Json(ty)) => Some(ty),
            _ => None,
        }
    }
}

/// One documented answer of a status.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusAnswer {
    /// The status as the document writes it: a code (`201`), a range (`2XX`, `4XX`) or `default`.
    pub status: String,
    pub answer: Answer,
    /// The answer's `description`.
    pub doc: Option<String>,
    /// A JSON answer made valid for its schema (see `lower::example`), for `cargo xtask
    /// wire-check`.
    pub example: Option<serde_json::Value>,
}

/// What an answer's body is read as.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A JSON body of this type.
    Json(TypeRef),
    /// A `text/*` body, as a `String`.
    Text,
    /// Any other media type, as bytes.
    Bytes,
    /// No body (`204`, or an answer without `content`).
    Empty,
}

impl Answer {
    /// What an error answer is read as: an error documented without a body keeps whatever it
    /// carries, as bytes.
    pub fn as_error(&self) -> Answer {
        match self {
            Answer::Empty => Answer::Bytes,
            other => other.clone(),
        }
    }
}

/// A header the document declares on an operation's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// Rust name of its accessor field (`x_rate_limit_remaining`).
    pub name: String,
    /// The header's name as the document writes it (`X-RateLimit-Remaining`).
    pub wire_name: String,
    pub kind: HeaderKind,
    pub doc: Option<String>,
    /// The statuses whose answers declare it, as the document writes them.
    pub statuses: Vec<String>,
}

/// What a declared response header's value is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    Integer,
    Number,
    Boolean,
    DateTime,
    Text,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust identifier (setter and field name).
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub doc: Option<String>,
    pub ty: TypeRef,
    /// A parameter with exactly one allowed value is always sent with it and has no setter.
    pub constant: Option<String>,
    pub constraints: Constraints,
    /// How a value that is no scalar is laid out (OpenAPI `style` and `explode`).
    pub style: Style,
    pub explode: bool,
    /// A value to call the operation with: the document's example, else one made valid for the
    /// schema (see `lower::example`).
    pub example: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    /// Sent in the `Cookie` header, `name=value` pairs laid out in the `form` style.
    Cookie,
}

/// OpenAPI's `style` of a parameter or of a form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `name=a,b` (or, exploded, `name=a&name=b`, and an object's members as their own pairs).
    Form,
    /// `a,b`: path and header parameters.
    Simple,
    /// `name[key]=value`, nested as deep as the value is, arrays as `name[]=…` or `name[0][key]=…`.
    DeepObject,
    /// `a b`.
    SpaceDelimited,
    /// `a|b`.
    PipeDelimited,
}

/// A request body: one or several media types the caller picks from.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub doc: Option<String>,
    /// At least one; with several, the builder takes an enum with one variant each.
    pub contents: Vec<BodyContent>,
}

/// One media type of a request body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyContent {
    /// The media type as the document writes it (sent as `Content-Type`).
    pub media_type: String,
    /// Variant name in the operation's body enum (used when there are several media types).
    pub variant: String,
    pub kind: BodyKind,
    /// Values to call the operation with (none for a webhook's payload).
    pub example: Option<BodyExample>,
}

/// Which parts of a request its example values fill: the required parameters and properties, or
/// every one a request may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    Required,
    All,
}

/// A request body's example values, made valid for its schema (see `lower::example`).
#[derive(Debug, Clone, PartialEq)]
pub struct BodyExample {
    /// With the required properties.
    pub required: serde_json::Value,
    /// With every property a request may send.
    pub all: serde_json::Value,
}

/// How a body is put on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json`, `+json`).
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`, each property laid out as its encoding says.
    Form {
        ty: TypeRef,
        encoding: Vec<FieldEncoding>,
    },
    /// `multipart/form-data`: fields of type `Part` are sent as they are (files or text), the
    /// rest as text parts laid out as their encoding says.
    Multipart {
        ty: TypeRef,
        encoding: Vec<FieldEncoding>,
    },
    /// Raw bytes (`application/octet-stream` and any other type).
    Bytes,
    /// Text (`text/*`).
    Text,
}

/// The `encoding` entry of one property of a form or multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEncoding {
    pub wire_name: String,
    pub style: Style,
    pub explode: bool,
}

/// Checks made on a value when the request is built.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// Offset pagination, declared by the `x-pagination` extension of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Rust names of the offset and limit parameters.
    pub offset_param: String,
    pub limit_param: String,
    /// Field path (Rust names) from the response to the array of items.
    pub items: Vec<FieldStep>,
    /// Field path from the response to the boolean that says whether another page follows.
    pub has_next: Vec<FieldStep>,
    /// The item type.
    pub item: TypeRef,
}

/// One step of a field path: the field's Rust name and whether it is an `Option` (or `Nullable`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    pub field: String,
    pub presence: Presence,
    pub boxed: bool,
    /// The value holding the field is a checked newtype (validating mode): read `.0` first.
    pub newtype: bool,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// The file and JSON pointer it came from, for the generated docs.
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A named schema that is no struct, enum or union: `pub type Name = …;`.
    Alias(TypeRef),
    /// Validating mode: a value checked against assertions the Rust type cannot express.
    Checked(Checked),
}

/// A newtype whose deserialisation also checks the value (validating mode only).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The type the value is read as.
    pub inner: TypeRef,
    /// Assertion keywords (`type`, `enum`, `const`, bounds, lengths, `pattern`, counts, `required`, …)
    /// as a JSON schema text, or `false` for the schema that accepts nothing.
    pub assertions: Option<String>,
    /// Types the value must also read as, when it is of the given JSON kind (`allOf`, and the object
    /// or array keywords of a schema without `type`).
    pub also: Vec<(TypeRef, When)>,
    /// Types the value must not read as (`not`).
    pub not: Vec<TypeRef>,
    /// Types the members of an object must read as (`patternProperties`, `additionalProperties`).
    pub members: Vec<(MemberRule, TypeRef)>,
}

/// Which members of an object a member check applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemberRule {
    /// Members whose name matches the pattern.
    Pattern(String),
    /// Members that are neither listed nor matched by a pattern.
    Additional {
        known: Vec<String>,
        patterns: Vec<String>,
    },
}

/// When an `also` check applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum When {
    Always,
    IfObject,
    IfArray,
    /// The item at this index of an array (`prefixItems`, tuple `items`).
    Item(usize),
    /// Every item of an array from this index on (`items` after `prefixItems`, `additionalItems`).
    ItemsFrom(usize),
}

/// An object with known properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// What happens to properties the schema does not list.
    pub unknown_fields: UnknownFields,
    /// An optional property whose schema does not allow `null` reads a `null` as absent (and keeps
    /// it with the unknown properties, to write it back) instead of failing. Off in validating mode.
    pub lenient_nulls: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownFields {
    /// Kept in a field of this name and written back (the default).
    Keep(String),
    /// Rejected while deserialising (`additionalProperties: false`).
    Deny,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust identifier.
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Set when the field closes a cycle of types and must be behind a `Box`.
    pub boxed: bool,
    /// The file and JSON pointer of the property's schema.
    pub origin: String,
}

impl Field {
    /// How the field is represented, from `required` and `nullable`.
    pub fn presence(&self) -> Presence {
        match (self.required, self.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}

/// The four shapes a property can have on the wire, each with its own Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always there, never null: `T`.
    Required,
    /// Always there, may be null: `Option<T>`, written back as `null`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, written back only when `Some`.
    Optional,
    /// May be absent or null: the tri-state `Nullable<T>`.
    OptionalNullable,
}

/// A closed set of values, with a fallback variant that keeps values not in the set.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub repr: EnumRepr,
    pub variants: Vec<Variant>,
    /// Name of the fallback variant (`Other` unless a listed value took that name).
    pub fallback: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnumRepr {
    String,
    Integer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub value: EnumValue,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EnumValue {
    String(String),
    Integer(i64),
}

/// `oneOf` / `anyOf` of several schemas.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The property whose value tells the variant, when there is one.
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// For tagged unions: the variant that keeps objects with a tag not listed.
    pub fallback: Option<String>,
    /// `oneOf` in validating mode: a value that matches more than one variant is refused.
    pub exclusive: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    /// The tag value that selects this variant (tagged unions only).
    pub tag_value: Option<String>,
    pub ty: TypeRef,
    /// Set for objects (and cycles): the variant holds a `Box`.
    pub boxed: bool,
}

/// A reference to a type, as a field or an item uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Bool,
    /// A signed integer of this many bits (32 or 64).
    Integer(u8),
    /// Any JSON number, kept as written (integer or fraction).
    Number,
    String,
    /// RFC 3339 date-time that writes back the text it read.
    DateTime,
    /// Whole seconds since the Unix epoch.
    UnixTime,
    /// One part of a `multipart/form-data` body: text, or a file with its name and content type.
    Part,
    /// The value `null` and nothing else (`type: "null"`): `()`, which JSON writes as `null`.
    Null,
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    Array(Box<TypeRef>),
    /// An object used as a map from string keys to values of one type.
    Map(Box<TypeRef>),
    /// An array item or map value that may be null: `Option<T>`.
    Nullable(Box<TypeRef>),
    /// A named type: `module` and type name.
    Named {
        module: String,
        name: String,
    },
}
