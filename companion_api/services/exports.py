"""Exports of a selection of runs, as JSON or as a notebook: the one implementation behind the
API's /exports and the dashboard's Export buttons."""
import json

from flask import Response, current_app

from ..models.types import utcnow
from . import notebook, queries

NOTEBOOK_TYPE = "application/x-ipynb+json"


def select_runs(account_id, args, limit=None):
    """(runs, complete): the filtered runs, oldest first, at most `limit` (default and cap
    CHATRUN_MAX_EXPORT) and, whole runs only, about CHATRUN_MAX_EXPORT_BYTES of output."""
    cfg = current_app.config
    limit = min(limit or cfg["CHATRUN_MAX_EXPORT"], cfg["CHATRUN_MAX_EXPORT"])
    return queries.selection(account_id, args, limit, cfg["CHATRUN_MAX_EXPORT_BYTES"])


def json_document(runs, complete):
    """The JSON export's document (dumped with resources/exports/schemas.py ExportSchema)."""
    return {"exported_at": utcnow(), "count": len(runs), "complete": complete,
            "executions": runs}


def notebook_response(runs, complete):
    """The .ipynb download of the runs."""
    return download(json.dumps(notebook.build(runs, complete), ensure_ascii=False),
                    NOTEBOOK_TYPE, "ipynb")


def download(body, mimetype, extension):
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="chatrun-{stamp}.{extension}"'})
