"""Export a selection of runs as JSON or as a Jupyter notebook."""
import json

from flask import Response
from flask.views import MethodView
from sqlalchemy import select

from ...auth import current_account_id
from ...blueprints import private_blueprint
from ...extensions import db
from ...models import Execution
from ...models.types import utcnow
from ...services import notebook
from ...services.queries import filter_runs, newest_first
from .schemas import ExportQuerySchema, ExportSchema, NotebookSchema

blp = private_blueprint("exports", "/api/v1/exports", "Export runs (same filters as the list).")
NOTEBOOK_TYPE = "application/x-ipynb+json"


def _selection(args):
    """Oldest first: a notebook reads top to bottom in the order things ran."""
    stmt = filter_runs(select(Execution), current_account_id(), args)
    return db.session.scalars(newest_first(stmt, "oldest").limit(args["limit"])).all()


@blp.route("/json")
class JsonExport(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, ExportSchema)
    def get(self, args):
        """Export runs as JSON"""
        runs = _selection(args)
        return {"exported_at": utcnow(), "count": len(runs), "executions": runs}


@blp.route("/notebook")
class NotebookExport(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, NotebookSchema, content_type=NOTEBOOK_TYPE)
    def get(self, args):
        """Export runs as a Jupyter notebook (.ipynb)"""
        nb = notebook.build(_selection(args))
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        return Response(json.dumps(nb, ensure_ascii=False), mimetype=NOTEBOOK_TYPE, headers={
            "Content-Disposition": f'attachment; filename="chatrun-{stamp}.ipynb"'})
