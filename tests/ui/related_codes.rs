portone_pg::schemas!(dir = "schemas/related_codes", relative_to = source_file);

fn main() {}
