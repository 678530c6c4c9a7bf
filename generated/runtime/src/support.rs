//! Runtime support for the generated types: the tri-state [`Nullable`], the fallback of open enums
//! ([`Unrecognized`]), the store of properties a schema does not list ([`UnknownFields`]), the
//! date-time types ([`DateTime`], [`UnixTime`]), and the helpers the generated serde impls call.
//!
//! This file is written by the generator, like every other file of the crate.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;

/// A property that may be absent, present as `null`, or present with a value.
///
/// Optional properties that may also be `null` use this type, so that what was received is what is
/// written back: an absent property stays absent, an explicit `null` stays `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// The property was not there.
    #[default]
    Absent,
    /// The property was there, with the value `null`.
    Null,
    /// The property was there, with a value.
    Present(T),
}

impl<T> Nullable<T> {
    /// Whether the property was not there.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property was there with the value `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if the property had one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Present(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if the property had one.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Present(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// Borrows the value.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Present(v) => Nullable::Present(v),
        }
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes an explicit `null`.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Present(v),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Present(v) => v.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// `null` reads as [`Nullable::Null`]; an absent property is the containing type's business.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

/// A value of an open enum that the schema did not list, kept exactly as received.
///
/// It can only be made by parsing (`FromStr`, deserialising), so a listed value never ends up here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unrecognized<T>(T);

impl<T> Unrecognized<T> {
    /// The value as received.
    pub fn value(&self) -> &T {
        &self.0
    }

    /// The value as received.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl Unrecognized<String> {
    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[doc(hidden)]
/// Parses an open string enum: a listed value through `known`, anything else into the fallback.
pub fn open_from_str<T>(
    value: &str,
    known: fn(&str) -> Option<T>,
    other: fn(Unrecognized<String>) -> T,
) -> T {
    known(value).unwrap_or_else(|| other(Unrecognized(value.to_owned())))
}

#[doc(hidden)]
/// Converts to an open integer enum: a listed value through `known`, anything else into the fallback.
pub fn open_from_int<T>(
    value: i64,
    known: fn(i64) -> Option<T>,
    other: fn(Unrecognized<i64>) -> T,
) -> T {
    known(value).unwrap_or_else(|| other(Unrecognized(value)))
}

#[doc(hidden)]
/// Deserialises an open string enum: listed values through `known`, anything else into the fallback.
pub fn deserialize_open_str<'de, D, T>(
    deserializer: D,
    known: fn(&str) -> Option<T>,
    other: fn(Unrecognized<String>) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct OpenStr<T> {
        known: fn(&str) -> Option<T>,
        other: fn(Unrecognized<String>) -> T,
    }
    impl<T> Visitor<'_> for OpenStr<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(open_from_str(v, self.known, self.other))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
            match (self.known)(&v) {
                Some(t) => Ok(t),
                None => Ok((self.other)(Unrecognized(v))),
            }
        }
    }
    deserializer.deserialize_str(OpenStr { known, other })
}

#[doc(hidden)]
/// Deserialises an open integer enum: listed values through `known`, anything else into the fallback.
pub fn deserialize_open_int<'de, D, T>(
    deserializer: D,
    known: fn(i64) -> Option<T>,
    other: fn(Unrecognized<i64>) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct OpenInt<T> {
        known: fn(i64) -> Option<T>,
        other: fn(Unrecognized<i64>) -> T,
    }
    impl<T> Visitor<'_> for OpenInt<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            Ok(open_from_int(v, self.known, self.other))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            match i64::try_from(v) {
                Ok(v) => self.visit_i64(v),
                Err(_) => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
            }
        }
    }
    deserializer.deserialize_i64(OpenInt { known, other })
}

/// The conversions and serde impls of a generated open enum, from one row, `Name str Fallback`
/// or `Name i64 Fallback`: `FromStr` and `Display` (and `From<i64>` for an integer enum), and
/// `Serialize` and `Deserialize` through the enum's own `as_str` / `as_i64` and `from_listed`. A
/// value the schema does not list goes into `Fallback`.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    ($name:ident str $fallback:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            /// Never fails: a value the schema does not list becomes the fallback variant.
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok($crate::support::open_from_str(
                    value,
                    Self::from_listed,
                    Self::$fallback,
                ))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::support::open_enum!(@serde $name $fallback serialize_str as_str deserialize_open_str);
    };
    ($name:ident i64 $fallback:ident) => {
        impl ::std::convert::From<i64> for $name {
            /// A value the schema does not list becomes the fallback variant.
            fn from(value: i64) -> Self {
                $crate::support::open_from_int(value, Self::from_listed, Self::$fallback)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                value.parse::<i64>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        $crate::support::open_enum!(@serde $name $fallback serialize_i64 as_i64 deserialize_open_int);
    };
    (@serde $name:ident $fallback:ident $write:ident $value:ident $read:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> Result<__S::Ok, __S::Error> {
                serializer.$write(self.$value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                $crate::support::$read(deserializer, Self::from_listed, Self::$fallback)
            }
        }
    };
}
#[doc(hidden)]
pub use crate::open_enum;

/// Properties that the schema does not list, in the order received, kept as raw JSON text so that
/// writing the value back loses nothing and reading it costs little.
///
/// It takes one pointer in its struct, and allocates only when there are properties to keep: most
/// payloads have none, and every struct carries one.
#[derive(Clone, Default)]
pub struct UnknownFields(Option<Box<Entries>>);

/// Names and raw JSON values, in the order received.
type Entries = Vec<(String, Box<RawValue>)>;

impl UnknownFields {
    /// No properties.
    pub fn new() -> Self {
        UnknownFields(None)
    }

    /// The properties, in the order received.
    fn entries(&self) -> &[(String, Box<RawValue>)] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Appends a property (allocating the store on the first one).
    fn push(&mut self, name: String, value: Box<RawValue>) {
        self.0.get_or_insert_with(Box::default).push((name, value));
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    /// The raw JSON of one property.
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.entries()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| &**v)
    }

    /// Names and raw JSON values, in the order received.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.entries().iter().map(|(n, v)| (n.as_str(), &**v))
    }

    /// Sets a property, replacing (and returning) any earlier value of that name.
    pub fn insert(&mut self, name: String, value: Box<RawValue>) -> Option<Box<RawValue>> {
        let slot = self
            .0
            .as_deref_mut()
            .and_then(|entries| entries.iter_mut().find(|(n, _)| *n == name));
        match slot {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.push(name, value);
                None
            }
        }
    }

    /// Sets a property to any serialisable value.
    pub fn insert_value<T: Serialize + ?Sized>(
        &mut self,
        name: String,
        value: &T,
    ) -> serde_json::Result<()> {
        self.insert(name, serde_json::value::to_raw_value(value)?);
        Ok(())
    }

    /// Removes a property.
    pub fn remove(&mut self, name: &str) -> Option<Box<RawValue>> {
        let entries = self.0.as_deref_mut()?;
        let index = entries.iter().position(|(n, _)| n == name)?;
        Some(entries.remove(index).1)
    }

    #[doc(hidden)]
    /// Reads one more property (see [`UnknownFields::finish`]).
    pub fn read<'de, A: MapAccess<'de>>(
        &mut self,
        name: String,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let value: Box<RawValue> = map.next_value()?;
        self.push(name, value);
        Ok(())
    }

    #[doc(hidden)]
    /// Ends reading: a name seen twice is an error, as for listed properties.
    #[inline(always)]
    pub fn finish<E: de::Error>(self) -> Result<Self, E> {
        // While reading, the store exists only once something was kept.
        if self.0.is_none() {
            return Ok(self);
        }
        match self.given_twice() {
            Some(name) => Err(E::custom(format_args!("duplicate field `{name}`"))),
            None => Ok(self),
        }
    }

    /// A name that came twice, if one did (out of line: most objects keep nothing). Names are
    /// sorted once, so many unknown properties cost `n log n`, not `n²`.
    #[cold]
    #[inline(never)]
    fn given_twice(&self) -> Option<&str> {
        let mut names: Vec<&str> = self.iter().map(|(n, _)| n).collect();
        names.sort_unstable();
        names
            .windows(2)
            .find(|pair| pair[0] == pair[1])
            .map(|pair| pair[0])
    }

    /// Whether a `null` was kept for `name` (out of line: asked only once something was kept).
    #[cold]
    #[inline(never)]
    fn kept_null(&self, name: &str) -> bool {
        self.has_null(name)
    }

    /// Keeps a `null` received for a listed property whose schema does not allow it (out of line,
    /// so that the readers of properties stay small).
    #[cold]
    #[inline(never)]
    fn keep_null(&mut self, name: &'static str) -> serde_json::Result<()> {
        let null = RawValue::from_string("null".to_owned())?;
        self.push(name.to_owned(), null);
        Ok(())
    }

    #[doc(hidden)]
    /// Whether `name` was received as `null` for an optional property whose schema does not allow
    /// it (the lenient default mode keeps it here).
    pub fn has_null(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v.get() == "null")
    }

    #[doc(hidden)]
    /// Writes every property but those `listed` names (nulls of listed properties are written in
    /// their place) into a map being serialised.
    pub fn write_unlisted<M: SerializeMap>(
        &self,
        map: &mut M,
        listed: &[&str],
    ) -> Result<(), M::Error> {
        self.iter()
            .filter(|(name, _)| !listed.contains(name))
            .try_for_each(|(name, value)| map.serialize_entry(name, value))
    }
}

impl PartialEq for UnknownFields {
    /// Equal when the same names hold equal JSON values (whitespace aside), in the same order.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|((a, x), (b, y))| a == b && same_json(x, y))
    }
}

/// Whether two raw JSON texts hold the same value (cheap when the texts are identical).
fn same_json(a: &RawValue, b: &RawValue) -> bool {
    if a.get() == b.get() {
        return true;
    }
    let parse = |raw: &RawValue| serde_json::from_str::<serde_json::Value>(raw.get()).ok();
    matches!((parse(a), parse(b)), (Some(x), Some(y)) if x == y)
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(n, v)| (n, v.get())))
            .finish()
    }
}

#[doc(hidden)]
/// A property name as a struct's reader sees it: the index of a name the struct lists, or the
/// name (lent by the input where it can be).
pub enum Key<'de> {
    Listed(usize),
    Other(std::borrow::Cow<'de, str>),
}

impl Key<'_> {
    /// The name, owned (for the unknown properties, or an error).
    pub fn into_name(self, names: &[&str]) -> String {
        match self {
            Key::Listed(index) => names[index].to_owned(),
            Key::Other(name) => name.into_owned(),
        }
    }
}

#[doc(hidden)]
/// The property names a struct lists.
pub trait Listed {
    /// The index of `name` among them, if it is one (a `match`, which the compiler turns into a
    /// few comparisons: a search of a list was 5–10% slower to read the seed payloads).
    fn find(name: &str) -> Option<usize>;
}

#[doc(hidden)]
/// Reads a property name as a [`Key`] of the struct that lists `L`, so that the struct's reader
/// matches on a number (one jump, and little code to compile per property), allocating only for a
/// name the struct does not list and the input cannot lend.
pub struct KeyIndex<L>(std::marker::PhantomData<L>);

impl<L> KeyIndex<L> {
    #[inline(always)]
    pub fn new() -> Self {
        KeyIndex(std::marker::PhantomData)
    }
}

impl<L> Default for KeyIndex<L> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, L: Listed> DeserializeSeed<'de> for KeyIndex<L> {
    type Value = Key<'de>;
    #[inline(always)]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, L: Listed> Visitor<'de> for KeyIndex<L> {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    #[inline(always)]
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(L::find(v).map_or(Key::Other(std::borrow::Cow::Borrowed(v)), Key::Listed))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(L::find(v).map_or_else(
            || Key::Other(std::borrow::Cow::Owned(v.to_owned())),
            Key::Listed,
        ))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(L::find(&v).map_or(Key::Other(std::borrow::Cow::Owned(v)), Key::Listed))
    }
}

#[doc(hidden)]
/// A generated struct's reader state: one `Option` per listed property (a struct of its own, made
/// by [`object!`]), what [`ObjectVisitor`] fills property by property and then makes the struct of.
pub trait Slots<'de>: Listed + Sized {
    /// The struct read.
    type Value;
    /// The listed property names, by index.
    const NAMES: &'static [&'static str];
    /// What a value of another shape is said not to be (`an object (Name)`).
    const EXPECTING: &'static str;
    /// Whether unknown properties are kept (else refused).
    const KEEPS: bool;
    /// Every slot empty.
    fn new() -> Self;
    /// Reads the value of the listed property `index` into its slot (a lenient property's `null`
    /// into `extra`).
    fn read<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        extra: &mut UnknownFields,
    ) -> Result<(), A::Error>;
    /// The struct, or the error that a required property is missing.
    fn finish<E: de::Error>(self, extra: UnknownFields) -> Result<Self::Value, E>;
}

#[doc(hidden)]
/// The reader of every generated struct: the loop over an object's properties, written once.
pub struct ObjectVisitor<S>(std::marker::PhantomData<S>);

impl<S> ObjectVisitor<S> {
    #[inline(always)]
    pub fn new() -> Self {
        ObjectVisitor(std::marker::PhantomData)
    }
}

impl<S> Default for ObjectVisitor<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, S: Slots<'de>> Visitor<'de> for ObjectVisitor<S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(S::EXPECTING)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S::Value, A::Error> {
        let mut slots = S::new();
        let mut extra = UnknownFields::new();
        while let Some(key) = map.next_key_seed(KeyIndex::<S>::new())? {
            match key {
                Key::Listed(index) => slots.read(index, &mut map, &mut extra)?,
                key if S::KEEPS => extra.read(key.into_name(S::NAMES), &mut map)?,
                key => {
                    let name = key.into_name(S::NAMES);
                    return Err(de::Error::unknown_field(&name, S::NAMES));
                }
            }
        }
        slots.finish(extra.finish()?)
    }
}

#[doc(hidden)]
/// The error for an index no slot has (none: [`Listed::find`] gives only the indexes of the
/// properties compiled in).
#[cold]
pub fn not_listed<E: de::Error>(index: usize) -> E {
    E::custom(format_args!("no property has the index {index}"))
}

#[doc(hidden)]
/// A required property's value, or the error that it is missing.
#[inline(always)]
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => Err(E::missing_field(name)),
    }
}

/// The `Deserialize` and `Serialize` impls of a generated struct, from its field table: one line
/// per property (`index field "wire" kind [keeper] Slot`: the index counts the rows from 0, `Slot`
/// is what the reader holds in an `Option` until the end, so the body's types are known as it is
/// checked rather than inferred at its end), so the
/// generated files stay small while the
/// impls are what a hand-written visitor would be.
///
/// The reader is the runtime's [`ObjectVisitor`] over the struct's [`Slots`]: the loop over the
/// properties, the unknown ones and every early return are checked once, here, and each struct
/// has only what is its own to check (its slots, reading one by index, building the struct at the
/// end). That took what rustc spends on the readers of Discord's crate down by a third to two
/// fifths. What a struct's reader calls is `#[inline(always)]` and `visit_map` is `#[inline]`, so
/// that a struct's reader is laid out inside its parent's as a derived one is: without them,
/// `cargo bench -p api-tests --bench deserialize` ran 5–7% slower (and 4–7% more instructions
/// under callgrind).
///
/// Kinds: `required` (also required and nullable: the value is an `Option`), `optional`
/// (`Option`, `None` when absent), `nullable` (optional and nullable: `Nullable`), `lenient`
/// (optional, and a `null` the schema does not allow reads as absent; `[extra]` names the field
/// that keeps the `null` so it is written back, `[]` when the struct keeps no unknown properties:
/// the `null` is then dropped, but still counts as the property's one occurrence).
/// The struct's own `[extra "a" "b"]` keeps unknown properties in `extra` (and names the lenient
/// properties, whose `null`s are written in their place); `[]` refuses unknown properties.
/// A row, and a lenient property's name, may start with `#[cfg(…)]`: the field of a type that
/// compiles with fewer features than the struct; when it is off, its property is an unknown one.
#[doc(hidden)]
#[macro_export]
macro_rules! object {
    (
        $name:ident $expecting:literal [$($keep:ident $($(#[$when:meta])* $lenient:literal)*)?];
        $( $(#[$cfg:meta])* $index:literal $field:ident $wire:literal $kind:ident [$($keeper:ident)?] $slot:ty; )*
    ) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                struct __Slots {
                    $( $(#[$cfg])* $field: Option<$slot>, )*
                }
                impl $crate::support::Listed for __Slots {
                    #[inline(always)]
                    fn find(name: &str) -> Option<usize> {
                        match name {
                            $( $(#[$cfg])* $wire => Some($index), )*
                            _ => None,
                        }
                    }
                }
                impl<'de> $crate::support::Slots<'de> for __Slots {
                    type Value = $name;
                    const NAMES: &'static [&'static str] = &[$($wire),*];
                    const EXPECTING: &'static str = $expecting;
                    const KEEPS: bool = $crate::support::object!(@keeps [$($keep)?]);
                    #[inline(always)]
                    fn new() -> Self {
                        __Slots { $( $(#[$cfg])* $field: None, )* }
                    }
                    #[allow(unused_variables)]
                    #[inline(always)]
                    fn read<__A: ::serde::de::MapAccess<'de>>(
                        &mut self,
                        index: usize,
                        map: &mut __A,
                        extra: &mut $crate::support::UnknownFields,
                    ) -> Result<(), __A::Error> {
                        match index {
                            $( $(#[$cfg])* $index => {
                                $crate::support::object!(@read $kind [$($keeper)?] map extra (self.$field) $wire)
                            } )*
                            _ => Err($crate::support::not_listed(index)),
                        }
                    }
                    #[allow(unused_variables)]
                    #[inline(always)]
                    fn finish<__E: ::serde::de::Error>(
                        self,
                        extra: $crate::support::UnknownFields,
                    ) -> Result<$name, __E> {
                        Ok($name {
                            $( $(#[$cfg])* $field: $crate::support::object!(@take $kind [$($keeper)?] (self.$field) $wire __E), )*
                            $( $keep: extra, )?
                        })
                    }
                }
                deserializer.deserialize_map($crate::support::ObjectVisitor::<__Slots>::new())
            }
        }

        impl ::serde::Serialize for $name {
            #[allow(unused_mut)]
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> Result<__S::Ok, __S::Error> {
                let mut map = match ::serde::Serializer::serialize_map(serializer, None) {
                    Ok(map) => $crate::support::MapWriter::new(map),
                    Err(e) => return Err(e),
                };
                $( $(#[$cfg])* $crate::support::object!(@write $kind [$($keeper)?] self map $field $wire); )*
                $( map.unlisted(&self.$keep, &[$($(#[$when])* $lenient),*]); )?
                map.end()
            }
        }
    };
    (@keeps [$keep:ident]) => {
        true
    };
    (@keeps []) => {
        false
    };
    (@read lenient [$keeper:ident] $map:ident $extra:ident $slot:tt $wire:literal) => {
        $crate::support::read_lenient($map, &mut $slot, $extra, $wire)
    };
    (@read $kind:ident [] $map:ident $extra:ident $slot:tt $wire:literal) => {
        $crate::support::read_once($map, &mut $slot, $wire)
    };
    // A `match`, not `?`: each `?` is a conversion for rustc to resolve, in thousands of readers.
    (@take required [] $slot:tt $wire:literal $E:ident) => {
        match $crate::support::required::<_, $E>($slot, $wire) {
            Ok(value) => value,
            Err(e) => return Err(e),
        }
    };
    (@take nullable [] $slot:tt $wire:literal $E:ident) => {
        $slot.unwrap_or_default()
    };
    // Read by `read_once` as `Option<Option<T>>` (a `null` is `Some(None)`, so a property given
    // twice is refused whatever was given).
    (@take lenient [] $slot:tt $wire:literal $E:ident) => {
        $slot.flatten()
    };
    (@take $kind:ident [$($keeper:ident)?] $slot:tt $wire:literal $E:ident) => {
        $slot
    };
    (@write required [] $this:tt $map:ident $field:ident $wire:literal) => {
        $map.entry($wire, &$this.$field)
    };
    (@write nullable [] $this:tt $map:ident $field:ident $wire:literal) => {
        $map.nullable($wire, &$this.$field)
    };
    (@write lenient [$keeper:ident] $this:tt $map:ident $field:ident $wire:literal) => {
        $map.lenient($wire, &$this.$field, &$this.$keeper)
    };
    (@write $kind:ident [] $this:tt $map:ident $field:ident $wire:literal) => {
        $map.optional($wire, &$this.$field)
    };
}
#[doc(hidden)]
pub use crate::object;

#[doc(hidden)]
/// Writes a struct's properties into a serializer's map, one call per property and no branch in
/// the struct's own code (which is little to compile for each of thousands of structs): the first
/// error is kept, and ends the writing.
pub struct MapWriter<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> MapWriter<M> {
    #[inline(always)]
    pub fn new(map: M) -> Self {
        MapWriter { map, error: None }
    }

    /// A property that is always there.
    #[inline(always)]
    pub fn entry<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(name, value) {
                self.error = Some(e);
            }
        }
    }

    /// An optional property: written when it is there.
    #[inline(always)]
    pub fn optional<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.entry(name, value);
        }
    }

    /// An optional and nullable property: written when it is not absent.
    #[inline(always)]
    pub fn nullable<T: Serialize>(&mut self, name: &'static str, value: &Nullable<T>) {
        if !value.is_absent() {
            self.entry(name, value);
        }
    }

    /// An optional property read leniently: its value, else the `null` `nulls` kept for it.
    #[inline(always)]
    pub fn lenient<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &Option<T>,
        nulls: &UnknownFields,
    ) {
        match value {
            Some(value) => self.entry(name, value),
            None if nulls.has_null(name) => self.entry(name, &()),
            None => {}
        }
    }

    /// The unknown properties, but those `listed` (the lenient properties' kept `null`s).
    #[inline(always)]
    pub fn unlisted(&mut self, extra: &UnknownFields, listed: &[&str]) {
        if self.error.is_none() {
            if let Err(e) = extra.write_unlisted(&mut self.map, listed) {
                self.error = Some(e);
            }
        }
    }

    /// Ends the map, or returns the first error.
    #[inline(always)]
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

#[doc(hidden)]
/// Reads the value of a listed property; a property seen twice is an error.
#[inline(always)]
pub fn read_once<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    unset(slot, name)?;
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Refuses a property given twice.
#[inline(always)]
fn unset<T, E: de::Error>(slot: &Option<T>, name: &'static str) -> Result<(), E> {
    match slot {
        Some(_) => Err(E::duplicate_field(name)),
        None => Ok(()),
    }
}

#[doc(hidden)]
/// Reads an optional property whose schema does not allow `null`, leniently: a `null` leaves it
/// absent and is kept in `nulls` (the struct's unknown properties), so that it is written back.
/// (A struct that keeps no unknown properties reads such a property with [`read_once`] into an
/// `Option<Option<T>>`, flattened at the end.)
#[inline(always)]
pub fn read_lenient<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    nulls: &mut UnknownFields,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    unset(slot, name)?;
    // Read straight into the slot: matching on the value would move it once more.
    *slot = map.next_value::<Option<T>>()?;
    match slot {
        None => nulls.keep_null(name).map_err(de::Error::custom),
        // A kept `null`, then a value: given twice (as a derived reader says). The store is
        // searched only once it holds something.
        Some(_) if nulls.0.is_some() && nulls.kept_null(name) => {
            Err(de::Error::duplicate_field(name))
        }
        Some(_) => Ok(()),
    }
}

#[doc(hidden)]
/// Buffers a union member as raw JSON text (a copy of the text, no tree), to try it more than once.
pub fn buffer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Box<RawValue>, D::Error> {
    Box::<RawValue>::deserialize(deserializer)
}

#[doc(hidden)]
/// An object of a tagged union, read up to its tag. When the tag is the first property (the usual
/// case) the rest of the object is still unread and goes straight to the variant's deserializer;
/// otherwise the properties before the tag were buffered, in order, to be replayed.
pub struct TaggedMap<A> {
    read: std::collections::VecDeque<(String, serde_json::Value)>,
    value: Option<serde_json::Value>,
    rest: A,
}

impl<'de, A: MapAccess<'de>> TaggedMap<A> {
    /// Reads the object up to its tag; returns the tag's string value, if it has one.
    pub fn read(mut map: A, tag: &str) -> Result<(Option<String>, Self), A::Error> {
        let mut read = std::collections::VecDeque::new();
        let mut names = std::collections::HashSet::new();
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            let value: serde_json::Value = map.next_value()?;
            if !names.insert(key.clone()) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            let is_tag = key == tag;
            if is_tag {
                found = value.as_str().map(str::to_owned);
            }
            read.push_back((key, value));
            if is_tag {
                break;
            }
        }
        let tagged = TaggedMap {
            read,
            value: None,
            rest: map,
        };
        Ok((found, tagged))
    }

    /// Deserialises the whole object as `T`.
    pub fn deserialize<T: Deserialize<'de>>(self) -> Result<T, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(self))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for TaggedMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.read.pop_front() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::StringDeserializer::<A::Error>::new(key))
                    .map(Some)
            }
            None => self.rest.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value).map_err(de::Error::custom),
            None => self.rest.next_value_seed(seed),
        }
    }
}

#[doc(hidden)]
/// Tries to deserialise a buffered value as one variant of an untagged union.
pub fn try_from_raw<T: de::DeserializeOwned>(raw: &RawValue) -> Option<T> {
    serde_json::from_str(raw.get()).ok()
}

/// An RFC 3339 date-time (`2023-11-07T05:31:56Z`, `2018-07-24T20:59:32.156+02:00`).
///
/// It keeps the text it was read from and writes exactly that text back; the parsed fields are
/// available through the accessors. Two values are equal when their text is equal.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DateTime {
    text: Box<str>,
    unix_seconds: i64,
    nanosecond: u32,
    offset_minutes: i16,
}

/// Why a text is not an RFC 3339 date-time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    text: String,
    reason: &'static str,
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an RFC 3339 date-time: {}",
            self.text, self.reason
        )
    }
}

impl std::error::Error for DateTimeError {}

impl DateTime {
    /// The text the value was read from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Seconds since 1970-01-01T00:00:00Z (leap seconds count as the second before).
    pub fn unix_timestamp(&self) -> i64 {
        self.unix_seconds
    }

    /// The fraction of the second, in nanoseconds (digits past the ninth are dropped).
    pub fn nanosecond(&self) -> u32 {
        self.nanosecond
    }

    /// The offset from UTC in minutes (`Z` is 0).
    pub fn offset_minutes(&self) -> i16 {
        self.offset_minutes
    }

    /// Year, month (1–12) and day (1–31) in the value's own offset.
    pub fn date(&self) -> (i32, u8, u8) {
        let local = self.unix_seconds + i64::from(self.offset_minutes) * 60;
        civil_from_days(local.div_euclid(86_400))
    }

    /// Hour, minute and second in the value's own offset.
    pub fn time(&self) -> (u8, u8, u8) {
        let local = (self.unix_seconds + i64::from(self.offset_minutes) * 60).rem_euclid(86_400);
        (
            (local / 3600) as u8,
            (local / 60 % 60) as u8,
            (local % 60) as u8,
        )
    }

    /// The UTC date-time of a Unix timestamp, written as `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn from_unix_timestamp(seconds: i64) -> DateTime {
        let (y, mo, d) = civil_from_days(seconds.div_euclid(86_400));
        let t = seconds.rem_euclid(86_400);
        let text = format!(
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
            t / 3600,
            t / 60 % 60,
            t % 60
        );
        DateTime {
            text: text.into_boxed_str(),
            unix_seconds: seconds,
            nanosecond: 0,
            offset_minutes: 0,
        }
    }

    fn parse(text: &str) -> Result<DateTime, &'static str> {
        let b = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Result<i64, &'static str> {
            let part = b.get(range).ok_or("too short")?;
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return Err("expected digits");
            }
            Ok(part.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
        };
        let expect = |at: usize, what: &[u8]| -> Result<(), &'static str> {
            match b.get(at) {
                Some(c) if what.contains(c) => Ok(()),
                _ => Err("unexpected character"),
            }
        };
        let year = digits(0..4)?;
        expect(4, b"-")?;
        let month = digits(5..7)?;
        expect(7, b"-")?;
        let day = digits(8..10)?;
        expect(10, b"Tt ")?;
        let hour = digits(11..13)?;
        expect(13, b":")?;
        let minute = digits(14..16)?;
        expect(16, b":")?;
        let second = digits(17..19)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err("no such date");
        }
        if hour > 23 || minute > 59 || second > 60 {
            return Err("no such time");
        }
        let mut at = 19;
        let mut nanosecond = 0u32;
        if b.get(at) == Some(&b'.') {
            at += 1;
            let start = at;
            while b.get(at).is_some_and(u8::is_ascii_digit) {
                if at - start < 9 {
                    nanosecond = nanosecond * 10 + u32::from(b[at] - b'0');
                }
                at += 1;
            }
            if at == start {
                return Err("expected digits after `.`");
            }
            for _ in (at - start)..9 {
                nanosecond = nanosecond.saturating_mul(10);
            }
        }
        let offset_minutes = match b.get(at) {
            Some(b'Z' | b'z') => {
                at += 1;
                0
            }
            Some(sign @ (b'+' | b'-')) => {
                let sign = if *sign == b'-' { -1 } else { 1 };
                let h = digits(at + 1..at + 3)?;
                expect(at + 3, b":")?;
                let m = digits(at + 4..at + 6)?;
                if h > 23 || m > 59 {
                    return Err("no such offset");
                }
                at += 6;
                sign * (h * 60 + m)
            }
            _ => return Err("expected `Z` or an offset such as `+02:00`"),
        };
        if at != b.len() {
            return Err("unexpected text after the offset");
        }
        let days = days_from_civil(year, month, day);
        let local = days * 86_400 + hour * 3600 + minute * 60 + second.min(59);
        Ok(DateTime {
            text: text.into(),
            unix_seconds: local - offset_minutes * 60,
            nanosecond,
            offset_minutes: offset_minutes as i16,
        })
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month as u8, day as u8)
}

impl std::str::FromStr for DateTime {
    type Err = DateTimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse(s).map_err(|reason| DateTimeError {
            text: s.to_owned(),
            reason,
        })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({})", self.text)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse(v).map_err(|reason| {
                    E::custom(DateTimeError {
                        text: v.to_owned(),
                        reason,
                    })
                })
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A point in time as whole seconds since the Unix epoch (how some APIs send times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct UnixTime(pub i64);

impl Serialize for UnixTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for UnixTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(UnixTime)
    }
}

impl UnixTime {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn seconds(self) -> i64 {
        self.0
    }

    /// The same instant as a UTC [`DateTime`].
    pub fn to_date_time(self) -> DateTime {
        DateTime::from_unix_timestamp(self.0)
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(feature = "schemars")]
#[doc(hidden)]
pub use json_schemas::schema_object;

/// The `schemars::JsonSchema` impl of a generated type (cargo feature `schemars`), from one row per
/// property, value or variant:
///
/// - `Name "module::Name"; object <additionalProperties> [required names]; "wire" Type; …`
/// - `Name "module::Name"; enum "string" ["a", "b"]` (or `"integer"`)
/// - `Name "module::Name"; union; Type; Type; …` (any of the variants)
/// - `Name "module::Name"; checked Type` (a checked newtype: its inner type's schema)
#[doc(hidden)]
#[macro_export]
macro_rules! schema {
    ($name:ident $id:literal; $($body:tt)*) => {
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed($id)
            }

            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let _ = &generator;
                $crate::support::schema!(@body generator $($body)*)
            }
        }
    };
    (@body $g:ident object $additional:literal [$($required:literal),*]; $( $(#[$cfg:meta])* $wire:literal $ty:ty; )*) => {{
        #[allow(unused_mut)]
        let mut properties = ::serde_json::Map::new();
        $( $(#[$cfg])* properties.insert($wire.to_owned(), $g.subschema_for::<$ty>().to_value()); )*
        let required: Vec<&str> = vec![$($required),*];
        $crate::support::schema_object([
            ("type", ::serde_json::Value::from("object")),
            ("properties", ::serde_json::Value::Object(properties)),
            ("required", ::serde_json::Value::from(required)),
            ("additionalProperties", ::serde_json::Value::Bool($additional)),
        ])
    }};
    (@body $g:ident enum $kind:literal [$($value:literal),*]) => {{
        let values = vec![$(::serde_json::Value::from($value)),*];
        $crate::support::schema_object([
            ("type", ::serde_json::Value::from($kind)),
            ("enum", ::serde_json::Value::Array(values)),
        ])
    }};
    (@body $g:ident union; $( $ty:ty; )*) => {{
        let variants = vec![$($g.subschema_for::<$ty>().to_value()),*];
        $crate::support::schema_object([("anyOf", ::serde_json::Value::Array(variants))])
    }};
    (@body $g:ident checked $ty:ty) => {
        $g.subschema_for::<$ty>()
    };
}
#[doc(hidden)]
pub use crate::schema;

#[cfg(feature = "schemars")]
mod json_schemas {
    //! `schemars::JsonSchema` for the support types (cargo feature `schemars`).

    use super::{DateTime, Nullable, UnixTime};
    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
    use std::borrow::Cow;

    #[doc(hidden)]
    /// A schema object from its keywords (built as a map: `json_schema!` runs out of recursion on
    /// large types).
    pub fn schema_object<const N: usize>(entries: [(&str, serde_json::Value); N]) -> Schema {
        let map: serde_json::Map<String, serde_json::Value> = entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        Schema::from(map)
    }

    impl<T: JsonSchema> JsonSchema for Nullable<T> {
        fn schema_name() -> Cow<'static, str> {
            Option::<T>::schema_name()
        }

        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            Option::<T>::json_schema(generator)
        }
    }

    impl JsonSchema for DateTime {
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed("DateTime")
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({ "type": "string", "format": "date-time" })
        }
    }

    impl JsonSchema for UnixTime {
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed("UnixTime")
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({ "type": "integer", "format": "unix-time" })
        }
    }
}
