portone_pg::extend_schemas!(dir = "schemas/extend_clash", relative_to = source_file);

fn main() {}
