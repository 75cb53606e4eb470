"""Text search in a run's code and output: case-insensitive substring, answered by the
database's own index (migration 0003), never by reading every run.

The condition is always the case-insensitive LIKE it was (`ILIKE '%q%'` on PostgreSQL,
`lower(column) LIKE lower('%q%')` on SQLite; a user's % and _ are text), so what matches is the
same on every path. PostgreSQL answers its ILIKE from pg_trgm GIN indexes on code and
output_text. SQLite first narrows to the rows its FTS5 trigram table finds (a superset: FTS5
folds case at least as widely as SQLite's ASCII lower()), and the LIKE then decides. A query
under 3 characters has no trigram: SQLite scans, pg_trgm reads its whole index."""
from sqlalchemy import String, bindparam, column, or_, select, table

from ..extensions import db
from ..models import Execution

TRIGRAM = 3
_fts = table("executions_fts", column("rowid"))


def _fts_phrase(q):
    """An FTS5 phrase that is exactly q's characters (a " inside is doubled)."""
    return '"' + q.replace('"', '""') + '"'


def _pattern(q):
    """q with LIKE's wildcards made text (what icontains(autoescape=True) does), written into the
    SQL as a literal: a prepared statement's generic plan cannot see how rare q is, and would walk
    every run by date for a word no run holds."""
    escaped = q.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return bindparam(None, escaped, type_=String, literal_execute=True)


def matches(q):
    """The WHERE condition: q in the code or in the text output."""
    pattern = _pattern(q)
    like = or_(Execution.code.icontains(pattern, escape="/"),
               Execution.output_text.icontains(pattern, escape="/"))
    if db.session.get_bind().dialect.name != "sqlite" or len(q) < TRIGRAM:
        return like
    found = select(_fts.c.rowid).where(column("executions_fts").op("MATCH")(_fts_phrase(q)))
    return Execution.id.in_(found) & like
