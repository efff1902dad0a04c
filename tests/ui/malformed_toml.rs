portone_pg::schemas!(dir = "schemas/malformed_toml", relative_to = source_file);

fn main() {}
