"""Export a selection of runs as JSON or as a Jupyter notebook."""
from flask.views import MethodView

from ...auth import current_account_id
from ...blueprints import private_blueprint
from ...services import exports
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
        """Export runs as a Jupyter notebook (.ipynb)"""
        return exports.notebook_response(*_selection(args))
