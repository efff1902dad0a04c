//! Schema mistakes, each naming `file:line:column`: the macro reports them
//! as compile errors, tools print them.

use std::ops::Range;

/// One schema file's text, for turning byte offsets into line and column.
pub struct Source {
    /// The path as shown in messages (relative to the schema root as written).
    pub display: String,
    /// The file's text.
    pub text: String,
}

impl Source {
    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

/// A mistake in the schema files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// `path:line:column: message`, or `path: message` when there is no position.
    pub text: String,
}

/// Collects every mistake, so that all are reported at once.
#[derive(Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// A mistake at `span` of `source`.
    pub fn at(&mut self, source: &Source, span: Range<usize>, message: impl AsRef<str>) {
        let (line, column) = source.line_column(span.start);
        self.list.push(Diagnostic {
            text: format!("{}:{line}:{column}: {}", source.display, message.as_ref()),
        });
    }

    /// A mistake about a whole file or directory.
    pub fn file(&mut self, display: &str, message: impl AsRef<str>) {
        self.list.push(Diagnostic {
            text: format!("{display}: {}", message.as_ref()),
        });
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The reported mistakes, in order.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

/// `; did you mean `x`?` when some candidate is close to `word`.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, c)| d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|&(d, _)| d);
    match best {
        Some((_, c)) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("paid_amout", ["paid_amount", "paid_at"]),
            "; did you mean `paid_amount`?"
        );
        assert_eq!(
            did_you_mean("on_sucess", ["always", "on_success", "optional"]),
            "; did you mean `on_success`?"
        );
        assert_eq!(did_you_mean("zzz", ["always", "optional"]), "");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn positions_count_characters() {
        let source = Source {
            display: "x.toml".into(),
            text: "a = 1\n한글 = 2\n".into(),
        };
        assert_eq!(source.line_column(0), (1, 1));
        assert_eq!(source.line_column(6), (2, 1));
        assert_eq!(source.line_column(13), (2, 4));
    }
}
