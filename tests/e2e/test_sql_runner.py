"""SQL blocks in real Chromium: SQLite (sql.js) and PostgreSQL (PGlite), one database per
conversation and dialect, kept across blocks, cleared by Reset, isolated, stoppable, limited and
without network; runs reach the companion API with their language and tables."""
from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from .pages import BlankPage, set_settings
from .test_kernels import Tabs

LOAD = 120
DIALECTS = ["sql", "postgresql"]


def conversation(browser, pages, name: str) -> BlankPage:
    return BlankPage(browser, pages.conversation(name)).open()


def run(page: BlankPage, language: str, code: str, title: str | None = None, timeout: float = LOAD):
    panel = page.add_block(language, code, title)
    return panel, panel.run(timeout)


def test_sqlite_statement_kinds(browser, pages):
    page = conversation(browser, pages, "sqlite-kinds")
    panel, state = run(page, "sql", """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, team TEXT);
INSERT INTO users (name, team) VALUES ('Ada', 'core'), ('Grace', 'core'), ('Linus', NULL);
UPDATE users SET team = 'kernel' WHERE team IS NULL;
SELECT name, team FROM users ORDER BY id;
DELETE FROM users WHERE name = 'Grace';
SELECT id, name FROM users WHERE id > 100;
INSERT INTO users (name) VALUES ('Ken') RETURNING id, name;
CREATE INDEX users_team ON users(team);
SELECT team, count(*) AS n, NULL AS missing, x'CAFE' AS blob, 9007199254740993 AS big, 2.5 AS real
  FROM users GROUP BY team ORDER BY team;
""")
    assert state == "success", panel.stream("error")
    assert panel.streams()[0] == ["stdout", "0 rows affected\n3 rows affected\n1 row affected\n"]
    assert panel.stream("stdout") == "0 rows affected\n3 rows affected\n1 row affected\n1 row affected\n0 rows affected\n"
    assert [t["columns"] for t in panel.tables()] == [
        ["name", "team"], ["id", "name"], ["id", "name"], ["team", "n", "missing", "blob", "big", "real"]]
    listed, empty, returned, grouped = panel.tables()
    assert listed["rows"] == [["Ada", "core"], ["Grace", "core"], ["Linus", "kernel"]] and listed["caption"] is None
    assert empty["rows"] == [] and returned["rows"] == [["4", "Ken"]]
    assert grouped["rows"] == [["NULL", "1", "NULL", "x'cafe'", "9007199254740993", "2.5"],
                               ["core", "1", "NULL", "x'cafe'", "9007199254740993", "2.5"],
                               ["kernel", "1", "NULL", "x'cafe'", "9007199254740993", "2.5"]]
    assert panel.language == "sql"


def test_postgresql_statement_kinds_and_syntax(browser, pages):
    page = conversation(browser, pages, "pg-kinds")
    panel, state = run(page, "postgresql", """
CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL, joined DATE, tags TEXT[], meta JSONB);
INSERT INTO users (name, joined, tags, meta) VALUES
  ('Ada', '2024-01-02', ARRAY['core'], '{"lead": true}'),
  ('grace', '2024-02-03', '{}', NULL)
  RETURNING id, name;
UPDATE users SET name = initcap(name) WHERE name ILIKE 'G%';
SELECT id::text || ':' || name AS who, joined::timestamp, tags, meta, 7 / 2 AS int_div, 7::numeric / 2 AS num
  FROM users ORDER BY id;
DO $$ BEGIN RAISE NOTICE 'users: %', (SELECT count(*) FROM users); END $$;
DELETE FROM users WHERE name = 'Grace';
""")
    assert state == "success", panel.stream("error")
    returned, listed = panel.tables()
    assert returned == {"columns": ["id", "name"], "rows": [["1", "Ada"], ["2", "grace"]], "caption": None}
    assert listed["columns"] == ["who", "joined", "tags", "meta", "int_div", "num"]
    assert listed["rows"] == [["1:Ada", "2024-01-02 00:00:00", "{core}", '{"lead": true}', "3", "3.5000000000000000"],
                              ["2:Grace", "2024-02-03 00:00:00", "{}", "NULL", "3", "3.5000000000000000"]]
    assert panel.stream("stdout") == "0 rows affected\n1 row affected\n0 rows affected\n1 row affected\n"
    assert panel.stream("info") == "NOTICE:  users: 2\n"
    assert panel.language == "postgresql"


def test_postgresql_copy_reads_the_lines_after_it_and_writes_to_the_output(browser, pages):
    page = conversation(browser, pages, "pg-copy")
    panel, state = run(page, "postgresql", "CREATE TABLE c (x int, y text);\nCOPY c FROM STDIN;\n1\tone\n2\t\\N\n\\.\n"
                                           "COPY c TO STDOUT WITH (FORMAT csv, HEADER);")
    assert state == "success", panel.stream("error")
    assert panel.stream("stdout") == "0 rows affected\n2 rows affected\nx,y\n1,one\n2,\n"


@pytest.mark.parametrize("language, code, message", [
    ("sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\nINSERT INTO t VALUES (1);\n\n-- again\nINSERT INTO t VALUES (1);\nSELECT 'never';",
     "Error in statement 3 at line 6: INSERT INTO t VALUES (1);\nUNIQUE constraint failed: t.id\n"),
    ("sql", "SELECT 1;\nSELEC 2;", "Error in statement 2 at line 3: SELEC 2;\nnear \"SELEC\": syntax error\n"),
    ("postgresql", "CREATE TABLE t (id int PRIMARY KEY);\nSELECT id,\n       nope\n  FROM t;\nSELECT 'never';",
     'Error in statement 2 at line 3: SELECT id,\ncolumn "nope" does not exist\nLINE 4:        nope\n'
     + " " * len("LINE 4:        ") + "^\n"),
    ("postgresql", "SELECT 1 / 0;", "Error in statement 1 at line 2: SELECT 1 / 0;\ndivision by zero\n"),
], ids=["sqlite-constraint", "sqlite-syntax", "pg-column", "pg-runtime"])
def test_an_error_names_the_statement_and_its_line(browser, pages, language, code, message):
    # The executable marker is line 1 of the block as shown: the code's lines count from 2.
    page = conversation(browser, pages, f"errors-{language}")
    panel, state = run(page, language, code, title="Errors")
    assert state == "error"
    assert panel.stream("error") == message
    assert "never" not in str(panel.tables())  # statements after the failing one do not run


@pytest.mark.parametrize("language", DIALECTS)
def test_a_block_that_fails_in_a_transaction_rolls_it_back(browser, pages, language):
    page = conversation(browser, pages, f"rollback-{language}")
    panel, state = run(page, language, "CREATE TABLE t (x INT);\nBEGIN;\nINSERT INTO t VALUES (1);\nSELECT * FROM nope;")
    assert state == "error" and "rolled back" in panel.notice
    panel, state = run(page, language, "BEGIN;\nSELECT count(*) AS n FROM t;\nCOMMIT;")
    assert state == "success" and panel.tables()[0]["rows"] == [["0"]]
    assert panel.notice == ""


@pytest.mark.parametrize("language", DIALECTS)
def test_the_database_is_kept_across_blocks_until_reset(browser, pages, language):
    page = conversation(browser, pages, f"persist-{language}")
    panel, state = run(page, language, "CREATE TABLE notes (body TEXT);\nINSERT INTO notes VALUES ('kept');")
    assert state == "success", panel.stream("error")
    panel, state = run(page, language, "SELECT body FROM notes;")
    assert state == "success" and panel.tables()[0]["rows"] == [["kept"]]
    panel.click("reset")
    WebDriverWait(browser, 10).until(lambda d: "tables cleared" in panel.notice)
    panel, state = run(page, language, "SELECT body FROM notes;")
    assert state == "error" and "notes" in panel.stream("error")


@pytest.mark.parametrize("language", DIALECTS)
def test_two_conversations_have_two_databases(browser, pages, language):
    tabs = Tabs(browser)
    try:
        first = tabs.open("first", pages.conversation(f"iso-a-{language}"))
        panel, state = run(first, language, "CREATE TABLE secrets (v TEXT);\nINSERT INTO secrets VALUES ('first');")
        assert state == "success", panel.stream("error")
        second = tabs.open("second", pages.conversation(f"iso-b-{language}"))
        panel, state = run(second, language, "SELECT v FROM secrets;")
        assert state == "error"
        panel, state = run(second, language, "CREATE TABLE secrets (v TEXT);\nINSERT INTO secrets VALUES ('second');")
        assert state == "success"
        first = tabs.to("first")
        panel, state = run(first, language, "SELECT v FROM secrets;")
        assert state == "success" and panel.tables()[0]["rows"] == [["first"]]
    finally:
        tabs.close_all()


RUNAWAY = {
    "sql": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;",
    "postgresql": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;",
}


@pytest.mark.parametrize("language", DIALECTS)
def test_stop_ends_a_runaway_recursive_query(browser, pages, language):
    page = conversation(browser, pages, f"stop-{language}")
    panel, state = run(page, language, "CREATE TABLE before_stop (x INT);")
    assert state == "success", panel.stream("error")
    runaway = page.add_block(language, RUNAWAY[language])
    assert runaway.run_then_stop(after=0.5) == "stopped"
    assert "database was restarted" in runaway.notice
    # A fresh database for the next run: the one the query would not leave is gone.
    panel, state = run(page, language, "SELECT count(*) AS n FROM before_stop;")
    assert state == "error" and "before_stop" in panel.stream("error")
    panel, state = run(page, language, "SELECT 1 AS one;")
    assert state == "success" and panel.tables()[0]["rows"] == [["1"]]


def test_stop_between_statements_keeps_the_database(browser, pages):
    page = conversation(browser, pages, "stop-between")
    panel, state = run(page, "postgresql", "CREATE TABLE n (x INT);")
    assert state == "success", panel.stream("error")
    panel = page.add_block("postgresql", "INSERT INTO n SELECT g FROM generate_series(1, 20000) AS g;\n" * 400)
    assert panel.run_then_stop(after=1.0) == "stopped"
    assert "restarted" not in panel.notice
    check, state = run(page, "postgresql", "SELECT count(*) > 0 AS some FROM n;")
    assert state == "success" and check.tables()[0]["rows"] == [["t"]]


def test_time_limit(browser, pages):
    set_settings(browser, {"timeoutMs": {"sql": 1500}})
    try:
        page = conversation(browser, pages, "time-limit")
        panel, state = run(page, "sql", RUNAWAY["sql"])
        assert state == "timeout"
        assert "time limit" in panel.notice
    finally:
        set_settings(browser, {})


def test_rows_past_the_limit_and_output_past_the_cap(browser, pages):
    page = conversation(browser, pages, "limits")
    panel, state = run(page, "sql", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000)\n"
                                    "SELECT x, x * x AS sq FROM c;")
    assert state == "success"
    (table,) = panel.tables()
    assert len(table["rows"]) == 1000 and table["rows"][-1] == ["1000", "1000000"]
    assert table["caption"] == "5000 rows × 2 columns"
    # 1,000 rows of 2,000 characters: more than the 1,000,000 characters a run may print.
    panel, state = run(page, "sql", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000)\n"
                                    "SELECT x, printf('%.2000c', 'a') AS wide FROM c;\nSELECT 'after' AS last;")
    assert state == "success"
    wide, last = panel.tables()
    assert 0 < len(wide["rows"]) < 1000 and wide["caption"] == "1000 rows × 2 columns"
    assert last["rows"] == [["after"]] or last["rows"] == []
    assert "truncated" in panel.notice.lower()


ISOLATION = {
    "sql": [
        "ATTACH DATABASE '{hit}' AS remote;\nCREATE TABLE remote.t (x);",
        "SELECT load_extension('{hit}');",
        "ATTACH DATABASE 'file:{hit}?vfs=opfs' AS o;",
    ],
    "postgresql": [
        "CREATE TABLE t (x TEXT);\nCOPY t FROM '{hit}';",
        "CREATE TABLE t2 (x TEXT);\nCOPY t2 FROM PROGRAM 'curl {hit}';",
        "SELECT pg_read_file('{hit}');",
        "SELECT lo_import('{hit}');",
        "CREATE EXTENSION dblink;",
        "CREATE EXTENSION postgres_fdw;",
        "COPY (SELECT 1) TO PROGRAM 'curl {hit}';",
    ],
}


@pytest.mark.parametrize("language", DIALECTS)
def test_sql_has_no_network(browser, pages, language):
    page = conversation(browser, pages, f"network-{language}")
    for i, probe in enumerate(ISOLATION[language]):
        panel, _ = run(page, language, probe.format(hit=pages.url(f"__hit/sql-{language}-{i}")))
    assert not [h for h in pages.hits if "sql-" in h], "SQL reached the network"


def test_runs_reach_the_companion_api_with_language_and_tables(browser, pages, tmp_path_factory):
    from .companion import ApiClient, start_api
    from .test_sync import PASSWORD, sign_up, wait_for

    api = start_api(tmp_path_factory.mktemp("api"))
    try:
        email = sign_up(browser, api.url)
        page = conversation(browser, pages, "history")
        for language in DIALECTS:
            panel, state = run(page, language, "SELECT 'hello' AS greeting, NULL AS missing;")
            assert state == "success", panel.stream("error")
        client = ApiClient(api.url, email, PASSWORD)
        # (Earlier runs of this browser, made while signed out, sync too.)
        here = lambda: [r for r in client.executions() if r["page"]["url"].endswith("/c/history")]  # noqa: E731
        runs = wait_for(lambda: (lambda r: r if len(r) == 2 else None)(here()))
        assert sorted(r["language"] for r in runs) == ["postgresql", "sql"]
        for listed in runs:
            output = client.execution(listed["execution_id"])["output"]
            assert [o["type"] for o in output] == ["table"]
            assert output[0]["content"] == (
                '{"columns":["greeting","missing"],"rows":[["hello",null]],"truncated":false,"shape":[1,2]}')
    finally:
        api.stop()


_KEPT_DIRECTORY = """
const done = arguments[0];
const open = indexedDB.open('chatrun-pglite');
open.onsuccess = () => {
  const req = open.result.transaction('templates').objectStore('templates').getAll();
  req.onsuccess = async () => done(await Promise.all(req.result.map(async (blob) =>
    [blob.size, Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))).join('.')])));
};
open.onerror = () => done(null);
"""


def test_new_postgresql_databases_start_from_the_kept_directory(browser, pages):
    from .test_runner_lifecycle import close_offscreen_document, in_extension_tab

    panel, state = run(conversation(browser, pages, "kept-1"), "postgresql", "CREATE TABLE mine (x INT);")
    assert state == "success", (panel.streams(), panel.notice)
    (kept,) = in_extension_tab(browser, _KEPT_DIRECTORY)  # one directory, of this build
    assert kept[0] > 1_000_000
    close_offscreen_document(browser)  # the memory copy is gone; IndexedDB's stays
    panel, state = run(conversation(browser, pages, "kept-2"), "postgresql", "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'mine';")
    assert state == "success", (panel.streams(), panel.notice)
    assert panel.tables()[0]["rows"] == [["0"]]
    assert in_extension_tab(browser, _KEPT_DIRECTORY) == [kept]  # not made again (initdb would)


def test_an_edited_block_runs_with_the_sql_editor(browser, pages):
    page = conversation(browser, pages, "edit")
    panel = page.add_block("sql", "SELECT 1 AS one;")
    panel.edit("SELECT 'edited' AS what;")
    assert panel.editor_text() == "SELECT 'edited' AS what;"
    assert panel.run() == "success" and panel.tables()[0]["rows"] == [["edited"]]
