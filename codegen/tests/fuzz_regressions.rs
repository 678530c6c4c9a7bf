//! Inputs the fuzzer (`cargo xtask fuzz`) found, and hand-picked edge cases (`seed-*.json`): the
//! generator must neither panic on them nor emit code that does not parse.

use std::path::Path;

#[test]
fn saved_fuzz_inputs_neither_panic_nor_break_the_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fuzz")
        .map(|e| e.expect("entry").path())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 9, "the seed inputs are there");
    for (input, validate) in inputs.iter().flat_map(|i| [(i, false), (i, true)]) {
        let mut config = codegen::Config::new(input);
        config.validate = validate;
        let outcome = std::panic::catch_unwind(|| config.generate());
        let outcome =
            outcome.unwrap_or_else(|_| panic!("{} makes the generator panic", input.display()));
        if let Err(failure) = outcome {
            let text = failure.to_string();
            assert!(
                !text.contains("internal error"),
                "{}: {text}",
                input.display()
            );
            assert!(
                text.contains(&*input.file_name().expect("name").to_string_lossy()),
                "errors name the file: {text}"
            );
        }
    }
}
