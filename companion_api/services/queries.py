"""The filtered selection of an account's runs: the one place runs are listed, counted, paged,
exported and deleted, for the API and the dashboard alike."""
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import defer, with_expression

from ..extensions import db
from ..models import Device, Execution
from . import rollups, search


# A summary's output: the first characters of the run's text output, cut in the database.
PREVIEW_CHARS = 300


def summaries(stmt):
    """Load runs without their output (up to 1 MB of text and 8 MB of figures each): lists get
    output_preview instead, and touching output raises instead of loading it row by row."""
    return stmt.options(
        defer(Execution.output, raiseload=True), defer(Execution.output_text, raiseload=True),
        with_expression(Execution.output_preview,
                        func.substr(Execution.output_text, 1, PREVIEW_CHARS)))


def filter_runs(stmt, account_id, args):
    """Apply the ExecutionFilterSchema args to a select over Execution."""
    stmt = stmt.where(Execution.account_id == account_id)
    if args.get("language"):
        stmt = stmt.where(Execution.language == args["language"].lower())
    if args.get("status"):
        stmt = stmt.where(Execution.status == args["status"])
    if args.get("site"):
        stmt = stmt.where(Execution.page_site == args["site"])
    if args.get("device"):
        stmt = stmt.where(Execution.device_id == select(Device.id).where(
            Device.public_id == args["device"], Device.account_id == account_id
        ).scalar_subquery())
    if args.get("since"):
        stmt = stmt.where(Execution.timestamp >= args["since"])
    if args.get("until"):
        stmt = stmt.where(Execution.timestamp < args["until"])
    if args.get("q"):
        stmt = stmt.where(search.matches(args["q"]))
    if args.get("execution_id"):
        stmt = stmt.where(Execution.execution_id.in_(args["execution_id"]))
    return stmt


def newest_first(stmt, order="newest"):
    if order == "oldest":
        return stmt.order_by(Execution.timestamp.asc(), Execution.id.asc())
    return stmt.order_by(Execution.timestamp.desc(), Execution.id.desc())


def runs_page(account_id, args, limit, order="newest", after=None):
    """Up to limit + 1 summaries (one more tells there is a next page), from just after the
    (timestamp, id) key `after` in `order`."""
    stmt = summaries(filter_runs(select(Execution), account_id, args))
    if after is not None:
        key = tuple_(Execution.timestamp, Execution.id)
        stmt = stmt.where(key > tuple(after) if order == "oldest" else key < tuple(after))
    return db.session.scalars(newest_first(stmt, order).limit(limit + 1)).all()


def runs_at(account_id, args, offset, limit):
    """A page of summaries by position, newest first (the dashboard's numbered pages)."""
    stmt = newest_first(summaries(filter_runs(select(Execution), account_id, args)))
    return db.session.scalars(stmt.offset(offset).limit(limit)).all()


def message_runs(account_id, message_uuid):
    """A chat message's runs, oldest first, whole (the compatibility endpoint's history)."""
    stmt = select(Execution).where(Execution.account_id == account_id,
                                   Execution.message_uuid == message_uuid)
    return db.session.scalars(newest_first(stmt, "oldest")).all()


def delete_run(run):
    db.session.delete(run)
    rollups.apply(run.account_id, [(run.timestamp, run.language, run.status,
                                    run.execution_time_ms, run.page_site)], -1)
    db.session.commit()


def selection(account_id, args, limit, max_bytes):
    """(runs, complete): the runs an export takes, filtered, oldest first, at most `limit`, and
    whole runs up to about max_bytes of output; complete is False when that cut some off. Rows
    stream in small batches, so memory holds what is kept, never the whole selection."""
    stmt = newest_first(filter_runs(select(Execution), account_id, args), "oldest").limit(limit)
    runs, used = [], 0
    result = db.session.scalars(stmt.execution_options(yield_per=50))
    try:
        for run in result:
            used += sum(len(item["content"]) for item in run.output)
            if runs and used > max_bytes:
                return runs, False
            runs.append(run)
    finally:
        result.close()
    return runs, True


def count_runs(account_id, args):
    stmt = filter_runs(select(func.count(Execution.id)), account_id, args)
    return db.session.scalar(stmt)


def delete_runs(account_id, args):
    """Delete the filtered selection with one statement, and take exactly the deleted runs off the
    daily counters in the same transaction; return how many went."""
    ids = filter_runs(select(Execution.id), account_id, args)
    gone = db.session.execute(
        delete(Execution).where(Execution.id.in_(ids.scalar_subquery())).returning(
            *rollups.COUNTED)).all()
    rollups.apply(account_id, gone, -1)
    db.session.commit()
    return len(gone)


def distinct_values(account_id, column):
    """The values a filter can take for this account (e.g. its languages or sites)."""
    stmt = (select(column).where(Execution.account_id == account_id, column.is_not(None))
            .distinct().order_by(column))
    return db.session.scalars(stmt).all()


def artifact_runs(account_id, artifact_uuid, limit):
    """Runs of one code fingerprint across all the account's devices, newest first."""
    stmt = summaries(select(Execution).where(Execution.account_id == account_id,
                                             Execution.artifact_uuid == artifact_uuid))
    return db.session.scalars(newest_first(stmt).limit(limit)).all()
