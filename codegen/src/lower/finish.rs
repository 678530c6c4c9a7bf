//! From the type graph to the IR: merge identical inline shapes, name everything, box cycles.

use super::{Graph, Id, Kind, Node, OpNode, Ty};
use crate::diag::Diagnostic;
use crate::ir::{self, EnumValue};
use crate::names::{disambiguate, ident, Case};
use crate::source::{SchemaRef, Sources};
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

/// The crate, and the warnings naming it gave (a type name numbered); or the errors.
pub(crate) fn finish(
    graph: Graph,
    sources: &Sources,
) -> Result<(ir::Crate, Vec<Diagnostic>), Vec<Diagnostic>> {
    let Graph {
        mut nodes,
        operations,
        webhooks,
        apis,
        validate,
        ..
    } = graph;
    merge_identical_shapes(&mut nodes);
    let alive: Vec<Id> = (0..nodes.len())
        .filter(|&i| nodes[i].merged_into.is_none())
        .collect();
    let mut raw_modules: Vec<&str> = alive.iter().map(|&id| nodes[id].module.as_str()).collect();
    raw_modules.extend(operations.iter().map(|op| op.module.as_str()));
    raw_modules.extend(webhooks.iter().map(|w| w.module.as_str()));
    raw_modules.extend(apis.iter().map(|(m, _)| m.as_str()));
    let module_names = name_modules(raw_modules);
    let mut warnings = Vec::new();
    let type_names = name_types(&nodes, &alive, sources, &mut warnings);
    let component = strongly_connected(&nodes, &alive);
    let names = Names {
        nodes: &nodes,
        modules: &module_names,
        types: &type_names,
    };
    let mut modules: BTreeMap<String, ir::Module> = BTreeMap::new();
    for &id in &alive {
        let node = &nodes[id];
        let boxed = |ty: &Ty| {
            ty.direct()
                .is_some_and(|t| component[&names.resolve(t)] == component[&id])
        };
        let kind = match &node.kind {
            Kind::Struct {
                fields,
                deny_unknown,
            } => {
                let wanted: Vec<(String, String)> = fields
                    .iter()
                    .map(|f| (f.wire_name.clone(), ident(&f.wire_name, Case::Snake)))
                    .collect();
                let field_names = disambiguate(&wanted, &[], Case::Snake);
                let unknown_fields = if *deny_unknown {
                    ir::UnknownFields::Deny
                } else {
                    let taken: Vec<&str> = field_names.iter().map(String::as_str).collect();
                    ir::UnknownFields::Keep(first_free("extra", &taken, Case::Snake))
                };
                let fields = fields
                    .iter()
                    .zip(field_names)
                    .map(|(f, name)| ir::Field {
                        name,
                        wire_name: f.wire_name.clone(),
                        doc: f.doc.clone(),
                        ty: names.type_ref(&f.ty),
                        required: f.required,
                        nullable: f.nullable,
                        boxed: boxed(&f.ty),
                        origin: origin(sources, &f.declared_at.0),
                    })
                    .collect();
                ir::TypeKind::Struct(ir::Struct {
                    fields,
                    unknown_fields,
                    lenient_nulls: !validate,
                })
            }
            Kind::Enum { repr, variants } => {
                let wanted: Vec<(String, String)> = variants
                    .iter()
                    .map(|v| {
                        let source = match (&v.name, &v.value) {
                            (Some(name), _) => name.clone(),
                            (None, EnumValue::String(s)) => s.clone(),
                            (None, EnumValue::Integer(n)) if *n < 0 => {
                                format!("Value Minus {}", n.unsigned_abs())
                            }
                            (None, EnumValue::Integer(n)) => format!("Value {n}"),
                        };
                        let name = ident(&source, Case::Camel);
                        (source, name)
                    })
                    .collect();
                let variant_names = disambiguate(&wanted, &[], Case::Camel);
                let taken: Vec<&str> = variant_names.iter().map(String::as_str).collect();
                let fallback = first_free("Other", &taken, Case::Camel);
                let variants = variants
                    .iter()
                    .zip(variant_names)
                    .map(|(v, name)| ir::Variant {
                        name,
                        value: v.value.clone(),
                        doc: v.doc.clone(),
                    })
                    .collect();
                ir::TypeKind::Enum(ir::Enum {
                    repr: *repr,
                    variants,
                    fallback,
                })
            }
            Kind::Union {
                tag,
                variants,
                exclusive,
            } => {
                let wanted: Vec<(String, String)> = variants
                    .iter()
                    .map(|(ty, _)| {
                        let name = names.variant_name(ty);
                        (name.clone(), name)
                    })
                    .collect();
                let variant_names = disambiguate(&wanted, &[], Case::Camel);
                let taken: Vec<&str> = variant_names.iter().map(String::as_str).collect();
                let fallback = tag
                    .as_ref()
                    .map(|_| first_free("Other", &taken, Case::Camel));
                let variants = variants
                    .iter()
                    .zip(variant_names)
                    .map(|((ty, tag_value), name)| ir::UnionVariant {
                        name,
                        tag_value: tag_value.clone(),
                        ty: names.type_ref(ty),
                        // Objects behind a `Box`, so one large variant does not make every value large.
                        boxed: boxed(ty) || names.is_object(ty),
                    })
                    .collect();
                ir::TypeKind::Union(ir::Union {
                    tag: tag.clone(),
                    variants,
                    fallback,
                    exclusive: *exclusive,
                })
            }
            Kind::Alias(ty) => ir::TypeKind::Alias(names.type_ref(ty)),
            Kind::Checked {
                inner,
                assertions,
                also,
                not,
                members,
            } => ir::TypeKind::Checked(ir::Checked {
                inner: names.type_ref(inner),
                assertions: assertions.clone(),
                also: also.iter().map(|(t, w)| (names.type_ref(t), *w)).collect(),
                not: not.iter().map(|t| names.type_ref(t)).collect(),
                members: members
                    .iter()
                    .map(|(r, t)| (r.clone(), names.type_ref(t)))
                    .collect(),
            }),
            Kind::Pending => ir::TypeKind::Alias(ir::TypeRef::Json),
        };
        let module = module_entry(&mut modules, &module_names, sources, &node.module);
        module.types.push(ir::TypeDef {
            name: type_names[&id].clone(),
            doc: doc_with_title(sources, node, &type_names[&id]),
            origin: origin(sources, &node.origin),
            kind,
        });
    }
    for (raw, api) in apis {
        module_entry(&mut modules, &module_names, sources, &raw).api = Some(api);
    }
    let mut pending = Vec::new();
    let with_events: Vec<&str> = webhooks.iter().map(|w| w.module.as_str()).collect();
    let named_operations = name_operations(&operations, &modules, &module_names, &with_events);
    let op_names: HashMap<(&str, &str), &str> = named_operations
        .iter()
        .map(|(name, node)| ((node.module.as_str(), node.id.as_str()), name.as_str()))
        .collect();
    let mut by_module: BTreeMap<&str, Vec<&super::WebhookNode>> = BTreeMap::new();
    for w in &webhooks {
        by_module.entry(w.module.as_str()).or_default().push(w);
    }
    for (raw, events) in by_module {
        let module = module_entry(&mut modules, &module_names, sources, raw);
        module.event_tag = super::webhooks::event_tag(&events);
        module.webhooks = events
            .iter()
            .zip(name_events(&events))
            .map(|(w, name)| names.webhook(w, name, module.event_tag.as_ref(), &op_names, sources))
            .collect();
        module.webhooks.sort_by(|a, b| a.name.cmp(&b.name));
    }
    for (op, node) in named_operations {
        let ops = &mut module_entry(&mut modules, &module_names, sources, &node.module).operations;
        let params: Vec<(String, String)> = node
            .params
            .iter()
            .map(|p| (p.name.clone(), ident(&p.name, Case::Snake)))
            .collect();
        let reserved: &[&str] = if node.body.is_some() {
            &["build", "body"]
        } else {
            &["build"]
        };
        let param_names = disambiguate(&params, reserved, Case::Snake);
        let params = node
            .params
            .iter()
            .zip(param_names)
            .map(|(p, name)| ir::Param {
                name,
                wire_name: p.wire_name.clone(),
                location: p.location,
                required: p.required,
                doc: p.doc.clone(),
                ty: names.type_ref(&p.ty),
                constant: p.constant.clone(),
                constraints: p.constraints.clone(),
                style: p.style,
                explode: p.explode,
                example: p.example.clone(),
            })
            .collect();
        let body = node.body.as_ref().map(|b| names.request_body(b));
        ops.push(ir::Operation {
            name: op,
            id: node.id.clone(),
            method: node.method.clone(),
            path: node.path.clone(),
            doc: node.doc.clone(),
            tags: node.tags.clone(),
            params,
            body,
            security: node.security.clone(),
            scopes: node.scopes.clone(),
            responses: node
                .responses
                .iter()
                .map(|s| names.status_answer(s))
                .collect(),
            errors: node.errors.iter().map(|s| names.status_answer(s)).collect(),
            headers: response_headers(&node.headers),
            idempotency_key: node
                .params
                .iter()
                .find(|p| {
                    p.location == ir::ParamLocation::Header
                        && p.constant.is_none()
                        && p.wire_name
                            .to_ascii_lowercase()
                            .ends_with("idempotency-key")
                })
                .map(|p| p.wire_name.clone()),
            pagination: None,
            server: node.server.clone(),
        });
        if let Some(p) = &node.pagination {
            pending.push((module_names[&node.module].clone(), ops.len() - 1, p.clone()));
        }
    }
    let mut modules: Vec<ir::Module> = modules.into_values().collect();
    for m in &mut modules {
        m.types.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let mut krate = ir::Crate { modules };
    let mut errors = Vec::new();
    for (module, index, node) in pending {
        let Some(m) = krate.modules.iter().position(|m| m.name == module) else {
            continue;
        };
        let op = &krate.modules[m].operations[index];
        match super::operations::resolve_pagination(&krate, op, &node, || {
            sources.location(&node.at)
        }) {
            Ok(p) => krate.modules[m].operations[index].pagination = Some(p),
            Err(d) => errors.push(d),
        }
    }
    for m in &mut krate.modules {
        m.operations.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if errors.is_empty() {
        Ok((krate, warnings))
    } else {
        Err(errors)
    }
}

/// `file#pointer` of a schema, the file relative to the schemas folder.
fn origin(sources: &Sources, at: &SchemaRef) -> String {
    let rel = sources
        .docs
        .get(at.doc)
        .map(|d| d.rel_path.as_str())
        .unwrap_or_default();
    format!("{rel}#{}", at.pointer)
}

/// The module a raw module name maps to, created on first use.
fn module_entry<'m>(
    modules: &'m mut BTreeMap<String, ir::Module>,
    module_names: &HashMap<String, String>,
    sources: &Sources,
    raw: &str,
) -> &'m mut ir::Module {
    let name = module_names
        .get(raw)
        .cloned()
        .unwrap_or_else(|| ident(raw, Case::Snake));
    modules.entry(name.clone()).or_insert_with(|| ir::Module {
        name,
        doc: module_doc(sources, raw),
        types: Vec::new(),
        api: None,
        operations: Vec::new(),
        webhooks: Vec::new(),
        event_tag: None,
    })
}

/// Operation type names: after the module's types, never one whose `…Builder` a type already has
/// (nor `Webhooks` in a module that has events, `with_events`).
fn name_operations<'o>(
    operations: &'o [OpNode],
    modules: &BTreeMap<String, ir::Module>,
    module_names: &HashMap<String, String>,
    with_events: &[&str],
) -> Vec<(String, &'o OpNode)> {
    let mut out = Vec::new();
    let mut by_module: BTreeMap<&str, Vec<&OpNode>> = BTreeMap::new();
    for op in operations {
        by_module.entry(op.module.as_str()).or_default().push(op);
    }
    for (raw, ops) in by_module {
        let types: Vec<&str> = module_names
            .get(raw)
            .and_then(|m| modules.get(m))
            .map(|m| m.types.iter().map(|t| t.name.as_str()).collect())
            .unwrap_or_default();
        let mut reserved: Vec<&str> = types.clone();
        reserved.extend(types.iter().filter_map(|t| t.strip_suffix("Builder")));
        reserved.extend(crate::names::PRELUDE_TYPES);
        reserved.extend(crate::names::OPERATION_ITEMS);
        if with_events.contains(&raw) {
            reserved.push("Webhooks");
        }
        let wanted: Vec<(String, String)> = ops
            .iter()
            .map(|op| (op.id.clone(), ident(&op.id, Case::Camel)))
            .collect();
        let names = disambiguate(&wanted, &reserved, Case::Camel);
        out.extend(names.into_iter().zip(ops));
    }
    out
}

/// Event names (variants of the module's `Event` and `EventKind`): from each event's key, never
/// `Other` (the fallback variant).
fn name_events(events: &[&super::WebhookNode]) -> Vec<String> {
    let wanted: Vec<(String, String)> = events
        .iter()
        .map(|w| (w.key.clone(), ident(&w.key, Case::Camel)))
        .collect();
    let mut reserved = vec!["Other"];
    reserved.extend(crate::names::PRELUDE_TYPES);
    disambiguate(&wanted, &reserved, Case::Camel)
}

/// Name lookups shared by the conversion of every node.
struct Names<'a> {
    nodes: &'a [Node],
    modules: &'a HashMap<String, String>,
    types: &'a HashMap<Id, String>,
}

impl Names<'_> {
    /// Follows merges to the node that stands for `id`.
    fn resolve(&self, id: Id) -> Id {
        resolve(self.nodes, id)
    }

    fn type_ref(&self, ty: &Ty) -> ir::TypeRef {
        match ty {
            Ty::Bool => ir::TypeRef::Bool,
            Ty::Integer(bits) => ir::TypeRef::Integer(*bits),
            Ty::Number => ir::TypeRef::Number,
            Ty::String => ir::TypeRef::String,
            Ty::DateTime => ir::TypeRef::DateTime,
            Ty::UnixTime => ir::TypeRef::UnixTime,
            Ty::Part => ir::TypeRef::Part,
            Ty::Null => ir::TypeRef::Null,
            Ty::Json => ir::TypeRef::Json,
            Ty::JsonObject => ir::TypeRef::JsonObject,
            Ty::Array(inner) => ir::TypeRef::Array(Box::new(self.type_ref(inner))),
            Ty::Map(inner) => ir::TypeRef::Map(Box::new(self.type_ref(inner))),
            Ty::Nullable(inner) => ir::TypeRef::Nullable(Box::new(self.type_ref(inner))),
            Ty::Named(id) => {
                let id = self.resolve(*id);
                ir::TypeRef::Named {
                    module: self.modules[&self.nodes[id].module].clone(),
                    name: self.types[&id].clone(),
                }
            }
        }
    }

    fn status_answer(&self, node: &super::StatusNode) -> ir::StatusAnswer {
        ir::StatusAnswer {
            status: node.status.clone(),
            answer: self.answer(&node.answer),
            doc: node.doc.clone(),
            example: node.example.clone(),
        }
    }

    fn answer(&self, answer: &super::AnswerNode) -> ir::Answer {
        use super::AnswerNode as A;
        match answer {
            A::Json(ty) => ir::Answer::Json(self.type_ref(ty)),
            A::Text => ir::Answer::Text,
            A::Bytes => ir::Answer::Bytes,
            A::Empty => ir::Answer::Empty,
        }
    }

    /// A webhook event, named, its callback's operation by its Rust name.
    fn webhook(
        &self,
        node: &super::WebhookNode,
        name: String,
        tag: Option<&Vec<String>>,
        op_names: &HashMap<(&str, &str), &str>,
        sources: &Sources,
    ) -> ir::Webhook {
        let source = match &node.source {
            ir::WebhookSource::Callback { operation, url } => ir::WebhookSource::Callback {
                operation: op_names
                    .get(&(node.module.as_str(), operation.as_str()))
                    .map_or_else(|| operation.clone(), |n| (*n).to_owned()),
                url: url.clone(),
            },
            other => other.clone(),
        };
        let body = node.body.as_ref().and_then(|content| {
            let body = super::BodyNode {
                required: true,
                doc: None,
                contents: vec![content.clone()],
                examples: Vec::new(),
            };
            self.request_body(&body).contents.into_iter().next()
        });
        ir::Webhook {
            name,
            key: node.key.clone(),
            source,
            method: node.method.clone(),
            doc: node.doc.clone(),
            body,
            headers: response_headers(&node.headers),
            tag_value: tag.and_then(|path| node.tags.get(path).cloned()),
            origin: origin(sources, &node.at),
        }
    }

    fn request_body(&self, body: &super::BodyNode) -> ir::RequestBody {
        use super::BodyKindNode as K;
        let kinds: Vec<(String, String)> = body
            .contents
            .iter()
            .map(|(media, kind)| {
                let short = match kind {
                    K::Json(_) => "Json",
                    K::Form(..) => "Form",
                    K::Multipart(..) => "Multipart",
                    K::Bytes => "Bytes",
                    K::Text => "Text",
                };
                (media.clone(), short.to_owned())
            })
            .collect();
        let variants = disambiguate(&kinds, &[], Case::Camel);
        let examples = body
            .examples
            .iter()
            .map(Some)
            .chain(std::iter::repeat(None));
        let contents = body
            .contents
            .iter()
            .zip(variants)
            .zip(examples)
            .map(|(((media_type, kind), variant), example)| ir::BodyContent {
                media_type: media_type.clone(),
                variant,
                example: example.cloned(),
                kind: match kind {
                    K::Json(ty) => ir::BodyKind::Json(self.type_ref(ty)),
                    K::Form(ty, encoding) => ir::BodyKind::Form {
                        ty: self.type_ref(ty),
                        encoding: encoding.clone(),
                    },
                    K::Multipart(ty, encoding) => ir::BodyKind::Multipart {
                        ty: self.type_ref(ty),
                        encoding: encoding.clone(),
                    },
                    K::Bytes => ir::BodyKind::Bytes,
                    K::Text => ir::BodyKind::Text,
                },
            })
            .collect();
        ir::RequestBody {
            required: body.required,
            doc: body.doc.clone(),
            contents,
        }
    }

    /// Whether a reference names a struct.
    fn is_object(&self, ty: &Ty) -> bool {
        ty.direct()
            .is_some_and(|id| matches!(self.nodes[self.resolve(id)].kind, Kind::Struct { .. }))
    }

    /// The variant name a union member gets: its type's name, or the kind of scalar.
    fn variant_name(&self, ty: &Ty) -> String {
        match ty {
            Ty::Named(id) => self.types[&self.resolve(*id)].clone(),
            Ty::Bool => "Bool".into(),
            Ty::Integer(_) | Ty::UnixTime => "Integer".into(),
            Ty::Number => "Number".into(),
            Ty::String => "String".into(),
            Ty::Part => "Part".into(),
            Ty::DateTime => "DateTime".into(),
            Ty::Null => "Null".into(),
            Ty::Json => "Value".into(),
            Ty::JsonObject | Ty::Map(_) => "Object".into(),
            Ty::Array(_) => "Array".into(),
            Ty::Nullable(inner) => self.variant_name(inner),
        }
    }
}

fn resolve(nodes: &[Node], mut id: Id) -> Id {
    let mut hops = 0;
    while let Some(next) = nodes[id].merged_into {
        id = next;
        hops += 1;
        if hops > nodes.len() {
            break;
        }
    }
    id
}

/// `base`, or `base` numbered, whichever is not taken.
fn first_free(base: &str, taken: &[&str], case: Case) -> String {
    let items = [(base.to_owned(), base.to_owned())];
    disambiguate(&items, taken, case)
        .pop()
        .unwrap_or_else(|| base.to_owned())
}

fn module_doc(sources: &Sources, module: &str) -> Option<String> {
    let api = sources
        .docs
        .iter()
        .find(|d| d.module == module && matches!(d.kind, crate::source::DocKind::OpenApi(_)));
    let info = api.and_then(|d| d.root.get("info"))?;
    let title = info
        .get("title")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let description = info
        .get("description")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    Some(format!("{title}\n\n{description}").trim().to_owned())
}

/// Merges every inline type into an identical type of the same module (docs aside), until stable.
fn merge_identical_shapes(nodes: &mut [Node]) {
    loop {
        // Each group decides on its own, so the order groups are visited in does not matter.
        let mut groups: HashMap<(&str, Kind), Vec<Id>> = HashMap::default();
        for (id, node) in nodes.iter().enumerate() {
            if node.merged_into.is_none() {
                groups
                    .entry((node.module.as_str(), shape_key(&node.kind)))
                    .or_default()
                    .push(id);
            }
        }
        let groups: Vec<Vec<Id>> = groups.into_values().filter(|g| g.len() > 1).collect();
        let mut changed = false;
        for group in &groups {
            // The representative: a definition if there is one, then the smallest name, then the origin.
            let rank = |&id: &Id| {
                (
                    !nodes[id].hint.definition,
                    nodes[id].hint.text.clone(),
                    nodes[id].origin.clone(),
                )
            };
            let Some(&keep) = group.iter().min_by_key(|id| rank(id)) else {
                continue;
            };
            for &id in group {
                if id != keep && !nodes[id].hint.definition {
                    nodes[id].merged_into = Some(keep);
                    if nodes[keep].doc.is_none() {
                        nodes[keep].doc = nodes[id].doc.clone();
                    }
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
        let targets: Vec<Id> = (0..nodes.len()).map(|id| resolve(nodes, id)).collect();
        for node in nodes.iter_mut() {
            node.kind.replace_ids(&|id| targets[id]);
        }
    }
}

/// The structure of a type, without its documentation and the places its properties were declared.
fn shape_key(kind: &Kind) -> Kind {
    let mut kind = kind.clone();
    match &mut kind {
        Kind::Struct { fields, .. } => fields.iter_mut().for_each(|f| {
            f.doc = None;
            f.declared_at = Default::default();
        }),
        Kind::Enum { variants, .. } => variants.iter_mut().for_each(|v| v.doc = None),
        _ => {}
    }
    kind
}

fn name_modules(raw: Vec<&str>) -> HashMap<String, String> {
    let mut raw: Vec<String> = raw.into_iter().map(str::to_owned).collect();
    raw.sort();
    raw.dedup();
    let wanted: Vec<(String, String)> = raw
        .iter()
        .map(|m| (m.clone(), ident(m, Case::Snake)))
        .collect();
    // The crate's own modules, and `default` (a cargo feature name of its own), are not available.
    let names = disambiguate(
        &wanted,
        &["support", "request", "client", "validate", "default"],
        Case::Snake,
    );
    raw.into_iter().zip(names).collect()
}

/// Type names, per module, by a rule that looks at each schema and its place, not at the order
/// of the document:
///
/// 1. a definition is named from its key (else its title or file); definitions whose keys meet
///    after case conversion (`user_id`, `userId`) are numbered, each with a warning;
/// 2. an inline schema takes its title when no other inline schema of the module asks for it
///    and no definition has it;
/// 3. else the name made from its place, through enclosing titles (`Audio Url`), when no other
///    asks for it;
/// 4. else the name of its place from its definition or operation down (`NewMessage WhatsApp
///    Audio`), when no other asks for it;
/// 5. else that name and what the type is (`…AcssDebitUnion`), when no other asks for it;
/// 6. else the name of its place numbered, with a warning naming the places that wanted it.
fn name_types(
    nodes: &[Node],
    alive: &[Id],
    sources: &Sources,
    warnings: &mut Vec<Diagnostic>,
) -> HashMap<Id, String> {
    let mut out = HashMap::default();
    let mut by_module: BTreeMap<&str, Vec<Id>> = BTreeMap::new();
    for &id in alive {
        by_module
            .entry(nodes[id].module.as_str())
            .or_default()
            .push(id);
    }
    for ids in by_module.values() {
        let mut ids = ids.clone();
        // Ties between equal source names go by file and pointer, not by the order of lowering.
        ids.sort_by(|&a, &b| nodes[a].origin.cmp(&nodes[b].origin).then(a.cmp(&b)));
        let mut taken: BTreeSet<String> = crate::names::PRELUDE_TYPES
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let (definitions, inline): (Vec<Id>, Vec<Id>) =
            ids.iter().partition(|&&id| nodes[id].hint.definition);
        let key = |n: &Node| Some(n.hint.text.clone());
        let rest = name_unique(nodes, &definitions, key, &mut taken, &mut out);
        number(nodes, &rest, key, sources, &mut taken, &mut out, warnings);
        let tiers: [fn(&Node) -> Option<String>; 4] = [
            |n| n.hint.title.clone(),
            |n| Some(n.hint.text.clone()).filter(|_| n.hint.title.is_none()),
            |n| Some(n.hint.position.clone()),
            |n| Some(format!("{} {}", n.hint.position, kind_word(&n.kind))),
        ];
        let mut rest = inline;
        for tier in tiers {
            rest = name_unique(nodes, &rest, tier, &mut taken, &mut out);
        }
        let position = |n: &Node| Some(n.hint.position.clone());
        number(
            nodes, &rest, position, sources, &mut taken, &mut out, warnings,
        );
    }
    out
}

/// A type's doc: its schema's `title` first when the type is not named after it (a definition
/// is named from its key), then its description.
fn doc_with_title(sources: &Sources, node: &Node, name: &str) -> Option<String> {
    let title = sources
        .get(&node.origin)
        .and_then(|v| v.get("title"))
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty() && ident(t, Case::Camel) != name);
    match (title, &node.doc) {
        (Some(title), Some(doc)) if !doc.starts_with(title) => Some(format!("{title}\n\n{doc}")),
        (Some(title), None) => Some(title.to_owned()),
        _ => node.doc.clone(),
    }
}

/// What a type is, as a word that qualifies a name its place shares with a definition
/// (`…AcssDebitUnion` beside the definition `…AcssDebit`).
fn kind_word(kind: &Kind) -> &'static str {
    match kind {
        Kind::Struct { .. } => "Object",
        Kind::Enum { .. } => "Enum",
        Kind::Union { .. } => "Union",
        Kind::Alias(_) | Kind::Checked { .. } | Kind::Pending => "Value",
    }
}

/// Names each of `ids` as `want` says, when no other of them wants that name and none has it;
/// returns the others.
fn name_unique(
    nodes: &[Node],
    ids: &[Id],
    want: impl Fn(&Node) -> Option<String>,
    taken: &mut BTreeSet<String>,
    out: &mut HashMap<Id, String>,
) -> Vec<Id> {
    let wanted: Vec<Option<String>> = ids
        .iter()
        .map(|&id| want(&nodes[id]).map(|text| ident(&text, Case::Camel)))
        .collect();
    let mut count: HashMap<&str, usize> = HashMap::default();
    for name in wanted.iter().flatten() {
        *count.entry(name.as_str()).or_default() += 1;
    }
    let mut rest = Vec::new();
    for (&id, name) in ids.iter().zip(&wanted) {
        match name {
            Some(name) if count[name.as_str()] == 1 && !taken.contains(name) => {
                taken.insert(name.clone());
                out.insert(id, name.clone());
            }
            _ => rest.push(id),
        }
    }
    rest
}

/// The last resort: each of `ids` gets the name `want` says, numbered (in order of file and
/// pointer), and a warning naming the places that wanted it.
fn number(
    nodes: &[Node],
    ids: &[Id],
    want: impl Fn(&Node) -> Option<String>,
    sources: &Sources,
    taken: &mut BTreeSet<String>,
    out: &mut HashMap<Id, String>,
    warnings: &mut Vec<Diagnostic>,
) {
    let wanted: Vec<(String, String)> = ids
        .iter()
        .map(|&id| {
            let text = want(&nodes[id]).unwrap_or_default();
            (
                origin(sources, &nodes[id].origin),
                ident(&text, Case::Camel),
            )
        })
        .collect();
    // `ids` are in order of file and pointer: the first keeps the name if it is free.
    let mut names = Vec::new();
    for (_, asked) in &wanted {
        let name = (1..)
            .map(|n| match n {
                1 => asked.clone(),
                n => crate::names::numbered(asked, n, Case::Camel),
            })
            .find(|candidate| !taken.contains(candidate) && !names.contains(candidate))
            .unwrap_or_default();
        names.push(name);
    }
    for ((&id, name), (place, asked)) in ids.iter().zip(names).zip(&wanted) {
        let mut others: Vec<String> = out
            .iter()
            .filter(|(_, n)| *n == asked)
            .map(|(&other, _)| format!("`{}`", origin(sources, &nodes[other].origin)))
            .chain(
                wanted
                    .iter()
                    .filter(|(p, a)| a == asked && p != place)
                    .map(|(p, _)| format!("`{p}`")),
            )
            .collect();
        others.sort();
        others.dedup();
        taken.insert(name.clone());
        if name == *asked {
            // The first of them keeps the name: only the numbered ones are warned about.
            out.insert(id, name);
            continue;
        }
        let by = match others.is_empty() {
            true => "a name the generated code uses".to_owned(),
            false => others.join(", "),
        };
        warnings.push(
            Diagnostic::warning(
                sources.location(&nodes[id].origin),
                format!(
                    "the type at `{place}` is named `{name}`: `{asked}` is also wanted by {by}"
                ),
            )
            .with_hint(
                "give the schema a `title` (or its key a spelling) no other type of the module has",
            ),
        );
        out.insert(id, name);
    }
}

/// Tarjan's algorithm over "contains directly" edges; returns a component number per node.
fn strongly_connected(nodes: &[Node], alive: &[Id]) -> HashMap<Id, usize> {
    let edges = |id: Id| -> Vec<Id> {
        let tys: Vec<&Ty> = match &nodes[id].kind {
            Kind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
            Kind::Union { variants, .. } => variants.iter().map(|(t, _)| t).collect(),
            Kind::Alias(t) | Kind::Checked { inner: t, .. } => vec![t],
            Kind::Enum { .. } | Kind::Pending => vec![],
        };
        tys.into_iter()
            .filter_map(Ty::direct)
            .map(|t| resolve(nodes, t))
            .collect()
    };
    struct State {
        index: HashMap<Id, usize>,
        low: HashMap<Id, usize>,
        on_stack: Vec<Id>,
        on_stack_set: std::collections::HashSet<Id>,
        component: HashMap<Id, usize>,
        next: usize,
        components: usize,
    }
    let mut st = State {
        index: HashMap::default(),
        low: HashMap::default(),
        on_stack: Vec::new(),
        on_stack_set: std::collections::HashSet::new(),
        component: HashMap::default(),
        next: 0,
        components: 0,
    };
    // Iterative DFS, so deep schemas cannot overflow the stack.
    for &start in alive {
        if st.index.contains_key(&start) {
            continue;
        }
        let mut work: Vec<(Id, Vec<Id>, usize)> = Vec::new();
        st.index.insert(start, st.next);
        st.low.insert(start, st.next);
        st.next += 1;
        st.on_stack.push(start);
        st.on_stack_set.insert(start);
        work.push((start, edges(start), 0));
        while let Some((v, succ, pos)) = work.last_mut() {
            let v = *v;
            if let Some(&w) = succ.get(*pos) {
                *pos += 1;
                if !st.index.contains_key(&w) {
                    st.index.insert(w, st.next);
                    st.low.insert(w, st.next);
                    st.next += 1;
                    st.on_stack.push(w);
                    st.on_stack_set.insert(w);
                    work.push((w, edges(w), 0));
                } else if st.on_stack_set.contains(&w) {
                    let lw = st.index[&w];
                    let lv = st.low[&v];
                    st.low.insert(v, lv.min(lw));
                }
                continue;
            }
            work.pop();
            if let Some((parent, _, _)) = work.last() {
                let lp = st.low[parent];
                let lv = st.low[&v];
                st.low.insert(*parent, lp.min(lv));
            }
            if st.low[&v] == st.index[&v] {
                while let Some(w) = st.on_stack.pop() {
                    st.on_stack_set.remove(&w);
                    st.component.insert(w, st.components);
                    if w == v {
                        break;
                    }
                }
                st.components += 1;
            }
        }
    }
    st.component
}

/// The declared response headers with their accessor names (snake case, distinct).
fn response_headers(headers: &[super::HeaderNode]) -> Vec<ir::ResponseHeader> {
    let wanted: Vec<(String, String)> = headers
        .iter()
        .map(|h| (h.wire_name.clone(), ident(&h.wire_name, Case::Snake)))
        .collect();
    let names = disambiguate(&wanted, &[], Case::Snake);
    headers
        .iter()
        .zip(names)
        .map(|(h, name)| ir::ResponseHeader {
            name,
            wire_name: h.wire_name.clone(),
            kind: h.kind,
            doc: h.doc.clone(),
            statuses: h.statuses.clone(),
        })
        .collect()
}
