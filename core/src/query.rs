//! One parameter of a query string, decoded by the rules redirects are
//! decoded with: `+` is a space, `%XX` a byte, the bytes UTF-8, a malformed
//! escape an error rather than a garbled value.

use crate::error::Error;

/// The value of the parameter `name` in `query` (a leading `?` is
/// ignored); `None` when it is absent. Repeated with the same value it is
/// read once; repeated with another it is an
/// [`ErrorKind::DuplicateField`](crate::ErrorKind::DuplicateField) error
/// naming the parameter, since neither value is more the request's than the
/// other. For a request's own parameters, such as the `pg` a callback
/// endpoint is called with.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::query;
///
/// assert_eq!(query::param("?pg=kcp.T0000&x=1", "pg")?.as_deref(), Some("kcp.T0000"));
/// assert_eq!(query::param("p%67=html5%5Finicis", "pg")?.as_deref(), Some("html5_inicis"));
/// assert_eq!(query::param("x=1", "pg")?, None);
/// assert!(query::param("pg=kcp&pg=tosspayments", "pg").is_err());
/// # Ok::<(), portone_pg::Error>(())
/// ```
pub fn param(query: &str, name: &str) -> Result<Option<String>, Error> {
    crate::parse::query::param(query, name)
}

/// Every parameter of `query`, decoded as [`param`] decodes one, by name.
/// For tools that show a whole redirect (the `inspect` example).
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::query;
///
/// let params = query::params("imp_uid=imp_1&merchant_uid=order%201&imp_success=true")?;
/// assert_eq!(params["merchant_uid"], "order 1");
/// assert_eq!(params.len(), 3);
/// # Ok::<(), portone_pg::Error>(())
/// ```
///
/// # Errors
///
/// A malformed escape, bytes that are not UTF-8, or a parameter repeated
/// with another value.
pub fn params(query: &str) -> Result<std::collections::BTreeMap<String, String>, Error> {
    let parsed =
        crate::parse::query::parse_with(query, crate::parse::query::Repeats::AllowIdentical)?;
    Ok(parsed
        .into_iter()
        .map(|(key, value)| {
            let text = value.as_str().unwrap_or_default().to_owned();
            (key, text)
        })
        .collect())
}
