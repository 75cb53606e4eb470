"""The filtered selection of an account's runs used by list, export and stats."""
from sqlalchemy import or_, select

from ..models import Device, Execution


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
        # autoescape: a user's % or _ is text, not a wildcard.
        stmt = stmt.where(or_(Execution.code.icontains(args["q"], autoescape=True),
                              Execution.output_text.icontains(args["q"], autoescape=True)))
    if args.get("execution_id"):
        stmt = stmt.where(Execution.execution_id.in_(args["execution_id"]))
    return stmt


def newest_first(stmt, order="newest"):
    if order == "oldest":
        return stmt.order_by(Execution.timestamp.asc(), Execution.id.asc())
    return stmt.order_by(Execution.timestamp.desc(), Execution.id.desc())
