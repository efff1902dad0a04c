//! How a lenient value arrived, so that serializing gives the received JSON back.

/// The JSON form a lenient value was received in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub(crate) enum Wire {
    /// The natural JSON type (number, boolean).
    #[default]
    Native,
    /// A JSON string holding the value (`"1004"`, `"true"`): redirects,
    /// Flutter, some mobile SDKs.
    Text,
}
