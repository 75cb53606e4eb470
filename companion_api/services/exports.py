"""Exports of a selection of runs, as JSON or as notebooks: the one implementation behind the
API's /exports and the dashboard's export page."""
import io
import json
import zipfile

from flask import Response, current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import Execution
from ..models.types import utcnow
from . import notebook, queries

NOTEBOOK_TYPE = "application/x-ipynb+json"
ZIP_TYPE = "application/zip"


def select_runs(account_id, args, limit=None):
    """(runs, complete): the filtered runs, oldest first, at most `limit` (default and cap
    CHATRUN_MAX_EXPORT) and, whole runs only, about CHATRUN_MAX_EXPORT_BYTES of output."""
    cfg = current_app.config
    limit = min(limit or cfg["CHATRUN_MAX_EXPORT"], cfg["CHATRUN_MAX_EXPORT"])
    return queries.selection(account_id, args, limit, cfg["CHATRUN_MAX_EXPORT_BYTES"])


def language_counts(account_id, args):
    """[(language, runs)] of the selection, in the order the languages first ran."""
    stmt = queries.filter_runs(select(Execution.language, func.count(), func.min(Execution.timestamp)),
                               account_id, args)
    rows = db.session.execute(stmt.group_by(Execution.language)).all()
    return [(language, n) for language, n, _first in sorted(rows, key=lambda r: (r[2], r[0]))]


def json_document(runs, complete):
    """The JSON export's document (dumped with resources/exports/schemas.py ExportSchema)."""
    return {"exported_at": utcnow(), "count": len(runs), "complete": complete,
            "executions": runs}


def _notebook_json(runs, complete, language=None):
    return json.dumps(notebook.build(runs, complete, language), ensure_ascii=False)


def notebook_response(runs, complete):
    """The .ipynb download of runs of one language."""
    language = runs[0].language if runs else None
    return download(_notebook_json(runs, complete), NOTEBOOK_TYPE, "ipynb", language)


def notebooks_zip_response(runs, complete):
    """A .zip with one notebook per language of the runs."""
    stamp = _stamp()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for language, group in notebook.by_language(runs).items():
            archive.writestr(f"chatrun-{stamp}-{language}.ipynb",
                             _notebook_json(group, complete, language))
    return download(buffer.getvalue(), ZIP_TYPE, "zip", "notebooks", stamp)


def notebooks_response(runs, complete):
    """What a user asking for "the notebook" of a selection gets: the notebook when the runs are
    of one language, else a .zip with one notebook per language."""
    if len(notebook.by_language(runs)) > 1:
        return notebooks_zip_response(runs, complete)
    return notebook_response(runs, complete)


def _stamp():
    return utcnow().strftime("%Y%m%d-%H%M%S")


def download(body, mimetype, extension, suffix=None, stamp=None):
    name = f"chatrun-{stamp or _stamp()}{f'-{suffix}' if suffix else ''}.{extension}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
