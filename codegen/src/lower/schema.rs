//! Walks schemas and builds the type graph.

use super::{DeclaredAt, FieldNode, Hint, Id, Kind, Node, Ty, VariantNode};
use crate::diag::Diagnostic;
use crate::ir::{EnumRepr, EnumValue};
use crate::names::{ident, Case};
use crate::source::{SchemaRef, Sources};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde_json::{Map, Value};

/// A lowered schema: its type, and whether `null` is also allowed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shape {
    pub ty: Ty,
    pub nullable: bool,
}

impl Shape {
    fn of(ty: Ty) -> Shape {
        Shape {
            ty,
            nullable: false,
        }
    }
}

/// How deep `$ref` chains and nesting may go before the schema is declared cyclic.
const MAX_DEPTH: usize = 2048;

pub(crate) struct Lowerer<'a> {
    pub(super) sources: &'a Sources,
    /// Operations of OpenAPI documents, in document order.
    pub(super) operations: Vec<super::OpNode>,
    pub(super) webhooks: Vec<super::WebhookNode>,
    /// Servers and security of each module's OpenAPI document.
    pub(super) apis: Vec<(String, crate::ir::Api)>,
    pub(super) nodes: Vec<Node>,
    /// Schemas already lowered, by location (so each `$ref` target is lowered once).
    done: HashMap<SchemaRef, Shape>,
    /// Schemas being lowered that are not nodes (to catch cycles through arrays and aliases), each
    /// with the number of nodes there were when it started.
    in_progress: Vec<(SchemaRef, usize)>,
    /// Schemas of `in_progress` reached again through a type being built: the alias node that
    /// stands for each until its shape is known.
    deferred: HashMap<SchemaRef, Id>,
    diagnostics: Vec<Diagnostic>,
    /// Validating mode (see `Config::validate`).
    validate: bool,
    /// Make an example of every JSON answer (see `Config::answer_examples`).
    pub(super) answer_examples: bool,
    /// Validating mode: schemas already given their checked shape.
    checked_done: HashMap<SchemaRef, Shape>,
    /// Validating mode: schemas whose checked shape is being made (recursion reads the plain shape).
    checking: Vec<SchemaRef>,
}

/// What a schema will become, decided before lowering so recursive references can point at it.
enum Class {
    Struct,
    Enum,
    Union,
    Other,
}

impl<'a> Lowerer<'a> {
    pub fn new(sources: &'a Sources, validate: bool) -> Self {
        Lowerer {
            sources,
            validate,
            answer_examples: false,
            checked_done: HashMap::default(),
            checking: Vec::new(),
            operations: Vec::new(),
            webhooks: Vec::new(),
            apis: Vec::new(),
            nodes: Vec::new(),
            done: HashMap::default(),
            in_progress: Vec::new(),
            deferred: HashMap::default(),
            diagnostics: Vec::new(),
        }
    }

    pub fn into_parts(self) -> super::Graph {
        super::Graph {
            nodes: self.nodes,
            operations: self.operations,
            webhooks: self.webhooks,
            apis: self.apis,
            diagnostics: self.diagnostics,
            validate: self.validate,
        }
    }

    pub(super) fn error(&mut self, at: &SchemaRef, message: impl Into<String>, hint: &str) {
        let d = Diagnostic::error(self.sources.location(at), message);
        self.diagnostics.push(if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        });
    }

    /// A schema part the generator cannot type: it becomes `serde_json::Value`, counted in the
    /// summary as untyped.
    pub(super) fn warn(&mut self, at: &SchemaRef, message: impl Into<String>) {
        self.leave_out(
            at,
            crate::diag::LeftOut::Type,
            message,
            "the generator used `serde_json::Value` here; the rest of the schema is unaffected",
        );
    }

    pub(super) fn warn_with(&mut self, at: &SchemaRef, message: impl Into<String>, hint: &str) {
        self.diagnostics
            .push(Diagnostic::warning(self.sources.location(at), message).with_hint(hint));
    }

    /// A defect that costs one item (an operation, a parameter, a body): it is left out.
    pub(super) fn leave_out(
        &mut self,
        at: &SchemaRef,
        item: crate::diag::LeftOut,
        message: impl Into<String>,
        hint: &str,
    ) {
        let warning = Diagnostic::warning(self.sources.location(at), message)
            .with_hint(hint)
            .leaving_out(item);
        self.diagnostics.push(warning);
    }

    /// Warns when a `pattern` is beyond the regular expressions the generated code checks with.
    pub(super) fn check_pattern(&mut self, at: &SchemaRef, pattern: &str) {
        if regex_lite::Regex::new(pattern).is_err() {
            self.warn_with(
                at,
                format!("the pattern `{pattern}` is not supported by the generated code's regular expressions"),
                "values are not checked against it",
            );
        }
    }

    /// Lowers every entry of a definitions object (`$defs`, `definitions`, `components/schemas`),
    /// each named from its key.
    pub fn definitions_in(&mut self, container: &SchemaRef) {
        let container = self.components_map(container);
        let Some(Value::Object(map)) = self.sources.get(&container) else {
            return;
        };
        for key in map.keys() {
            self.definition(&container.child(key), Some(key));
        }
    }

    /// A map of components (`components/schemas`, `securitySchemes`, …) that is itself a `$ref`
    /// (`{"$ref": "./spec/components/schemas.json"}`, as SendGrid writes it): not what OpenAPI
    /// allows, but unambiguous, so it is read from where it points, with a warning.
    pub(super) fn components_map(&mut self, at: &SchemaRef) -> SchemaRef {
        let target = match self.sources.get(at) {
            Some(Value::Object(map)) if map.len() == 1 => match map.get("$ref") {
                Some(Value::String(target)) => target.clone(),
                _ => return at.clone(),
            },
            _ => return at.clone(),
        };
        let followed = self.follow_refs(at);
        let what = at.pointer.trim_start_matches('/').replace("~1", "/");
        self.warn_with(
            at,
            format!("`{what}` is a `$ref` (to `{target}`) where OpenAPI expects a map"),
            "its entries are read from the map it points to; `--strict` refuses it",
        );
        followed
    }

    /// Lowers a schema that a definition names: from its key when it is an entry of a
    /// definitions object, else as [`target_name`] says. A definition that only points elsewhere
    /// adds no type.
    pub fn definition(&mut self, at: &SchemaRef, key: Option<&str>) {
        if self.done.contains_key(at) {
            return;
        }
        let name = key
            .map(str::to_owned)
            .or_else(|| target_name(self.sources, at))
            .unwrap_or_default();
        let hint = Hint::top(true, name);
        let shape = self.shape_with(at, &hint, 0);
        let is_ref = self.sources.get(at).and_then(|v| v.get("$ref")).is_some();
        // A file's root always has a type of its own (a pure `$ref` root becomes an alias).
        let root_without_type = at.pointer.is_empty()
            && !matches!(&shape.ty, Ty::Named(id) if self.nodes.get(*id).is_some_and(|n| n.origin == *at));
        if root_without_type || (!matches!(shape.ty, Ty::Named(_)) && !is_ref) {
            let module = self.sources.docs[at.doc].module.clone();
            let doc = self.sources.get(at).and_then(description);
            self.nodes.push(Node {
                module,
                hint,
                origin: at.clone(),
                doc,
                kind: Kind::Alias(shape.ty),
                merged_into: None,
            });
        }
    }

    /// Lowers the schema at `at`; new types it needs are named after `hint`. In validating mode the
    /// result also checks what its Rust type cannot express.
    pub(super) fn shape_with(&mut self, at: &SchemaRef, hint: &Hint, depth: usize) -> Shape {
        if !self.validate || depth > MAX_DEPTH {
            return self.shape_inner(at, hint, depth);
        }
        if let Some(shape) = self.checked_done.get(at) {
            return shape.clone();
        }
        if self.checking.contains(at) {
            return self.shape_inner(at, hint, depth);
        }
        self.checking.push(at.clone());
        let shape = self.checked(at, hint, depth);
        self.checking.retain(|c| c != at);
        self.checked_done.insert(at.clone(), shape.clone());
        shape
    }

    /// Runs `f` with the validating mode off (for schemas whose values are checked elsewhere).
    pub(super) fn plain_mode<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.validate, false);
        let out = f(self);
        self.validate = saved;
        out
    }

    /// Validating mode: the plain shape, wrapped in a checked newtype when the schema asserts more
    /// than the Rust type enforces.
    fn checked(&mut self, at: &SchemaRef, hint: &Hint, depth: usize) -> Shape {
        let sources = self.sources;
        let map = match sources.get(at) {
            Some(Value::Bool(false)) => {
                let kind = Kind::Checked {
                    inner: Ty::Json,
                    assertions: Some("false".into()),
                    also: vec![],
                    not: vec![],
                    members: vec![],
                };
                return self.push_node(at, hint, kind);
            }
            Some(Value::Object(map)) => map,
            _ => return self.shape_inner(at, hint, depth),
        };
        let typeless = !map.contains_key("type") && !map.contains_key("$ref");
        // A schema that will surely be checked gets its node first, so recursion reaches the
        // checked type rather than the plain one.
        let simple_type = matches!(map.get("type"), Some(Value::String(_)) | None);
        let surely_checked = (typeless && map.keys().any(|k| SHAPE_KEYWORDS.contains(&k.as_str())))
            || map
                .keys()
                .any(|k| k != "type" && ASSERTIONS.contains(&k.as_str()))
            || map.contains_key("allOf")
            || map.contains_key("not")
            || !simple_type;
        let early = surely_checked.then(|| {
            let shape = self.push_node(at, hint, Kind::Pending);
            self.checked_done.insert(at.clone(), shape.clone());
            self.checking.retain(|c| c != at);
            shape
        });
        let nodes_before = self.nodes.len();
        let plain = self.shape_inner(at, hint, depth);
        let mut also = Vec::new();
        let mut inner = if plain.nullable {
            Ty::Json
        } else {
            plain.ty.clone()
        };
        // A schema without `type` accepts values of every kind; its object or array keywords
        // apply only to objects or arrays.

        if typeless
            && map
                .keys()
                .any(|k| k == "allOf" || SHAPE_KEYWORDS.contains(&k.as_str()))
            && self.is_struct(&plain.ty)
        {
            also.push((plain.ty.clone(), crate::ir::When::IfObject));
            inner = Ty::Json;
        } else if typeless && matches!(plain.ty, Ty::Array(_) | Ty::Map(_) | Ty::JsonObject) {
            let when = if matches!(plain.ty, Ty::Array(_)) {
                crate::ir::When::IfArray
            } else {
                crate::ir::When::IfObject
            };
            also.push((plain.ty.clone(), when));
            inner = Ty::Json;
        }
        if let Some(Value::Array(parts)) = map.get("allOf") {
            for i in 0..parts.len() {
                let part =
                    self.shape_with(&at.child("allOf").child(&i.to_string()), hint, depth + 1);
                also.push((part.ty, crate::ir::When::Always));
            }
            if typeless {
                inner = Ty::Json;
            }
        }
        // Tuples: each position, then the items after them.
        let tuple = if map.get("prefixItems").is_some_and(Value::is_array) {
            Some(("prefixItems", "items"))
        } else if map.get("items").is_some_and(Value::is_array) {
            Some(("items", "additionalItems"))
        } else {
            None
        };
        if let Some((positions, rest)) = tuple {
            let count = map
                .get(positions)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..count {
                let item =
                    self.shape_with(&at.child(positions).child(&i.to_string()), hint, depth + 1);
                also.push((item.ty, crate::ir::When::Item(i)));
            }
            if map.contains_key(rest) {
                let item = self.shape_with(&at.child(rest), hint, depth + 1);
                also.push((item.ty, crate::ir::When::ItemsFrom(count)));
            }
        }
        let members = self.member_checks(at, map, hint, depth);
        if let Some(Value::String(pattern)) = map.get("pattern") {
            self.check_pattern(&at.child("pattern"), pattern);
        }
        if let Some(Value::Object(patterns)) = map.get("patternProperties") {
            for pattern in patterns.keys() {
                self.check_pattern(&at.child("patternProperties"), pattern);
            }
        }
        let mut not = Vec::new();
        if map.contains_key("not") {
            not.push(self.shape_with(&at.child("not"), hint, depth + 1).ty);
        }
        let mut assertions: Map<String, Value> = map
            .iter()
            .filter(|(k, _)| ASSERTIONS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // Numbers in `const` and `enum` compare by value (`1.0` equals `1`): read any JSON value.
        if map.contains_key("const") || map.contains_key("enum") {
            inner = Ty::Json;
        }
        // `anyOf` / `oneOf` whose only branches are `null` allow nothing but `null`.
        if let Some((key, branches)) = union_branches(map) {
            let all = map.get(key).and_then(Value::as_array).map_or(0, Vec::len);
            if branches.is_empty() && all > 0 && !assertions.contains_key("type") {
                assertions.insert("type".into(), Value::String("null".into()));
                inner = Ty::Json;
            }
        }
        if enforced_type(&inner, map) {
            assertions.remove("type");
        }
        if assertions.is_empty() && also.is_empty() && not.is_empty() && members.is_empty() {
            if let Some(Shape {
                ty: Ty::Named(id), ..
            }) = early
            {
                self.nodes[id].kind = Kind::Alias(plain.ty.clone());
            }
            return plain;
        }
        // The plain type made for this very schema steps aside for the checked one's name.
        if let Ty::Named(id) = plain.ty {
            if id >= nodes_before {
                let hint = &mut self.nodes[id].hint;
                hint.text.push_str(" Value");
                hint.position.push_str(" Value");
            }
        }
        let assertions = (!assertions.is_empty()).then(|| Value::Object(assertions).to_string());
        let kind = Kind::Checked {
            inner,
            assertions,
            also,
            not,
            members,
        };
        if let Some(Shape {
            ty: Ty::Named(id), ..
        }) = early
        {
            self.nodes[id].kind = kind;
            return Shape::of(Ty::Named(id));
        }
        self.push_node(at, hint, kind)
    }

    /// Validating mode: what `patternProperties` and a schema-valued `additionalProperties` require
    /// of an object's members (a struct keeps such members without looking at them).
    fn member_checks(
        &mut self,
        at: &SchemaRef,
        map: &Map<String, Value>,
        hint: &Hint,
        depth: usize,
    ) -> Vec<(crate::ir::MemberRule, Ty)> {
        let patterns: Vec<String> = match map.get("patternProperties") {
            Some(Value::Object(p)) => p.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let additional_is_schema = match map.get("additionalProperties") {
            Some(Value::Object(_)) => true,
            Some(Value::Bool(false)) => !patterns.is_empty(),
            _ => false,
        };
        let mut out = Vec::new();
        for pattern in &patterns {
            let at = at.child("patternProperties").child(pattern);
            let ty = self.shape_with(&at, hint, depth + 1).ty;
            out.push((crate::ir::MemberRule::Pattern(pattern.clone()), ty));
        }
        if additional_is_schema {
            let known = match map.get("properties") {
                Some(Value::Object(p)) => p.keys().cloned().collect(),
                _ => Vec::new(),
            };
            let ty = self
                .shape_with(&at.child("additionalProperties"), hint, depth + 1)
                .ty;
            out.push((crate::ir::MemberRule::Additional { known, patterns }, ty));
        }
        out
    }

    /// A new node for the schema at `at`.
    fn push_node(&mut self, at: &SchemaRef, hint: &Hint, kind: Kind) -> Shape {
        let id = self.nodes.len();
        self.nodes.push(Node {
            module: self.sources.docs[at.doc].module.clone(),
            hint: hint.clone(),
            origin: at.clone(),
            doc: self.sources.get(at).and_then(description),
            kind,
            merged_into: None,
        });
        Shape::of(Ty::Named(id))
    }

    /// A schema reached again while it is being lowered. Through a struct or union still being
    /// built (an array of itself inside an object, a property copied by `allOf` from the object
    /// that holds it), the recursion has a finite size: an alias node stands for the schema until
    /// its shape is known. Without one, the schema contains itself directly: an error.
    fn reentered(&mut self, at: &SchemaRef, hint: &Hint, nodes_then: usize) -> Shape {
        let through_a_type = self.nodes[nodes_then..]
            .iter()
            .any(|n| matches!(n.kind, Kind::Pending));
        if !through_a_type {
            self.error(at, "the schema refers to itself without an object in between", "a type cannot contain itself directly; put the recursion inside an object property");
            return Shape::of(Ty::Json);
        }
        if let Some(&id) = self.deferred.get(at) {
            return Shape::of(Ty::Named(id));
        }
        self.deferred.insert(at.clone(), self.nodes.len());
        self.push_node(at, hint, Kind::Pending)
    }

    /// Gives the alias node that stood for `at` (see [`Lowerer::reentered`]) its type.
    fn settle_deferred(&mut self, at: &SchemaRef, shape: &Shape) {
        if let Some(id) = self.deferred.remove(at) {
            // An alias of itself would be no type at all; it stands for any JSON value then.
            let ty = match shape.ty {
                Ty::Named(same) if same == id => Ty::Json,
                ref ty => ty.clone(),
            };
            self.nodes[id].kind = Kind::Alias(ty);
        }
    }

    fn is_struct(&self, ty: &Ty) -> bool {
        matches!(ty, Ty::Named(id) if matches!(self.nodes.get(*id).map(|n| &n.kind), Some(Kind::Struct { .. })))
    }

    /// The plain lowering of a schema.
    fn shape_inner(&mut self, at: &SchemaRef, hint: &Hint, depth: usize) -> Shape {
        if let Some(shape) = self.done.get(at) {
            return shape.clone();
        }
        if depth > MAX_DEPTH {
            let message =
                format!("the schema nests (through `$ref`s) deeper than {MAX_DEPTH} levels");
            self.error(
                at,
                message,
                "split it into definitions that refer to each other",
            );
            return Shape::of(Ty::Json);
        }
        if let Some(&(_, nodes_then)) = self.in_progress.iter().find(|(a, _)| a == at) {
            return self.reentered(at, hint, nodes_then);
        }
        let Some(value) = self.sources.get(at) else {
            self.error(at, "expected a schema here, found nothing", "");
            return Shape::of(Ty::Json);
        };
        let map = match value {
            Value::Bool(true) => return Shape::of(Ty::Json),
            Value::Bool(false) => {
                self.warn(at, "the schema `false` accepts no value");
                return Shape::of(Ty::Json);
            }
            Value::Object(map) => map,
            other => {
                let found = json_kind(other);
                self.error(
                    at,
                    format!("expected a schema (an object or a boolean), found {found}"),
                    "",
                );
                return Shape::of(Ty::Json);
            }
        };
        if let Some(reference) = map.get("$ref") {
            let Value::String(reference) = reference else {
                self.error(at, "expected `$ref` to be a string", "");
                return Shape::of(Ty::Json);
            };
            return match self.sources.resolve(at, reference) {
                Ok(target) => {
                    let name = target_name(self.sources, &target);
                    self.in_progress.push((at.clone(), self.nodes.len()));
                    let target_hint = match &name {
                        Some(n) => Hint::top(true, n.clone()),
                        None => hint.clone(),
                    };
                    let mut shape = self.shape_with(&target, &target_hint, depth + 1);
                    self.in_progress.pop();
                    shape.nullable |= map.get("nullable") == Some(&Value::Bool(true));
                    self.settle_deferred(at, &shape);
                    shape
                }
                Err(d) => {
                    self.diagnostics.push(d);
                    Shape::of(Ty::Json)
                }
            };
        }
        let nullable = is_nullable(map);
        let all_of_object = map.contains_key("allOf") && self.describes_object(at);
        match classify(map, all_of_object, self.validate) {
            Class::Other => {
                self.in_progress.push((at.clone(), self.nodes.len()));
                let shape = self.plain(at, map, hint, depth);
                self.in_progress.pop();
                self.settle_deferred(at, &shape);
                self.done.insert(at.clone(), shape.clone());
                shape
            }
            class => {
                let id = self.nodes.len();
                let mut shape = Shape {
                    ty: Ty::Named(id),
                    nullable,
                };
                self.done.insert(at.clone(), shape.clone());
                self.nodes.push(Node {
                    module: self.sources.docs[at.doc].module.clone(),
                    hint: match map.get("title").and_then(Value::as_str) {
                        Some(title) if !hint.definition => Hint {
                            text: title.to_owned(),
                            title: Some(title.to_owned()),
                            ..hint.clone()
                        },
                        _ => hint.clone(),
                    },
                    origin: at.clone(),
                    doc: description(value),
                    kind: Kind::Pending,
                    merged_into: None,
                });
                let (kind, null_branch) = match class {
                    Class::Struct => (self.object(at, map, id, depth), false),
                    Class::Enum => (self.enumeration(at, map), false),
                    _ => self.union(at, map, id, depth),
                };
                self.nodes[id].kind = kind;
                // A branch that may be null makes the union nullable (`Option<Union>`), so that
                // each variant keeps its own type.
                if null_branch && !shape.nullable {
                    shape.nullable = true;
                    self.done.insert(at.clone(), shape.clone());
                }
                shape
            }
        }
    }

    /// Schemas that become no type of their own: scalars, arrays, maps, nullable wrappers.
    fn plain(
        &mut self,
        at: &SchemaRef,
        map: &Map<String, Value>,
        hint: &Hint,
        depth: usize,
    ) -> Shape {
        let nullable = is_nullable(map);
        // `anyOf`/`oneOf` of one schema and `null`: the schema, nullable.
        if let Some((key, branches)) = union_branches(map) {
            if let [(index, _)] = branches.as_slice() {
                let mut shape =
                    self.shape_with(&at.child(key).child(&index.to_string()), hint, depth + 1);
                shape.nullable |= nullable;
                return shape;
            }
        }
        // `allOf` that describes no object: the one part that says something (a `$ref` next to
        // a description, say) gives the type.
        if let Some(Value::Array(parts)) = map.get("allOf").filter(|_| !map.contains_key("type")) {
            let telling: Vec<usize> = (0..parts.len())
                .filter(|&i| !annotation_only(&parts[i]))
                .collect();
            match telling.as_slice() {
                [] => {}
                [one] => {
                    let mut shape = self.shape_with(
                        &at.child("allOf").child(&one.to_string()),
                        hint,
                        depth + 1,
                    );
                    shape.nullable |= nullable;
                    return shape;
                }
                _ => {
                    if !self.validate {
                        self.warn(at, "`allOf` of several schemas that are not objects");
                    }
                    return Shape {
                        ty: Ty::Json,
                        nullable,
                    };
                }
            }
        }
        let types = non_null_types(map);
        let ty = match types.as_slice() {
            // `null` only: nullable too, so that an optional member keeps an explicit `null`.
            [] if map.contains_key("type") => {
                return Shape {
                    ty: Ty::Null,
                    nullable: true,
                }
            }
            [] if map.contains_key("items") || map.contains_key("prefixItems") => {
                self.array(at, map, hint, depth)
            }
            [] if map.contains_key("additionalProperties") => self.map(at, map, hint, depth),
            [] => {
                if let Some(c) = map.get("const") {
                    scalar_of(c)
                } else {
                    Ty::Json
                }
            }
            [one] => match *one {
                "string" => match map.get("format").and_then(Value::as_str) {
                    Some("date-time") => Ty::DateTime,
                    _ => Ty::String,
                },
                "integer" => match map.get("format").and_then(Value::as_str) {
                    Some("unix-time") => Ty::UnixTime,
                    Some("int32") => Ty::Integer(32),
                    _ => Ty::Integer(64),
                },
                "number" => Ty::Number,
                "boolean" => Ty::Bool,
                "array" => self.array(at, map, hint, depth),
                "object" => self.map(at, map, hint, depth),
                other => {
                    let other = other.to_owned();
                    self.error(
                        &at.child("type"),
                        format!("unknown type `{other}`"),
                        "expected one of string, integer, number, boolean, array, object, null",
                    );
                    Ty::Json
                }
            },
            _ => {
                self.warn(
                    at,
                    format!(
                        "a value of several types ({}) is not supported yet",
                        types.join(", ")
                    ),
                );
                Ty::Json
            }
        };
        Shape { ty, nullable }
    }

    fn array(&mut self, at: &SchemaRef, map: &Map<String, Value>, hint: &Hint, depth: usize) -> Ty {
        let item_hint = hint.child("Item");
        // Tuples read as arrays of any value (the validating mode checks each position).
        let tuple = if map.get("prefixItems").is_some_and(Value::is_array) {
            "prefixItems"
        } else {
            match map.get("items") {
                Some(Value::Object(_) | Value::Bool(_)) => {
                    let item = self.shape_with(&at.child("items"), &item_hint, depth + 1);
                    return Ty::Array(Box::new(nullable_value(item)));
                }
                Some(_) => "items",
                None => return Ty::Array(Box::new(Ty::Json)),
            }
        };
        if !self.validate {
            self.warn(
                &at.child(tuple),
                format!("`{tuple}` as an array (a tuple) is read as an array of any JSON value"),
            );
        }
        Ty::Array(Box::new(Ty::Json))
    }

    fn map(&mut self, at: &SchemaRef, map: &Map<String, Value>, hint: &Hint, depth: usize) -> Ty {
        // One pattern and no other members (Matrix's rooms by ID, `^!`): a map of its schema's
        // values. The validating mode checks the names as well.
        if let Some((pattern, every_member)) = single_pattern(map).filter(|_| !self.validate) {
            let patterns_at = at.child("patternProperties");
            if !every_member {
                self.warn_with(
                    &patterns_at,
                    format!("members whose names do not match `{pattern}` may hold any value; they are read as the pattern's schema too"),
                    "the object is a map of that schema's values; say `additionalProperties: false` to make that exact",
                );
            }
            let value_hint = hint.child("Value");
            let value = self.shape_with(&patterns_at.child(pattern), &value_hint, depth + 1);
            return Ty::Map(Box::new(nullable_value(value)));
        }
        match map.get("additionalProperties") {
            // Members matched by `patternProperties` need not fit `additionalProperties`: a map of
            // one value type would refuse them.
            _ if map.contains_key("patternProperties") => {
                if !self.validate {
                    self.warn(
                        &at.child("patternProperties"),
                        "an object whose members' schemas depend on their names (`patternProperties`) is read as a map of any JSON value",
                    );
                }
                Ty::JsonObject
            }
            Some(Value::Object(extra)) if !extra.is_empty() => {
                let value_hint = hint.child("Value");
                let value =
                    self.shape_with(&at.child("additionalProperties"), &value_hint, depth + 1);
                Ty::Map(Box::new(nullable_value(value)))
            }
            _ => Ty::JsonObject,
        }
    }

    fn object(&mut self, at: &SchemaRef, map: &Map<String, Value>, id: Id, depth: usize) -> Kind {
        let mut fields: Vec<FieldNode> = Vec::new();
        let mut deny_unknown = map.get("additionalProperties") == Some(&Value::Bool(false))
            && !map.contains_key("patternProperties");
        // The schema and every `allOf` part below it (through `$ref`s and nested `allOf`s)
        // contribute their properties and `required`.
        let parts = self.all_of_parts(at);
        let parent = self.nodes[id].hint.clone();
        let mut required: Vec<String> = Vec::new();
        for part in &parts {
            if let Some(Value::Array(names)) =
                self.sources.get(part).and_then(|v| v.get("required"))
            {
                required.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
            }
        }
        for part in parts {
            let Some(Value::Object(part_map)) = self.sources.get(&part) else {
                continue;
            };
            deny_unknown |= part_map.get("additionalProperties") == Some(&Value::Bool(false))
                && !part_map.contains_key("patternProperties");
            if let Some(Value::Object(props)) = part_map.get("properties") {
                for (name, prop) in props {
                    if fields.iter().any(|f| f.wire_name == *name) {
                        continue;
                    }
                    let prop_at = part.child("properties").child(name);
                    let hint = parent.child(&ident(name, Case::Camel));
                    let shape = self.shape_with(&prop_at, &hint, depth + 1);
                    fields.push(FieldNode {
                        wire_name: name.clone(),
                        doc: description(prop),
                        ty: shape.ty,
                        required: required.contains(name),
                        nullable: shape.nullable,
                        declared_at: DeclaredAt(prop_at),
                    });
                }
            }
        }
        Kind::Struct {
            fields,
            deny_unknown,
        }
    }

    /// `at` and every `allOf` part below it, `$ref`s followed, each once, in document order.
    fn all_of_parts(&self, at: &SchemaRef) -> Vec<SchemaRef> {
        let mut out: Vec<SchemaRef> = Vec::new();
        let mut stack = vec![at.clone()];
        while let Some(next) = stack.pop() {
            let part = self.follow_refs(&next);
            if out.contains(&part) || out.len() > MAX_DEPTH {
                continue;
            }
            let count = self
                .sources
                .get(&part)
                .and_then(|v| v.get("allOf"))
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in (0..count).rev() {
                stack.push(part.child("allOf").child(&i.to_string()));
            }
            out.push(part);
        }
        out
    }

    /// Whether a schema, or an `allOf` part of it, describes an object with properties.
    fn describes_object(&self, at: &SchemaRef) -> bool {
        self.all_of_parts(at).iter().any(|part| {
            let value = self.sources.get(part);
            value
                .and_then(|v| v.get("properties"))
                .is_some_and(Value::is_object)
                || value.and_then(|v| v.get("type")) == Some(&Value::String("object".into()))
        })
    }

    fn enumeration(&mut self, at: &SchemaRef, map: &Map<String, Value>) -> Kind {
        // A `oneOf` of constants: each branch's `const`, named by its `title` and documented by
        // its `description` where it has them.
        if let Some(branches) = const_branches(map) {
            let field = |key: &str| -> Vec<Option<String>> {
                branches
                    .iter()
                    .map(|b| b.get(key).and_then(Value::as_str).map(str::to_owned))
                    .collect()
            };
            let values: Vec<&Value> = branches.iter().filter_map(|b| b.get("const")).collect();
            return enum_of(&values, field("title"), field("description"));
        }
        // Names and docs line up with the `enum` list as written (nulls included).
        let all: Vec<&Value> = match map.get("enum") {
            Some(Value::Array(v)) => v.iter().collect(),
            _ => Vec::new(),
        };
        let mut names = string_list(
            map.get("x-enum-varnames")
                .or_else(|| map.get("x-enumNames")),
        );
        if !names.is_empty() && names.len() != all.len() {
            self.warn_with(
                at,
                "`x-enum-varnames` does not have one name per value",
                "the variant names are taken from the values",
            );
            names.clear();
        }
        let docs = string_list(map.get("x-enum-descriptions"));
        let some = |list: Vec<String>| list.into_iter().map(Some).collect();
        enum_of(&all, some(names), some(docs))
    }

    /// A union, and whether one of its branches may be null (outside the validating mode, the
    /// union is then nullable and each variant has its branch's type).
    fn union(
        &mut self,
        at: &SchemaRef,
        map: &Map<String, Value>,
        id: Id,
        depth: usize,
    ) -> (Kind, bool) {
        let Some((key, branches)) = union_branches(map) else {
            let empty = Kind::Union {
                tag: None,
                variants: vec![],
                exclusive: false,
            };
            return (empty, false);
        };
        let mut null_branch = false;
        let exclusive = self.validate && key == "oneOf";
        let parent = self.nodes[id].hint.clone();
        let mut variants = Vec::new();
        let mut targets = Vec::new();
        for (index, _) in &branches {
            let branch = at.child(key).child(&index.to_string());
            let numbered = format!("Variant {index}");
            let own_title = self
                .sources
                .get(&branch)
                .and_then(|b| b.get("title"))
                .and_then(Value::as_str)
                .map(|t| ident(t, Case::Camel));
            let hint = parent.child_at(&numbered, own_title.as_deref().unwrap_or(&numbered));
            let shape = self.shape_with(&branch, &hint, depth + 1);
            // In the validating mode a branch that may be null is any JSON value: `oneOf` counts
            // the branches a null matches.
            let ty = if shape.nullable && self.validate {
                Ty::Json
            } else {
                null_branch |= shape.nullable;
                shape.ty
            };
            variants.push((ty, None));
            targets.push(self.follow_refs(&branch));
        }
        let tag = map
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| find_tag(self.sources, &targets));
        if let Some(tag) = &tag {
            for ((_, tag_value), target) in variants.iter_mut().zip(&targets) {
                *tag_value = tag_const(self.sources, target, tag);
            }
            if let Some(Value::Object(mapping)) =
                map.get("discriminator").and_then(|d| d.get("mapping"))
            {
                for (value, reference) in mapping {
                    let Some(reference) = reference.as_str() else {
                        continue;
                    };
                    // OpenAPI also allows a bare schema name (`Dog` for `#/components/schemas/Dog`).
                    let reference = if reference.contains(['#', '/', '.']) {
                        reference.to_owned()
                    } else {
                        format!(
                            "#/components/schemas/{}",
                            crate::source::escape_token(reference)
                        )
                    };
                    let Ok(target) = self.sources.resolve(at, &reference) else {
                        self.warn_with(
                            at,
                            format!("discriminator mapping `{value}` points at nothing"),
                            "the union tries each variant in turn",
                        );
                        continue;
                    };
                    let target = self.follow_refs(&target);
                    if let Some(i) = targets.iter().position(|t| *t == target) {
                        variants[i].1 = Some(value.clone());
                    }
                }
            }
            if variants.iter().any(|(_, v)| v.is_none()) {
                // Without a tag value for every variant, fall back to trying each variant in turn.
                let untagged = Kind::Union {
                    tag: None,
                    variants: variants.into_iter().map(|(t, _)| (t, None)).collect(),
                    exclusive,
                };
                return (untagged, null_branch);
            }
        }
        // In validating mode a tag does not make `oneOf` exclusive by itself: try every variant.
        if exclusive {
            let variants = variants.into_iter().map(|(t, _)| (t, None)).collect();
            let untagged = Kind::Union {
                tag: None,
                variants,
                exclusive,
            };
            return (untagged, null_branch);
        }
        let union = Kind::Union {
            tag,
            variants,
            exclusive,
        };
        (union, null_branch)
    }

    /// Follows `$ref` chains to the schema that holds the content.
    pub(super) fn follow_refs(&self, at: &SchemaRef) -> SchemaRef {
        self.sources.follow_refs(at, MAX_DEPTH)
    }
}

/// Keywords that shape objects and arrays (which a schema without `type` applies only to those).
const SHAPE_KEYWORDS: &[&str] = &[
    "properties",
    "additionalProperties",
    "patternProperties",
    "items",
    "prefixItems",
    "required",
];

/// Keywords that assert something of a value itself (checked by `validate.rs` in validating mode).
const ASSERTIONS: &[&str] = &[
    "type",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "required",
    "dependentRequired",
];

/// Whether the Rust type of `inner` already enforces the schema's `type`.
fn enforced_type(inner: &Ty, map: &Map<String, Value>) -> bool {
    let Some(Value::String(t)) = map.get("type") else {
        return false;
    };
    matches!(
        (t.as_str(), inner),
        ("string", Ty::String | Ty::DateTime)
            | ("integer", Ty::Integer(_) | Ty::UnixTime)
            | ("number", Ty::Number)
            | ("boolean", Ty::Bool)
            | ("array", Ty::Array(_))
            | ("object", Ty::Map(_) | Ty::JsonObject)
    )
}

/// A nullable value in a place without a presence of its own (an array item, a map value, an
/// answer) is an `Option` of its type (any JSON value holds a null already).
pub(super) fn nullable_value(shape: Shape) -> Ty {
    match shape.ty {
        Ty::Json => Ty::Json,
        ty if shape.nullable => Ty::Nullable(Box::new(ty)),
        ty => ty,
    }
}

/// Whether a schema only annotates (description, title, …) and asserts nothing.
fn annotation_only(schema: &Value) -> bool {
    const ANNOTATIONS: &[&str] = &[
        "description",
        "title",
        "$comment",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "nullable",
    ];
    schema
        .as_object()
        .is_some_and(|m| m.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))
}

/// An enum of `all` (nulls left out), each variant named by its entry of `names` and
/// documented by its entry of `docs`, where it has one (else named by its value).
fn enum_of(all: &[&Value], names: Vec<Option<String>>, docs: Vec<Option<String>>) -> Kind {
    let repr = if all.iter().filter(|v| !v.is_null()).all(|v| v.is_string()) {
        EnumRepr::String
    } else {
        EnumRepr::Integer
    };
    let mut variants: Vec<VariantNode> = Vec::new();
    // A value listed twice is one variant (a set: Stripe lists hundreds of currencies).
    let mut seen: HashSet<EnumValue> = HashSet::default();
    for (i, v) in all.iter().enumerate() {
        let value = match v {
            Value::Null => continue,
            Value::String(s) => EnumValue::String(s.clone()),
            other => EnumValue::Integer(other.as_i64().unwrap_or_default()),
        };
        if !seen.insert(value.clone()) {
            continue;
        }
        variants.push(VariantNode {
            value,
            name: names.get(i).cloned().flatten(),
            doc: docs.get(i).cloned().flatten(),
        });
    }
    Kind::Enum { repr, variants }
}

/// The branches of a `oneOf`/`anyOf` that lists constants: each branch a `const` (all strings,
/// or all integers, each once) with nothing but annotations (`title`, `description`) and a
/// `type` beside it, as Discord writes its closed sets.
fn const_branches(map: &Map<String, Value>) -> Option<&Vec<Value>> {
    let (key, kept) = union_branches(map)?;
    let branches = map.get(key)?.as_array()?;
    if branches.len() < 2 || kept.len() != branches.len() || map.contains_key("enum") {
        return None;
    }
    let mut values: Vec<&Value> = Vec::with_capacity(branches.len());
    for branch in branches {
        let branch = branch.as_object()?;
        let value = branch.get("const")?;
        let plain = branch
            .keys()
            .all(|k| matches!(k.as_str(), "const" | "type" | "title" | "description"));
        if !plain || !(value.is_string() || value.is_i64()) || values.contains(&value) {
            return None;
        }
        values.push(value);
    }
    let strings = values.iter().all(|v| v.is_string());
    (strings || values.iter().all(|v| v.is_i64())).then_some(branches)
}

/// What a schema becomes; `all_of_object` says whether its `allOf` parts describe an object. A
/// `oneOf` of constants is an enum, but in the validating mode (there the union's branches check
/// that a value is one of them; an enum keeps unlisted values).
fn classify(map: &Map<String, Value>, all_of_object: bool, validate: bool) -> Class {
    if !validate && const_branches(map).is_some() {
        return Class::Enum;
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        let all_strings = non_null.iter().all(|v| v.is_string());
        let all_ints = non_null.iter().all(|v| v.is_i64());
        if !non_null.is_empty() && (all_strings || all_ints) {
            return Class::Enum;
        }
        return Class::Other;
    }
    if let Some((_, branches)) = union_branches(map) {
        if branches.len() >= 2 {
            return Class::Union;
        }
    }
    let objectish = matches!(map.get("properties"), Some(Value::Object(_)));
    if objectish || all_of_object {
        Class::Struct
    } else {
        Class::Other
    }
}

/// The non-null branches of `oneOf` / `anyOf`, with their indexes.
fn union_branches(map: &Map<String, Value>) -> Option<(&'static str, Vec<(usize, &Value)>)> {
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get(key) {
            let kept = branches
                .iter()
                .enumerate()
                .filter(|(_, b)| !is_null_schema(b))
                .collect();
            return Some((key, kept));
        }
    }
    None
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type") == Some(&Value::String("null".into()))
        || schema.get("const") == Some(&Value::Null)
}

fn is_nullable(map: &Map<String, Value>) -> bool {
    let by_type = match map.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    };
    let by_enum = match map.get("enum") {
        Some(Value::Array(values)) => values.iter().any(Value::is_null),
        _ => false,
    };
    let by_union = union_branches(map).is_some_and(|(key, kept)| {
        map.get(key)
            .and_then(Value::as_array)
            .is_some_and(|all| all.len() > kept.len())
    });
    by_type || by_enum || by_union || map.get("nullable") == Some(&Value::Bool(true))
}

/// The one `patternProperties` pattern of an object whose other members the schema says nothing
/// about, and whether every member must match it (`additionalProperties: false`, or a pattern that
/// matches every name).
fn single_pattern(map: &Map<String, Value>) -> Option<(&str, bool)> {
    let Some(Value::Object(patterns)) = map.get("patternProperties") else {
        return None;
    };
    let [(pattern, _)] = patterns.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let closed = match map.get("additionalProperties") {
        None => false,
        Some(Value::Bool(false)) => true,
        Some(_) => return None,
    };
    let every_name = ["", ".*", "^.*", ".*$", "^.*$"].contains(&pattern.as_str());
    Some((pattern.as_str(), closed || every_name))
}

fn non_null_types(map: &Map<String, Value>) -> Vec<&str> {
    match map.get("type") {
        Some(Value::String(t)) if t != "null" => vec![t.as_str()],
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    }
}

fn scalar_of(value: &Value) -> Ty {
    match value {
        Value::String(_) => Ty::String,
        Value::Bool(_) => Ty::Bool,
        Value::Number(n) if n.is_i64() => Ty::Integer(64),
        Value::Number(_) => Ty::Number,
        _ => Ty::Json,
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn description(schema: &Value) -> Option<String> {
    let text = schema
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|d| !d.is_empty());
    text.map(str::to_owned)
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect(),
        _ => Vec::new(),
    }
}

/// The name a `$ref` target carries: its key under a definitions object, else its `title`, else its
/// file.
fn target_name(sources: &Sources, target: &SchemaRef) -> Option<String> {
    let value = sources.get(target)?;
    // A key is unique among its container's; a title need not be (it goes into the docs).
    let (parent, last) = target.pointer.rsplit_once('/').unwrap_or(("", ""));
    let container = parent.rsplit('/').next().unwrap_or("");
    if matches!(container, "$defs" | "definitions" | "schemas") {
        return Some(crate::source::unescape_token(last));
    }
    if let Some(title) = value.get("title").and_then(Value::as_str) {
        return Some(title.to_owned());
    }
    if target.pointer.is_empty() {
        let rel = &sources.docs.get(target.doc)?.rel_path;
        return Some(
            rel.rsplit('/')
                .next()
                .unwrap_or(rel)
                .trim_end_matches(".json")
                .to_owned(),
        );
    }
    None
}

/// The property every branch requires with a distinct constant string: the union's tag.
fn find_tag(sources: &Sources, targets: &[SchemaRef]) -> Option<String> {
    let first = sources.get(targets.first()?)?;
    let candidates = first.get("properties")?.as_object()?.keys();
    'candidates: for name in candidates {
        let mut seen = Vec::new();
        for target in targets {
            let Some(value) = tag_const(sources, target, name) else {
                continue 'candidates;
            };
            if seen.contains(&value) {
                continue 'candidates;
            }
            seen.push(value);
        }
        return Some(name.clone());
    }
    None
}

/// The constant string a required property `tag` has in the object schema at `target`.
fn tag_const(sources: &Sources, target: &SchemaRef, tag: &str) -> Option<String> {
    let schema = sources.get(target)?;
    let required = schema.get("required")?.as_array()?;
    if !required.iter().any(|r| r == tag) {
        return None;
    }
    single_string(schema.get("properties")?.get(tag)?)
}

/// The one string a schema allows: its `const`, or the only value of its `enum`.
pub(super) fn single_string(schema: &Value) -> Option<String> {
    match (schema.get("const"), schema.get("enum")) {
        (Some(Value::String(c)), _) => Some(c.clone()),
        (None, Some(Value::Array(values))) if values.len() == 1 => {
            values[0].as_str().map(str::to_owned)
        }
        _ => None,
    }
}
