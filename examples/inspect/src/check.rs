//! `--check-schema FILE`: where captured responses disagree with a PG's
//! schema file (portone-pg's or an integrator's), read by the macro's own
//! loader against portone-pg's catalogue.

use std::path::Path;

use portone_pg_schema::model::{Named, Pg, Presence};

use crate::sample::{Catalogue, Claim, Sample};

/// One way a sample disagrees with the schema.
pub struct Disagreement {
    /// `unlisted`, `unknown`, `missing`, `missing_on_success`, `type`.
    pub kind: &'static str,
    pub key: String,
    /// What it means, in words (never the value).
    pub detail: String,
}

/// The disagreements of each sample.
pub struct Checked {
    /// The PG the schema file describes.
    pub code: String,
    pub samples: Vec<(String, Claim, Vec<Disagreement>)>,
}

impl Checked {
    pub fn count(&self) -> usize {
        self.samples.iter().map(|(_, _, d)| d.len()).sum()
    }
}

/// Loads `file` as one PG's schema against portone-pg's catalogue.
///
/// # Errors
///
/// The file's mistakes, each naming `file:line:column`, as the macro would
/// report them.
pub fn load(file: &str, catalogue: &Catalogue) -> Result<Pg, String> {
    let schema = portone_pg_schema::load_pg_file(&catalogue.root, Path::new(file), file).map_err(
        |invalid| {
            let lines: Vec<String> = invalid.diagnostics.into_iter().map(|d| d.text).collect();
            lines.join("\n")
        },
    )?;
    schema
        .pgs
        .into_iter()
        .next()
        .ok_or_else(|| format!("{file}: no PG in it"))
}

/// Compares each sample with `pg`'s schema.
///
/// # Errors
///
/// A sample naming another PG than the schema's.
pub fn check(pg: &Pg, samples: &[Sample], catalogue: &Catalogue) -> Result<Checked, String> {
    let fields = &catalogue.schema.fields;
    let mut out = Vec::new();
    for sample in samples {
        if let Some(code) = &sample.pg {
            let ours = code == &pg.code || pg.aliases.contains(code) || pg.related.contains(code);
            if !ours {
                return Err(format!(
                    "{}: a response of `{code}`, and {} describes `{}`",
                    sample.name, pg.file, pg.code
                ));
            }
        }
        let mut found = Vec::new();
        for (&index, (_, key)) in &sample.known {
            if pg.presence(index).is_none() {
                found.push(Disagreement {
                    kind: "unlisted",
                    key: key.clone(),
                    detail: format!(
                        "carries `{}`, which the schema does not list: it would be kept untyped in `extra`",
                        fields[index].name
                    ),
                });
            }
        }
        for (key, ty) in &sample.unknown {
            found.push(Disagreement {
                kind: "unknown",
                key: key.clone(),
                detail: format!(
                    "carries `{key}` (a JSON {ty}), which the catalogue (schemas/fields.toml) does not know"
                ),
            });
        }
        for (key, ty, json) in &sample.mistyped {
            if sample
                .known
                .iter()
                .any(|(&i, (_, k))| k == key && pg.presence(i).is_some())
            {
                found.push(Disagreement {
                    kind: "type",
                    key: key.clone(),
                    detail: format!(
                        "`{key}` is a JSON {json} that is not a valid {ty}: the parse fails"
                    ),
                });
            }
        }
        for &(index, presence) in &pg.fields {
            let name = &fields[index].name;
            let lacks = !sample.has(index);
            if lacks && presence == Presence::Always {
                found.push(Disagreement {
                    kind: "missing",
                    key: name.clone(),
                    detail: format!(
                        "lacks `{name}`, which the schema marks `{}`: the parse fails",
                        presence.name()
                    ),
                });
            } else if lacks && presence == Presence::OnSuccess && sample.claim == Claim::Success {
                found.push(Disagreement {
                    kind: "missing_on_success",
                    key: name.clone(),
                    detail: format!(
                        "claims success without `{name}`, which the schema marks `{}`: into_success() fails",
                        presence.name()
                    ),
                });
            }
        }
        out.push((sample.name.clone(), sample.claim, found));
    }
    Ok(Checked {
        code: pg.code.clone(),
        samples: out,
    })
}
