//! The value-type vocabulary is written once, in the macro's table: the
//! schema README's list is generated from it, and the allocation test's
//! list of code-typed properties is derived from it and the catalogue.

use std::path::Path;

fn table() -> String {
    let mut out = String::from("| type | Rust type | accepts |\n|---|---|---|\n");
    for (name, rust, _, meaning) in portone_pg::__VALUE_TYPES {
        let rust = rust
            .trim_start_matches("::std::string::")
            .trim_start_matches("::");
        out.push_str(&format!("| `{name}` | `{rust}` | {meaning} |\n"));
    }
    out
}

#[test]
fn the_schema_readme_lists_every_value_type() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find("<!-- value-types:start").expect("start marker");
    let start = start + readme[start..].find("-->\n").unwrap() + 4;
    let end = start
        + readme[start..]
            .find("<!-- value-types:end -->")
            .expect("end marker");
    let table = table();
    if readme[start..end] != table && std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(
            &path,
            format!("{}{}{}", &readme[..start], table, &readme[end..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        readme[start..end],
        table,
        "schemas/README.md's type list is out of date: UPDATE_README=1 cargo test --test documents"
    );
}

#[test]
fn every_catalogue_type_is_in_the_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    for file in ["fields.toml", "certification/fields.toml"] {
        let catalogue: toml::Table = std::fs::read_to_string(root.join(file))
            .unwrap()
            .parse()
            .unwrap();
        for (name, field) in &catalogue {
            let ty = field
                .get("type")
                .and_then(|t| t.as_str())
                .unwrap_or("string");
            assert!(
                portone_pg::__VALUE_TYPES.iter().any(|(n, ..)| *n == ty),
                "{file}: `{name}` has type `{ty}`"
            );
        }
    }
}

/// `check_value`, which tools use to read a value by its type's name,
/// knows every type of the table, and reads each as the generated parser
/// does: both null forms as no value.
#[test]
fn check_value_knows_every_value_type() {
    for (name, ..) in portone_pg::__VALUE_TYPES {
        assert_eq!(
            portone_pg::check_value(name, "null").map_err(|e| e.to_string()),
            Ok(false),
            "{name}"
        );
        assert_eq!(
            portone_pg::check_value(name, r#""null""#).ok(),
            Some(false),
            "{name}"
        );
    }
    assert!(portone_pg::check_value("no_such_type", "1").is_err());
}
