// In the success view, KCP's paid_amount is a plain Amount, not an Option.
fn amount(success: portone_pg::pg::KcpSuccess) -> Option<portone_pg::Amount> {
    success.paid_amount
}

fn main() {}
