"""Django's SQLite backend, plus the database file's directory made on the first connection.

Settings must create nothing when they are imported (`msap --help`, a test collecting, an image
build): the directory of `var/msap.sqlite3` appears when something first connects to it.
"""

from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        name = str(conn_params["database"])
        # In-memory and URI databases ("file:…?mode=memory") have no directory to make.
        if not self.creation.is_in_memory_db(name) and not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        return super().get_new_connection(conn_params)
