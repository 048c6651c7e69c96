"""Reading and checking cases: loading, the schema, the register, validation and the catalogue."""
