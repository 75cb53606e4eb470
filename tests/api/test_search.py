"""Text search answers from the database's index (pg_trgm / SQLite FTS5) exactly what the plain
case-insensitive LIKE over code and output answered before it."""
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion_api.extensions import db
from companion_api.models import Execution
from companion_api.services import queries, search

from .test_rollups import account_id_of

# Letters in both cases (ASCII and not), LIKE's wildcards and escape, quotes, space, newline.
ALPHABET = "aAbBéÉßẞ%_/\\\"' \nx"
texts = st.text(ALPHABET, max_size=12)
PROPERTY = settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                            HealthCheck.too_slow])


def old_like(q):
    """The search before the indexes: a case-insensitive LIKE '%q%' on code or output."""
    stmt = sa.select(Execution.id).where(sa.or_(
        Execution.code.icontains(q, autoescape=True),
        Execution.output_text.icontains(q, autoescape=True)))
    return set(db.session.scalars(stmt))


def force_index_path():
    """PostgreSQL would scan a table this small; leave it only the text indexes for the search
    condition alone (SQLite's path goes through FTS5 whenever the query has a trigram)."""
    if db.session.get_bind().dialect.name == "postgresql":
        for plan in ("seqscan", "indexscan", "indexonlyscan"):
            db.session.execute(sa.text(f"SET enable_{plan} = off"))


def index_search(q):
    """The ids the search condition selects, through the index path."""
    force_index_path()
    found = set(db.session.scalars(sa.select(Execution.id).where(search.matches(q))))
    db.session.rollback()
    return found


@PROPERTY
@given(docs=st.lists(st.tuples(texts, texts), min_size=1, max_size=8),
       searches=st.lists(st.text(ALPHABET, min_size=1, max_size=5), min_size=1, max_size=6))
def test_index_search_equals_the_like_scan(app, user, docs, searches):
    for code, out in docs:
        user.store(code=code + "#", output=[
            {"type": "stdout", "content": out, "timestamp": "2025-03-01T12:00:00Z"}])
    with app.app_context():
        for q in searches + [code[1:4] for code, _ in docs if len(code) > 3]:
            assert index_search(q) == old_like(q), q
        # And through the list the API answers.
        account_id = account_id_of(user)
        q = searches[0]
        listed = {r.id for r in queries.runs_page(account_id, {"q": q}, 200)}
        assert listed == {i for i in old_like(q)
                          if db.session.get(Execution, i).account_id == account_id}


def test_search_uses_the_index(app, user):
    user.store(code="print('needle in code')")
    with app.app_context():
        account_id = account_id_of(user)
        force_index_path()
        stmt = sa.select(Execution.id).where(search.matches("Needle"))
        postgres = db.engine.dialect.name == "postgresql"
        sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
        rows = db.session.execute(sa.text(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ")
                                          + sql)).all()
        plan = "\n".join(" ".join(map(str, row)) for row in rows)
        marker = "ix_executions_code_trgm" if postgres else "VIRTUAL TABLE INDEX"
        assert marker in plan, plan
        assert [r.code for r in queries.runs_page(account_id, {"q": "NEEDLE"}, 10)] == [
            "print('needle in code')"]
        db.session.rollback()
