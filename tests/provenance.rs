//! Every fact a user reads can be checked: each schema `sources` entry is a
//! public link or a path in this repository, and no text a user reads
//! carries the shorthand of private research notes.

mod support;

use std::path::{Path, PathBuf};

use support::root;

/// Shorthand keys of private notes that must never reach a reader, with why.
/// Some are spelled in pieces, so that this file does not itself carry the
/// keys it refuses everywhere else.
const PRIVATE_KEYS: &[(&str, &str)] = &[
    (concat!("D", "P:"), "a docs-repository key"),
    (concat!("ID", "X:"), "an unrecorded example index"),
    (concat!("SEED", "0"), "a seed-file key"),
    (concat!("pg-", "facts"), "the research notes"),
    (
        concat!("shared/", "reference"),
        "a path outside the repository",
    ),
    ("\u{a7}", "a section of the research notes"),
    (r"MAN ", "a manual key"),
    (r"RN ", "a React Native SDK key"),
    (r"FLT ", "a Flutter SDK key"),
    (r"ISS ", "an issue key"),
    (r"TYP ", "a typings key"),
    (r"MIN2", "a response-size key"),
    (r"MIN4", "a response-size key"),
];

/// A short commit with `^` and a path (`c841b65f^:src/...`) is a private
/// way of citing too: links are pinned to full commits.
fn has_commit_shorthand(text: &str) -> bool {
    text.match_indices("^:").any(|(at, _)| {
        let before = &text[..at];
        let hex = before
            .chars()
            .rev()
            .take_while(char::is_ascii_hexdigit)
            .count();
        hex >= 7
    })
}

fn is_word_start(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric() && c != '_')
}

/// The private keys in `text`, with their line numbers.
fn private_keys(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for (key, what) in PRIVATE_KEYS {
            if line
                .match_indices(key)
                .any(|(at, _)| is_word_start(line, at))
            {
                found.push(format!(
                    "line {}: `{key}` ({what}): {}",
                    number + 1,
                    line.trim()
                ));
            }
        }
        if has_commit_shorthand(line) {
            found.push(format!(
                "line {}: a short commit with `^`: {}",
                number + 1,
                line.trim()
            ));
        }
    }
    found
}

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

/// Everything a user of the crate reads: docs, schema files and their
/// generated tables, fixture manifests, the code's rustdoc and examples.
fn readable_files() -> Vec<PathBuf> {
    let mut all = vec![root().join("README.md")];
    for (dir, endings) in [
        ("schemas", &[".toml", ".md"][..]),
        ("tests/fixtures", &["manifest.json"][..]),
        ("src", &[".rs"][..]),
        ("core", &[".rs", ".md", ".toml"][..]),
        ("macros/src", &[".rs"][..]),
        ("examples", &[".rs", ".toml", ".md"][..]),
        ("benches", &[".rs", ".md"][..]),
        ("fuzz", &[".rs", ".md"][..]),
    ] {
        all.extend(files(dir, endings));
    }
    all
}

#[test]
fn no_text_a_user_reads_carries_private_shorthand() {
    let mut found = Vec::new();
    let mut read = 0;
    for path in readable_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        read += 1;
        for key in private_keys(&text) {
            found.push(format!(
                "{}: {key}",
                path.strip_prefix(root()).unwrap().display()
            ));
        }
    }
    for (name, table) in [
        ("SUPPORT_TABLE", portone_pg::SUPPORT_TABLE),
        (
            "CERTIFICATION_SUPPORT_TABLE",
            portone_pg::CERTIFICATION_SUPPORT_TABLE,
        ),
    ] {
        for key in private_keys(table) {
            found.push(format!("{name}: {key}"));
        }
    }
    assert!(read > 100, "{read} files read");
    assert!(
        found.is_empty(),
        "{} private keys:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_check_finds_what_it_must() {
    for text in [
        concat!("see D", "P:payrt"),
        concat!("public example ID", "X:5190012167"),
        concat!("(SEED", "004)"),
        concat!("pg-", "facts §", "8 ex. 2"),
        concat!("../shared/", "reference/samples/x.json"),
        "MAN 인증결제/sample/chai.md",
        "RN manuals/SUPPORT.md",
        "c841b65f^:src/content/docs/ko/pg/blue.mdx",
        "the MIN4 callback",
    ] {
        assert!(!private_keys(text).is_empty(), "{text}");
    }
    assert!(private_keys("RETURN 1; cargo run --example inspect").is_empty());
    assert!(
        private_keys("https://github.com/o/r/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/a.mdx")
            .is_empty()
    );
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
        let Some(sources) = schema.get("sources").and_then(|s| s.as_array()) else {
            continue;
        };
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
