portone_pg::schemas!(dir = "schemas/duplicate_code", relative_to = source_file);

fn main() {}
