// Before into_success, KCP's paid_amount may be absent: it is an Option.
fn amount(response: portone_pg::pg::Kcp) -> portone_pg::Amount {
    response.paid_amount
}

fn main() {}
