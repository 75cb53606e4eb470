"""Export a selection of runs as JSON or as Jupyter notebooks (one per language)."""
from flask.views import MethodView
from flask_smorest import abort

from ...auth import current_account_id
from ...blueprints import private_blueprint
from ...services import exports, notebook
from .schemas import ExportQuerySchema, ExportSchema, NotebookSchema

blp = private_blueprint("exports", "/api/v1/exports", "Export runs (same filters as the list).")


def _selection(args):
    """Oldest first: a notebook reads top to bottom in the order things ran."""
    return exports.select_runs(current_account_id(), args, args["limit"])


@blp.route("/json")
class JsonExport(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, ExportSchema)
    def get(self, args):
        """Export runs as JSON"""
        return exports.json_document(*_selection(args))


@blp.route("/notebook")
class NotebookExport(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, NotebookSchema, content_type=exports.NOTEBOOK_TYPE)
    def get(self, args):
        """Export runs of one language as a Jupyter notebook (.ipynb) declaring its kernel"""
        runs, complete = _selection(args)
        languages = list(notebook.by_language(runs))
        if len(languages) > 1:
            abort(422, message="The request did not validate.", errors={"language": [
                f"The selection holds runs of several languages ({', '.join(languages)}): a "
                "notebook runs one. Add language=..., or GET /api/v1/exports/notebooks for a "
                ".zip with one notebook per language."]})
        return exports.notebook_response(runs, complete)


@blp.route("/notebooks")
class NotebooksExport(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=exports.ZIP_TYPE)
    def get(self, args):
        """Export runs as a .zip with one Jupyter notebook per language"""
        return exports.notebooks_zip_response(*_selection(args))
