"""Property-based tests (hypothesis): arbitrary unicode (surrogates and control characters
included), nesting and huge numbers never crash the schemas, the batch endpoint or the render
functions; what they accept can always be encoded, stored and shown."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from companion_api import text
from companion_api.dashboard.render import headline, highlight_code, output_blocks
from companion_api.errors import PayloadTooLarge
from companion_api.resources.executions.schemas import OUTPUT_TYPES, ExecutionInSchema
from companion_api.services import notebook
from companion_api.services.ingest import to_row
from companion_api.services.output import SCALARS, parse_table
from companion_api.text import replace_surrogates

from .factories import iso, run, T0

# Derandomized, no example database, no deadline: the suite's profile (tests/conftest.py).
PROPERTY = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                            HealthCheck.too_slow])
TS = iso(T0)

# Every code point, lone surrogates and control characters included.
any_text = st.text(st.characters(exclude_categories=()), max_size=40)
huge_numbers = st.one_of(st.integers(min_value=-10**400, max_value=10**400),
                         st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(st.none(), st.booleans(), huge_numbers, any_text)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(any_text, inner, max_size=4)), max_leaves=20)
# Nesting far past the parser's recursion limit, as text.
deep_json = st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n)

table_docs = st.fixed_dictionaries(
    {"columns": st.lists(scalars, max_size=4), "rows": st.lists(json_values, max_size=4)},
    optional={"index": json_values, "shape": json_values})
contents = st.one_of(any_text, deep_json, table_docs.map(json.dumps),
                     json_values.map(json.dumps))
output_items = st.fixed_dictionaries({
    "type": st.one_of(st.sampled_from(OUTPUT_TYPES), any_text),
    "content": st.one_of(contents, json_values), "timestamp": st.just(TS)})


@st.composite
def wire_records(draw):
    """A valid run with some fields replaced by anything (text, nesting, huge numbers)."""
    body = run(code=draw(any_text), title=draw(st.one_of(st.none(), any_text)),
               output=draw(st.lists(output_items, max_size=4)))
    for key in draw(st.lists(st.sampled_from(sorted(body)), max_size=3, unique=True)):
        body[key] = draw(st.one_of(json_values, huge_numbers))
    return body


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings_in(k)
            yield from strings_in(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings_in(v)


def assert_utf8(value):
    for s in strings_in(value):
        s.encode("utf-8")  # raises on a lone surrogate


@PROPERTY
@given(body=wire_records())
def test_the_run_schema_accepts_or_refuses_and_what_it_accepts_can_be_stored(app, user, body):
    with app.test_request_context():
        try:
            data = ExecutionInSchema().load(body)
        except (ValidationError, PayloadTooLarge):
            return
        row = to_row(data, type("Device", (), {"id": 1, "account_id": 1})())
    assert_utf8(row)
    for item in row["output"]:
        if item["type"] == "table":
            assert parse_table(item["content"]) is not None


@PROPERTY
@given(items=st.lists(st.one_of(wire_records(), json_values), min_size=1, max_size=6))
def test_the_batch_endpoint_answers_every_item_and_stores_the_valid_ones(user, items):
    plain = [run(minutes=i) for i in range(2)]  # always valid: they must be created
    sent = items + plain
    resp = user.post("/api/v1/executions/batch", data=json.dumps({"items": sent}),
                     headers={"Content-Type": "application/json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.json
    assert [r["index"] for r in body["results"]] == list(range(len(sent)))
    assert body["created"] + body["duplicate"] + body["rejected"] == len(sent)
    assert [r["result"] for r in body["results"][-2:]] == ["created", "created"]
    for result in body["results"]:
        assert (result["result"] == "rejected") == ("code" in result)


@PROPERTY
@given(body=st.one_of(wire_records(), json_values.map(lambda v: {"items": v})))
def test_single_writes_and_odd_batches_are_never_a_server_error(user, body):
    for path in ("/api/v1/executions", "/api/v1/executions/batch"):
        resp = user.post(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
        assert resp.status_code < 500, resp.get_data(as_text=True)
        assert resp.is_json


@PROPERTY
@given(items=st.lists(st.one_of(output_items, st.dictionaries(any_text, json_values)),
                      max_size=5))
def test_render_functions_never_crash_and_give_encodable_text(app, items):
    with app.test_request_context():
        blocks = output_blocks(items)
    assert len(blocks) == len(items)
    assert_utf8(blocks)
    for block in blocks:
        if block["kind"] == "table":
            assert all(isinstance(cell, str) for row in block["table"]["rows"]
                       for cell in row["cells"])


@PROPERTY
@given(content=contents)
def test_parse_table_returns_only_the_documented_shape(content):
    table = parse_table(content)
    if table is None:
        return
    assert all(isinstance(c, SCALARS) for c in table["columns"])
    for row in table["rows"]:
        cells = row.values() if isinstance(row, dict) else row if isinstance(row, list) else [row]
        assert all(isinstance(c, SCALARS) for c in cells)
    notebook._table_output(content)  # and an export can always take it


@PROPERTY
@given(code=any_text, language=st.one_of(st.none(), any_text), title=st.one_of(st.none(), any_text))
def test_code_rendering_never_crashes(code, language, title):
    assert isinstance(str(highlight_code(code, language)), str)
    assert isinstance(headline(type("Run", (), {"title": title, "code": code})()), str)


@pytest.mark.parametrize("content", ["[" * 3000 + "]" * 3000, '{"columns": 1}', "\ud800"])
def test_legacy_rows_that_break_the_shapes_still_render(content):
    assert output_blocks([{"type": "table", "content": content}])[0]["kind"] == "text"


@PROPERTY
@given(value=st.one_of(any_text, st.dictionaries(any_text, any_text, max_size=3),
                       st.lists(any_text, max_size=3)))
def test_json_reading_replaces_exactly_the_lone_surrogates(value):
    """What a browser's JSON.stringify sends (lone surrogates escaped) reads back as the same
    text with each lone surrogate, and only those, as U+FFFD; escaped backslashes stay text."""
    def expected(v):
        if isinstance(v, str):
            return replace_surrogates(v)
        if isinstance(v, dict):
            return {replace_surrogates(k): expected(x) for k, x in v.items()}
        return [expected(x) for x in v]

    assert text.loads(json.dumps(value)) == expected(value)
    assert text.loads(json.dumps(value).encode()) == expected(value)
