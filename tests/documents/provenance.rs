//! Every fact a user reads can be checked: each schema `sources` entry is a
//! public link or a path in this repository.

use crate::support;

use std::path::{Path, PathBuf};

use support::root;

/// Every file below `dir` (relative to the root) whose name ends with one of `endings`.
fn files(dir: &str, endings: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        } else if endings.iter().any(|e| path.to_string_lossy().ends_with(e)) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Every `sources` entry of every schema file (portone-pg's and the example
/// integrator's): a link, or a path that exists, then optionally ` — ` and
/// what it shows.
#[test]
fn every_source_is_a_link_or_a_repository_path() {
    let mut schema_files = files("schemas", &[".toml"]);
    schema_files.extend(files("examples/own-schemas/schemas", &[".toml"]));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for path in schema_files {
        let schema: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        // A file's sources, its [window] table's, and in shapes.toml each
        // shape's [<shape>.window]'s.
        let mut lists: Vec<&toml::Value> = schema.get("sources").into_iter().collect();
        lists.extend(schema.get("window").and_then(|w| w.get("sources")));
        for shape in schema.values().filter_map(toml::Value::as_table) {
            lists.extend(shape.get("window").and_then(|w| w.get("sources")));
        }
        let sources: Vec<&toml::Value> = lists
            .into_iter()
            .filter_map(toml::Value::as_array)
            .flatten()
            .collect();
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        for source in sources {
            let source = source.as_str().unwrap();
            let target = source.split(" — ").next().unwrap().trim();
            let ok = if target.starts_with("https://") {
                !target.contains(' ') && pinned_if_a_repository_file(target)
            } else {
                Path::new(target).is_relative() && root().join(target).exists()
            };
            if !ok {
                wrong.push(format!("{name}: {source}"));
            }
            checked += 1;
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 120, "{checked} sources");
}

/// A GitHub file link names a full commit, not a branch.
fn pinned_if_a_repository_file(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://github.com/") else {
        return true;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.get(2) {
        Some(&"blob") | Some(&"tree") => parts.get(3).is_some_and(|commit| {
            commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit())
        }),
        _ => true,
    }
}

/// A PG whose facts are `observed` points at a response in this repository:
/// the fixture is the evidence.
#[test]
fn every_observed_pg_cites_a_fixture() {
    let mut schema_files = files("schemas/pg", &[".toml"]);
    schema_files.extend(files("schemas/certification/pg", &[".toml"]));
    let mut observed = 0;
    for path in schema_files {
        let schema: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        if schema.get("evidence").and_then(|e| e.as_str()) != Some("observed") {
            continue;
        }
        observed += 1;
        let cites_fixture = schema["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().starts_with("tests/fixtures/"));
        assert!(
            cites_fixture,
            "{}: observed, but no fixture cited",
            path.display()
        );
    }
    assert!(observed >= 5, "{observed} observed PGs");
}
