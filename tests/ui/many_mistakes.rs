portone_pg::schemas!(dir = "schemas/many_mistakes", relative_to = source_file);

fn main() {}
