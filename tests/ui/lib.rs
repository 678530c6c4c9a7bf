//! Nothing: the crate holds the trybuild cases of the generated API (`pass/`, `fail/`), run by
//! `tests/ui/generated_api.rs`.
