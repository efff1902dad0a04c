portone_pg::schemas!(dir = "schemas/bad_window", relative_to = source_file);

fn main() {}
