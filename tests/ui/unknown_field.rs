portone_pg::schemas!(dir = "schemas/unknown_field", relative_to = source_file);

fn main() {}
