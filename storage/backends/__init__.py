"""The two databases behind the store: SQLite (aiosqlite and a group-committing writer) and PostgreSQL (asyncpg)."""
