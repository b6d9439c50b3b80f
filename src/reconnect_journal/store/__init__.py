"""SQLite storage: SQLModel tables, the engine and its pragmas, queries, migrations."""
