//! Webhook events: reading what a vendor sends to your server into a module's
//! `webhooks::Event`. An event's payload is read as its API description says (JSON, a
//! form-encoded body typed like a form request body, text or bytes); an event the description
//! does not list is kept whole, as [`Unknown`]. Checking the request's signature first is
//! `webhook::Verifier`'s (cargo feature `webhooks`).
//!
//! This file is written by the generator, like every other file of the crate.

use crate::answer::BodyError;
use serde::de::{self, DeserializeOwned, IntoDeserializer};
use std::fmt;

/// An event the API description does not list, kept as it came. Its `Debug` shows the headers'
/// names, not their values (one holds the request's signature), and the body's length.
#[derive(Clone, PartialEq)]
pub struct Unknown {
    /// What named it: the value of the events' tag property, or the name it was received
    /// under; `None` when the request said neither.
    pub name: Option<String>,
    /// The request's headers.
    pub headers: http::HeaderMap,
    /// The request's body.
    pub body: Vec<u8>,
}

impl fmt::Debug for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unknown")
            .field("name", &self.name)
            .field("headers", &header_names(&self.headers))
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

#[doc(hidden)]
/// The names of a request's headers, for a `Debug` that must not show a signature.
pub fn header_names(headers: &http::HeaderMap) -> Vec<&str> {
    headers.keys().map(http::HeaderName::as_str).collect()
}

impl Unknown {
    #[doc(hidden)]
    pub fn new(name: Option<&str>, headers: &http::HeaderMap, body: &[u8]) -> Unknown {
        Unknown {
            name: name.map(str::to_owned),
            headers: headers.clone(),
            body: body.to_vec(),
        }
    }
}

/// Why an event's payload was not read.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventError {
    /// The payload does not decode as the event's type.
    Decode {
        /// The event's name in the API description.
        event: &'static str,
        /// Where in the payload (`.` for the whole of it).
        path: String,
        /// What was wrong.
        error: serde_json::Error,
    },
    /// The events are told apart by a property, and the body is no JSON object to read it from.
    NoTag {
        /// Why.
        error: serde_json::Error,
    },
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::Decode { event, path, error } => {
                write!(f, "the `{event}` event's payload does not decode")?;
                if path != "." {
                    write!(f, " at `{path}`")?;
                }
                write!(f, " ({error})")
            }
            EventError::NoTag { error } => {
                write!(
                    f,
                    "the event's body is no JSON to tell the event by ({error})"
                )
            }
        }
    }
}

impl std::error::Error for EventError {}

#[doc(hidden)]
/// Reads the payload of the event `event` with `reader` (one of `answer`'s, or [`form`]).
pub fn read<T>(
    event: &'static str,
    body: &[u8],
    reader: impl FnOnce(&[u8]) -> Result<T, BodyError>,
) -> Result<T, EventError> {
    reader(body).map_err(|e| EventError::Decode {
        event,
        path: e.path,
        error: e.error,
    })
}

#[doc(hidden)]
/// The string at `path` in a JSON body (the value that tells the events apart); `None` when the
/// body has no string there.
pub fn tag(body: &[u8], path: &[&str]) -> Result<Option<String>, EventError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| EventError::NoTag { error })?;
    let mut at = &value;
    for step in path {
        match at.get(step) {
            Some(inner) => at = inner,
            None => return Ok(None),
        }
    }
    Ok(at.as_str().map(str::to_owned))
}

#[doc(hidden)]
/// Decodes an `application/x-www-form-urlencoded` body into `T`, as a form request body is laid
/// out: a name given several times is an array, and each value reads as the type its field has
/// (a number, a boolean, text); the error names the field that did not decode.
pub fn form<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in form_urlencoded::parse(body) {
        match fields.iter_mut().find(|(n, _)| *n == name) {
            Some((_, values)) => values.push(value.into_owned()),
            None => fields.push((name.into_owned(), vec![value.into_owned()])),
        }
    }
    let deserializer = de::value::MapDeserializer::new(
        fields
            .into_iter()
            .map(|(name, values)| (name, FormValue(values))),
    );
    serde_path_to_error::deserialize(deserializer).map_err(|e| BodyError {
        path: e.path().to_string(),
        error: e.into_inner(),
    })
}

/// The values a form gives one name: one for a scalar, several for an array.
struct FormValue(Vec<String>);

impl<'de> IntoDeserializer<'de, serde_json::Error> for FormValue {
    type Deserializer = FormValue;
    fn into_deserializer(self) -> FormValue {
        self
    }
}

/// The name serde_json gives the newtype a `RawValue` is read through.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

impl FormValue {
    /// The values as JSON: one text, or an array of texts.
    fn into_json(mut self) -> serde_json::Value {
        match self.0.len() {
            1 => serde_json::Value::String(self.0.remove(0)),
            _ => self.0.into_iter().map(serde_json::Value::String).collect(),
        }
    }

    /// The one value of a scalar field.
    fn single(mut self) -> Result<String, serde_json::Error> {
        match self.0.len() {
            1 => Ok(self.0.remove(0)),
            n => Err(de::Error::custom(format_args!(
                "{n} values given for a single one"
            ))),
        }
    }

    fn parse<T: std::str::FromStr>(self, what: &str) -> Result<T, serde_json::Error> {
        let text = self.single()?;
        text.parse()
            .map_err(|_| de::Error::custom(format_args!("`{text}` is not {what}")))
    }
}

macro_rules! parsed {
    ($($method:ident $visit:ident $ty:ty, $what:literal;)*) => {
        $(
            fn $method<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                visitor.$visit(self.parse::<$ty>($what)?)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for FormValue {
    type Error = serde_json::Error;

    /// A value of no stated type (`serde_json::Value`, an untagged union's buffer): text, or an
    /// array of texts.
    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.0.len() == 1 {
            visitor.visit_string(self.single()?)
        } else {
            self.deserialize_seq(visitor)
        }
    }

    parsed! {
        deserialize_bool visit_bool bool, "a boolean";
        deserialize_i8 visit_i8 i8, "an integer";
        deserialize_i16 visit_i16 i16, "an integer";
        deserialize_i32 visit_i32 i32, "an integer";
        deserialize_i64 visit_i64 i64, "an integer";
        deserialize_u8 visit_u8 u8, "an integer";
        deserialize_u16 visit_u16 u16, "an integer";
        deserialize_u32 visit_u32 u32, "an integer";
        deserialize_u64 visit_u64 u64, "an integer";
        deserialize_f32 visit_f32 f32, "a number";
        deserialize_f64 visit_f64 f64, "a number";
    }

    fn deserialize_str<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_string(self.single()?)
    }

    fn deserialize_string<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_string(self.single()?)
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let items = self.0.into_iter().map(|v| FormValue(vec![v]));
        visitor.visit_seq(de::value::SeqDeserializer::new(items))
    }

    /// A kept field (`UnknownFields` holds each as a `RawValue`, which serde_json asks for as
    /// this newtype) is kept as JSON text, or an array of texts; any other newtype holds the
    /// value itself.
    fn deserialize_newtype_struct<V: de::Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if name == RAW_VALUE {
            return self.into_json().deserialize_newtype_struct(name, visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(self.single()?.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        char bytes byte_buf unit unit_struct tuple tuple_struct map struct
        identifier ignored_any i128 u128
    }
}
