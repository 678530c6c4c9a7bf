//! Cargo features per group of operations: which feature turns on each operation, each module's
//! events, and each type (the types an operation or event reaches, transitively and across
//! modules, compile when any feature that reaches them is on).
//!
//! An operation's group is its first tag; without one, the resource its path names (the first
//! segment after the segments every path of the module shares: `/v1/customers/{id}` →
//! `customers`); an operation with neither belongs to the module's own feature. A group's feature
//! is `<module>-<group in kebab-case>`; a module's events are `<module>-webhooks`. The module's
//! feature turns all its groups on and also holds the types no operation or event reaches.
//!
//! An error answer reaches less: not through an optional property (of a struct that keeps
//! unknown properties) whose type is, or reaches, a type an operation's request or other answer,
//! or an event, names (Stripe's error names a `PaymentIntent`, a `SetupIntent`, a `PaymentMethod` and a `Source`,
//! which would otherwise compile with every operation). Such a property is a field only when a
//! feature that compiles its type is on; without one, it is kept with the struct's unknown
//! properties, as received. The error's own details (types only errors name) are always fields.

use crate::ir::{self, Answer, BodyKind, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

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
    /// The fields that compile with fewer features than their struct (see the module's docs),
    /// by type and field index: the features any of which compiles the field's type.
    pub fields: BTreeMap<(usize, usize), Gate>,
    /// The features any of which compiles the module at all.
    pub module: Gate,
    /// The internal feature every group of the module turns on, when a gate names it: it stands
    /// for all the groups in the gates of the types they all reach (in a large document most
    /// types are reached from every group, and a `cfg` naming each would be most of the code).
    pub any_group: Option<String>,
}

/// A set of cargo features, any of which turns an item on, with its `#[cfg(…)]` written once
/// (every item of a large crate has one, and thousands share each).
#[derive(Debug, Clone, Default)]
pub struct Gate {
    features: BTreeSet<String>,
    attribute: std::sync::Arc<str>,
}

impl PartialEq for Gate {
    fn eq(&self, other: &Gate) -> bool {
        self.features == other.features
    }
}

impl Eq for Gate {}

impl Gate {
    pub fn new(features: BTreeSet<String>) -> Gate {
        let listed: Vec<String> = features
            .iter()
            .map(|f| format!("feature = {}", super::string_literal(f)))
            .collect();
        let attribute = match listed.as_slice() {
            [one] => format!("#[cfg({one})]"),
            _ => format!("#[cfg(any({}))]", listed.join(", ")),
        };
        Gate {
            features,
            attribute: attribute.into(),
        }
    }

    pub fn of(feature: &str) -> Gate {
        Gate::new(BTreeSet::from([feature.to_owned()]))
    }

    /// The features, by name.
    pub fn features(&self) -> &BTreeSet<String> {
        &self.features
    }

    /// The `cfg` predicate: `feature = "a"`, or `any(feature = "a", feature = "b")`.
    pub fn predicate(&self) -> TokenStream {
        let features = self.features.iter().map(|f| quote!(feature = #f));
        if self.features.len() == 1 {
            quote!(#(#features)*)
        } else {
            quote!(any(#(#features),*))
        }
    }

    /// `#[cfg(…)]` and a line break, as source text on one line.
    pub fn attribute_line(&self) -> String {
        format!("{}\n", self.attribute)
    }

    /// `#[cfg(…)]` as source text.
    pub fn attribute(&self) -> &str {
        &self.attribute
    }

    /// The features as a user reads them: ``feature `a` ``, ``feature `a` or `b` ``, or how
    /// many there are when they are more than two (the `cfg` lists them).
    pub fn describe(&self) -> String {
        let names: Vec<String> = self.features.iter().map(|f| format!("`{f}`")).collect();
        match names.as_slice() {
            [one] => format!("feature {one}"),
            [a, b] => format!("feature {a} or {b}"),
            _ => format!("any of the {} features its `cfg` names", names.len()),
        }
    }
}

/// The `#[cfg(…)]` of an item a gate turns on, none without a gate.
pub fn cfg_tokens(gate: Option<&Gate>) -> TokenStream {
    match gate {
        Some(gate) => {
            let predicate = gate.predicate();
            quote!(#[cfg(#predicate)])
        }
        None => TokenStream::new(),
    }
}

/// The `#[cfg(…)] ` of a table row a gate turns on, nothing without a gate.
pub fn cfg_text(gate: Option<&Gate>) -> String {
    gate.map(|g| format!("{} ", g.attribute()))
        .unwrap_or_default()
}

impl ModuleLayout {
    /// The gate of each field of a type (none for a type that is no struct).
    pub fn field_gates(&self, t: usize, def: &ir::TypeDef) -> Vec<Option<&Gate>> {
        let count = match &def.kind {
            TypeKind::Struct(s) => s.fields.len(),
            _ => 0,
        };
        (0..count).map(|f| self.fields.get(&(t, f))).collect()
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
    // Features by number while types are reached: a large document reaches each of thousands of
    // types from dozens of features.
    let mut features = Names::default();
    let mut reached: Vec<Vec<BTreeSet<usize>>> = krate
        .modules
        .iter()
        .map(|m| vec![BTreeSet::new(); m.types.len()])
        .collect();
    let mut modules = Vec::with_capacity(krate.modules.len());
    // Error answers are spread once everything else is, so that what they do not reach
    // themselves is known.
    let mut errors: Vec<(Vec<&TypeRef>, usize)> = Vec::new();
    // What the operations' requests and other answers, and the events, name.
    let mut named: Vec<&TypeRef> = Vec::new();
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
            let id = features.id(&feature);
            let roots = operation_types(op);
            spread(krate, &index, &mut reached, &roots, id, None);
            named.extend(roots);
            errors.push((error_types(op), id));
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
            let id = features.id(&feature);
            spread(krate, &index, &mut reached, &roots, id, None);
            named.extend(roots);
            layout.webhooks = Some(feature);
        }
        modules.push(layout);
    }
    let answered = answered(krate, &index, &named);
    for (roots, feature) in &errors {
        spread(
            krate,
            &index,
            &mut reached,
            roots,
            *feature,
            Some(&answered),
        );
    }
    let mut gates: Vec<Vec<BTreeSet<usize>>> = Vec::with_capacity(modules.len());
    let mut module_gates: Vec<BTreeSet<usize>> = Vec::with_capacity(modules.len());
    for (layout, reached) in modules.iter().zip(reached) {
        let own = features.id(&layout.feature);
        let types: Vec<BTreeSet<usize>> = reached
            .into_iter()
            .map(|f| {
                if f.is_empty() {
                    BTreeSet::from([own])
                } else {
                    f
                }
            })
            .collect();
        // A module compiles when its own feature, or anything that reaches into it, is on.
        let mut all = BTreeSet::from([own]);
        all.extend(layout.groups.keys().map(|g| features.id(g)));
        for gate in &types {
            all.extend(gate.iter().copied());
        }
        gates.push(types);
        module_gates.push(all);
    }
    let implied = implied_features(&modules, &mut features);
    let mut fields = narrower_fields(krate, &index, &gates, &implied);
    stand_in_for_all_groups(
        &mut modules,
        &mut features,
        gates
            .iter_mut()
            .flatten()
            .chain(fields.iter_mut().flat_map(|f| f.values_mut())),
        &mut module_gates,
    );
    // Each distinct set of features once: most types share their gate with many others.
    let mut made: HashMap<&BTreeSet<usize>, Gate> = HashMap::default();
    let mut gate = |ids| {
        made.entry(ids)
            .or_insert_with(|| {
                Gate::new(ids.iter().map(|&f| features.name(f).to_owned()).collect())
            })
            .clone()
    };
    for (((layout, types), module), fields) in modules
        .iter_mut()
        .zip(&gates)
        .zip(&module_gates)
        .zip(&fields)
    {
        layout.types = types.iter().map(&mut gate).collect();
        layout.module = gate(module);
        layout.fields = fields.iter().map(|(&at, ids)| (at, gate(ids))).collect();
    }
    Layout { modules }
}

/// Feature names by number, numbered in the order they are first named.
#[derive(Default)]
struct Names {
    names: Vec<String>,
    ids: HashMap<String, usize>,
}

impl Names {
    fn id(&mut self, name: &str) -> usize {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), self.names.len() - 1);
        self.names.len() - 1
    }

    fn name(&self, id: usize) -> &str {
        &self.names[id]
    }
}

/// In every gate that names all the groups of a module (of two or more), the module's
/// `_<module>-any-group` feature, which each of them turns on, takes their place: the same
/// condition, written once.
fn stand_in_for_all_groups<'a>(
    modules: &mut [ModuleLayout],
    features: &mut Names,
    gates: impl Iterator<Item = &'a mut BTreeSet<usize>>,
    module_gates: &'a mut [BTreeSet<usize>],
) {
    let mut gates: Vec<&mut BTreeSet<usize>> = gates.chain(module_gates.iter_mut()).collect();
    let taken: BTreeSet<String> = modules
        .iter()
        .flat_map(|m| std::iter::once(&m.feature).chain(m.groups.keys()))
        .cloned()
        .collect();
    for layout in modules.iter_mut() {
        let groups: BTreeSet<usize> = layout.groups.keys().map(|g| features.id(g)).collect();
        let any_group = format!("_{}-any-group", layout.feature);
        if groups.len() < 2 || taken.contains(&any_group) {
            continue;
        }
        let stand_in = features.id(&any_group);
        let mut named = false;
        for gate in gates.iter_mut() {
            if groups.is_subset(gate) {
                gate.retain(|f| !groups.contains(f));
                gate.insert(stand_in);
                named = true;
            }
        }
        if named {
            layout.any_group = Some(any_group);
        }
    }
}

/// Which types are, or reach, a type that an operation's request or other answer, or an event,
/// names (`roots`), by module and type.
fn answered(
    krate: &ir::Crate,
    index: &HashMap<(&str, &str), (usize, usize)>,
    roots: &[&TypeRef],
) -> Vec<Vec<bool>> {
    let mut referrers: HashMap<(usize, usize), Vec<(usize, usize)>> = HashMap::default();
    for (m, module) in krate.modules.iter().enumerate() {
        for (t, def) in module.types.iter().enumerate() {
            for ty in type_refs(&def.kind) {
                if let Some(&at) = named(ty).and_then(|n| index.get(&n)) {
                    referrers.entry(at).or_default().push((m, t));
                }
            }
        }
    }
    let mut out: Vec<Vec<bool>> = krate
        .modules
        .iter()
        .map(|m| vec![false; m.types.len()])
        .collect();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for &(m, t) in roots.iter().filter_map(|ty| index.get(&named(ty)?)) {
        if !out[m][t] {
            out[m][t] = true;
            stack.push((m, t));
        }
    }
    while let Some(at) = stack.pop() {
        for &(m, t) in referrers.get(&at).into_iter().flatten() {
            if !out[m][t] {
                out[m][t] = true;
                stack.push((m, t));
            }
        }
    }
    out
}

/// Marks every type `roots` reach (through fields, variants, aliases and checks, into any
/// module) as reached by `feature`. From an error answer (`answered` given: see [`answered`]),
/// an optional field of a struct that keeps unknown properties is not followed when its type
/// reaches what other answers do.
fn spread(
    krate: &ir::Crate,
    index: &HashMap<(&str, &str), (usize, usize)>,
    reached: &mut [Vec<BTreeSet<usize>>],
    roots: &[&TypeRef],
    feature: usize,
    answered: Option<&[Vec<bool>]>,
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
                if !reached[m][t].insert(feature) {
                    continue;
                }
                match (&krate.modules[m].types[t].kind, answered) {
                    (TypeKind::Struct(s), Some(answered))
                        if matches!(s.unknown_fields, ir::UnknownFields::Keep(_)) =>
                    {
                        let answered = |ty: &TypeRef| {
                            named(ty)
                                .and_then(|n| index.get(&n))
                                .is_some_and(|&(m, t)| answered[m][t])
                        };
                        stack.extend(
                            s.fields
                                .iter()
                                .filter(|f| f.required || !answered(&f.ty))
                                .map(|f| &f.ty),
                        )
                    }
                    (kind, _) => stack.extend(type_refs(kind)),
                }
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

/// The features each feature turns on, itself included (a module's feature turns on its groups
/// and its events'), by number.
fn implied_features(
    modules: &[ModuleLayout],
    features: &mut Names,
) -> HashMap<usize, BTreeSet<usize>> {
    modules
        .iter()
        .map(|layout| {
            let mut on = BTreeSet::from([features.id(&layout.feature)]);
            on.extend(layout.groups.keys().map(|g| features.id(g)));
            (features.id(&layout.feature), on)
        })
        .collect()
}

/// The fields whose type compiles with fewer features than their struct, by module, then type and
/// field: their type's gate. An error answer's optional properties are such (see the module's
/// docs), and so is a field of a type no feature reaches (its module's own) whose type only
/// another module's groups reach: without its `cfg`, that module alone would not compile.
fn narrower_fields(
    krate: &ir::Crate,
    index: &HashMap<(&str, &str), (usize, usize)>,
    gates: &[Vec<BTreeSet<usize>>],
    implied: &HashMap<usize, BTreeSet<usize>>,
) -> Vec<BTreeMap<(usize, usize), BTreeSet<usize>>> {
    let covers = |narrow: &BTreeSet<usize>, wide: &BTreeSet<usize>| {
        wide.iter().all(|f| match implied.get(f) {
            Some(on) => !on.is_disjoint(narrow),
            None => narrow.contains(f),
        })
    };
    let mut out = vec![BTreeMap::new(); krate.modules.len()];
    for (m, module) in krate.modules.iter().enumerate() {
        for (t, def) in module.types.iter().enumerate() {
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            for (f, field) in s.fields.iter().enumerate() {
                let Some(&(fm, ft)) = named(&field.ty).and_then(|at| index.get(&at)) else {
                    continue;
                };
                if !covers(&gates[fm][ft], &gates[m][t]) {
                    out[m].insert((t, f), gates[fm][ft].clone());
                }
            }
        }
    }
    out
}

/// The named type a field's type holds (in an array, a map or a nullable), if any.
fn named(ty: &TypeRef) -> Option<(&str, &str)> {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named(inner),
        TypeRef::Named { module, name } => Some((module.as_str(), name.as_str())),
        _ => None,
    }
}

/// The types an operation's request and its answers but the errors name.
fn operation_types(op: &ir::Operation) -> Vec<&TypeRef> {
    let mut out: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
    if let Some(body) = &op.body {
        out.extend(body.contents.iter().filter_map(|c| body_type(&c.kind)));
    }
    out.extend(json_answers(&op.responses));
    if let Some(p) = &op.pagination {
        out.push(&p.item);
    }
    out
}

/// The types an operation's error answers name.
fn error_types(op: &ir::Operation) -> Vec<&TypeRef> {
    json_answers(&op.errors).collect()
}

fn json_answers(answers: &[ir::StatusAnswer]) -> impl Iterator<Item = &TypeRef> {
    answers.iter().filter_map(|a| match &a.answer {
        Answer::Json(ty) => Some(ty),
        _ => None,
    })
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
