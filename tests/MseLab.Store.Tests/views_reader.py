"""Reads MseLab's SQL views from a results store with Python's own sqlite3 module (an independent SQLite build).

Usage: views_reader.py STORE.db < {"NAME": "SELECT ...", ...}; prints {"NAME": [row, ...], "sqlite_version": "..."} as
JSON, each row a column-to-value object in the query's column order.
"""
import json
import sqlite3
import sys


def main() -> None:
    queries = json.load(sys.stdin)
    connection = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    out = {"sqlite_version": sqlite3.sqlite_version}
    for name, sql in queries.items():
        out[name] = [dict(zip(row.keys(), tuple(row))) for row in connection.execute(sql)]
    connection.close()
    json.dump(out, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
