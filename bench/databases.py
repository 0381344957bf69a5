"""The benchmarks' own PostgreSQL database, dropped and created afresh for each run."""


def fresh_database(url: str) -> None:
    """Drop and recreate the PostgreSQL database `url` names (nothing for other engines)."""
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
