"""SQL runs (languages `sql` and `postgresql`) in the dashboard and its exports: highlighted
code, result sets as tables (NULL shown as NULL), and a valid notebook of them."""
import io
import json
import zipfile

import nbformat
import pytest

TS = "2025-03-01T12:00:00Z"
# A result set as the SQL runners send it: cells are scalars, NULL is null, shape is the real size.
RESULT = {"columns": ["name", "team", "n"], "rows": [["Ada", None, 1], ["Grace", "core", 2.5]],
          "truncated": True, "shape": [1200, 3]}


def sql_run(owner, language):
    return owner.store(
        code="CREATE TABLE t (name TEXT);\nSELECT name, team, n FROM people;", language=language, title=None,
        output=[{"type": "stdout", "content": "0 rows affected\n", "timestamp": TS},
                {"type": "table", "content": json.dumps(RESULT), "timestamp": TS}])


@pytest.mark.parametrize("language", ["sql", "postgresql"])
def test_a_sql_run_page_shows_highlighted_code_and_its_tables(dash, owner, language):
    run = sql_run(owner, language)
    html = dash.get(f"/runs/{run['execution_id']}").get_data(as_text=True)
    assert '<span class="k">CREATE</span>' in html and '<span class="k">SELECT</span>' in html
    assert '<th scope="col">team</th>' in html
    assert "<td>Ada</td><td>NULL</td><td>1</td>" in html and "<td>Grace</td><td>core</td><td>2.5</td>" in html
    assert "0 rows affected" in html


def test_sql_runs_export_as_json_and_as_a_notebook_per_dialect(dash, owner):
    runs = [sql_run(owner, language) for language in ("sql", "postgresql")]
    exported = dash.get("/export.json").get_json()
    tables = [o["content"] for r in exported["executions"] for o in r["output"] if o["type"] == "table"]
    assert [json.loads(t) for t in tables] == [RESULT, RESULT]
    resp = dash.get("/export.ipynb")  # two languages: a .zip, one notebook each
    assert resp.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(resp.data)) as archive:
        found = {name.rsplit("-", 1)[1]: nbformat.reads(archive.read(name).decode(), as_version=4)
                 for name in archive.namelist()}
    assert {name: nb.metadata.kernelspec.name for name, nb in found.items()} == {
        "sql.ipynb": "xsqlite", "postgresql.ipynb": "xsql"}
    for (name, nb), run in zip(sorted(found.items(), reverse=True), runs):
        nbformat.validate(nb)
        (cell,) = [c for c in nb.cells if c.cell_type == "code"]
        assert cell.metadata["chatrun"]["execution_id"] == run["execution_id"]
        stream, table = cell.outputs
        assert stream.output_type == "stream" and stream.text == "0 rows affected\n"
        assert table.output_type == "display_data" and set(table.data) == {"text/html", "text/plain"}
        assert "<td>Ada</td><td>NULL</td><td>1</td>" in table.data["text/html"]
        assert table.data["text/plain"].startswith(" name  team    n\n  Ada  NULL    1\n")
        assert table.data["text/plain"].endswith("[1200 rows x 3 columns]")
