"""Runs as a Jupyter notebook (nbformat v4): code as cells, outputs as outputs."""
import nbformat
from nbformat import v4

from .output import parse_table

# Stream outputs: which Jupyter stream each panel stream lands on.
_STDOUT = {"stdout", "log", "info", "debug"}
_STDERR = {"stderr", "warn"}


def _text(value):
    return "NULL" if value is None else str(value)  # a null cell is SQL's NULL


def _table_output(content):
    table = parse_table(content)
    if table is None:  # only a row stored before shapes were checked on the way in
        return v4.new_output("stream", name="stdout", text=content + "\n")
    head = "\t".join(map(str, table["columns"]))
    body = "\n".join("\t".join(map(_text, row)) if isinstance(row, list) else _text(row)
                     for row in table["rows"])
    return v4.new_output("display_data", data={"application/json": table,
                                               "text/plain": f"{head}\n{body}"})


def _output(item, execution_count):
    kind, content = item["type"], item["content"]
    if kind in _STDOUT:
        return v4.new_output("stream", name="stdout", text=content + "\n")
    if kind in _STDERR:
        return v4.new_output("stream", name="stderr", text=content + "\n")
    if kind == "error":
        first = content.splitlines()[0] if content else "Error"
        return v4.new_output("error", ename="Error", evalue=first,
                             traceback=content.splitlines() or [first])
    if kind == "return":
        return v4.new_output("execute_result", data={"text/plain": content},
                             execution_count=execution_count)
    if kind == "figure":
        return v4.new_output("display_data", data={"image/png": content,
                                                   "text/plain": "<Figure>"})
    return _table_output(content)


def _header(run):
    title = run.title or f"{run.language} run"
    lines = [f"### {title}",
             f"{run.timestamp.isoformat()} · {run.status} · {run.execution_time_ms} ms"
             f" · {run.device.name}"]
    page = run.page or {}
    if page.get("url"):
        lines.append(f"From [{page.get('title') or page['url']}]({page['url']})")
    if run.truncated:
        lines.append("*Output was truncated.*")
    return "\n\n".join(lines)


def build(runs, complete=True):
    """Return a validated nbformat NotebookNode for the runs (oldest first reads best); an
    incomplete export (cut at its size limit) ends with a cell saying so."""
    nb = v4.new_notebook()
    languages = {r.language for r in runs}
    if languages == {"python"} or not languages:
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
    for count, run in enumerate(runs, start=1):
        nb.cells.append(v4.new_markdown_cell(_header(run)))
        cell = v4.new_code_cell(run.code, execution_count=count,
                                outputs=[_output(i, count) for i in run.output])
        # One kernel per notebook: the run's own language is kept per cell.
        cell.metadata["chatrun"] = {"language": run.language,
                                    "execution_id": str(run.execution_id),
                                    "artifact_uuid": run.artifact_uuid, "status": run.status}
        nb.cells.append(cell)
    if not complete:
        nb.cells.append(v4.new_markdown_cell(
            f"*Export stopped after {len(runs)} runs: the rest did not fit in one export. "
            "Export a smaller selection (a date range or other filters) for the others.*"))
    nbformat.validate(nb)
    return nb
