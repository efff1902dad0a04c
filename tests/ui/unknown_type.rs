portone_pg::schemas!(dir = "schemas/unknown_type", relative_to = source_file);

fn main() {}
