"""Artifacts: one block of code, however many times and on whichever devices it ran."""
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import func, select, tuple_, type_coerce

from ...auth import current_account_id
from ...blueprints import private_blueprint
from ...extensions import db
from ...models import Execution
from ...models.types import UTCDateTime
from ...pagination import decode_cursor, encode_cursor, page_of, string, timestamp
from ...services.queries import artifact_runs, summaries
from .schemas import ArtifactDetailSchema, ArtifactPageSchema, ArtifactQuerySchema

blp = private_blueprint("artifacts", "/api/v1/artifacts", "Runs grouped by code fingerprint.")
MAX_RUNS_SHOWN = 200


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


@blp.route("")
class Artifacts(MethodView):
    @blp.arguments(ArtifactQuerySchema, location="query")
    @blp.response(200, ArtifactPageSchema)
    def get(self, args):
        """List artifacts, most recently run first"""
        account_id = current_account_id()
        groups = _groups(account_id)
        last_run_at = type_coerce(groups.c.last_run_at, UTCDateTime)
        stmt = select(groups.c.artifact_uuid, groups.c.run_count, groups.c.device_count,
                      type_coerce(groups.c.first_run_at, UTCDateTime).label("first_run_at"),
                      last_run_at.label("last_run_at"))
        if args.get("language"):
            stmt = stmt.where(groups.c.artifact_uuid.in_(
                select(Execution.artifact_uuid).where(
                    Execution.account_id == account_id,
                    Execution.language == args["language"].lower())))
        if args.get("cursor"):
            ts, uid = decode_cursor(args["cursor"], (timestamp, string))
            stmt = stmt.where(tuple_(last_run_at, groups.c.artifact_uuid) < (ts, uid))
        rows = db.session.execute(stmt.order_by(last_run_at.desc(), groups.c.artifact_uuid.desc())
                                  .limit(args["limit"] + 1)).all()
        page, next_cursor = page_of(rows, args["limit"],
                                    lambda g: encode_cursor(g.last_run_at, g.artifact_uuid))
        return {"items": _summaries(page, account_id), "next_cursor": next_cursor}


@blp.route("/<text:artifact_uuid>")
class ArtifactById(MethodView):
    @blp.response(200, ArtifactDetailSchema)
    def get(self, artifact_uuid):
        """Show one artifact with its runs across devices"""
        account_id = current_account_id()
        groups = _groups(account_id)
        group = db.session.execute(
            select(groups.c.artifact_uuid, groups.c.run_count, groups.c.device_count,
                   type_coerce(groups.c.first_run_at, UTCDateTime).label("first_run_at"),
                   type_coerce(groups.c.last_run_at, UTCDateTime).label("last_run_at"))
            .where(groups.c.artifact_uuid == artifact_uuid)).first()
        if group is None:
            abort(404, message="No such artifact.")
        summary = _summaries([group], account_id)[0]
        summary["runs"] = artifact_runs(account_id, artifact_uuid, MAX_RUNS_SHOWN)
        return summary
