//! Compile-pass and compile-fail cases of the generated public API (`trybuild`).

#[test]
fn generated_api() {
    let t = trybuild::TestCases::new();
    t.pass("pass/*.rs");
    t.compile_fail("fail/*.rs");
}
