"""Exports: JSON and a Jupyter notebook valid per nbformat."""
import json

import nbformat

from .factories import PNG_1PX, T0, iso


def outputs():
    ts = iso(T0)
    return [{"type": "stdout", "content": "hello", "timestamp": ts},
            {"type": "warn", "content": "careful", "timestamp": ts},
            {"type": "error", "content": "Traceback\nValueError: bad", "timestamp": ts},
            {"type": "return", "content": "42", "timestamp": ts},
            {"type": "figure", "content": PNG_1PX, "timestamp": ts},
            {"type": "table", "content": '{"columns": ["a", "b"], "rows": [[1, 2]]}',
             "timestamp": ts}]


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


def test_notebook_export_is_valid_nbformat(user):
    user.store(code="print('hello')", output=outputs(), minutes=0)
    user.store(code="console.log(1)", language="javascript", minutes=1, output=[])
    resp = user.get("/api/v1/exports/notebook")
    assert resp.status_code == 200
    assert resp.mimetype == "application/x-ipynb+json"
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=")
    nb = nbformat.reads(resp.get_data(as_text=True), as_version=4)
    nbformat.validate(nb)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source for c in code_cells] == ["print('hello')", "console.log(1)"]
    assert code_cells[1].metadata["chatrun"]["language"] == "javascript"
    out = code_cells[0].outputs
    assert [o.output_type for o in out] == [
        "stream", "stream", "error", "execute_result", "display_data", "display_data"]
    assert out[0].name == "stdout" and out[1].name == "stderr"
    assert out[2].evalue == "Traceback"
    assert out[4].data["image/png"] == PNG_1PX
    assert out[5].data["application/json"] == {"columns": ["a", "b"], "rows": [[1, 2]]}
    # Markdown headers carry title, time, status and device.
    assert "Greeting" in nb.cells[0].source and "success" in nb.cells[0].source


def test_notebook_of_python_runs_declares_a_python_kernel(user):
    user.store()
    nb = json.loads(user.get("/api/v1/exports/notebook?language=python").data)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_export_filters_are_validated(user):
    assert user.get("/api/v1/exports/json?execution_id=nope").status_code == 422
    assert user.get("/api/v1/exports/notebook?limit=1001").status_code == 422


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
    assert "Export stopped after 2 runs" in "".join(nb["cells"][-1]["source"])
    full = user.get("/api/v1/exports/json?limit=2").json  # within the limit: complete
    assert full["complete"] is True and full["count"] == 2
