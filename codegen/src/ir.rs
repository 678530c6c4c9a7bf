//! The intermediate representation: the contract between `lower` and `emit`.
//!
//! Plain data, no tokens and no JSON. Every name in it is already a valid, collision-free Rust identifier.

/// The whole generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Crate {
    /// Modules sorted by name.
    pub modules: Vec<Module>,
}

/// One Rust module (one vendor folder, or one input file).
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Module identifier (`snake_case`), also the name of its cargo feature.
    pub name: String,
    pub doc: Option<String>,
    /// Types sorted by name.
    pub types: Vec<TypeDef>,
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
}

/// An object with known properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// What happens to properties the schema does not list.
    pub unknown_fields: UnknownFields,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    Array(Box<TypeRef>),
    /// An object used as a map from string keys to values of one type.
    Map(Box<TypeRef>),
    /// A named type: `module` and type name.
    Named {
        module: String,
        name: String,
    },
}
