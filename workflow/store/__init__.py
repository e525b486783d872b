"""Persistence: SQLModel tables, the database connection, and the append-only, hash-chained history."""
