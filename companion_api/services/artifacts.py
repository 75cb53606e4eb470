"""Artifacts: an account's runs grouped by code fingerprint (one block of code, however many
times and on whichever devices it ran)."""
from sqlalchemy import func, select, tuple_, type_coerce

from ..extensions import db
from ..models import Execution
from ..models.types import UTCDateTime
from .queries import artifact_runs, summaries


def _groups(account_id):
    """Per-artifact aggregates as a subquery."""
    return (
        select(
            Execution.artifact_uuid,
            func.count().label("run_count"),
            func.count(Execution.device_id.distinct()).label("device_count"),
            func.min(Execution.timestamp).label("first_run_at"),
            func.max(Execution.timestamp).label("last_run_at"),
        )
        .where(Execution.account_id == account_id)
        .group_by(Execution.artifact_uuid)
    ).subquery()


def _group_columns(groups):
    return (groups.c.artifact_uuid, groups.c.run_count, groups.c.device_count,
            type_coerce(groups.c.first_run_at, UTCDateTime).label("first_run_at"),
            type_coerce(groups.c.last_run_at, UTCDateTime).label("last_run_at"))


def _latest_runs(account_id, artifact_uuids):
    """The newest run of each artifact (row_number works on SQLite and PostgreSQL alike)."""
    rank = func.row_number().over(
        partition_by=Execution.artifact_uuid,
        order_by=(Execution.timestamp.desc(), Execution.id.desc())).label("rank")
    ranked = select(Execution.id, rank).where(
        Execution.account_id == account_id, Execution.artifact_uuid.in_(artifact_uuids)
    ).subquery()
    runs = db.session.scalars(summaries(select(Execution).join(ranked, ranked.c.id == Execution.id)
                                        .where(ranked.c.rank == 1)))
    return {r.artifact_uuid: r for r in runs}


def _summaries(groups, account_id):
    latest = _latest_runs(account_id, [g.artifact_uuid for g in groups])
    out = []
    for g in groups:
        run = latest[g.artifact_uuid]
        out.append({
            "artifact_uuid": g.artifact_uuid, "language": run.language, "title": run.title,
            "code": run.code, "run_count": g.run_count, "device_count": g.device_count,
            "first_run_at": g.first_run_at, "last_run_at": g.last_run_at,
            "last_status": run.status,
        })
    return out


def page(account_id, limit, language=None, before=None):
    """(groups, summaries): up to limit + 1 artifact groups, most recently run first, from just
    before the (last_run_at, artifact_uuid) key `before`, and the summaries of the first limit."""
    groups = _groups(account_id)
    columns = _group_columns(groups)
    last_run_at = columns[-1]
    stmt = select(*columns)
    if language:
        stmt = stmt.where(groups.c.artifact_uuid.in_(
            select(Execution.artifact_uuid).where(Execution.account_id == account_id,
                                                  Execution.language == language.lower())))
    if before is not None:
        stmt = stmt.where(tuple_(type_coerce(groups.c.last_run_at, UTCDateTime),
                                 groups.c.artifact_uuid) < tuple(before))
    rows = db.session.execute(stmt.order_by(last_run_at.desc(), groups.c.artifact_uuid.desc())
                              .limit(limit + 1)).all()
    return rows, _summaries(rows[:limit], account_id)


def detail(account_id, artifact_uuid, max_runs):
    """One artifact's summary with its newest max_runs runs (summaries), or None."""
    groups = _groups(account_id)
    group = db.session.execute(select(*_group_columns(groups))
                               .where(groups.c.artifact_uuid == artifact_uuid)).first()
    if group is None:
        return None
    summary = _summaries([group], account_id)[0]
    summary["runs"] = artifact_runs(account_id, artifact_uuid, max_runs)
    return summary
