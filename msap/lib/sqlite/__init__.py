"""Django's SQLite backend, making the database file's directory on the first connection."""
