portone_pg::schemas!(dir = "schemas/success_rule_needs_field", relative_to = source_file);

fn main() {}
