//! Cargo features per group of operations: which feature turns on each operation, each module's
//! events, and each type (the types an operation or event reaches, transitively and across
//! modules, compile when any feature that reaches them is on).
//!
//! An operation's group is its first tag; without one, the resource its path names (the first
//! segment after the segments every path of the module shares: `/v1/customers/{id}` →
//! `customers`); an operation with neither belongs to the module's own feature. A group's feature
//! is `<module>-<group in kebab-case>`; a module's events are `<module>-webhooks`. The module's
//! feature turns all its groups on and also holds the types no operation or event reaches.

use crate::ir::{self, Answer, BodyKind, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The feature layout of a crate, module by module (in the IR's order).
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub modules: Vec<ModuleLayout>,
}

/// The features of one module.
#[derive(Debug, Clone, Default)]
pub struct ModuleLayout {
    /// The module's own feature (its name).
    pub feature: String,
    /// Each group feature of the module with the operations in it (by name), sorted by feature.
    pub groups: BTreeMap<String, Vec<String>>,
    /// The feature of each operation, by index.
    pub operations: Vec<String>,
    /// The feature of the module's events, when it has any.
    pub webhooks: Option<String>,
    /// The features any of which compiles each type, by index.
    pub types: Vec<Gate>,
    /// The features any of which compiles the module at all.
    pub module: Gate,
    /// The internal feature every group of the module turns on, when a gate names it: it stands
    /// for all the groups in the gates of the types they all reach (in a large document most
    /// types are reached from every group, and a `cfg` naming each would be most of the code).
    pub any_group: Option<String>,
}

/// A set of cargo features, any of which turns an item on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gate(pub BTreeSet<String>);

impl Gate {
    pub fn of(feature: &str) -> Gate {
        Gate(BTreeSet::from([feature.to_owned()]))
    }

    /// The `cfg` predicate: `feature = "a"`, or `any(feature = "a", feature = "b")`.
    pub fn predicate(&self) -> TokenStream {
        let features = self.0.iter().map(|f| quote!(feature = #f));
        if self.0.len() == 1 {
            quote!(#(#features)*)
        } else {
            quote!(any(#(#features),*))
        }
    }

    /// `#[cfg(…)]` and a line break, as source text on one line.
    pub fn attribute_line(&self) -> String {
        let features: Vec<String> = self
            .0
            .iter()
            .map(|f| format!("feature = {}", super::string_literal(f)))
            .collect();
        match features.as_slice() {
            [one] => format!("#[cfg({one})]\n"),
            _ => format!("#[cfg(any({}))]\n", features.join(", ")),
        }
    }
}

/// Groups every operation and event, and gates every type by what reaches it.
pub fn layout(krate: &ir::Crate) -> Layout {
    let index: HashMap<(&str, &str), (usize, usize)> = krate
        .modules
        .iter()
        .enumerate()
        .flat_map(|(m, module)| {
            module
                .types
                .iter()
                .enumerate()
                .map(move |(t, def)| ((module.name.as_str(), def.name.as_str()), (m, t)))
        })
        .collect();
    let mut reached: Vec<Vec<BTreeSet<String>>> = krate
        .modules
        .iter()
        .map(|m| vec![BTreeSet::new(); m.types.len()])
        .collect();
    let mut modules = Vec::with_capacity(krate.modules.len());
    for module in &krate.modules {
        let prefix = shared_prefix(module);
        let mut layout = ModuleLayout {
            feature: module.name.clone(),
            ..ModuleLayout::default()
        };
        for op in &module.operations {
            let feature = match group(op, prefix) {
                Some(group) => format!("{}-{group}", module.name),
                None => module.name.clone(),
            };
            if feature != module.name {
                let ops = layout.groups.entry(feature.clone()).or_default();
                ops.push(op.name.clone());
            }
            let roots = operation_types(op);
            spread(krate, &index, &mut reached, &roots, &feature);
            layout.operations.push(feature);
        }
        if !module.webhooks.is_empty() {
            let feature = format!("{}-webhooks", module.name);
            layout.groups.entry(feature.clone()).or_default();
            let roots: Vec<&TypeRef> = module
                .webhooks
                .iter()
                .filter_map(|w| w.body.as_ref())
                .filter_map(|b| body_type(&b.kind))
                .collect();
            spread(krate, &index, &mut reached, &roots, &feature);
            layout.webhooks = Some(feature);
        }
        modules.push(layout);
    }
    for (m, layout) in modules.iter_mut().enumerate() {
        layout.types = reached[m]
            .iter()
            .map(|features| {
                if features.is_empty() {
                    Gate::of(&layout.feature)
                } else {
                    Gate(features.clone())
                }
            })
            .collect();
    }
    // A module compiles when its own feature, or anything that reaches into it, is on.
    for layout in &mut modules {
        let mut all = BTreeSet::from([layout.feature.clone()]);
        all.extend(layout.groups.keys().cloned());
        for gate in &layout.types {
            all.extend(gate.0.iter().cloned());
        }
        layout.module = Gate(all);
    }
    stand_in_for_all_groups(&mut modules);
    Layout { modules }
}

/// In every gate that names all the groups of a module (of two or more), the module's
/// `_<module>-any-group` feature, which each of them turns on, takes their place: the same
/// condition, written once.
fn stand_in_for_all_groups(modules: &mut [ModuleLayout]) {
    let taken: BTreeSet<String> = modules
        .iter()
        .flat_map(|m| std::iter::once(&m.feature).chain(m.groups.keys()))
        .cloned()
        .collect();
    for m in 0..modules.len() {
        let groups: BTreeSet<String> = modules[m].groups.keys().cloned().collect();
        let any_group = format!("_{}-any-group", modules[m].feature);
        if groups.len() < 2 || taken.contains(&any_group) {
            continue;
        }
        let mut named = false;
        for layout in modules.iter_mut() {
            for gate in layout.types.iter_mut().chain(std::iter::once(&mut layout.module)) {
                if groups.is_subset(&gate.0) {
                    gate.0.retain(|f| !groups.contains(f));
                    gate.0.insert(any_group.clone());
                    named = true;
                }
            }
        }
        if named {
            modules[m].any_group = Some(any_group);
        }
    }
}

/// Marks every type `roots` reach (through fields, variants, aliases and checks, into any
/// module) as reached by `feature`.
fn spread(
    krate: &ir::Crate,
    index: &HashMap<(&str, &str), (usize, usize)>,
    reached: &mut [Vec<BTreeSet<String>>],
    roots: &[&TypeRef],
    feature: &str,
) {
    let mut stack: Vec<&TypeRef> = roots.to_vec();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                stack.push(inner)
            }
            TypeRef::Named { module, name } => {
                let Some(&(m, t)) = index.get(&(module.as_str(), name.as_str())) else {
                    continue;
                };
                if !reached[m][t].insert(feature.to_owned()) {
                    continue;
                }
                stack.extend(type_refs(&krate.modules[m].types[t].kind));
            }
            _ => {}
        }
    }
}

/// The types a definition refers to directly.
fn type_refs(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Checked(c) => std::iter::once(&c.inner)
            .chain(c.also.iter().map(|(ty, _)| ty))
            .chain(&c.not)
            .chain(c.members.iter().map(|(_, ty)| ty))
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The types an operation's request and answers name.
fn operation_types(op: &ir::Operation) -> Vec<&TypeRef> {
    let mut out: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
    if let Some(body) = &op.body {
        out.extend(body.contents.iter().filter_map(|c| body_type(&c.kind)));
    }
    for answer in op.responses.iter().chain(&op.errors) {
        if let Answer::Json(ty) = &answer.answer {
            out.push(ty);
        }
    }
    if let Some(p) = &op.pagination {
        out.push(&p.item);
    }
    out
}

fn body_type(kind: &BodyKind) -> Option<&TypeRef> {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form { ty, .. } | BodyKind::Multipart { ty, .. } => Some(ty),
        _ => None,
    }
}

/// How many leading path segments every operation of the module shares, short of the shortest
/// path's last (a module of one operation `/v1/messages` shares `v1`).
fn shared_prefix(module: &ir::Module) -> usize {
    let paths: Vec<Vec<&str>> = module
        .operations
        .iter()
        .map(|op| segments(&op.path))
        .collect();
    let Some(first) = paths.first() else {
        return 0;
    };
    let shortest = paths.iter().map(Vec::len).min().unwrap_or(0);
    let mut shared = 0;
    while shared + 1 < shortest && paths.iter().all(|p| p[shared] == first[shared]) {
        shared += 1;
    }
    shared
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// An operation's group: its first tag, else the resource its path names after the shared
/// prefix (a placeholder names none).
fn group(op: &ir::Operation, prefix: usize) -> Option<String> {
    if let Some(tag) = op.tags.first().and_then(|t| feature_part(t)) {
        return Some(tag);
    }
    segments(&op.path)
        .get(prefix)
        .filter(|s| !s.starts_with('{'))
        .and_then(|s| feature_part(s))
}

/// Text as a part of a cargo feature name: kebab-case, ASCII letters and digits only.
fn feature_part(text: &str) -> Option<String> {
    use heck::ToKebabCase;
    let ascii: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let kebab = ascii.to_kebab_case();
    (!kebab.is_empty()).then_some(kebab)
}
