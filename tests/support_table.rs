//! The support table in the README is the one generated from the schema files.

use std::path::Path;

const START: &str = "<!-- support-table:start (generated from schemas/; UPDATE_README=1 cargo test --test support_table) -->\n";
const END: &str = "<!-- support-table:end -->";

#[test]
fn readme_table_matches_the_schema_files() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(START)
        .expect("README lacks the support-table start marker")
        + START.len();
    let end = start
        + readme[start..]
            .find(END)
            .expect("README lacks the end marker");
    let embedded = &readme[start..end];
    if embedded != portone_pg::SUPPORT_TABLE && std::env::var_os("UPDATE_README").is_some() {
        let updated = format!(
            "{}{}{}",
            &readme[..start],
            portone_pg::SUPPORT_TABLE,
            &readme[end..]
        );
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        embedded == portone_pg::SUPPORT_TABLE,
        "the README's support table is out of date; run UPDATE_README=1 cargo test --test support_table"
    );
}

#[test]
fn one_row_per_schema_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/pg");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|name| name.strip_suffix(".toml").map(str::to_owned))
        .collect();
    files.sort();
    let rows: Vec<String> = portone_pg::SUPPORT_TABLE
        .lines()
        .skip(2)
        .map(|row| row.split('`').nth(1).unwrap().to_owned())
        .collect();
    assert_eq!(rows, files);
    for code in &rows {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("schemas/pg/{code}.toml")),
        )
        .unwrap();
        let row = portone_pg::SUPPORT_TABLE
            .lines()
            .find(|r| r.starts_with(&format!("| `{code}`")))
            .unwrap();
        for level in ["documented", "observed", "inferred"] {
            let in_file = text.contains(&format!("evidence = \"{level}\""));
            assert_eq!(
                row.contains(&format!("| {level} |")),
                in_file,
                "{code}: {level}"
            );
        }
    }
}
