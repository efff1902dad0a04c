// A Toss Payments (new module) callback carries no amount: reading one does not compile.
fn amount(response: portone_pg::pg::Tosspayments) {
    let _ = response.paid_amount;
}

fn main() {}
