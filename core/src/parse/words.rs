//! Eight bytes of text tested at once for a class of bytes, for the scans
//! that run over every id and string. Each test sets the high bit of every
//! byte in the class. The lowest byte it sets is exact; a borrow may also
//! set bytes above it, so a caller uses only the lowest, or only whether
//! any is set.

const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of every byte.
pub(crate) const HIGH: u64 = ONES * 0x80;

/// Eight bytes of text as one word, the first byte lowest.
#[inline]
pub(crate) fn word(chunk: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(chunk);
    u64::from_le_bytes(word)
}

/// The bytes of `word` equal to `byte`.
#[inline]
pub(crate) fn equal_to(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGH
}

/// The bytes of `word` below `limit` (at most 0x80).
#[inline]
pub(crate) fn below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGH
}
