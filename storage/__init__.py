"""The async store: SQLite (aiosqlite, WAL) with numbered SQL migrations."""
