"""Runs as Jupyter notebooks (nbformat v4), one notebook per language: a kernel runs one
language, so each notebook declares the kernel that runs its cells (KERNELS below), and opens in
JupyterLab ready to run, as the runs' own outputs show."""
import html
import re
from urllib.parse import quote

import nbformat
from nbformat import v4

from .output import parse_table

# The kernel each language's notebook declares: the kernelspec (its `name` is what JupyterLab
# matches against installed kernels) and language_info as that kernel reports it (nbconvert and
# the editors highlight by it). Widely used kernels: ipykernel, IJavascript, tslab, IRkernel,
# xeus-sqlite, xeus-sql. docs/api.md ("Notebooks") lists them.
KERNELS = {
    "python": (
        {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        {"name": "python", "codemirror_mode": {"name": "ipython", "version": 3},
         "file_extension": ".py", "mimetype": "text/x-python", "nbconvert_exporter": "python",
         "pygments_lexer": "ipython3"}),
    "javascript": (
        {"name": "javascript", "display_name": "JavaScript (Node.js)", "language": "javascript"},
        {"name": "javascript", "codemirror_mode": "javascript", "file_extension": ".js",
         "mimetype": "application/javascript", "pygments_lexer": "javascript"}),
    "typescript": (
        {"name": "tslab", "display_name": "TypeScript", "language": "typescript"},
        {"name": "typescript", "codemirror_mode": {"name": "javascript", "typescript": True},
         "file_extension": ".ts", "mimetype": "text/typescript", "pygments_lexer": "typescript"}),
    "r": (
        {"name": "ir", "display_name": "R", "language": "R"},
        {"name": "R", "codemirror_mode": "r", "file_extension": ".r",
         "mimetype": "text/x-r-source", "pygments_lexer": "r"}),
    "sql": (
        {"name": "xsqlite", "display_name": "SQLite (xsqlite)", "language": "sqlite"},
        {"name": "sqlite", "codemirror_mode": "sql", "file_extension": ".sql",
         "mimetype": "text/x-sqlite", "pygments_lexer": "sql"}),
    "postgresql": (
        {"name": "xsql", "display_name": "PostgreSQL (xsql)", "language": "sql"},
        {"name": "postgresql", "codemirror_mode": "sql", "file_extension": ".sql",
         "mimetype": "text/x-pgsql", "pygments_lexer": "postgresql"}),
}
# Said in the notebook's first cell: how to get the kernel it declares.
KERNEL_NOTES = {
    "python": "ipykernel (`pip install ipykernel`, JupyterLab's own)",
    "javascript": "IJavascript (`npm install -g ijavascript && ijsinstall`)",
    "typescript": "tslab (`npm install -g tslab && tslab install`)",
    "r": "IRkernel (`install.packages('IRkernel'); IRkernel::installspec()`)",
    "sql": "xeus-sqlite (`conda install -c conda-forge xeus-sqlite`); open a database first "
           "with `%CREATE name.db` or `%LOAD name.db`",
    "postgresql": "xeus-sql (`conda install -c conda-forge xeus-sql`); connect first with "
                  "`%LOAD postgresql dbname=… user=…`",
}

# Languages the browser shows as a preview (the extension's registry: `preview`): no kernel runs
# them and the page they drew is not stored, so their notebook holds each run's code as text with
# a note saying so, and declares only language_info.
PREVIEWS = {
    "html": {"name": "html", "codemirror_mode": "htmlmixed", "file_extension": ".html",
             "mimetype": "text/html", "pygments_lexer": "html"},
    "css": {"name": "css", "codemirror_mode": "css", "file_extension": ".css",
            "mimetype": "text/css", "pygments_lexer": "css"},
}
PREVIEW_NOTE = ("Chatrun showed this code as a preview in the browser; the preview itself is not "
                "stored. Save the code as a file and open it in a browser to see it again.")

# Stream outputs: which Jupyter stream each panel stream lands on.
_STDOUT = {"stdout", "log", "info", "debug"}
_STDERR = {"stderr", "warn"}
# The line of a traceback that names the exception: "ValueError: bad", "TypeError: x is not…".
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning)):\s?(.*)$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def kernel_of(language):
    """(kernelspec, language_info) for a language; (None, language_info) when no kernel is known
    for it."""
    if language in PREVIEWS:
        return None, PREVIEWS[language]
    return KERNELS.get(language, (None, {"name": language}))


def is_preview(language):
    return language in PREVIEWS


def _fenced(text, info=""):
    """A markdown code block that the text cannot close: its fence is longer than any run of
    backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def _markdown_text(value):
    """Plain text for a markdown cell: nothing in it becomes markup or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False))


def _text(value):
    return "NULL" if value is None else str(value)  # a null cell is SQL's NULL


def _cells(table, row):
    if isinstance(row, dict):
        return [_text(row.get(c)) for c in table["columns"]]
    if isinstance(row, list):
        return [_text(v) for v in row]
    return [_text(row)]


def _size_note(table):
    """pandas' "N rows × M columns" for a table cut for display, else None."""
    shape = table.get("shape")
    if table.get("truncated") and isinstance(shape, list) and len(shape) >= 1:
        columns = shape[1] if len(shape) > 1 else 1
        return shape[0], columns
    return None


def table_html(table):
    """The table as pandas' DataFrame.to_html draws it (what Jupyter shows for a DataFrame)."""
    esc = html.escape
    index = table.get("index")
    head = "".join(f"<th>{esc(_text(c))}</th>" for c in table["columns"])
    lines = ["<div>", '<table border="1" class="dataframe">', "  <thead>",
             '    <tr style="text-align: right;">' + ("<th></th>" if index is not None else "")
             + head + "</tr>", "  </thead>", "  <tbody>"]
    for i, row in enumerate(table["rows"]):
        label = ""
        if index is not None:
            label = f"<th>{esc(_text(index[i])) if i < len(index) else ''}</th>"
        cells = "".join(f"<td>{esc(c)}</td>" for c in _cells(table, row))
        lines.append(f"    <tr>{label}{cells}</tr>")
    lines += ["  </tbody>", "</table>"]
    size = _size_note(table)
    if size:
        lines.append(f"<p>{size[0]} rows × {size[1]} columns</p>")
    lines.append("</div>")
    return "\n".join(lines)


def table_text(table):
    """The table as pandas prints it: columns right-aligned under their headers, the index on
    the left."""
    index = table.get("index")
    header = [_text(c) for c in table["columns"]]
    body = [_cells(table, row) for row in table["rows"]]
    if index is not None:
        labels = [_text(index[i]) if i < len(index) else "" for i in range(len(body))]
        header = [""] + header
        body = [[label] + cells for label, cells in zip(labels, body)]
    width = max((len(r) for r in [header] + body), default=0)
    rows = [r + [""] * (width - len(r)) for r in [header] + body]
    widths = [max(len(r[c]) for r in rows) for c in range(width)]
    text = "\n".join("  ".join(cell.rjust(w) if c or index is None else cell.ljust(w)
                               for c, (cell, w) in enumerate(zip(r, widths))).rstrip()
                     for r in rows)
    size = _size_note(table)
    if size:
        text += f"\n\n[{size[0]} rows x {size[1]} columns]"
    if table.get("kind") == "Series" and "dtype" in table:
        text += f"\nName: {_text(table.get('name'))}, dtype: {_text(table['dtype'])}"
    return text


def _table_output(content):
    table = parse_table(content)
    if table is None:  # only a row stored before shapes were checked on the way in
        return v4.new_output("stream", name="stdout", text=content)
    return v4.new_output("display_data", data={"text/html": table_html(table),
                                               "text/plain": table_text(table)})


def _error_output(content):
    """An error output: the exception's name and message from its traceback's naming line (the
    last one, as Python prints it), else "Error" and the first line."""
    lines = content.splitlines() or ["Error"]
    for line in reversed(lines):
        found = _EXCEPTION_LINE.match(line.strip())
        if found:
            return v4.new_output("error", ename=found.group(1), evalue=found.group(2),
                                 traceback=lines)
    first = next((line for line in lines if line.strip()), "Error")
    return v4.new_output("error", ename="Error", evalue=first.strip(), traceback=lines)


def _outputs(items, execution_count):
    """Jupyter outputs of a run's output items: consecutive text of one stream is one output, as
    a kernel sends it."""
    outputs = []
    for item in items:
        kind, content = item["type"], item["content"]
        stream = "stdout" if kind in _STDOUT else "stderr" if kind in _STDERR else None
        if stream:
            last = outputs[-1] if outputs else None
            if last is not None and last.output_type == "stream" and last.name == stream:
                last.text += content
            else:
                outputs.append(v4.new_output("stream", name=stream, text=content))
        elif kind == "error":
            outputs.append(_error_output(content))
        elif kind == "return":
            outputs.append(v4.new_output("execute_result", data={"text/plain": content},
                                         execution_count=execution_count))
        elif kind == "figure":
            outputs.append(v4.new_output("display_data", data={"image/png": content,
                                                               "text/plain": "<Figure>"}))
        else:
            outputs.append(_table_output(content))
    return outputs


def _header(run):
    page = run.page or {}
    title = run.title or page.get("title") or f"{run.language} run"
    lines = [f"### {_markdown_text(title)}",
             _markdown_text(f"{run.timestamp.isoformat()} · {run.status} · "
                            f"{run.execution_time_ms} ms · {run.device.name}")]
    url = page.get("url") or ""
    if url.startswith(("http://", "https://")):
        target = quote(url, safe=":/?#@!$&'*+,;=%-._~")
        lines.append(f"From [{_markdown_text(page.get('title') or url)}]({target})")
    elif page.get("site"):
        lines.append(f"From {_markdown_text(page['site'])}")
    if run.truncated:
        lines.append("*Output was truncated.*")
    return "\n\n".join(lines)


def _intro(language, count):
    spec, _info = kernel_of(language)
    if spec:
        kernel = (f"It declares the **{_markdown_text(spec['display_name'])}** kernel "
                  f"(`{spec['name']}`): {KERNEL_NOTES[language]}.")
    elif is_preview(language):
        kernel = f"No kernel runs {_markdown_text(language)}: each run is its code, as text. {PREVIEW_NOTE}"
    else:
        kernel = "No Jupyter kernel is known for this language: pick one to run it."
    runs = f"{count} run{'s' if count != 1 else ''}"
    return (f"# Chatrun: {_markdown_text(language)}, {runs}\n\n"
            f"Each run's code and the output it gave in the browser, oldest first. {kernel}")


def build(runs, complete=True, language=None):
    """A validated nbformat NotebookNode of runs of one language (oldest first reads best),
    declaring that language's kernel; an incomplete export (cut at its size limit) ends with a
    cell saying so."""
    language = language or (runs[0].language if runs else "python")
    nb = v4.new_notebook()
    spec, info = kernel_of(language)
    if spec:
        nb.metadata["kernelspec"] = dict(spec)
    nb.metadata["language_info"] = dict(info)
    nb.cells.append(v4.new_markdown_cell(_intro(language, len(runs))))
    for count, run in enumerate(runs, start=1):
        nb.cells.append(v4.new_markdown_cell(_header(run)))
        if is_preview(run.language):
            nb.cells.append(_preview_cell(run))
            continue
        cell = v4.new_code_cell(run.code, execution_count=count,
                                outputs=_outputs(run.output, count))
        cell.metadata["chatrun"] = _run_metadata(run)
        nb.cells.append(cell)
    if not complete:
        nb.cells.append(v4.new_markdown_cell(
            "*This export stopped at its size limit: the newest runs of the selection did not "
            "fit. Export a smaller selection (a date range or other filters) for the others.*"))
    nbformat.validate(nb)
    return nb


def _preview_cell(run):
    """A preview run (HTML, CSS): its code as a markdown code block (text, never markup), what
    its page wrote to the console, and the note."""
    parts = [_fenced(run.code, run.language)]
    console = "".join(item["content"] for item in run.output if item["type"] not in ("figure", "table"))
    if console.strip():
        parts.append("Console:\n\n" + _fenced(console.rstrip("\n"), "text"))
    parts.append(f"*{PREVIEW_NOTE}*")
    cell = v4.new_markdown_cell("\n\n".join(parts))
    cell.metadata["chatrun"] = _run_metadata(run)
    return cell


def _run_metadata(run):
    return {"language": run.language, "execution_id": str(run.execution_id),
            "artifact_uuid": run.artifact_uuid, "status": run.status}


def by_language(runs):
    """{language: [runs]} in the order the languages first ran."""
    groups = {}
    for run in runs:
        groups.setdefault(run.language, []).append(run)
    return groups
