"""SQL runs (languages `sql` and `postgresql`) in the dashboard and its exports: highlighted
code, result sets as tables (NULL shown as NULL), and a valid notebook of them."""
import json

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


def test_sql_runs_export_as_json_and_as_a_valid_notebook(dash, owner):
    runs = [sql_run(owner, language) for language in ("sql", "postgresql")]
    exported = dash.get("/export.json").get_json()
    tables = [o["content"] for r in exported["executions"] for o in r["output"] if o["type"] == "table"]
    assert [json.loads(t) for t in tables] == [RESULT, RESULT]
    resp = dash.get("/export.ipynb")
    nb = nbformat.reads(resp.get_data(as_text=True), as_version=4)
    nbformat.validate(nb)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert {c.metadata["chatrun"]["language"] for c in cells} == {"sql", "postgresql"}
    assert {c.metadata["chatrun"]["execution_id"] for c in cells} == {r["execution_id"] for r in runs}
    for cell in cells:
        stream, table = cell.outputs
        assert stream.output_type == "stream" and stream.text == "0 rows affected\n\n"
        assert table.output_type == "display_data" and table.data["application/json"] == RESULT
        assert table.data["text/plain"] == "name\tteam\tn\nAda\tNULL\t1\nGrace\tcore\t2.5"
    assert "kernelspec" not in nb.metadata  # one per language is another issue
