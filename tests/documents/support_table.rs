//! The support tables in the README are the ones generated from the schema files.

use std::path::Path;

/// Checks (or with `UPDATE_README=1`, rewrites) the README block between
/// the `<!-- {marker}:start … -->` and `<!-- {marker}:end -->` lines.
fn check_block(marker: &str, table: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start_tag = format!("<!-- {marker}:start");
    let at = readme
        .find(&start_tag)
        .unwrap_or_else(|| panic!("README lacks {start_tag}"));
    let start = at + readme[at..].find("-->\n").unwrap() + 4;
    let end_tag = format!("<!-- {marker}:end -->");
    let end = start
        + readme[start..]
            .find(&end_tag)
            .unwrap_or_else(|| panic!("README lacks {end_tag}"));
    let embedded = &readme[start..end];
    if embedded != table && std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..start], table, &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        embedded == table,
        "the README's {marker} is out of date; run UPDATE_README=1 cargo test --test documents"
    );
}

#[test]
fn readme_tables_match_the_schema_files() {
    check_block("support-table", portone_pg::SUPPORT_TABLE);
    check_block(
        "certification-table",
        portone_pg::CERTIFICATION_SUPPORT_TABLE,
    );
}

#[test]
fn one_row_per_schema_file() {
    rows_match_files("schemas/pg", portone_pg::SUPPORT_TABLE);
    rows_match_files(
        "schemas/certification/pg",
        portone_pg::CERTIFICATION_SUPPORT_TABLE,
    );
}

/// One row per file, in code order, each with the file's evidence level.
fn rows_match_files(dir: &str, table: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|name| name.strip_suffix(".toml").map(str::to_owned))
        .collect();
    files.sort();
    let rows: Vec<&str> = table.lines().skip(2).collect();
    let codes: Vec<&str> = rows
        .iter()
        .map(|row| row.split('`').nth(1).unwrap())
        .collect();
    assert_eq!(codes, files);
    for (code, row) in codes.iter().zip(&rows) {
        let text = std::fs::read_to_string(dir.join(format!("{code}.toml"))).unwrap();
        let file: toml::Table = text.parse().unwrap();
        // The file's own level (a [window] table carries its own).
        let evidence = file["evidence"].as_str().unwrap();
        for level in ["documented", "observed", "inferred"] {
            let in_file = evidence == level;
            assert_eq!(
                row.contains(&format!("| {level} |")),
                in_file,
                "{code}: {level}"
            );
        }
    }
}
