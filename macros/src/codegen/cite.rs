//! Sources as readers can follow them: a schema's `sources` entry is a link
//! (`https://…`) or a path in the repository, then ` — ` and what it shows.
//! Paths become links to the crate's repository (its `repository` in
//! Cargo.toml), so they work on docs.rs and GitHub alike.

/// A `sources` entry, split into what it cites and what it says.
pub struct Citation<'a> {
    /// The link or repository path.
    pub target: &'a str,
    /// What the source shows, if the entry says.
    pub what: Option<&'a str>,
}

impl<'a> Citation<'a> {
    pub fn parse(source: &'a str) -> Self {
        match source.split_once(" — ") {
            Some((target, what)) => Citation {
                target: target.trim(),
                what: Some(what.trim()),
            },
            None => Citation {
                target: source.trim(),
                what: None,
            },
        }
    }

    /// The URL readers open.
    pub fn url(&self) -> String {
        if self.target.starts_with("https://") || self.target.starts_with("http://") {
            return self.target.to_owned();
        }
        match repository() {
            Some(repo) => format!("{repo}/blob/HEAD/{}", self.target),
            None => self.target.to_owned(),
        }
    }

    /// A short name for the link: the file (`payrt.mdx`, `nhn-kcp/readme.mdx`),
    /// the folder, or the issue (`portone_flutter#14`).
    pub fn label(&self) -> String {
        let path = self.target.trim_end_matches('/');
        let segments: Vec<&str> = path.split('/').collect();
        if let Some(at) = segments.iter().position(|s| *s == "issues" || *s == "pull")
            && at >= 1
            && let Some(number) = segments.get(at + 1)
        {
            return format!("{}#{number}", segments[at - 1]);
        }
        let last = segments.last().copied().unwrap_or(path);
        let name = match segments.len() {
            n if n >= 2 && (last == "readme.mdx" || last == "README.md") => {
                format!("{}/{last}", segments[n - 2])
            }
            _ => last.to_owned(),
        };
        percent_decode(&name)
    }

    /// `[label](url)`, then what it shows.
    pub fn markdown(&self) -> String {
        let link = format!("[{}]({})", self.label(), self.url());
        match self.what {
            Some(what) => format!("{link} — {what}"),
            None => link,
        }
    }
}

/// The crate's repository on GitHub, if Cargo.toml names one.
fn repository() -> Option<String> {
    let repo = std::env::var("CARGO_PKG_REPOSITORY").ok()?;
    let repo = repo.trim().trim_end_matches('/').trim_end_matches(".git");
    repo.starts_with("https://").then(|| repo.to_owned())
}

/// `%28root%29` → `(root)`; UTF-8 sequences too (`%EC%9D%B8…` → `인…`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short_names_of_what_is_cited() {
        let label = |s| Citation::parse(s).label();
        assert_eq!(
            label(
                "https://github.com/portone-io/developers.portone.io/blob/af926bd2/src/routes/%28root%29/opi/ko/integration/pg/v1/newtoss/readme.mdx — x"
            ),
            "newtoss/readme.mdx"
        );
        assert_eq!(
            label("https://github.com/portone-io/portone_flutter/issues/14"),
            "portone_flutter#14"
        );
        assert_eq!(
            label(
                "https://github.com/iamport/iamport-manual/blob/877914a5/%EC%9D%B8%EC%A6%9D%EA%B2%B0%EC%A0%9C/sample/chai.md"
            ),
            "chai.md"
        );
        assert_eq!(
            label("tests/fixtures/callbacks/kcp_card_paid.json — a"),
            "kcp_card_paid.json"
        );
        let c = Citation::parse("tests/fixtures/callbacks/kcp_card_paid.json — a card success");
        assert_eq!(c.what, Some("a card success"));
        assert!(c.markdown().starts_with("[kcp_card_paid.json]("));
    }
}
