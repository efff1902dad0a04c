portone_pg::schemas!(dir = "schemas/field_listed_twice", relative_to = source_file);

fn main() {}
