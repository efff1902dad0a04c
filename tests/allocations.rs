//! A callback parse allocates the owned strings of its result and nothing
//! else: no buffer, no map, no copy of the body, no string for a known code
//! (`"paid"`, `"card"`, `"kcp"` become enum variants).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use portone_pg::PaymentResponse;
use serde_json::Value;

struct Counting;

thread_local! {
    /// (allocations, bytes) while counting on this thread, else `None`.
    static COUNT: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

/// Counts one allocation of `bytes` on this thread, if counting.
fn count(bytes: usize) {
    // `try_with`: the thread-local may be gone while a thread exits.
    let _ = COUNT.try_with(|c| {
        if let Some((n, total)) = c.get() {
            c.set(Some((n + 1, total + bytes)));
        }
    });
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations and bytes allocated by `f` on this thread.
fn counted<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    COUNT.with(|c| c.set(Some((0, 0))));
    let value = f();
    let (n, bytes) = COUNT.with(|c| c.replace(None)).unwrap();
    (value, n, bytes)
}

/// Properties that parse into enums: no allocation for a known code.
/// The catalogue's properties whose type is an open code enum (a known
/// code allocates nothing), from the schema and the macro's type table.
fn code_properties() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/fields.toml");
    let catalogue: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
    let is_code = |ty: &str| {
        portone_pg::__VALUE_TYPES
            .iter()
            .any(|(name, _, code, _)| *name == ty && *code)
    };
    catalogue
        .iter()
        .filter(|(_, field)| {
            field
                .get("type")
                .and_then(|t| t.as_str())
                .is_some_and(is_code)
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The owned strings a parse of `body` should allocate: every non-empty
/// string value except known codes (an empty `String` allocates nothing).
fn owned_strings(body: &[u8]) -> (usize, usize) {
    let object: serde_json::Map<String, Value> = serde_json::from_slice(body).unwrap();
    let codes = code_properties();
    assert_eq!(codes.len(), 5, "{codes:?}");
    object
        .iter()
        .filter(|(key, _)| !codes.contains(key))
        .filter_map(|(_, value)| value.as_str())
        .filter(|s| !s.is_empty())
        .fold((0, 0), |(n, bytes), s| (n + 1, bytes + s.len()))
}

fn check(pg: Option<&str>, body: &[u8]) -> PaymentResponse {
    // Warm up: lazily initialised runtime state is not the parse's cost.
    let _ = PaymentResponse::from_json(body);
    let (response, n, bytes) = counted(|| match pg {
        Some(pg) => PaymentResponse::from_json_with_pg(pg, body),
        None => PaymentResponse::from_json(body),
    });
    let response = response.unwrap();
    assert!(!matches!(response, PaymentResponse::Unknown(_)));
    assert_eq!((n, bytes), owned_strings(body), "allocations, bytes");
    response
}

#[test]
fn full_callback_allocates_only_its_strings() {
    let body = include_bytes!("fixtures/callbacks/kcp_card_paid_docs.json");
    let response = check(None, body);
    // 14 strings (apply_num, buyer_*, card_name, card_number, imp_uid,
    // merchant_uid, name, pg_tid, pg_type, receipt_url); currency,
    // pay_method, pg_provider and status are codes; two values are null.
    assert_eq!(owned_strings(body).0, 14);
    assert_eq!(response.imp_uid(), Some("imp_347242536261"));
}

#[test]
fn thin_callback_with_the_request_pg_allocates_only_its_strings() {
    let body = include_bytes!("fixtures/callbacks/tosspay_v2_user_cancel.json");
    check(Some("tosspay_v2.tosspaytest"), body);
    assert_eq!(owned_strings(body).0, 4);
}

#[test]
fn flutter_strings_allocate_what_typed_values_do() {
    // The same callback with every value a string ("1004", "true", "0",
    // "null"): numbers, flags and the null text are read in place, so the
    // parse allocates exactly what the typed body's parse does.
    let body = include_bytes!("fixtures/callbacks/flutter_kcp_card_paid_strings.json");
    let typed = include_bytes!("fixtures/callbacks/kcp_card_paid_docs.json");
    let _ = PaymentResponse::from_json(body);
    let (response, n, bytes) = counted(|| PaymentResponse::from_json(body));
    assert!(matches!(response, Ok(PaymentResponse::Kcp(_))));
    assert_eq!((n, bytes), owned_strings(typed));
}
