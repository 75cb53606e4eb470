// SQL in the registry (names, files, inference, the PostgreSQL reading of a plain `sql` block)
// and the SQL workers' text functions (extension/offscreen/sql-text.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import {
  LANGUAGES, blockLanguage, inferLanguage, isKernelLanguage, languageNamed, languageOfFile,
} from '../../extension/shared/languages.js';
import { lineOf, skipTrivia, splitStatements } from '../../extension/offscreen/sql-text.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('SQL labels name SQLite, PostgreSQL labels PostgreSQL; other dialects are not runnable', () => {
  for (const name of ['sql', 'SQL', 'sqlite', 'language-sqlite3', 'SQL (SQLite)']) assert.equal(languageNamed(name), 'sql', name);
  for (const name of ['postgresql', 'PostgreSQL', 'postgres', 'psql', 'pgsql', 'lang-plpgsql']) {
    assert.equal(languageNamed(name), 'postgresql', name);
  }
  for (const name of ['mysql', 'tsql', 'plsql']) assert.equal(languageNamed(name), null, name);
  assert.equal(languageOfFile('schema.sql'), 'sql');
  assert.equal(languageOfFile('fn.pgsql'), 'postgresql');
  assert.ok(isKernelLanguage('sql') && isKernelLanguage('postgresql'));
  assert.equal(LANGUAGES.sql.label, 'SQL (SQLite)');
});

const SQLITE = 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\nINSERT INTO users (name) VALUES (\'Ada\');\nSELECT * FROM users;';
const PG = [
  'CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT);',
  "SELECT * FROM users WHERE name ILIKE 'a%';",
  "SELECT '2024-01-01'::date;",
  'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;',
  'SELECT * FROM generate_series(1, 3);',
];

test('inference fires on unmistakable SQL only, and prefers PostgreSQL on PostgreSQL-only syntax', () => {
  assert.equal(inferLanguage(SQLITE), 'sql');
  assert.equal(inferLanguage(`${PG[0]}\nINSERT INTO users (name) VALUES ('a') RETURNING id;`), 'postgresql');
  for (const code of [
    'select * from t', // lower case: too easily prose or another language
    'SELECT the best option FROM the list below', // prose: one keyword pair is not enough
    'import sqlite3\nconn = sqlite3.connect(":memory:")\nconn.execute("""\nCREATE TABLE t (id INTEGER PRIMARY KEY)\n""")',
    'const rows = db.query(`SELECT * FROM users WHERE id = ${id}`);\nconsole.log(rows);',
    'cursor.execute("INSERT INTO t VALUES (1)")',
    '#include <string>\nstd::string name = "x";\nstd::cout << name << std::endl;',
  ]) {
    assert.notEqual(inferLanguage(code), 'sql', code);
    assert.notEqual(inferLanguage(code), 'postgresql', code);
  }
});

test('a plain sql block is offered on PostgreSQL when its code is clearly PostgreSQL', () => {
  for (const code of PG) assert.equal(blockLanguage('sql', code), 'postgresql', code);
  assert.equal(blockLanguage('sql', SQLITE), 'sql');
  assert.equal(blockLanguage('sql', 'INSERT INTO t VALUES (1) RETURNING id;'), 'sql'); // SQLite has RETURNING too
  assert.equal(blockLanguage('postgresql', 'SELECT 1;'), 'postgresql');
  assert.equal(blockLanguage('python', 'x = 1::2'), 'python'); // only the language it refines
  assert.equal(blockLanguage(null, PG[0]), null);
  assert.equal(blockLanguage(undefined, SQLITE), 'sql');
});

test('PostgreSQL scripts split where psql splits them', () => {
  const code = [
    "SELECT 'a;b', \"x;y\", E'it\\'s;' AS s;", // quotes, doubled or escaped
    '-- a comment; not a statement',
    'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;',
    'DO $$ BEGIN PERFORM 1; END $$;',
    'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO u VALUES (2));',
    '/* nested /* comment; */ still; */ SELECT $1::int, a$b FROM t;',
    'SELECT 2 -- no semicolon at the end',
    '  -- only a comment;',
  ].join('\n');
  const statements = splitStatements(code);
  assert.deepEqual(statements.map((s) => s.text.trim().split(/\s+/)[0]), ['SELECT', '--', 'DO', 'CREATE', '/*', 'SELECT']);
  assert.equal(statements[1].text.trim().split('\n')[1].slice(0, 15), 'CREATE FUNCTION');
  assert.ok(statements[1].text.includes('RETURN 1; END; $body$ LANGUAGE plpgsql;'));
  assert.ok(statements[3].text.endsWith('INSERT INTO u VALUES (2));'));
  for (const { start, text } of statements) assert.equal(code.slice(start, start + text.length), text);
  assert.deepEqual(splitStatements('  \n-- nothing\n'), []);
  assert.deepEqual(splitStatements("SELECT 'unterminated; SELECT 2").length, 1);
});

test('COPY ... FROM STDIN takes the lines after it up to \\. as its data, as in psql', () => {
  const code = 'CREATE TABLE t (x int, y text);\nCOPY t (x, y) FROM stdin;\n1\tone; two\n2\t\\N\n\\.\nSELECT 1;\nCOPY t FROM STDIN;\n3\tlast';
  const statements = splitStatements(code);
  assert.deepEqual(statements.map((s) => s.text.trim()), ['CREATE TABLE t (x int, y text);', 'COPY t (x, y) FROM stdin;', 'SELECT 1;', 'COPY t FROM STDIN;']);
  assert.equal(statements[1].data, '1\tone; two\n2\t\\N\n');
  assert.equal(statements[3].data, '3\tlast'); // no terminator: to the end of the block
  assert.equal(statements[0].data, undefined);
  assert.equal(splitStatements("COPY t TO STDOUT;\nSELECT 'x';").length, 2);
});

test('a statement is located at its first token, after comments and blank lines', () => {
  const code = 'SELECT 1;\n\n-- the next one\n/* really */ SELECT 2;';
  const second = skipTrivia(code, code.indexOf(';') + 1);
  assert.equal(code.slice(second, second + 8), 'SELECT 2');
  assert.equal(lineOf(code, second), 4);
});

test('no language is named outside the registry and its runner modules', () => {
  const hits = execFileSync('grep', ['-rlE', "'(python|javascript|typescript|sql|postgresql)'", 'extension', '--exclude-dir=build', '--exclude-dir=vendor'], { cwd: ROOT })
    .toString().trim().split('\n').sort();
  const runners = [...new Set(Object.values(LANGUAGES).map((entry) => `extension/${entry.runner}`))];
  const allowed = new Set(['extension/shared/languages.js', ...runners, 'extension/sandbox/prepare-code.js']);
  assert.deepEqual(hits.filter((file) => !allowed.has(file)), []);
});
