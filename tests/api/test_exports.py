"""Exports: JSON, and Jupyter notebooks (one per language, each declaring its kernel) valid per
nbformat. The dashboard's browser test opens them with nbconvert."""
import io
import json
import subprocess
import sys
import zipfile

import nbformat

from .factories import PNG_1PX, T0, iso

# The kernel each language's notebook declares (docs/api.md, "Notebooks").
KERNELS = {"python": ("python3", "python"), "javascript": ("javascript", "javascript"),
           "typescript": ("tslab", "typescript"), "r": ("ir", "R"),
           "sql": ("xsqlite", "sqlite"), "postgresql": ("xsql", "postgresql")}
# A DataFrame as the Python runner sends it: display strings, an index, cut for display.
FRAME = {"kind": "DataFrame", "columns": ["name", "score"], "rows": [["Ada", "9.5"], ["Grace <3", "10.0"]],
         "index": ["0", "1"], "truncated": True, "shape": [1200, 2]}


def outputs():
    ts = iso(T0)
    return [{"type": "stdout", "content": "hello\n", "timestamp": ts},
            {"type": "log", "content": "again\n", "timestamp": ts},
            {"type": "warn", "content": "careful\n", "timestamp": ts},
            {"type": "return", "content": "42", "timestamp": ts},
            {"type": "figure", "content": PNG_1PX, "timestamp": ts},
            {"type": "table", "content": json.dumps(FRAME), "timestamp": ts},
            {"type": "error", "content": 'Traceback (most recent call last):\n  File "<exec>", line 3\n'
                                         "ValueError: bad value", "timestamp": ts}]


def notebooks(resp):
    """{member name: notebook} of a .zip export."""
    assert resp.status_code == 200 and resp.mimetype == "application/zip", resp.status_code
    with zipfile.ZipFile(io.BytesIO(resp.data)) as archive:
        return {name: nbformat.reads(archive.read(name).decode(), as_version=4)
                for name in archive.namelist()}


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_json_export_of_a_selection(users):
    user = users.new()
    keep = [user.store(minutes=i) for i in range(3)]
    user.store(minutes=9)
    users.new().store()
    ids = "&".join(f"execution_id={r['execution_id']}" for r in keep)
    resp = user.get(f"/api/v1/exports/json?{ids}")
    assert resp.status_code == 200
    assert resp.json["count"] == 3
    assert [r["execution_id"] for r in resp.json["executions"]] == [
        r["execution_id"] for r in keep]


def test_one_notebook_per_language_each_declaring_its_kernel(user):
    for i, language in enumerate(KERNELS):
        user.store(code=f"{language} {i}", language=language, minutes=i, output=[])
    user.store(code="python again", minutes=10, output=[])
    resp = user.get("/api/v1/exports/notebooks")
    assert resp.headers["Content-Disposition"].endswith('-notebooks.zip"')
    found = notebooks(resp)
    assert sorted(name.rsplit("-", 1)[1] for name in found) == sorted(f"{k}.ipynb" for k in KERNELS)
    for name, nb in found.items():
        language = name.rsplit("-", 1)[1].removesuffix(".ipynb")
        nbformat.validate(nb)
        kernel, info_name = KERNELS[language]
        assert nb.metadata.kernelspec.name == kernel and nb.metadata.language_info.name == info_name
        assert {c.metadata.chatrun.language for c in code_cells(nb)} == {language}
    assert [c.source for c in code_cells(found[next(n for n in found if n.endswith("-python.ipynb"))])] == [
        "python 0", "python again"]
    python = found[next(n for n in found if n.endswith("-python.ipynb"))].metadata
    assert python.kernelspec == {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    assert python.language_info.codemirror_mode == {"name": "ipython", "version": 3}
    assert found[next(n for n in found if n.endswith("-javascript.ipynb"))].metadata.kernelspec.language == "javascript"


def test_outputs_become_what_jupyter_shows(user):
    user.store(code="print('hello')", output=outputs())
    resp = user.get("/api/v1/exports/notebook")
    assert resp.status_code == 200 and resp.mimetype == "application/x-ipynb+json"
    assert resp.headers["Content-Disposition"].endswith('-python.ipynb"')
    nb = nbformat.reads(resp.get_data(as_text=True), as_version=4)
    nbformat.validate(nb)
    (cell,) = code_cells(nb)
    out = cell.outputs
    assert [o.output_type for o in out] == [
        "stream", "stream", "execute_result", "display_data", "display_data", "error"]
    assert (out[0].name, out[0].text) == ("stdout", "hello\nagain\n")  # one stream, as a kernel sends it
    assert (out[1].name, out[1].text) == ("stderr", "careful\n")
    assert out[2].data == {"text/plain": "42"}
    assert out[3].data["image/png"] == PNG_1PX
    table = out[4].data
    assert set(table) == {"text/html", "text/plain"}
    assert '<table border="1" class="dataframe">' in table["text/html"]
    assert "<tr><th>1</th><td>Grace &lt;3</td><td>10.0</td></tr>" in table["text/html"]
    assert "<p>1200 rows × 2 columns</p>" in table["text/html"]
    assert table["text/plain"] == ("       name  score\n"
                                   "0       Ada    9.5\n"
                                   "1  Grace <3   10.0\n"
                                   "\n[1200 rows x 2 columns]")
    assert (out[5].ename, out[5].evalue) == ("ValueError", "bad value")
    assert out[5].traceback[-1] == "ValueError: bad value"
    # Markdown headers carry title, time, status and device.
    assert "Greeting" in nb.cells[1].source and "success" in nb.cells[1].source


def test_a_sql_result_without_an_index_is_a_plain_table(user):
    result = {"columns": ["n", "team"], "rows": [[1, None], [22, "core"]]}
    user.store(language="sql", output=[{"type": "table", "content": json.dumps(result), "timestamp": iso(T0)}])
    nb = json.loads(user.get("/api/v1/exports/notebook").data)
    data = nb["cells"][2]["outputs"][0]["data"]
    assert data["text/plain"] == " n  team\n 1  NULL\n22  core"
    assert "<tr><td>1</td><td>NULL</td></tr>" in data["text/html"] and "<th></th>" not in data["text/html"]


def test_a_notebook_of_several_languages_is_refused_with_the_way_out(user):
    user.store()
    user.store(code="console.log(1)", language="javascript")
    resp = user.get("/api/v1/exports/notebook")
    assert resp.status_code == 422
    assert "/api/v1/exports/notebooks" in resp.json["error"]["fields"]["language"][0]
    nb = user.get("/api/v1/exports/notebook?language=javascript").json
    assert nb["metadata"]["kernelspec"]["name"] == "javascript"


def test_titles_and_pages_are_text_in_markdown_cells(user):
    user.store(title="<img src=x onerror=alert(1)> **bold** [link](javascript:x)",
               page={"url": "https://chat.example/c/(1)", "site": "chat.example", "title": "A_B"})
    nb = json.loads(user.get("/api/v1/exports/notebook").data)
    header = "".join(nb["cells"][1]["source"])
    assert "<img" not in header and "&lt;img" in header and r"\*\*bold\*\*" in header
    assert r"\[link\]\(javascript:x\)" in header
    assert "From [A\\_B](https://chat.example/c/%281%29)" in header


def test_export_filters_are_validated(user):
    assert user.get("/api/v1/exports/json?execution_id=nope").status_code == 422
    assert user.get("/api/v1/exports/notebook?limit=1001").status_code == 422
    assert user.get("/api/v1/exports/notebooks?unknown=1").status_code == 422


def test_exports_stop_at_their_size_limit_with_whole_runs_and_say_so(make_app):
    from .conftest import Users

    app = make_app(CHATRUN_MAX_EXPORT_BYTES=2500)
    user = Users(app.test_client()).new()
    out = [{"type": "stdout", "content": "x" * 1000, "timestamp": "2025-03-01T12:00:00Z"}]
    for i in range(4):
        user.store(minutes=i, output=out)
    doc = user.get("/api/v1/exports/json").json
    assert (doc["count"], doc["complete"]) == (2, False)
    nb = user.get("/api/v1/exports/notebook").json
    assert len(code_cells(nbformat.from_dict(nb))) == 2
    assert "This export stopped at its size limit" in "".join(nb["cells"][-1]["source"])
    full = user.get("/api/v1/exports/json?limit=2").json  # within the limit: complete
    assert full["complete"] is True and full["count"] == 2


def test_html_runs_are_their_code_as_text_with_a_note(user):
    code = "<h1>Hi</h1>\n<script>alert(1)</script>\n```not a fence end```"
    user.store(code=code, language="html", title="Page",
               output=[{"type": "log", "content": "drawn\n", "timestamp": iso(T0)}])
    nb = nbformat.reads(user.get("/api/v1/exports/notebook").get_data(as_text=True), as_version=4)
    nbformat.validate(nb)
    assert "kernelspec" not in nb.metadata and nb.metadata.language_info.name == "html"
    assert code_cells(nb) == []
    cell = nb.cells[2]
    assert cell.cell_type == "markdown" and cell.metadata.chatrun.language == "html"
    # The fence is longer than any run of backticks in the code, so the code stays one block.
    assert cell.source.startswith(f"````html\n{code}\n````\n\nConsole:\n\n```text\ndrawn\n```")
    assert "the preview itself is not stored" in cell.source


def test_notebooks_open_in_nbconvert(user, tmp_path):
    """Each kind of notebook converts to HTML with Jupyter's own nbconvert, outputs drawn as
    Jupyter draws them and HTML code shown as text."""
    user.store(code="df", output=outputs())
    user.store(code="console.log(1)", language="javascript", minutes=1,
               output=[{"type": "log", "content": "1\n", "timestamp": iso(T0)}])
    user.store(code="<script>alert('x')</script>", language="html", minutes=2, output=[])
    for name, nb in notebooks(user.get("/api/v1/exports/notebooks")).items():
        nbformat.write(nb, tmp_path / name.rsplit("-", 1)[1])
    done = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", "--output-dir",
                           str(tmp_path / "html"), *map(str, sorted(tmp_path.glob("*.ipynb")))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = {p.stem: p.read_text() for p in (tmp_path / "html").glob("*.html")}
    assert set(page) == {"python", "javascript", "html"}
    assert '<table border="1" class="dataframe">' in page["python"]
    assert 'src="data:image/png;base64,' + PNG_1PX in page["python"]
    assert "ValueError" in page["python"] and "hello\nagain" in page["python"]
    # Code highlighted by each notebook's language_info, as JupyterLab would.
    assert 'class="highlight hl-ipython3"' in page["python"]
    assert '<div class="highlight hl-javascript"><pre><span></span><span class="nx">console</span>' in page["javascript"]
    assert "<script>alert" not in page["html"] and '<span class="nx">alert</span>' in page["html"]
