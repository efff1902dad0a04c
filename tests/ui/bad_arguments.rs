// The macro's own arguments are checked too, each mistake at its token.
portone_pg::schemas!(dir = "schemas/unknown_type", relative_to = cwd);

mod second {
    portone_pg::schemas!(directory = "schemas");
}

fn main() {}
