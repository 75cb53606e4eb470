// Checks extension/sandbox/inspect.js against Node's own util.inspect,
// util.format and console.table, which are the reference behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { Writable } from 'node:stream';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';

import { inspect, format, formatWithOptions, formatTable } from '../../extension/sandbox/inspect.js';

// ---------------------------------------------------------------------------
// Values (built lazily so that every case gets fresh objects).

class Foo {
  constructor() {
    this.a = 1;
  }
}
class Bar extends Foo {}
class Empty {}
class Tagged {
  get [Symbol.toStringTag]() {
    return 'Custom';
  }
}
class MyError extends Error {}
class MyMap extends Map {}
class WithStatic {
  static x = 1;
}

function circularObject() {
  const o = { a: 1, nested: { list: [] } };
  o.self = o;
  o.nested.list.push(o, o.nested);
  return o;
}

function twoCycles() {
  const a = { name: 'a' };
  const b = { name: 'b', a };
  a.b = b;
  b.self = b;
  return { a, b };
}

function withAccessors() {
  return {
    get g() { return 1; },
    set s(v) {},
    get gs() { return 2; },
    set gs(v) {},
  };
}

function sparse() {
  const arr = [1, , 3, , , 6]; // eslint-disable-line no-sparse-arrays
  arr.length = 10;
  return arr;
}

function arrayWithProps() {
  const arr = [1, 2, 3];
  arr.extra = 'x';
  arr[Symbol('s')] = 4;
  return arr;
}

function errorWithProps() {
  const err = new Error('with props');
  err.code = 'E_CODE';
  err.details = { retry: true };
  return err;
}

function errorWithoutStack() {
  const err = new TypeError('no stack');
  err.stack = undefined;
  return err;
}

function renamedError() {
  const err = new Error('renamed');
  err.name = 'CustomName';
  return err;
}

function nullProtoWithProps() {
  const o = Object.create(null);
  o.x = 1;
  o['needs quote'] = 2;
  return o;
}

function hiddenProperty() {
  const o = { visible: 1 };
  Object.defineProperty(o, 'hidden', { value: 2, enumerable: false });
  return o;
}

const many = (n, fn) => Array.from({ length: n }, (_, i) => fn(i));
const words = ['alpha', 'be', 'gamma', 'delta', 'epsilon', 'z', 'eta', 'theta', 'iota',
  'kappa', 'lambda', 'mu', 'nu', 'xi', 'omicron', 'pi', 'rho', 'sigma', 'tau', 'upsilon'];

const CASES = [
  // Primitives
  ['zero', () => 0],
  ['negative zero', () => -0],
  ['float', () => 1.5],
  ['NaN', () => NaN],
  ['Infinity', () => -Infinity],
  ['bigint', () => 123n],
  ['negative bigint', () => -5n],
  ['true', () => true],
  ['undefined', () => undefined],
  ['null', () => null],
  ['string', () => 'hello'],
  ['string with single quote', () => "it's"],
  ['string with both quotes', () => 'it\'s "quoted"'],
  ['string with all quotes', () => 'a\'b"c`d'],
  ['string with ${ and quotes', () => 'x ${y} \' "'],
  ['escapes', () => 'tab\tnew\nline\\ \x00\x1b\x7f\x9f'],
  ['emoji', () => 'emoji 😀 ü'],
  ['lone surrogate', () => 'bad \ud800 end'],
  ['long multi-line string', () => 'first line of text\nsecond line of text\n'.repeat(4)],
  ['string over maxStringLength', () => 'x'.repeat(10050)],
  ['symbol', () => Symbol('s')],
  ['symbol without description', () => Symbol()],
  ['well-known symbol', () => Symbol.iterator],

  // Functions
  ['named function', () => function f() {}],
  ['anonymous function', () => [function () {}][0]],
  ['arrow function', () => [() => {}][0]],
  ['class', () => Foo],
  ['subclass', () => Bar],
  ['anonymous class', () => [class {}][0]],
  ['class with static', () => WithStatic],
  ['async function', () => async function af() {}],
  ['async arrow', () => [async () => {}][0]],
  ['generator function', () => function* g() {}],
  ['async generator function', () => async function* ag() {}],
  ['bound function', () => function h() {}.bind(null)],
  ['native function', () => Math.max],
  ['function with props', () => Object.assign(function withProps() {}, { a: 1 })],

  // Arrays
  ['empty array', () => []],
  ['array', () => [1, 2, 3]],
  ['nested arrays', () => [[1, [2, [3, [4, [5]]]]]]],
  ['sparse array', sparse],
  ['array of holes', () => new Array(5)],
  ['array with extra props', arrayWithProps],
  ['120 numbers (grouped, more items)', () => many(120, (i) => i)],
  ['mixed width numbers (right aligned)', () => many(30, (i) => i ** 3)],
  ['words (left aligned columns)', () => words],
  ['long words (no grouping)', () => many(8, (i) => `${'word'.repeat(5)}${i}`)],
  ['array of objects wrapping', () => many(5, (i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b'] }))],
  ['array of 7 short strings', () => ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
  ['101 strings', () => many(101, (i) => `s${i}`)],
  ['mixed array', () => [1, 'two', { three: 3 }, [4], null, undefined, 7n]],
  ['array of bigints grouped', () => many(12, (i) => BigInt(i) * 1000n)],

  // Plain objects
  ['empty object', () => ({})],
  ['object', () => ({ a: 1, b: 'x' })],
  ['keys needing quotes', () => ({ 'a-b': 1, '1a': 2, '': 3, ünï: 4, 'it\'s': 5 })],
  ['numeric keys', () => ({ 1: 'one', 2: 'two', 10: 'ten' })],
  ['symbol keys', () => ({ [Symbol('k')]: 1, [Symbol.for('g')]: 2 })],
  ['__proto__ key', () => JSON.parse('{"__proto__": 1, "b": 2}')],
  ['deep object', () => ({ a: { b: { c: { d: { e: 1 } } } } })],
  ['deep array in object', () => ({ a: [[[[1]]]] })],
  ['object breaking lines', () => ({ alpha: 'a'.repeat(20), beta: 'b'.repeat(20), gamma: 'c'.repeat(20), delta: 1 })],
  ['many short numbers', () => Object.fromEntries(many(30, (i) => [`k${i}`, i]))],
  ['nested object breaking', () => ({ user: { name: 'Ada Lovelace', email: 'ada@example.com', roles: ['admin', 'dev'] }, meta: { created: 1, updated: 2 } })],
  ['object of arrays', () => ({ a: many(10, (i) => i), b: many(30, (i) => `v${i}`) })],
  ['class instance', () => new Foo()],
  ['subclass instance', () => new Bar()],
  ['empty class instance', () => new Empty()],
  ['toStringTag getter', () => new Tagged()],
  ['own toStringTag', () => ({ [Symbol.toStringTag]: 'Own', a: 1 })],
  ['null prototype', () => Object.create(null)],
  ['null prototype with props', nullProtoWithProps],
  ['null prototype chain', () => Object.create(Object.create(null))],
  ['accessors', withAccessors],
  ['class accessor on prototype', () => new (class P { get x() { return 1; } })()],
  ['hidden property', hiddenProperty],
  ['Math', () => Math],
  ['JSON', () => JSON],
  ['arguments object', () => (function () { return arguments; })(1, 'a')],
  ['generator object', () => (function* () {})()],
  ['array iterator', () => [1, 2][Symbol.iterator]()],

  // Cycles
  ['circular object', circularObject],
  ['two cycles', twoCycles],
  ['circular array', () => { const a = [1]; a.push(a); return a; }],
  ['circular map', () => { const m = new Map(); m.set('self', m); return m; }],

  // Collections
  ['empty map', () => new Map()],
  ['map', () => new Map([['a', 1], [{ k: 1 }, [1, 2]]])],
  ['nested map', () => new Map([['outer', new Map([['inner', new Map([['deep', new Map([[1, 2]])]])]])]])],
  ['empty set', () => new Set()],
  ['set', () => new Set([1, 'two', { three: 3 }])],
  ['large set', () => new Set(many(120, (i) => i))],
  ['map subclass', () => new MyMap([[1, 2]])],
  ['map with props', () => Object.assign(new Map([[1, 2]]), { extra: true })],
  ['null prototype set', () => Object.setPrototypeOf(new Set([1]), null)],
  ['WeakMap', () => new WeakMap()],
  ['WeakSet', () => new WeakSet()],

  // Dates and regexps
  ['date', () => new Date(0)],
  ['invalid date', () => new Date(NaN)],
  ['date with props', () => Object.assign(new Date(86400000), { note: 'x' })],
  ['regexp', () => /ab+c/gi],
  ['regexp with props', () => Object.assign(/x/, { y: 1 })],

  // Errors
  ['error', () => new Error('boom')],
  ['type error', () => new TypeError('bad type')],
  ['error with props', errorWithProps],
  ['error without stack', errorWithoutStack],
  ['error with cause', () => new Error('outer', { cause: new Error('inner') })],
  ['error with primitive cause', () => new Error('outer', { cause: 'why' })],
  ['error subclass', () => new MyError('mine')],
  ['renamed error', renamedError],
  ['aggregate error', () => new AggregateError([new Error('a'), 'b'], 'many')],
  ['error in object', () => ({ err: new RangeError('nested') })],
  ['multi-line message', () => new Error('line one\nline two')],

  // Binary data
  ['Uint8Array', () => new Uint8Array([1, 2, 3])],
  ['Float64Array', () => new Float64Array([1.5, -0, NaN])],
  ['BigInt64Array', () => new BigInt64Array([1n, -2n])],
  ['empty Int16Array', () => new Int16Array(0)],
  ['long Uint8Array', () => new Uint8Array(200).map((_, i) => i)],
  ['ArrayBuffer', () => new Uint8Array([1, 2]).buffer],
  ['long ArrayBuffer', () => new ArrayBuffer(120)],
  ['SharedArrayBuffer', () => new SharedArrayBuffer(3)],
  ['DataView', () => new DataView(new ArrayBuffer(4), 1, 2)],

  // Boxed primitives
  ['boxed number', () => new Number(3)],
  ['boxed string', () => new String('abc')],
  ['boxed false', () => new Boolean(false)],
  ['boxed bigint', () => Object(5n)],
  ['boxed symbol', () => Object(Symbol('b'))],
  ['boxed string with props', () => Object.assign(new String('ab'), { x: 1 })],

  // Proxies that behave like their target print the same as in Node.
  ['transparent object proxy', () => new Proxy({ a: 1, b: [2] }, {})],
  ['transparent array proxy', () => new Proxy([1, 2, 3], {})],
  ['transparent function proxy', () => new Proxy(function pf() {}, {})],
  ['revoked proxy', () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; }],

  // Custom inspection
  ['custom inspect string', () => ({ [util.inspect.custom]: () => 'CUSTOM' })],
  ['custom inspect object', () => ({ [util.inspect.custom]: () => ({ replaced: true }) })],
  ['custom inspect nested multi-line', () => ({ a: { [util.inspect.custom]: () => 'x\ny' } })],
  ['custom inspect uses depth and inspect', () => ({
    inner: { [util.inspect.custom](depth, options, insp) { return `d=${depth} ${insp([1, 2], options)}`; } },
  })],
];

const OPTION_CASES = [
  ['depth 0', () => ({ a: { b: 1 }, c: [1] }), { depth: 0 }],
  ['depth null', () => ({ a: { b: { c: { d: { e: {} } } } } }), { depth: null }],
  ['depth Infinity', () => [[[[[[1]]]]]], { depth: Infinity }],
  ['compact false', () => ({ a: 1, b: [1, 2] }), { compact: false }],
  ['compact true', () => ({ a: 'x'.repeat(50), b: 'y'.repeat(50) }), { compact: true }],
  ['compact 1', () => ({ a: { b: { c: 1 } } }), { compact: 1 }],
  ['breakLength Infinity', () => many(30, (i) => ({ i })), { breakLength: Infinity }],
  ['breakLength 20', () => ({ alpha: 1, beta: 2, gamma: 3 }), { breakLength: 20 }],
  ['maxArrayLength 2', () => [1, 2, 3, 4], { maxArrayLength: 2 }],
  ['maxArrayLength 0 set', () => new Set([1, 2]), { maxArrayLength: 0 }],
  ['maxStringLength 5', () => 'abcdefghij', { maxStringLength: 5 }],
  ['sorted', () => ({ c: 1, a: 2, b: 3 }), { sorted: true }],
  ['getters', withAccessors, { getters: true }],
  ['showHidden array', () => [1, 2], { showHidden: true }],
  ['showHidden error', () => new Error('hidden'), { showHidden: true }],
  ['showHidden typed array', () => new Uint8Array([1]), { showHidden: true }],
  ['showHidden class instance', () => new (class Q { constructor() { this.a = 1; } })(), { showHidden: true }],
  ['numericSeparator', () => [1234567.891, 1000n, -12345], { numericSeparator: true }],
  ['customInspect false', () => ({ [util.inspect.custom]: () => 'no' }), { customInspect: false }],
];

// ---------------------------------------------------------------------------
// inspect()

test('inspect matches util.inspect', async (t) => {
  assert.ok(CASES.length >= 80, `only ${CASES.length} cases`);
  for (const [name, make] of CASES) {
    await t.test(name, () => {
      const value = make();
      assert.equal(inspect(value), util.inspect(value));
    });
  }
});

test('inspect with options matches util.inspect', async (t) => {
  for (const [name, make, options] of OPTION_CASES) {
    await t.test(name, () => {
      const value = make();
      assert.equal(inspect(value, options), util.inspect(value, options));
    });
  }
});

test('module namespace objects', async () => {
  const ns = await import('data:text/javascript,export const a = 1; export function b() {}');
  assert.equal(inspect(ns), util.inspect(ns));
  assert.equal(inspect(ns), '[Module: null prototype] { a: 1, b: [Function: b] }');
});

test('URL and URLSearchParams stand-ins match Node', () => {
  const url = new URL('https://user:pw@example.com:8080/p/a?x=1&y=2#h');
  const expectedUrl = util.inspect({ nested: { url } });
  const params = new URLSearchParams('a=1&b=two&c=' + 'x'.repeat(80));
  const expectedParams = util.inspect([params]);
  // Node's classes carry their own [inspect.custom]; hide it so that our
  // stand-ins (used for the browser's URL classes) are what gets tested.
  const urlCustom = Object.getOwnPropertyDescriptor(URL.prototype, util.inspect.custom);
  const paramsCustom = Object.getOwnPropertyDescriptor(URLSearchParams.prototype, util.inspect.custom);
  delete URL.prototype[util.inspect.custom];
  delete URLSearchParams.prototype[util.inspect.custom];
  try {
    assert.equal(inspect({ nested: { url } }), expectedUrl);
    assert.equal(inspect([params]), expectedParams);
  } finally {
    Object.defineProperty(URL.prototype, util.inspect.custom, urlCustom);
    Object.defineProperty(URLSearchParams.prototype, util.inspect.custom, paramsCustom);
  }
});

// Seeded random nesting of arrays, objects, maps, sets and typed arrays,
// to exercise line breaking and column grouping beyond the fixed cases.
function randomValues(count) {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const leaves = [0, 1, -1, 3.14, 1e21, -0, NaN, 12345678, 'a', 'hello world', "it's",
    '日本語', null, undefined, true, 10n, Symbol('s')];
  const keys = ['a', 'bb', 'key', 'some-key', 'x1', 'longerPropertyName', '0', '12'];
  function gen(depth) {
    const r = rnd();
    if (depth > 4 || r < 0.35) return rnd() < 0.2 ? 'x'.repeat(Math.floor(rnd() * 40)) : pick(leaves);
    if (r < 0.55) return many(Math.floor(rnd() * (depth === 0 && rnd() < 0.3 ? 130 : 12)), () => gen(depth + 1));
    if (r < 0.75) {
      return Object.fromEntries(many(Math.floor(rnd() * 8), (i) => [`${pick(keys)}${i}`, gen(depth + 1)]));
    }
    if (r < 0.82) return new Map(many(Math.floor(rnd() * 5), () => [gen(depth + 1), gen(depth + 1)]));
    if (r < 0.88) return new Set(many(Math.floor(rnd() * 8), () => gen(depth + 1)));
    if (r < 0.92) return new Float32Array(Math.floor(rnd() * 20)).map(() => rnd() * 100);
    if (r < 0.96) return many(Math.floor(rnd() * 40), () => Math.floor(rnd() * 10 ** Math.floor(rnd() * 6)));
    return many(Math.floor(rnd() * 40), () => pick(['a', 'bb', 'ccc', 'dddd']).repeat(1 + Math.floor(rnd() * 3)));
  }
  const options = [undefined, { depth: 4 }, { breakLength: 40 }, { compact: false },
    { compact: 1 }, { depth: 0 }, { breakLength: 120, depth: 5 }, { sorted: true }];
  return many(count, () => [gen(0), pick(options)]);
}

test('random nested values match util.inspect', () => {
  for (const [value, options] of randomValues(1000)) {
    assert.equal(inspect(value, options), util.inspect(value, options));
  }
});

test('runs in a bare JavaScript realm (no Node or DOM globals)', () => {
  const source = readFileSync(new URL('../../extension/sandbox/inspect.js', import.meta.url), 'utf8')
    .replace(/^export /gm, '');
  const context = vm.createContext({});
  vm.runInContext(`${source}\nglobalThis.api = { inspect, format, formatTable };`, context);
  const out = vm.runInContext(
    'api.format("a", 1, [1, 2], { x: 1 }, new Map([[1, [2]]]), class A {}, new Uint8Array(2))', context);
  assert.equal(out, 'a 1 [ 1, 2 ] { x: 1 } Map(1) { 1 => [ 2 ] } [class A] Uint8Array(2) [ 0, 0 ]');
});

test('legacy inspect(value, showHidden, depth) signature', () => {
  const value = { a: { b: { c: { d: 1 } } } };
  assert.equal(inspect(value, false, 0), util.inspect(value, false, 0));
  assert.equal(inspect([1], true), util.inspect([1], true));
});

// ---------------------------------------------------------------------------
// format()

const FORMAT_CASES = [
  ['console.log example', () => ['a', 1, [1, 2], { x: 1 }]],
  ['string only', () => ['plain %s']],
  ['no arguments', () => []],
  ['non-string first', () => [{ a: 1 }, 'b', 2]],
  ['%s string', () => ['hi %s!', 'there']],
  ['%s number and -0', () => ['%s %s', 42, -0]],
  ['%s bigint', () => ['%s', 7n]],
  ['%s object', () => ['%s', { a: { b: 1 } }]],
  ['%s array', () => ['%s', [1, [2, [3]]]]],
  ['%s custom toString', () => ['%s', { toString() { return 'custom'; } }]],
  ['%s class toString', () => ['%s', new (class T { toString() { return 'T!'; } })()]],
  ['%s error', () => ['%s', new Error('e')]],
  ['%s symbol and null', () => ['%s %s %s', Symbol('q'), null, undefined]],
  ['%d', () => ['%d %d %d %d', 42, '3.5', 10n, {}]],
  ['%d symbol', () => ['%d', Symbol('x')]],
  ['%i', () => ['%i %i %i', 42.9, '-7.2', 3n]],
  ['%f', () => ['%f %f', '1.5abc', 'x']],
  ['%j', () => ['%j', { a: [1, 'b'] }]],
  ['%j circular', () => { const o = {}; o.o = o; return ['%j', o]; }],
  ['%j undefined', () => ['%j', undefined]],
  ['%o', () => ['%o', [1, { a: 2 }]]],
  ['%o function', () => ['%o', function foo() {}]],
  ['%O', () => ['%O', { a: { b: { c: { d: 1 } } } }]],
  ['%c', () => ['%cstyled', 'color: red']],
  ['%%', () => ['100%% sure %s', 'yes']],
  ['%% without args', () => ['100%% sure']],
  ['unknown placeholder', () => ['%x %s', 'a']],
  ['missing args', () => ['%s and %s', 'one']],
  ['extra args', () => ['%s', 'a', 'b', { c: 1 }]],
  ['trailing percent', () => ['50%', 1]],
  ['strings after first are raw', () => ['a', 'b\nc', "d'e"]],
  ['adjacent placeholders', () => ['%s%s%d', 'a', 'b', 3]],
];

test('format matches util.format', async (t) => {
  for (const [name, makeArgs] of FORMAT_CASES) {
    await t.test(name, () => {
      const args = makeArgs();
      assert.equal(format(...args), util.format(...args));
    });
  }
  assert.equal(format('a', 1, [1, 2], { x: 1 }), 'a 1 [ 1, 2 ] { x: 1 }');
});

test('formatWithOptions matches util.formatWithOptions', () => {
  const args = ['%s %O', 1234567, { a: { b: { c: 1 } } }];
  const options = { numericSeparator: true, depth: 0 };
  assert.equal(formatWithOptions(options, ...args), util.formatWithOptions(options, ...args));
});

// ---------------------------------------------------------------------------
// formatTable()

function nodeTable(...args) {
  let out = '';
  const stream = new Writable({
    write(chunk, encoding, callback) {
      out += chunk;
      callback();
    },
  });
  new console.Console(stream).table(...args);
  return out.replace(/\n$/, '');
}

const TABLE_CASES = [
  ['array of objects', () => [[{ a: 1, b: 'x' }, { a: 2, c: [1, 2, 3, 4] }]]],
  ['array of primitives', () => [[1, 'two', null, undefined, 3n]]],
  ['object of objects', () => [{ ada: { age: 36 }, bob: { age: 41, city: 'Oslo' } }]],
  ['mixed rows', () => [[{ a: 1 }, 'plain', [5, 6]]]],
  ['nested cells', () => [[{ obj: { x: 1, y: 2, z: 3 }, small: { x: 1 }, arr: [[1, 2]] }]]],
  ['properties filter', () => [[{ a: 1, b: 2, c: 3 }, { a: 4, c: 6 }], ['c', 'a']]],
  ['properties with primitive rows', () => [[1, { a: 2 }], ['a']]],
  ['map', () => [new Map([['k1', { v: 1 }], [{ key: true }, 'v2']])]],
  ['set', () => [new Set(['x', { y: 1 }])]],
  ['primitive data', () => [42]],
  ['string data', () => ['just text']],
  ['null data', () => [null]],
  ['empty array', () => [[]]],
  ['wide characters', () => [[{ name: '日本語', emoji: '😀👍', mixed: 'añb', combining: 'e\u0301' }]]],
  ['long values', () => [[{ text: 'x'.repeat(40) }, { text: 'short' }]]],
  ['array rows', () => [[[1, 2], [3, 4, 5]]]],
  ['function cells', () => [[{ f() {}, cls: Foo }]]],
];

test('formatTable matches console.table', async (t) => {
  for (const [name, makeArgs] of TABLE_CASES) {
    await t.test(name, () => {
      const args = makeArgs();
      assert.equal(formatTable(...args), nodeTable(...args));
    });
  }
  assert.throws(() => formatTable([], 'a'), TypeError);
});

test('string widths of wide characters match Node (grouped arrays)', () => {
  const cjk = ['日本', '中文字', '한국어', 'ａｂｃ', 'abc', '😀', 'x', 'ü', 'カタカナ', 'e\u0301'];
  assert.equal(inspect(cjk), util.inspect(cjk));
  const emoji = many(20, (i) => '🎉'.repeat(i % 4 + 1));
  assert.equal(inspect(emoji), util.inspect(emoji));
});

// ---------------------------------------------------------------------------
// Documented deviations: a worker cannot see what Node reads from V8.

// Node's test runner enables async hooks, which tag promises with
// enumerable async-id symbols; drop them so only the promise itself shows.
function untagged(promise) {
  for (const symbol of Object.getOwnPropertySymbols(promise)) delete promise[symbol];
  return promise;
}

test('deviation: promises always print as pending', () => {
  // JavaScript offers no synchronous way to read a promise's state; Node
  // uses a V8 internal. We print <pending> for every promise.
  const resolved = untagged(Promise.resolve(1));
  assert.equal(util.inspect(resolved), 'Promise { 1 }');
  assert.equal(inspect(resolved), 'Promise { <pending> }');
  const rejected = Promise.reject(new Error('no'));
  rejected.catch(() => {}); // (attaching a handler tags it again)
  untagged(rejected);
  assert.match(util.inspect(rejected), /^Promise \{\n {2}<rejected> Error: no/);
  assert.equal(inspect(rejected), 'Promise { <pending> }');
  // Still-pending promises and extra properties match Node exactly.
  const pending = untagged(new Promise(() => {}));
  assert.equal(inspect(pending), util.inspect(pending));
  assert.equal(inspect(pending), 'Promise { <pending> }');
  const withProps = Object.assign(untagged(new Promise(() => {})), { id: 7 });
  assert.equal(inspect(withProps), util.inspect(withProps));
  assert.equal(inspect({ p: withProps }), '{ p: Promise { <pending>, id: 7 } }');
});

test('deviation: proxies are inspected through their traps', () => {
  // Node reads the proxy target via a V8 internal; a worker cannot detect a
  // proxy, so traps run. Changed values show up, and throwing traps are
  // reported instead of breaking console output.
  // Values are read through property descriptors, so a `get` trap alone
  // does not change the output...
  const getTrap = new Proxy({ a: 1 }, { get: (target, key) => (key === 'a' ? 2 : target[key]) });
  assert.equal(inspect(getTrap), util.inspect(getTrap));
  // ...but a getOwnPropertyDescriptor trap does.
  const lying = new Proxy({ a: 1 }, {
    getOwnPropertyDescriptor: () => ({ value: 2, enumerable: true, configurable: true, writable: true }),
  });
  assert.equal(util.inspect(lying), '{ a: 1 }');
  assert.equal(inspect(lying), '{ a: 2 }');
  const throwing = new Proxy({}, { ownKeys() { throw new Error('trap!'); } });
  assert.equal(util.inspect(throwing), '{}');
  assert.equal(inspect(throwing), '<Inspection threw (trap!)>');
  assert.equal(inspect({ inner: throwing }), '{ inner: <Inspection threw (trap!)> }');
  // A Map behind a proxy fails the Map brand check.
  assert.equal(inspect(new Proxy(new Map([[1, 2]]), {})), 'Map {}');
});

test('deviation: a throwing custom inspector does not throw', () => {
  const bad = { [util.inspect.custom]() { throw new Error('nope'); } };
  assert.throws(() => util.inspect(bad));
  assert.equal(inspect([bad]), '[ <Inspection threw (nope)> ]');
});

test('deviation: Map/Set iterators are not previewed', () => {
  // Previewing would consume the iterator (Node peeks via V8).
  const entries = new Map([[1, 2]]).entries();
  assert.equal(util.inspect(entries), '[Map Entries] { [ 1, 2 ] }');
  assert.equal(inspect(entries), '[Map Iterator] { <items unknown> }');
  assert.deepEqual(entries.next().value, [1, 2]); // not consumed
  assert.equal(inspect(new Set([1]).values()), '[Set Iterator] { <items unknown> }');
});

test('deviation: console.table does not preview Map/Set iterators', () => {
  // Same reason as above; the iterator is treated as an object without keys.
  const entries = new Map([[1, 2]]).entries();
  assert.equal(formatTable(entries), '┌─────────┐\n│ (index) │\n├─────────┤\n└─────────┘');
});

test('deviation: weak collections are never previewed', () => {
  const key = {};
  const wm = new WeakMap([[key, 1]]);
  assert.equal(inspect(wm, { showHidden: true }), 'WeakMap { <items unknown> }');
  assert.equal(inspect(wm), util.inspect(wm));
});

test('deviation: null-prototype class instances lose the class name', () => {
  // V8 remembers the original constructor of such objects internally.
  const obj = Object.setPrototypeOf(new Foo(), null);
  assert.equal(util.inspect(obj), '[Foo: null prototype] { a: 1 }');
  assert.equal(inspect(obj), '[Object: null prototype] { a: 1 }');
});

test('deviation: colors are not supported', () => {
  assert.equal(inspect({ a: 1 }, { colors: true }), '{ a: 1 }');
});

test('deviation: Firefox/Safari stacks are shown in V8 shape', () => {
  const err = new Error('ff');
  err.stack = 'run@blob:null/abc:3:7\n@blob:null/abc:10:1\n';
  assert.equal(inspect(err), 'Error: ff\n    at run (blob:null/abc:3:7)\n    at blob:null/abc:10:1');
  const plain = new Error('short');
  plain.stack = 'Error: short';
  assert.equal(inspect(plain), util.inspect(plain));
});

test('stack overflow during inspection is reported like Node', () => {
  let deep = {};
  const root = deep;
  for (let i = 0; i < 20000; i++) {
    deep.next = {};
    deep = deep.next;
  }
  assert.equal(inspect(root, { depth: Infinity }).includes('Maximum call stack size exceeded'), true);
});
