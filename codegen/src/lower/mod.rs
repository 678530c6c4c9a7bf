//! The lower stage: schemas in, IR out. All naming decisions are made here (through [`crate::names`]).
//!
//! It runs in four steps: [`schema`] walks every root schema and builds a graph of types with numeric
//! ids; [`finish`] merges identical inline shapes, names every type, and boxes the fields that close a
//! cycle; then the graph is turned into [`ir::Crate`].

pub mod example;
mod finish;
mod operations;
mod schema;
mod webhooks;

pub(crate) use operations::security_kind;

use crate::diag::{Diagnostic, Failure, Severity};
use crate::ir;
use crate::source::{DocKind, SchemaRef, Sources};
use serde_json::Value;

/// Index of a type in the graph.
pub(crate) type Id = usize;

/// A type reference inside the graph (like [`ir::TypeRef`], with ids instead of names).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Ty {
    Bool,
    Integer(u8),
    Number,
    String,
    DateTime,
    UnixTime,
    Part,
    /// The value `null` and nothing else (`type: "null"`).
    Null,
    Json,
    JsonObject,
    Array(Box<Ty>),
    Map(Box<Ty>),
    /// An array item or map value that may be null.
    Nullable(Box<Ty>),
    Named(Id),
}

impl Ty {
    /// The named type this reference holds directly (not through an array or a map).
    fn direct(&self) -> Option<Id> {
        match self {
            Ty::Named(id) => Some(*id),
            _ => None,
        }
    }

    fn replace_ids(&mut self, map: &dyn Fn(Id) -> Id) {
        match self {
            Ty::Named(id) => *id = map(*id),
            Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => inner.replace_ids(map),
            _ => {}
        }
    }
}

/// The names a type may take, and whether it is a definition (a `$defs`, `definitions` or
/// `components/schemas` key, else its title or file name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hint {
    /// Definitions win name collisions against inline shapes.
    pub definition: bool,
    /// The name asked for, and what the names of the schemas inside are made from: a
    /// definition's key, an inline schema's title, else its position.
    pub text: String,
    /// Where the schema sits, from its definition or operation down (a property's name, `Item`,
    /// `Value`, a union variant's own title or index), never an enclosing schema's title: the
    /// name an inline schema falls back to when its title or `text` is another's too.
    pub position: String,
    /// An inline schema's own title.
    pub title: Option<String>,
}

impl Hint {
    /// The hint of a schema that sits at the top: a definition, an operation's body, answer or
    /// parameter.
    pub fn top(definition: bool, text: String) -> Hint {
        Hint {
            definition,
            position: text.clone(),
            text,
            title: None,
        }
    }

    /// The hint of a schema inside this one: `segment` (a property's name, `Item`) after both
    /// names.
    pub fn child(&self, segment: &str) -> Hint {
        self.child_at(segment, segment)
    }

    /// [`Hint::child`] with another segment for the position (a union variant's own title).
    pub fn child_at(&self, segment: &str, position: &str) -> Hint {
        Hint {
            definition: false,
            text: format!("{} {segment}", self.text),
            position: format!("{} {position}", self.position),
            title: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct FieldNode {
    pub wire_name: String,
    pub doc: Option<String>,
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub declared_at: DeclaredAt,
}

/// Where a property was declared. It travels with the field into the IR (the change report names
/// it); it is no part of the shape (`finish::shape_key` clears it), so identical shapes declared in
/// several places still merge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct DeclaredAt(pub SchemaRef);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct VariantNode {
    pub value: ir::EnumValue,
    /// A name given by the schema (`x-enum-varnames`), if any.
    pub name: Option<String>,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// Being lowered (only seen while recursion is in progress).
    Pending,
    Struct {
        fields: Vec<FieldNode>,
        deny_unknown: bool,
    },
    Enum {
        repr: ir::EnumRepr,
        variants: Vec<VariantNode>,
    },
    Union {
        tag: Option<String>,
        variants: Vec<(Ty, Option<String>)>,
        exclusive: bool,
    },
    Alias(Ty),
    Checked {
        inner: Ty,
        assertions: Option<String>,
        also: Vec<(Ty, ir::When)>,
        not: Vec<Ty>,
        members: Vec<(ir::MemberRule, Ty)>,
    },
}

impl Kind {
    fn replace_ids(&mut self, map: &dyn Fn(Id) -> Id) {
        match self {
            Kind::Struct { fields, .. } => fields.iter_mut().for_each(|f| f.ty.replace_ids(map)),
            Kind::Union { variants, .. } => {
                variants.iter_mut().for_each(|(t, _)| t.replace_ids(map))
            }
            Kind::Alias(t) => t.replace_ids(map),
            Kind::Checked {
                inner,
                also,
                not,
                members,
                ..
            } => {
                inner.replace_ids(map);
                also.iter_mut().for_each(|(t, _)| t.replace_ids(map));
                not.iter_mut().for_each(|t| t.replace_ids(map));
                members.iter_mut().for_each(|(_, t)| t.replace_ids(map));
            }
            Kind::Pending | Kind::Enum { .. } => {}
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub module: String,
    pub hint: Hint,
    pub origin: SchemaRef,
    pub doc: Option<String>,
    pub kind: Kind,
    /// Set when dedup merged this node into another one.
    pub merged_into: Option<Id>,
}

/// An OpenAPI operation, with graph types.
#[derive(Debug, Clone)]
pub(crate) struct OpNode {
    pub module: String,
    pub id: String,
    pub method: String,
    pub path: String,
    pub doc: Option<String>,
    /// The operation's `tags`, as written.
    pub tags: Vec<String>,
    pub params: Vec<ParamNode>,
    pub body: Option<BodyNode>,
    pub security: Vec<Vec<String>>,
    /// OAuth 2.0 scopes each requirement names, sorted (parallel to `security`).
    pub scopes: Vec<Vec<String>>,
    /// Success answers by status, in status order.
    pub responses: Vec<StatusNode>,
    /// Error answers by status (every other status, ranges, `default`), in status order.
    pub errors: Vec<StatusNode>,
    /// Headers declared on the answers, one per name (compared without case).
    pub headers: Vec<HeaderNode>,
    pub pagination: Option<PaginationNode>,
    pub server: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ParamNode {
    /// What the Rust name is made from: the wire name, unless a repair bound the parameter to
    /// another path placeholder.
    pub name: String,
    pub wire_name: String,
    pub location: ir::ParamLocation,
    pub required: bool,
    pub doc: Option<String>,
    pub ty: Ty,
    pub constant: Option<String>,
    pub constraints: ir::Constraints,
    pub style: ir::Style,
    pub explode: bool,
    pub example: Value,
}

/// A request body, with graph types.
#[derive(Debug, Clone)]
pub(crate) struct BodyNode {
    pub required: bool,
    pub doc: Option<String>,
    /// Media type, and how it is encoded.
    pub contents: Vec<(String, BodyKindNode)>,
    /// Example values, parallel to `contents` (empty for a webhook's payload).
    pub examples: Vec<ir::BodyExample>,
}

#[derive(Debug, Clone)]
pub(crate) enum BodyKindNode {
    Json(Ty),
    Form(Ty, Vec<ir::FieldEncoding>),
    Multipart(Ty, Vec<ir::FieldEncoding>),
    Bytes,
    Text,
}

/// A webhook event (a `webhooks` or `x-webhooks` entry, or a request of a callback), with graph
/// types.
#[derive(Debug, Clone)]
pub(crate) struct WebhookNode {
    pub module: String,
    pub key: String,
    /// For a callback, the `operationId` (or `method path`) of the operation that declares it.
    pub source: ir::WebhookSource,
    pub method: String,
    pub doc: Option<String>,
    /// The payload's media type and how it is read.
    pub body: Option<(String, BodyKindNode)>,
    pub headers: Vec<HeaderNode>,
    /// The properties (paths of wire names) the payload fixes to one value, with that value.
    pub tags: std::collections::BTreeMap<Vec<String>, String>,
    pub at: SchemaRef,
}

/// A header declared on an operation's answers (before naming).
#[derive(Debug, Clone)]
pub(crate) struct HeaderNode {
    pub wire_name: String,
    pub kind: ir::HeaderKind,
    pub doc: Option<String>,
    pub statuses: Vec<String>,
}

/// One answer of a status, with graph types.
#[derive(Debug, Clone)]
pub(crate) struct StatusNode {
    pub status: String,
    pub answer: AnswerNode,
    pub doc: Option<String>,
    pub example: Option<Value>,
}

/// What an answer's body is read as, with graph types.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnswerNode {
    Json(Ty),
    Text,
    Bytes,
    Empty,
}

/// `x-pagination` as written: parameter wire names and JSON pointers into the response.
#[derive(Debug, Clone)]
pub(crate) struct PaginationNode {
    pub offset: String,
    pub limit: String,
    pub items: String,
    pub has_next: String,
    pub at: SchemaRef,
}

/// Everything the schema walk produced.
pub(crate) struct Graph {
    pub nodes: Vec<Node>,
    pub operations: Vec<OpNode>,
    pub webhooks: Vec<WebhookNode>,
    pub apis: Vec<(String, ir::Api)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Validating mode: structs refuse a `null` their schema does not allow.
    pub validate: bool,
}

/// Lowers every loaded document. Warnings go to `warnings`; any error fails the run, and so does
/// any warning when `strict`.
/// What [`lower`] is asked for besides the IR (see the fields of `Config` of the same names).
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub validate: bool,
    pub strict: bool,
    pub answer_examples: bool,
}

pub fn lower(
    sources: &Sources,
    options: Options,
    warnings: &mut Vec<Diagnostic>,
) -> Result<ir::Crate, Failure> {
    let Options {
        validate, strict, ..
    } = options;
    let mut lowerer = schema::Lowerer::new(sources, validate);
    lowerer.answer_examples = options.answer_examples;
    let maps = component_map_files(sources);
    for (i, doc) in sources.docs.iter().enumerate() {
        let root = SchemaRef {
            doc: i,
            pointer: String::new(),
        };
        match &doc.kind {
            DocKind::JsonSchema => {
                if doc.whole && !maps.contains(&i) && defines_a_type(&doc.root) {
                    lowerer.definition(&root, None);
                }
                for container in ["$defs", "definitions"] {
                    lowerer.definitions_in(&root.child(container));
                }
            }
            DocKind::OpenApi(_) => {
                lowerer.definitions_in(&root.child("components").child("schemas"));
                lowerer.openapi(&root);
            }
        }
    }
    let mut graph = lowerer.into_parts();
    let mut diagnostics = sources.warnings.clone();
    diagnostics.append(&mut graph.diagnostics);
    // The same problem reached along two paths is reported once.
    let mut seen = Vec::new();
    diagnostics.retain(|d| {
        let new = !seen.contains(d);
        if new {
            seen.push(d.clone());
        }
        new
    });
    let (mut errors, warns): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if strict {
        errors.extend(warns.into_iter().map(|mut w| {
            w.severity = Severity::Error;
            w
        }));
    } else {
        warnings.extend(warns);
    }
    if errors.is_empty() {
        match finish::finish(graph, sources) {
            Ok((krate, naming)) if !strict => {
                warnings.extend(naming);
                return Ok(krate);
            }
            Ok((krate, naming)) if naming.is_empty() => return Ok(krate),
            Ok((_, naming)) => errors.extend(naming.into_iter().map(|mut w| {
                w.severity = Severity::Error;
                w
            })),
            Err(more) => errors.extend(more),
        }
    }
    Err(Failure {
        diagnostics: errors,
    })
}

/// The files a document's map of components is a `$ref` to (`"schemas": {"$ref":
/// "./schemas.json"}`): maps of definitions, not types.
fn component_map_files(sources: &Sources) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, doc) in sources.docs.iter().enumerate() {
        if !matches!(doc.kind, DocKind::OpenApi(_)) {
            continue;
        }
        let Some(Value::Object(components)) = doc.root.get("components") else {
            continue;
        };
        for (kind, map) in components {
            if map.get("$ref").is_some() {
                let at = SchemaRef {
                    doc: i,
                    pointer: format!("/components/{}", crate::source::escape_token(kind)),
                };
                let target = sources.follow_refs(&at, 64);
                if target.pointer.is_empty() && target.doc != i {
                    out.push(target.doc);
                }
            }
        }
    }
    out
}

/// Whether a root schema describes a value (and so deserves a type), rather than only holding `$defs`.
fn defines_a_type(schema: &Value) -> bool {
    const NON_TYPE: &[&str] = &[
        "$schema",
        "$id",
        "id",
        "$defs",
        "definitions",
        "title",
        "description",
        "$comment",
        "examples",
        "$vocabulary",
        "$anchor",
    ];
    match schema {
        Value::Object(map) => map.keys().any(|k| !NON_TYPE.contains(&k.as_str())),
        // Anything else is no schema at all: lowering it reports that.
        _ => true,
    }
}
