// Node-compatible console formatting for the JS runner worker.
//
// `inspect`, `format` and `formatTable` reproduce Node 20's `util.inspect`,
// `util.format` and `console.table` output so that chat users see what they
// would see in Node. The algorithm is a port of Node's
// lib/internal/util/inspect.js and lib/internal/cli_table.js (MIT License,
// Copyright Node.js contributors), rewritten to use only what a Web Worker
// has: no Node APIs, no V8 internals, no DOM.
//
// What a worker cannot do, and what we do instead (documented deviations):
// - Promise state cannot be read synchronously: promises always print as
//   `Promise { <pending> }`.
// - Proxies cannot be detected: they are inspected through their traps (a
//   transparent proxy prints like its target, as in Node; a proxy whose traps
//   change values shows the changed values; a Map/Set behind a proxy prints
//   as a plain object; `showProxy`/`%o` cannot print `Proxy [ target,
//   handler ]`). A revoked proxy prints `<Revoked Proxy>`, and any
//   error thrown while inspecting an object prints
//   `<Inspection threw (message)>` instead of propagating.
// - Map/Set iterators cannot be previewed without consuming them: they print
//   `[Map Iterator] { <items unknown> }`, and console.table shows them as
//   empty. WeakMap/WeakSet print `<items unknown>` even with showHidden.
// - Errors thrown by user `[inspect.custom]` methods are shown as
//   `<Inspection threw (message)>` rather than thrown.
// - Colors are not supported (`colors: true` is ignored).
// - Web objects print generically (`Blob {}`), except URL and
//   URLSearchParams which mimic Node's custom output.
// - A null-prototype object made from a class instance prints as
//   `[Object: null prototype]` (V8 keeps the class name internally).
// - Promises are recognised by their prototype chain (no side-effect-free
//   brand check exists), so `Object.create(Promise.prototype)` counts too.
// - Character widths (for column alignment) come from a built-in copy of
//   Node 20's Unicode width data plus the browser's Unicode regexps.
// - Non-V8 stacks (Firefox/Safari `fn@url:1:2`) are rewritten to Node's
//   `Name: message\n    at fn (url:1:2)` shape.

const CUSTOM_INSPECT = Symbol.for('nodejs.util.inspect.custom');

const DEFAULT_OPTIONS = Object.freeze({
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false,
});

const kObjectType = 0;
const kArrayType = 1;
const kArrayExtrasType = 2;
const kMinLineLength = 16;

/* eslint-disable no-control-regex */
const strEscapeSequencesRegExp = /[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const strEscapeSequencesReplacer = /[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const strEscapeSequencesRegExpSingle = /[\x00-\x1f\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const strEscapeSequencesReplacerSingle = /[\x00-\x1f\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/* eslint-enable no-control-regex */

const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const numberRegExp = /^(0|[1-9][0-9]*)$/;
const classRegExp = /^(\s+[^(]*?)\s*{/;
const stripCommentsRegExp = /(\/\/.*?\n)|(\/\*(.|\n)*?\*\/)/g;

// Escapes for control characters, the single quote and the backslash.
const meta = [
  '\\x00', '\\x01', '\\x02', '\\x03', '\\x04', '\\x05', '\\x06', '\\x07',
  '\\b', '\\t', '\\n', '\\x0B', '\\f', '\\r', '\\x0E', '\\x0F',
  '\\x10', '\\x11', '\\x12', '\\x13', '\\x14', '\\x15', '\\x16', '\\x17',
  '\\x18', '\\x19', '\\x1A', '\\x1B', '\\x1C', '\\x1D', '\\x1E', '\\x1F',
  '', '', '', '', '', '', '', "\\'", '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '\\\\', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '\\x7F',
  '\\x80', '\\x81', '\\x82', '\\x83', '\\x84', '\\x85', '\\x86', '\\x87',
  '\\x88', '\\x89', '\\x8A', '\\x8B', '\\x8C', '\\x8D', '\\x8E', '\\x8F',
  '\\x90', '\\x91', '\\x92', '\\x93', '\\x94', '\\x95', '\\x96', '\\x97',
  '\\x98', '\\x99', '\\x9A', '\\x9B', '\\x9C', '\\x9D', '\\x9E', '\\x9F',
];

// ---------------------------------------------------------------------------
// Type detection. Node asks V8 directly; here we use brand checks: built-in
// methods/getters that throw (or return undefined) for the wrong receiver.

const uncurryThis = (fn) => Function.prototype.call.bind(fn);
const getterOf = (proto, key) =>
  uncurryThis(Object.getOwnPropertyDescriptor(proto, key).get);
const objectToString = uncurryThis(Object.prototype.toString);
const hasOwn = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
const isEnumerable = uncurryThis(Object.prototype.propertyIsEnumerable);
const functionToString = uncurryThis(Function.prototype.toString);
const errorToString = uncurryThis(Error.prototype.toString);
const hasInstance = uncurryThis(Function.prototype[Symbol.hasInstance]);
const symbolToString = uncurryThis(Symbol.prototype.toString);

// V8 captures a stack trace for every thrown brand-check error, which makes
// inspecting large structures slow; skip it while probing.
function setStackTraceLimit(limit) {
  try {
    Error.stackTraceLimit = limit;
  } catch {
    // Frozen intrinsics: probing is just slower.
  }
}

function succeeds(check) {
  return (value) => {
    const limit = Error.stackTraceLimit;
    const mute = typeof limit === 'number'; // V8 only
    if (mute) setStackTraceLimit(0);
    try {
      check(value);
      return true;
    } catch {
      return false;
    } finally {
      if (mute) setStackTraceLimit(limit);
    }
  };
}

const mapSize = getterOf(Map.prototype, 'size');
const setSize = getterOf(Set.prototype, 'size');
const mapEntries = uncurryThis(Map.prototype.entries);
const setValues = uncurryThis(Set.prototype.values);
const isMap = succeeds(mapSize);
const isSet = succeeds(setSize);
const isWeakMap = succeeds((v) => WeakMap.prototype.has.call(v, {}));
const isWeakSet = succeeds((v) => WeakSet.prototype.has.call(v, {}));
const dateGetTime = uncurryThis(Date.prototype.getTime);
const isDate = succeeds(dateGetTime);
const arrayBufferByteLength = getterOf(ArrayBuffer.prototype, 'byteLength');
const isArrayBuffer = succeeds(arrayBufferByteLength);
const isSharedArrayBuffer = typeof SharedArrayBuffer === 'function' ?
  succeeds(getterOf(SharedArrayBuffer.prototype, 'byteLength')) :
  () => false;
const isDataView = succeeds(getterOf(DataView.prototype, 'buffer'));

const regExpGlobal = getterOf(RegExp.prototype, 'global');
// The getter returns undefined for RegExp.prototype, which Node also treats
// as a plain object.
function isRegExp(value) {
  try {
    return regExpGlobal(value) !== undefined;
  } catch {
    return false;
  }
}

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = getterOf(TypedArrayPrototype, Symbol.toStringTag);
const typedArrayLength = getterOf(TypedArrayPrototype, 'length');
const isTypedArray = (value) => typedArrayTag(value) !== undefined;

const boxedTypes = [
  ['Number', Number.prototype.valueOf],
  ['String', String.prototype.valueOf],
  ['Boolean', Boolean.prototype.valueOf],
  ['BigInt', typeof BigInt === 'function' ? BigInt.prototype.valueOf : null],
  ['Symbol', Symbol.prototype.valueOf],
].filter(([, fn]) => fn !== null)
  .map(([type, fn]) => ({ type, valueOf: uncurryThis(fn), test: succeeds(uncurryThis(fn)) }));

// Returns { type, valueOf } for boxed primitives, otherwise undefined.
function boxedPrimitiveKind(value) {
  return boxedTypes.find((kind) => kind.test(value));
}

// A worker cannot brand-check promises without side effects (`then` would
// mark a rejected promise as handled), so rely on the prototype chain.
function isPromise(value) {
  try {
    return value instanceof Promise;
  } catch {
    return false;
  }
}

function isNativeError(value) {
  if (typeof Error.isError === 'function') return Error.isError(value);
  // Without Error.isError, the builtin tag is "Error" for objects that have
  // the internal [[ErrorData]] slot (unless a toStringTag overrides it).
  try {
    return objectToString(value) === '[object Error]';
  } catch {
    return false;
  }
}

function isError(value) {
  if (isNativeError(value)) return true;
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

function isArgumentsObject(value) {
  return objectToString(value) === '[object Arguments]';
}

const protoOf = (fn) => Object.getPrototypeOf(fn);
const AsyncFunctionPrototype = protoOf(async function() {});
const GeneratorFunctionPrototype = protoOf(function* () {});
const AsyncGeneratorFunctionPrototype = protoOf(async function* () {});
const MapIteratorPrototype = protoOf(new Map().entries());
const SetIteratorPrototype = protoOf(new Set().values());

function inheritsFrom(value, proto) {
  try {
    return Object.prototype.isPrototypeOf.call(proto, value);
  } catch {
    return false;
  }
}

const isAsyncFunction = (fn) =>
  inheritsFrom(fn, AsyncFunctionPrototype) ||
  inheritsFrom(fn, AsyncGeneratorFunctionPrototype);
const isGeneratorFunction = (fn) =>
  inheritsFrom(fn, GeneratorFunctionPrototype) ||
  inheritsFrom(fn, AsyncGeneratorFunctionPrototype);
const isMapIterator = (value) => inheritsFrom(value, MapIteratorPrototype);
const isSetIterator = (value) => inheritsFrom(value, SetIteratorPrototype);

// Module namespace objects: null prototype, non-extensible, and an own
// non-writable, non-configurable @@toStringTag of "Module".
function isModuleNamespaceObject(value) {
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== null ||
      Object.isExtensible(value)) {
    return false;
  }
  const desc = Object.getOwnPropertyDescriptor(value, Symbol.toStringTag);
  return desc !== undefined && desc.value === 'Module' &&
    !desc.writable && !desc.configurable;
}

const isURL = (value) =>
  typeof URL === 'function' && inheritsFrom(value, URL.prototype);
const isURLSearchParams = (value) =>
  typeof URLSearchParams === 'function' &&
  inheritsFrom(value, URLSearchParams.prototype);

function isStackOverflowError(err) {
  return err !== null && typeof err === 'object' &&
    ((err.name === 'RangeError' &&
      /call stack size/i.test(String(err.message))) ||
     (err.name === 'InternalError' && /too much recursion/.test(err.message)));
}

// Global constructor names, used to tell user classes from built-ins.
const builtInObjects = new Set(
  Object.getOwnPropertyNames(globalThis).filter((e) => /^[A-Z][a-zA-Z0-9]+$/.test(e)),
);

// Approximates V8's internal constructor name, only needed for objects whose
// prototype chain has no usable `constructor`.
function internalConstructorName(value) {
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'function') return 'Function';
  const tag = isTypedArray(value) ? typedArrayTag(value) : undefined;
  if (tag !== undefined) return tag;
  const checks = [
    [isMap, 'Map'], [isSet, 'Set'], [isWeakMap, 'WeakMap'],
    [isWeakSet, 'WeakSet'], [isDate, 'Date'], [isRegExp, 'RegExp'],
    [isArrayBuffer, 'ArrayBuffer'], [isDataView, 'DataView'],
    [isNativeError, 'Error'],
  ];
  for (const [check, name] of checks) {
    if (check(value)) return name;
  }
  const boxed = boxedPrimitiveKind(value);
  return boxed !== undefined ? boxed.type : 'Object';
}

// ---------------------------------------------------------------------------
// String width (used for grouping array columns and console.table). Mirrors
// Node's ICU-based width: East Asian Wide/Fullwidth and emoji take two
// columns, control/format/combining characters take none.

// East_Asian_Width W/F ranges (not exposed by JS regexps), generated from
// Node 20's ICU; emoji presentation characters are matched separately.
const WIDE_RANGES = [
  0x1100, 0x115f, 0x2630, 0x2637, 0x268a, 0x268f, 0x2e80, 0x2e99,
  0x2e9b, 0x2ef3, 0x2f00, 0x2fd5, 0x2ff0, 0x303e, 0x3041, 0x3096,
  0x3099, 0x30ff, 0x3105, 0x312f, 0x3131, 0x318e, 0x3190, 0x31e5,
  0x31ef, 0x321e, 0x3220, 0x3247, 0x3250, 0xa48c, 0xa490, 0xa4c6,
  0xa960, 0xa97c, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19,
  0xfe30, 0xfe52, 0xfe54, 0xfe66, 0xfe68, 0xfe6b, 0xff01, 0xff60,
  0xffe0, 0xffe6, 0x16fe0, 0x16fe4, 0x16ff0, 0x16ff6, 0x17000, 0x18cd5,
  0x18cff, 0x18d1e, 0x18d80, 0x18df2, 0x1aff0, 0x1aff3, 0x1aff5, 0x1affb,
  0x1affd, 0x1affe, 0x1b000, 0x1b122, 0x1b132, 0x1b132, 0x1b150, 0x1b152,
  0x1b155, 0x1b155, 0x1b164, 0x1b167, 0x1b170, 0x1b2fb, 0x1d300, 0x1d356,
  0x1d360, 0x1d376, 0x1f200, 0x1f202, 0x1f210, 0x1f23b, 0x1f240, 0x1f248,
  0x1f260, 0x1f265, 0x20000, 0x2fffd, 0x30000, 0x3fffd,
];
const emojiPresentationRegExp = /\p{Emoji_Presentation}/u;
const zeroWidthRegExp = /[\p{Cc}\p{Cf}\p{Me}\p{Mn}\p{Emoji_Modifier}]/u;

function isWideCodePoint(code) {
  for (let i = 0; i < WIDE_RANGES.length; i += 2) {
    if (code < WIDE_RANGES[i]) return false;
    if (code <= WIDE_RANGES[i + 1]) return true;
  }
  return false;
}

function charWidth(char) {
  const code = char.codePointAt(0);
  // Fast path: below U+0300 only the C1 controls are zero-width.
  if (code < 0x300) return code >= 0x7f && code <= 0x9f ? 0 : 1;
  if (isWideCodePoint(code) || emojiPresentationRegExp.test(char)) return 2;
  if (code !== 0xad && zeroWidthRegExp.test(char)) return 0;
  return 1;
}

// Matches ANSI escape sequences (from chalk/ansi-regex, MIT, as in Node).
const ansi = new RegExp(
  '[\\u001B\\u009B][[\\]()#;?]*' +
  '(?:(?:(?:(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]+)*' +
  '|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]*)*)?' +
  '(?:\\u0007|\\u001B\\u005C|\\u009C))' +
  '|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?' +
  '[\\dA-PR-TZcf-nq-uy=><~]))', 'g',
);

function getStringWidth(str, removeControlChars = true) {
  if (removeControlChars) str = str.replace(ansi, '');
  let width = 0;
  for (let i = 0; i < str.length; i++) {
    const code = str.charCodeAt(i);
    if (code >= 127) {
      // Like Node: only the non-ASCII tail is normalized and measured.
      for (const char of str.slice(i).normalize('NFC')) width += charWidth(char);
      break;
    }
    width += code >= 32 ? 1 : 0;
  }
  return width;
}

// ---------------------------------------------------------------------------
// Public entry points.

function stylizeNoColor(str) {
  return str;
}

/**
 * Formats any value like Node's util.inspect (Node 20 defaults).
 * @param {*} value
 * @param {object|boolean} [opts] inspect options (or legacy showHidden)
 * @returns {string}
 */
export function inspect(value, opts) {
  const ctx = {
    budget: {},
    indentationLvl: 0,
    seen: [],
    currentDepth: 0,
    stylize: stylizeNoColor,
    ...DEFAULT_OPTIONS,
  };
  if (arguments.length > 1) {
    // Legacy signature: inspect(value, showHidden, depth, colors).
    if (arguments.length > 2 && arguments[2] !== undefined) {
      ctx.depth = arguments[2];
    }
    if (typeof opts === 'boolean') {
      ctx.showHidden = opts;
    } else if (opts) {
      for (const key of Object.keys(opts)) {
        if (hasOwn(DEFAULT_OPTIONS, key) || key === 'stylize') {
          ctx[key] = opts[key];
        } else if (ctx.userOptions === undefined) {
          ctx.userOptions = opts;
        }
      }
    }
  }
  ctx.colors = false; // Not supported: chat output is plain text.
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0);
}
inspect.custom = CUSTOM_INSPECT;
inspect.defaultOptions = DEFAULT_OPTIONS;

// Options handed to user-defined [inspect.custom] methods.
function getUserOptions(ctx) {
  const ret = { stylize: ctx.stylize };
  for (const key of Object.keys(DEFAULT_OPTIONS)) ret[key] = ctx[key];
  return { ...ret, ...ctx.userOptions };
}

// ---------------------------------------------------------------------------
// Primitives.

function addQuotes(str, quotes) {
  if (quotes === -1) return `"${str}"`;
  if (quotes === -2) return `\`${str}\``;
  return `'${str}'`;
}

function escapeFn(str) {
  const charCode = str.charCodeAt(0);
  return meta.length > charCode ? meta[charCode] : `\\u${charCode.toString(16)}`;
}

// Quote a string like Node: prefer ', then ", then ` (escaping as needed).
function strEscape(str) {
  let escapeTest = strEscapeSequencesRegExp;
  let escapeReplace = strEscapeSequencesReplacer;
  let singleQuote = 39;
  if (str.includes("'")) {
    if (!str.includes('"')) {
      singleQuote = -1;
    } else if (!str.includes('`') && !str.includes('${')) {
      singleQuote = -2;
    }
    if (singleQuote !== 39) {
      escapeTest = strEscapeSequencesRegExpSingle;
      escapeReplace = strEscapeSequencesReplacerSingle;
    }
  }
  if (str.length < 5000 && !escapeTest.test(str)) return addQuotes(str, singleQuote);
  if (str.length > 100) {
    return addQuotes(str.replace(escapeReplace, escapeFn), singleQuote);
  }
  let result = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const point = str.charCodeAt(i);
    if (point === singleQuote || point === 92 || point < 32 ||
        (point > 126 && point < 160)) {
      result += str.slice(last, i) + meta[point];
      last = i + 1;
    } else if (point >= 0xd800 && point <= 0xdfff) {
      if (point <= 0xdbff && i + 1 < str.length) {
        const next = str.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++;
          continue;
        }
      }
      result += `${str.slice(last, i)}\\u${point.toString(16)}`;
      last = i + 1;
    }
  }
  if (last !== str.length) result += str.slice(last);
  return addQuotes(result, singleQuote);
}

function addNumericSeparator(integerString) {
  let result = '';
  let i = integerString.length;
  const start = integerString[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) {
    result = `_${integerString.slice(i - 3, i)}${result}`;
  }
  return i === integerString.length ? integerString : `${integerString.slice(0, i)}${result}`;
}

function addNumericSeparatorEnd(integerString) {
  let result = '';
  let i = 0;
  for (; i < integerString.length - 3; i += 3) {
    result += `${integerString.slice(i, i + 3)}_`;
  }
  return i === 0 ? integerString : `${result}${integerString.slice(i)}`;
}

const remainingText = (remaining) => `... ${remaining} more item${remaining > 1 ? 's' : ''}`;

function formatNumber(fn, number, numericSeparator) {
  if (!numericSeparator) {
    // `${-0}` is "0"; Node shows the sign.
    return fn(Object.is(number, -0) ? '-0' : `${number}`, 'number');
  }
  const numberString = String(number);
  if (Math.trunc(number) === number) {
    if (!Number.isFinite(number) || numberString.includes('e')) {
      return fn(numberString, 'number');
    }
    return fn(addNumericSeparator(numberString), 'number');
  }
  if (Number.isNaN(number)) return fn(numberString, 'number');
  const decimalIndex = numberString.indexOf('.');
  const integerPart = numberString.slice(0, decimalIndex);
  const fractionalPart = numberString.slice(decimalIndex + 1);
  return fn(`${addNumericSeparator(integerPart)}.${addNumericSeparatorEnd(fractionalPart)}`, 'number');
}

function formatBigInt(fn, bigint, numericSeparator) {
  const string = String(bigint);
  return fn(`${numericSeparator ? addNumericSeparator(string) : string}n`, 'bigint');
}

function formatString(fn, value, ctx) {
  let trailer = '';
  if (value.length > ctx.maxStringLength) {
    const remaining = value.length - ctx.maxStringLength;
    value = value.slice(0, ctx.maxStringLength);
    trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
  }
  // Long strings are split at line breaks into concatenated pieces.
  if (ctx.compact !== true && value.length > kMinLineLength &&
      value.length > ctx.breakLength - ctx.indentationLvl - 4) {
    return value.split(/(?<=\n)/)
      .map((line) => fn(strEscape(line), 'string'))
      .join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer;
  }
  return fn(strEscape(value), 'string') + trailer;
}

function formatPrimitive(fn, value, ctx) {
  switch (typeof value) {
    case 'string': return formatString(fn, value, ctx);
    case 'number': return formatNumber(fn, value, ctx.numericSeparator);
    case 'bigint': return formatBigInt(fn, value, ctx.numericSeparator);
    case 'boolean': return fn(`${value}`, 'boolean');
    case 'undefined': return fn('undefined', 'undefined');
    default: return fn(symbolToString(value), 'symbol');
  }
}

// ---------------------------------------------------------------------------
// Objects.

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== 'object' && typeof value !== 'function') {
    return formatPrimitive(ctx.stylize, value, ctx);
  }
  if (value === null) return ctx.stylize('null', 'null');

  // Node reads proxy targets without running traps; a worker cannot, so a
  // throwing trap (or a revoked proxy) must not break console output.
  const seenLength = ctx.seen.length;
  const indentationLvl = ctx.indentationLvl;
  try {
    return formatObject(ctx, value, recurseTimes, typedArray);
  } catch (err) {
    if (isStackOverflowError(err)) throw err;
    ctx.seen.length = seenLength;
    ctx.indentationLvl = indentationLvl;
    return ctx.stylize(describeInspectionError(err), 'special');
  }
}

function describeInspectionError(err) {
  let message;
  try {
    message = err instanceof Error ? err.message : String(err);
  } catch {
    message = 'unknown error';
  }
  if (err instanceof TypeError && /revoked/i.test(message)) return '<Revoked Proxy>';
  return `<Inspection threw (${message})>`;
}

function formatObject(ctx, value, recurseTimes, typedArray) {
  if (ctx.customInspect) {
    const custom = callCustomInspect(ctx, value, recurseTimes);
    if (custom !== undefined) return custom;
  }
  if (ctx.seen.includes(value)) {
    let index = 1;
    if (ctx.circular === undefined) {
      ctx.circular = new Map();
      ctx.circular.set(value, index);
    } else {
      index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
    }
    return ctx.stylize(`[Circular *${index}]`, 'special');
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

// Runs a `[Symbol.for('nodejs.util.inspect.custom')]` method (user-defined,
// or our stand-ins for Node's URL classes). Returns undefined to fall through.
function callCustomInspect(ctx, value, recurseTimes) {
  let maybeCustom = value[CUSTOM_INSPECT];
  if (maybeCustom === undefined) maybeCustom = webInspector(value);
  if (typeof maybeCustom !== 'function' || maybeCustom === inspect ||
      (value.constructor && value.constructor.prototype === value)) {
    return undefined;
  }
  const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
  const ret = maybeCustom.call(value, depth, getUserOptions(ctx), inspect);
  if (ret === value) return undefined;
  if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
  return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
}

// Well-known prototypes whose `constructor` may have been tampered with.
const wellKnownPrototypes = new Map([
  [Object.prototype, { name: 'Object', constructor: Object }],
  [Function.prototype, { name: 'Function', constructor: Function }],
]);

function isInstanceof(object, proto) {
  try {
    return object instanceof proto;
  } catch {
    return false;
  }
}

function getConstructorName(obj, ctx, recurseTimes, protoProps) {
  let firstProto;
  const tmp = obj;
  while (obj) {
    const known = wellKnownPrototypes.get(obj);
    if (known !== undefined && hasInstance(known.constructor, tmp)) {
      if (protoProps !== undefined && firstProto !== obj) {
        addPrototypeProperties(ctx, tmp, firstProto || tmp, recurseTimes, protoProps);
      }
      return known.name;
    }
    const descriptor = Object.getOwnPropertyDescriptor(obj, 'constructor');
    if (descriptor !== undefined && typeof descriptor.value === 'function' &&
        descriptor.value.name !== '' && isInstanceof(tmp, descriptor.value)) {
      if (protoProps !== undefined &&
          (firstProto !== obj || !builtInObjects.has(descriptor.value.name))) {
        addPrototypeProperties(ctx, tmp, firstProto || tmp, recurseTimes, protoProps);
      }
      return String(descriptor.value.name);
    }
    obj = Object.getPrototypeOf(obj);
    if (firstProto === undefined) firstProto = obj;
  }
  if (firstProto === null) return null;

  const res = internalConstructorName(tmp);
  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    return `${res} <Complex prototype>`;
  }
  const protoConstr = getConstructorName(firstProto, ctx, recurseTimes + 1, protoProps);
  if (protoConstr === null) {
    const protoText = inspect(firstProto, { ...getUserOptions(ctx), customInspect: false, depth: -1 });
    return `${res} <${protoText}>`;
  }
  return `${res} <${protoConstr}>`;
}

// With showHidden, user-defined prototype properties (not methods) are shown
// too, up to three prototype levels deep.
function addPrototypeProperties(ctx, main, obj, recurseTimes, output) {
  let depth = 0;
  let keys;
  let keySet;
  do {
    if (depth !== 0 || main === obj) {
      obj = Object.getPrototypeOf(obj);
      if (obj === null) return;
      const descriptor = Object.getOwnPropertyDescriptor(obj, 'constructor');
      if (descriptor !== undefined && typeof descriptor.value === 'function' &&
          builtInObjects.has(descriptor.value.name)) {
        return;
      }
    }
    if (depth === 0) {
      keySet = new Set();
    } else {
      keys.forEach((key) => keySet.add(key));
    }
    keys = Reflect.ownKeys(obj);
    ctx.seen.push(main);
    for (const key of keys) {
      if (key === 'constructor' || hasOwn(main, key) || (depth !== 0 && keySet.has(key))) {
        continue;
      }
      const desc = Object.getOwnPropertyDescriptor(obj, key);
      if (typeof desc.value === 'function') continue;
      output.push(formatProperty(ctx, obj, recurseTimes, key, kObjectType, desc, main));
    }
    ctx.seen.pop();
  } while (++depth !== 3);
}

function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) {
      return `[${fallback}${size}: null prototype] [${tag}] `;
    }
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) {
    return `${constructor}${size} [${tag}] `;
  }
  return `${constructor}${size} `;
}

function getKeys(value, showHidden) {
  let keys;
  const symbols = Object.getOwnPropertySymbols(value);
  if (showHidden) {
    keys = Object.getOwnPropertyNames(value);
    if (symbols.length !== 0) keys.push(...symbols);
  } else {
    try {
      keys = Object.keys(value);
    } catch (err) {
      // Namespace objects with uninitialized (TDZ) bindings throw here.
      if (!isModuleNamespaceObject(value)) throw err;
      keys = Object.getOwnPropertyNames(value);
    }
    if (symbols.length !== 0) {
      keys.push(...symbols.filter((key) => isEnumerable(value, key)));
    }
  }
  return keys;
}

const isArrayIndex = (key) => numberRegExp.test(key) && Number(key) < 2 ** 32 - 1;

// Own keys of an array-like except its indices (what V8 provides to Node).
function getOwnNonIndexProperties(value, showHidden) {
  const names = showHidden ? Object.getOwnPropertyNames(value) : Object.keys(value);
  const keys = names.filter((key) => !isArrayIndex(key));
  for (const symbol of Object.getOwnPropertySymbols(value)) {
    if (showHidden || isEnumerable(value, symbol)) keys.push(symbol);
  }
  return keys;
}

function getCtxStyle(value, constructor, tag) {
  let fallback = '';
  if (constructor === null) {
    fallback = internalConstructorName(value);
    if (fallback === tag) fallback = 'Object';
  }
  return getPrefix(constructor, tag, fallback);
}

// Only list the @@toStringTag if it is inherited / hidden; own enumerable
// tags are printed as ordinary keys.
function getTag(ctx, value) {
  const tag = value[Symbol.toStringTag];
  if (typeof tag !== 'string' ||
      (tag !== '' && (ctx.showHidden ? hasOwn : isEnumerable)(value, Symbol.toStringTag))) {
    return '';
  }
  return tag;
}

const isBeyondDepth = (ctx, recurseTimes) => recurseTimes > ctx.depth && ctx.depth !== null;

function formatRaw(ctx, value, recurseTimes, typedArray) {
  let protoProps;
  if (ctx.showHidden && !isBeyondDepth(ctx, recurseTimes)) protoProps = [];
  const constructor = getConstructorName(value, ctx, recurseTimes, protoProps);
  if (protoProps !== undefined && protoProps.length === 0) protoProps = undefined;
  const tag = getTag(ctx, value);
  const state = {
    value, constructor, tag, protoProps, recurseTimes, typedArray,
    keys: undefined,
    base: '',
    braces: undefined,
    formatter: () => [],
    extrasType: kObjectType,
  };

  // Each describe* returns a finished string for short cases, or fills in
  // `state` for the generic brace formatting below.
  let done;
  if (Symbol.iterator in value || constructor === null) {
    done = describeIterable(ctx, state);
  }
  if (done === undefined && state.braces === undefined) {
    done = describeNonIterable(ctx, state);
  }
  if (done !== undefined) return done;

  if (isBeyondDepth(ctx, recurseTimes)) {
    let constructorName = getCtxStyle(value, constructor, tag).slice(0, -1);
    if (constructor !== null) constructorName = `[${constructorName}]`;
    return ctx.stylize(constructorName, 'special');
  }
  return formatEntries(ctx, state, recurseTimes + 1);
}

function formatEntries(ctx, state, recurseTimes) {
  const { value, keys, braces, extrasType, protoProps } = state;
  let { base } = state;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  const indentationLvl = ctx.indentationLvl;
  try {
    output = state.formatter(ctx, value, recurseTimes);
    for (const key of keys) {
      output.push(formatProperty(ctx, value, recurseTimes, key, extrasType));
    }
    if (protoProps !== undefined) output.push(...protoProps);
  } catch (err) {
    if (!isStackOverflowError(err)) throw err;
    const constructorName = getCtxStyle(value, state.constructor, state.tag).slice(0, -1);
    ctx.seen.pop();
    ctx.indentationLvl = indentationLvl;
    return ctx.stylize(`[${constructorName}: Inspection interrupted prematurely. ` +
      'Maximum call stack size exceeded.]', 'special');
  }
  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) {
      const reference = ctx.stylize(`<ref *${index}>`, 'special');
      if (ctx.compact !== true) {
        base = base === '' ? reference : `${reference} ${base}`;
      } else {
        braces[0] = `${reference} ${braces[0]}`;
      }
    }
  }
  ctx.seen.pop();
  if (ctx.sorted) sortOutput(ctx, output, keys, extrasType);

  const res = reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  // Stop expanding once huge amounts of output were produced.
  const newLength = (ctx.budget[ctx.indentationLvl] || 0) + res.length;
  ctx.budget[ctx.indentationLvl] = newLength;
  if (newLength > 2 ** 27) ctx.depth = -1;
  return res;
}

function sortOutput(ctx, output, keys, extrasType) {
  const comparator = ctx.sorted === true ? undefined : ctx.sorted;
  if (extrasType === kObjectType) {
    output.sort(comparator);
  } else if (keys.length > 1) {
    const sorted = output.slice(output.length - keys.length).sort(comparator);
    output.splice(output.length - keys.length, keys.length, ...sorted);
  }
}

// Arrays, Sets, Maps, typed arrays and collection iterators.
function describeIterable(ctx, state) {
  const { value, constructor, tag, protoProps } = state;
  if (Array.isArray(value)) {
    const prefix = (constructor !== 'Array' || tag !== '') ?
      getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
    state.keys = getOwnNonIndexProperties(value, ctx.showHidden);
    state.braces = [`${prefix}[`, ']'];
    if (value.length === 0 && state.keys.length === 0 && protoProps === undefined) {
      return `${prefix}[]`;
    }
    state.extrasType = kArrayExtrasType;
    state.formatter = formatArray;
  } else if (isSet(value)) {
    const size = setSize(value);
    const prefix = getPrefix(constructor, tag, 'Set', `(${size})`);
    state.keys = getKeys(value, ctx.showHidden);
    state.formatter = (c, v, r) => formatSet(c, setValues(value), size, r);
    if (size === 0 && state.keys.length === 0 && protoProps === undefined) return `${prefix}{}`;
    state.braces = [`${prefix}{`, '}'];
  } else if (isMap(value)) {
    const size = mapSize(value);
    const prefix = getPrefix(constructor, tag, 'Map', `(${size})`);
    state.keys = getKeys(value, ctx.showHidden);
    state.formatter = (c, v, r) => formatMap(c, mapEntries(value), size, r);
    if (size === 0 && state.keys.length === 0 && protoProps === undefined) return `${prefix}{}`;
    state.braces = [`${prefix}{`, '}'];
  } else if (isTypedArray(value)) {
    return describeTypedArray(ctx, state);
  } else if (isMapIterator(value) || isSetIterator(value)) {
    state.keys = getKeys(value, ctx.showHidden);
    state.braces = getIteratorBraces(isMapIterator(value) ? 'Map' : 'Set', tag);
    // Previewing would consume the iterator; Node peeks via V8 internals.
    state.formatter = formatWeakCollection;
  }
  return undefined;
}

function describeTypedArray(ctx, state) {
  const { value, constructor, tag } = state;
  state.keys = getOwnNonIndexProperties(value, ctx.showHidden);
  let bound = value;
  let fallback = '';
  if (constructor === null) {
    fallback = typedArrayTag(value);
    bound = new globalThis[fallback](value);
  }
  const size = typedArrayLength(value);
  const prefix = getPrefix(constructor, tag, fallback, `(${size})`);
  state.braces = [`${prefix}[`, ']'];
  if (size === 0 && state.keys.length === 0 && !ctx.showHidden) return `${prefix}[]`;
  state.formatter = (c, v, r) => formatTypedArray(bound, size, c, r);
  state.extrasType = kArrayExtrasType;
  return undefined;
}

function getIteratorBraces(type, tag) {
  if (tag !== `${type} Iterator`) {
    if (tag !== '') tag += '] [';
    tag += `${type} Iterator`;
  }
  return [`[${tag}] {`, '}'];
}

// Everything that is printed with `{ ... }` braces.
function describeNonIterable(ctx, state) {
  const { value, constructor, tag, protoProps, recurseTimes } = state;
  const keys = state.keys = getKeys(value, ctx.showHidden);
  const braces = state.braces = ['{', '}'];
  const noExtras = keys.length === 0 && protoProps === undefined;
  if (typeof value === 'function') {
    state.base = getFunctionBase(value, constructor, tag);
    return noExtras ? ctx.stylize(state.base, 'special') : undefined;
  }
  if (constructor === 'Object') {
    if (isArgumentsObject(value)) {
      braces[0] = '[Arguments] {';
    } else if (tag !== '') {
      braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
    }
    return noExtras ? `${braces[0]}}` : undefined;
  }
  if (isRegExp(value)) {
    let base = RegExp.prototype.toString.call(constructor !== null ? value : new RegExp(value));
    const prefix = getPrefix(constructor, tag, 'RegExp');
    if (prefix !== 'RegExp ') base = `${prefix}${base}`;
    state.base = base;
    return (noExtras || isBeyondDepth(ctx, recurseTimes)) ? ctx.stylize(base, 'regexp') : undefined;
  }
  if (isDate(value)) {
    let base = Number.isNaN(dateGetTime(value)) ?
      Date.prototype.toString.call(value) :
      Date.prototype.toISOString.call(value);
    const prefix = getPrefix(constructor, tag, 'Date');
    if (prefix !== 'Date ') base = `${prefix}${base}`;
    state.base = base;
    return noExtras ? ctx.stylize(base, 'date') : undefined;
  }
  if (isError(value)) {
    state.base = formatError(value, constructor, tag, ctx, keys);
    return keys.length === 0 && protoProps === undefined ? state.base : undefined;
  }
  return describeOtherObject(ctx, state);
}

function describeOtherObject(ctx, state) {
  const { value, constructor, tag, keys, braces, protoProps, recurseTimes } = state;
  const noExtras = keys.length === 0 && protoProps === undefined;
  if (isArrayBuffer(value) || isSharedArrayBuffer(value)) {
    const arrayType = isArrayBuffer(value) ? 'ArrayBuffer' : 'SharedArrayBuffer';
    const prefix = getPrefix(constructor, tag, arrayType);
    if (state.typedArray === undefined) {
      state.formatter = formatArrayBuffer;
    } else if (noExtras) {
      return `${prefix}{ byteLength: ${formatNumber(ctx.stylize, value.byteLength, false)} }`;
    }
    braces[0] = `${prefix}{`;
    keys.unshift('byteLength');
  } else if (isDataView(value)) {
    braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
    keys.unshift('byteLength', 'byteOffset', 'buffer');
  } else if (isPromise(value)) {
    braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
    state.formatter = formatPromise;
  } else if (isWeakSet(value)) {
    braces[0] = `${getPrefix(constructor, tag, 'WeakSet')}{`;
    state.formatter = formatWeakCollection;
  } else if (isWeakMap(value)) {
    braces[0] = `${getPrefix(constructor, tag, 'WeakMap')}{`;
    state.formatter = formatWeakCollection;
  } else if (isModuleNamespaceObject(value)) {
    braces[0] = `${getPrefix(constructor, tag, 'Module')}{`;
    state.formatter = (c, v, r) => formatNamespaceObject(keys, c, v, r);
  } else if (boxedPrimitiveKind(value) !== undefined) {
    state.base = getBoxedBase(value, ctx, keys, constructor, tag);
    return keys.length === 0 && protoProps === undefined ? state.base : undefined;
  } else if (isURL(value) && !isBeyondDepth(ctx, recurseTimes)) {
    state.base = value.href;
    return noExtras ? state.base : undefined;
  } else {
    if (noExtras) return `${getCtxStyle(value, constructor, tag)}{}`;
    braces[0] = `${getCtxStyle(value, constructor, tag)}{`;
  }
  return undefined;
}

function getBoxedBase(value, ctx, keys, constructor, tag) {
  const { type, valueOf } = boxedPrimitiveKind(value);
  if (type === 'String') {
    // Drop the redundant indexed characters of boxed strings.
    keys.splice(0, value.length);
  }
  let base = `[${type}`;
  if (type !== constructor) {
    base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
  }
  base += `: ${formatPrimitive(stylizeNoColor, valueOf(value), ctx)}]`;
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
  if (keys.length !== 0 || ctx.stylize === stylizeNoColor) return base;
  return ctx.stylize(base, type.toLowerCase());
}

function getClassBase(value, constructor, tag) {
  const name = (hasOwn(value, 'name') && value.name) || '(anonymous)';
  let base = `class ${name}`;
  if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  if (constructor !== null) {
    const superName = Object.getPrototypeOf(value).name;
    if (superName) base += ` extends ${superName}`;
  } else {
    base += ' extends [null prototype]';
  }
  return `[${base}]`;
}

function looksLikeClass(value) {
  const stringified = functionToString(value);
  if (!stringified.startsWith('class') || !stringified.endsWith('}')) return false;
  const slice = stringified.slice(5, -1);
  const bracketIndex = slice.indexOf('{');
  return bracketIndex !== -1 &&
    (!slice.slice(0, bracketIndex).includes('(') ||
     classRegExp.test(slice.replace(stripCommentsRegExp, '')));
}

function getFunctionBase(value, constructor, tag) {
  if (looksLikeClass(value)) return getClassBase(value, constructor, tag);
  let type = 'Function';
  if (isGeneratorFunction(value)) type = `Generator${type}`;
  if (isAsyncFunction(value)) type = `Async${type}`;
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  base += value.name === '' ? ' (anonymous)' : `: ${value.name}`;
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

// ---------------------------------------------------------------------------
// Errors.

function identicalSequenceRange(a, b) {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = b.indexOf(a[i]);
    if (pos !== -1) {
      const rest = b.length - pos;
      if (rest > 3) {
        let len = 1;
        const maxLen = Math.min(a.length - i, rest);
        while (maxLen > len && a[i + len] === b[pos + len]) len++;
        if (len > 3) return { len, offset: i };
      }
    }
  }
  return { len: 0, offset: 0 };
}

// SpiderMonkey/JavaScriptCore frames look like `fn@url:1:2`; V8 (and Node)
// print `Name: message` followed by `    at fn (url:1:2)` lines.
const foreignFrameRegExp = /^(.*?)@(.*:\d+:\d+)$/;

function normalizeForeignStack(error, stack) {
  if (/^ {4}at /m.test(stack)) return stack;
  const lines = stack.split('\n').filter((line) => line !== '');
  if (lines.length === 0 || !lines.every((line) => foreignFrameRegExp.test(line))) {
    return stack;
  }
  const frames = lines.map((line) => {
    const [, fn, location] = foreignFrameRegExp.exec(line);
    return fn === '' ? `    at ${location}` : `    at ${fn} (${location})`;
  });
  return [errorToString(error), ...frames].join('\n');
}

function getStackString(error) {
  if (!error.stack) return errorToString(error);
  const stack = String(error.stack);
  return typeof error.stack === 'string' ? normalizeForeignStack(error, stack) : stack;
}

function getStackFrames(ctx, err, stack) {
  const frames = stack.split('\n');
  let cause;
  try {
    ({ cause } = err);
  } catch {
    // A throwing `cause` getter is ignored, like in Node.
  }
  // Collapse frames that repeat the cause's stack trace.
  if (cause != null && isError(cause)) {
    const causeStack = getStackString(cause);
    const causeStackStart = causeStack.indexOf('\n    at');
    if (causeStackStart !== -1) {
      const causeFrames = causeStack.slice(causeStackStart + 1).split('\n');
      const { len, offset } = identicalSequenceRange(frames, causeFrames);
      if (len > 0) {
        const skipped = len - 2;
        const msg = `    ... ${skipped} lines matching cause stack trace ...`;
        frames.splice(offset + 1, skipped, ctx.stylize(msg, 'undefined'));
      }
    }
  }
  return frames;
}

// Make the first line name the actual class, e.g. `TypeError [Foo]`.
function improveStack(stack, constructor, name, tag) {
  let len = name.length;
  if (constructor === null ||
      (name.endsWith('Error') && stack.startsWith(name) &&
       (stack.length === len || stack[len] === ':' || stack[len] === '\n'))) {
    let fallback = 'Error';
    if (constructor === null) {
      const start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n {4}at)/.exec(stack) ||
        /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
      fallback = (start && start[1]) || '';
      len = fallback.length;
      fallback = fallback || 'Error';
    }
    const prefix = getPrefix(constructor, tag, fallback).slice(0, -1);
    if (name !== prefix) {
      if (prefix.includes(name)) {
        stack = len === 0 ? `${prefix}: ${stack}` : `${prefix}${stack.slice(len)}`;
      } else {
        stack = `${prefix} [${name}]${stack.slice(len)}`;
      }
    }
  }
  return stack;
}

function removeDuplicateErrorKeys(ctx, keys, err, stack) {
  if (!ctx.showHidden && keys.length !== 0) {
    for (const name of ['name', 'message', 'stack']) {
      const index = keys.indexOf(name);
      // Only hide the property in case it's part of the original stack.
      if (index !== -1 && stack.includes(err[name])) keys.splice(index, 1);
    }
  }
}

function formatError(err, constructor, tag, ctx, keys) {
  const name = err.name != null ? String(err.name) : 'Error';
  let stack = getStackString(err);
  removeDuplicateErrorKeys(ctx, keys, err, stack);
  if ('cause' in err && (keys.length === 0 || !keys.includes('cause'))) {
    keys.push('cause');
  }
  // Show the errors of an AggregateError.
  if (Array.isArray(err.errors) && (keys.length === 0 || !keys.includes('errors'))) {
    keys.push('errors');
  }
  stack = improveStack(stack, constructor, name, tag);

  // Ignore the error message if it's contained in the stack.
  let pos = (err.message && stack.indexOf(err.message)) || -1;
  if (pos !== -1) pos += err.message.length;
  const stackStart = stack.indexOf('\n    at', pos);
  if (stackStart === -1) {
    // No stack trace: wrap in brackets.
    stack = `[${stack}]`;
  } else {
    const lines = getStackFrames(ctx, err, stack.slice(stackStart + 1));
    stack = `${stack.slice(0, stackStart)}\n${lines.join('\n')}`;
  }
  if (ctx.indentationLvl !== 0) {
    stack = stack.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
  }
  return stack;
}

// ---------------------------------------------------------------------------
// Entry formatters: each returns the list of formatted entries.

// Sparse arrays and arrays with extra keys.
function formatSpecialArray(ctx, value, recurseTimes, maxLength, output, i) {
  const keys = Object.keys(value);
  let index = i;
  for (; i < keys.length && output.length < maxLength; i++) {
    const key = keys[i];
    const tmp = +key;
    if (tmp > 2 ** 32 - 2) break;
    if (`${index}` !== key) {
      if (!numberRegExp.test(key)) break;
      const emptyItems = tmp - index;
      output.push(ctx.stylize(`<${emptyItems} empty item${emptyItems > 1 ? 's' : ''}>`, 'undefined'));
      index = tmp;
      if (output.length === maxLength) break;
    }
    output.push(formatProperty(ctx, value, recurseTimes, key, kArrayType));
    index++;
  }
  const remaining = value.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) {
      output.push(ctx.stylize(`<${remaining} empty item${remaining > 1 ? 's' : ''}>`, 'undefined'));
    }
  } else if (remaining > 0) {
    output.push(remainingText(remaining));
  }
  return output;
}

function formatArray(ctx, value, recurseTimes) {
  const valLen = value.length;
  const len = Math.min(Math.max(0, ctx.maxArrayLength), valLen);
  const remaining = valLen - len;
  const output = [];
  for (let i = 0; i < len; i++) {
    if (!hasOwn(value, i)) {
      return formatSpecialArray(ctx, value, recurseTimes, len, output, i);
    }
    output.push(formatProperty(ctx, value, recurseTimes, i, kArrayType));
  }
  if (remaining > 0) output.push(remainingText(remaining));
  return output;
}

function hexBytes(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

function formatArrayBuffer(ctx, value) {
  let buffer;
  try {
    buffer = new Uint8Array(value);
  } catch {
    return [ctx.stylize('(detached)', 'special')];
  }
  let str = hexBytes(buffer.subarray(0, Math.min(ctx.maxArrayLength, buffer.length)));
  const remaining = buffer.length - ctx.maxArrayLength;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`${ctx.stylize('[Uint8Contents]', 'special')}: <${str}>`];
}

function formatTypedArray(value, length, ctx, recurseTimes) {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const remaining = value.length - maxLength;
  const output = new Array(maxLength);
  const elementFormatter = value.length > 0 && typeof value[0] === 'number' ?
    formatNumber : formatBigInt;
  for (let i = 0; i < maxLength; ++i) {
    output[i] = elementFormatter(ctx.stylize, value[i], ctx.numericSeparator);
  }
  if (remaining > 0) output[maxLength] = remainingText(remaining);
  if (ctx.showHidden) {
    ctx.indentationLvl += 2;
    for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer']) {
      const str = formatValue(ctx, value[key], recurseTimes, true);
      output.push(`[${key}]: ${str}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}

function formatSet(ctx, iterator, size, recurseTimes) {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), size);
  const output = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const v of iterator) {
    if (i >= maxLength) break;
    output.push(formatValue(ctx, v, recurseTimes));
    i++;
  }
  if (size - maxLength > 0) output.push(remainingText(size - maxLength));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx, iterator, size, recurseTimes) {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), size);
  const output = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const [k, v] of iterator) {
    if (i >= maxLength) break;
    output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
    i++;
  }
  if (size - maxLength > 0) output.push(remainingText(size - maxLength));
  ctx.indentationLvl -= 2;
  return output;
}

function formatWeakCollection(ctx) {
  return [ctx.stylize('<items unknown>', 'special')];
}

// The state of a promise is not observable synchronously in JavaScript.
function formatPromise(ctx) {
  return [ctx.stylize('<pending>', 'special')];
}

function formatNamespaceObject(keys, ctx, value, recurseTimes) {
  const output = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    try {
      output[i] = formatProperty(ctx, value, recurseTimes, keys[i], kObjectType);
    } catch (err) {
      if (!(err instanceof ReferenceError)) throw err;
      // Uninitialized binding: format a placeholder in its place.
      const tmp = { [keys[i]]: '' };
      output[i] = formatProperty(ctx, tmp, recurseTimes, keys[i], kObjectType);
      const pos = output[i].lastIndexOf(' ');
      output[i] = output[i].slice(0, pos + 1) + ctx.stylize('<uninitialized>', 'special');
    }
  }
  keys.length = 0; // Prevents the keys from being printed again.
  return output;
}

function formatGetter(ctx, desc, original, recurseTimes) {
  const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
  const s = ctx.stylize;
  const sp = 'special';
  const wanted = ctx.getters && (ctx.getters === true ||
    (ctx.getters === 'get' && desc.set === undefined) ||
    (ctx.getters === 'set' && desc.set !== undefined));
  if (!wanted) return s(`[${label}]`, sp);
  try {
    const tmp = desc.get.call(original);
    ctx.indentationLvl += 2;
    let str;
    if (tmp === null) {
      str = `${s(`[${label}:`, sp)} ${s('null', 'null')}${s(']', sp)}`;
    } else if (typeof tmp === 'object') {
      str = `${s(`[${label}]`, sp)} ${formatValue(ctx, tmp, recurseTimes)}`;
    } else {
      str = `${s(`[${label}:`, sp)} ${formatPrimitive(s, tmp, ctx)}${s(']', sp)}`;
    }
    ctx.indentationLvl -= 2;
    return str;
  } catch (err) {
    return `${s(`[${label}:`, sp)} <Inspection threw (${err.message})>${s(']', sp)}`;
  }
}

function formatPropertyKey(ctx, key, desc) {
  if (typeof key === 'symbol') {
    const tmp = symbolToString(key).replace(strEscapeSequencesReplacer, escapeFn);
    return `[${ctx.stylize(tmp, 'symbol')}]`;
  }
  if (key === '__proto__') return "['__proto__']";
  if (desc.enumerable === false) {
    return `[${key.replace(strEscapeSequencesReplacer, escapeFn)}]`;
  }
  if (keyStrRegExp.test(key)) return ctx.stylize(key, 'name');
  return ctx.stylize(strEscape(key), 'string');
}

function formatProperty(ctx, value, recurseTimes, key, type, desc, original = value) {
  let str;
  let extra = ' ';
  desc = desc || Object.getOwnPropertyDescriptor(value, key) ||
    { value: value[key], enumerable: true };
  if (desc.value !== undefined) {
    const diff = (ctx.compact !== true || type !== kObjectType) ? 2 : 3;
    ctx.indentationLvl += diff;
    str = formatValue(ctx, desc.value, recurseTimes);
    if (diff === 3 && ctx.breakLength < getStringWidth(str, false)) {
      extra = `\n${' '.repeat(ctx.indentationLvl)}`;
    }
    ctx.indentationLvl -= diff;
  } else if (desc.get !== undefined) {
    str = formatGetter(ctx, desc, original, recurseTimes);
  } else if (desc.set !== undefined) {
    str = ctx.stylize('[Setter]', 'special');
  } else {
    str = ctx.stylize('undefined', 'undefined');
  }
  if (type === kArrayType) return str;
  return `${formatPropertyKey(ctx, key, desc)}:${extra}${str}`;
}

// ---------------------------------------------------------------------------
// Line breaking.

// Short arrays of similar entries are laid out in aligned columns.
function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  // Leave the "... more items" entry out of the calculation.
  if (ctx.maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2; // ", "
  const dataLen = new Array(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = getStringWidth(output[i], false);
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  // At least three columns must fit, and no entry may dwarf the others.
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)) {
    const columns = countColumns(ctx, output, outputLength, totalLength, actualMax);
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineMaxLength = 0;
      for (let j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineMaxLength) lineMaxLength = dataLen[j];
      }
      maxLineLength[i] = lineMaxLength + separatorSpace;
    }
    // Numbers are right-aligned, everything else left-aligned.
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
        str += padStart ? `${output[j]}, `.padStart(padding, ' ') : `${output[j]}, `.padEnd(padding, ' ');
      }
      if (padStart) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j] - separatorSpace;
        str += output[j].padStart(padding, ' ');
      } else {
        str += output[j];
      }
      tmp.push(str);
    }
    if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}

function countColumns(ctx, output, outputLength, totalLength, actualMax) {
  const approxCharHeights = 2.5;
  const averageBias = Math.sqrt(actualMax - totalLength / output.length);
  const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
  return Math.min(
    // Aim for a roughly square block of text.
    Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
    Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
    ctx.compact * 4,
    15,
  );
}

function isBelowBreakLength(ctx, output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (let i = 0; i < output.length; i++) {
    totalLength += output[i].length;
    if (totalLength > ctx.breakLength) return false;
  }
  // Do not line up properties on the same line if `base` contains line breaks.
  return base === '' || !base.includes('\n');
}

function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === kArrayExtrasType && entries > 6) {
        output = groupArrayElements(ctx, output, value);
      }
      // Objects up to `compact` levels from the innermost one are put on a
      // single line if they fit (and were not grouped into columns).
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joinedOutput = output.join(', ');
          if (!joinedOutput.includes('\n')) {
            return `${base ? `${base} ` : ''}${braces[0]} ${joinedOutput} ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ` +
      `${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return `${braces[0]}${base ? ` ${base}` : ''} ${output.join(', ')} ${braces[1]}`;
  }
  const indentation = ' '.repeat(ctx.indentationLvl);
  const ln = base === '' && braces[0].length === 1 ?
    ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `;
  return `${braces[0]}${ln}${output.join(`,\n${indentation}  `)} ${braces[1]}`;
}

// ---------------------------------------------------------------------------
// Stand-ins for the custom inspectors Node's own URL classes have.

function webInspector(value) {
  if (isURLSearchParams(value)) return inspectURLSearchParams;
  if (isURL(value)) return inspectURL;
  return undefined;
}

function getConstructorOf(obj) {
  while (obj) {
    const descriptor = Object.getOwnPropertyDescriptor(obj, 'constructor');
    if (descriptor !== undefined && typeof descriptor.value === 'function' &&
        descriptor.value.name !== '') {
      return descriptor.value;
    }
    obj = Object.getPrototypeOf(obj);
  }
  return null;
}

function inspectURL(depth, opts) {
  if (typeof depth === 'number' && depth < 0) return this;
  const constructor = getConstructorOf(this) || URL;
  const obj = { __proto__: { constructor } };
  for (const key of ['href', 'origin', 'protocol', 'username', 'password', 'host',
    'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash']) {
    obj[key] = this[key];
  }
  return `${constructor.name} ${inspect(obj, opts)}`;
}

function inspectURLSearchParams(recurseTimes, ctx) {
  if (typeof recurseTimes === 'number' && recurseTimes < 0) {
    return ctx.stylize('[Object]', 'special');
  }
  const separator = ', ';
  const innerOpts = { ...ctx };
  if (recurseTimes !== null) innerOpts.depth = recurseTimes - 1;
  const output = [];
  for (const [key, val] of this) {
    output.push(`${inspect(key, innerOpts)} => ${inspect(val, innerOpts)}`);
  }
  const length = output.reduce((prev, cur) => prev + cur.length + separator.length,
    -separator.length);
  const name = this.constructor.name;
  if (length > ctx.breakLength) return `${name} {\n  ${output.join(',\n  ')} }`;
  if (output.length) return `${name} { ${output.join(separator)} }`;
  return `${name} {}`;
}

// ---------------------------------------------------------------------------
// util.format

// True unless the object (or a user-defined prototype) overrides toString /
// Symbol.toPrimitive, in which case `%s` uses String(value).
function hasBuiltInToString(value) {
  let hasOwnToString = hasOwn;
  let hasOwnToPrimitive = hasOwn;
  if (typeof value.toString !== 'function') {
    if (typeof value[Symbol.toPrimitive] !== 'function') return true;
    if (hasOwn(value, Symbol.toPrimitive)) return false;
    hasOwnToString = () => false;
  } else if (hasOwn(value, 'toString')) {
    return false;
  } else if (typeof value[Symbol.toPrimitive] !== 'function') {
    hasOwnToPrimitive = () => false;
  } else if (hasOwn(value, Symbol.toPrimitive)) {
    return false;
  }
  let pointer = value;
  do {
    pointer = Object.getPrototypeOf(pointer);
  } while (!hasOwnToString(pointer, 'toString') && !hasOwnToPrimitive(pointer, Symbol.toPrimitive));
  const descriptor = Object.getOwnPropertyDescriptor(pointer, 'constructor');
  return descriptor !== undefined && typeof descriptor.value === 'function' &&
    builtInObjects.has(descriptor.value.name);
}

let circularErrorMessage;
const firstErrorLine = (error) => String(error.message).split('\n', 1)[0];

function tryStringify(arg) {
  try {
    return JSON.stringify(arg);
  } catch (err) {
    if (circularErrorMessage === undefined) {
      try {
        const a = {};
        a.a = a;
        JSON.stringify(a);
      } catch (circularError) {
        circularErrorMessage = firstErrorLine(circularError);
      }
    }
    if (err.name === 'TypeError' && firstErrorLine(err) === circularErrorMessage) {
      return '[Circular]';
    }
    throw err;
  }
}

function formatNumberNoColor(number, options) {
  return formatNumber(stylizeNoColor, number, options?.numericSeparator ?? false);
}

function formatBigIntNoColor(bigint, options) {
  return formatBigInt(stylizeNoColor, bigint, options?.numericSeparator ?? false);
}

function formatPlaceholder(code, arg, inspectOptions) {
  switch (code) {
    case 115: // 's'
      if (typeof arg === 'number') return formatNumberNoColor(arg, inspectOptions);
      if (typeof arg === 'bigint') return formatBigIntNoColor(arg, inspectOptions);
      if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) {
        return String(arg);
      }
      return inspect(arg, { ...inspectOptions, compact: 3, colors: false, depth: 0 });
    case 106: // 'j'
      return tryStringify(arg);
    case 100: // 'd'
      if (typeof arg === 'bigint') return formatBigIntNoColor(arg, inspectOptions);
      if (typeof arg === 'symbol') return 'NaN';
      return formatNumberNoColor(Number(arg), inspectOptions);
    case 79: // 'O'
      return inspect(arg, inspectOptions);
    case 111: // 'o'
      return inspect(arg, { ...inspectOptions, showHidden: true, showProxy: true, depth: 4 });
    case 105: // 'i'
      if (typeof arg === 'bigint') return formatBigIntNoColor(arg, inspectOptions);
      if (typeof arg === 'symbol') return 'NaN';
      return formatNumberNoColor(Number.parseInt(arg), inspectOptions);
    case 102: // 'f'
      if (typeof arg === 'symbol') return 'NaN';
      return formatNumberNoColor(Number.parseFloat(arg), inspectOptions);
    default: // 'c': CSS styling is ignored, like in Node.
      return '';
  }
}

const PLACEHOLDERS = new Set([115, 106, 100, 79, 111, 105, 102, 99]);

function formatWithOptionsInternal(inspectOptions, args) {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue; // '%'
      const nextChar = first.charCodeAt(++i);
      if (a + 1 !== args.length && PLACEHOLDERS.has(nextChar)) {
        const tempStr = formatPlaceholder(nextChar, args[++a], inspectOptions);
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
        str += tempStr;
        lastPos = i + 1;
      } else if (nextChar === 37) { // '%%'
        str += first.slice(lastPos, i);
        lastPos = i + 1;
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value;
    join = ' ';
    a++;
  }
  return str;
}

/**
 * Formats console arguments like Node's util.format (printf-style
 * placeholders %s %d %i %f %j %o %O %c %%, then the rest joined by spaces).
 * @returns {string}
 */
export function format(...args) {
  return formatWithOptionsInternal(undefined, args);
}

/** Like util.formatWithOptions: `format` with inspect options. */
export function formatWithOptions(inspectOptions, ...args) {
  if (inspectOptions === null || typeof inspectOptions !== 'object') {
    throw new TypeError('The "inspectOptions" argument must be of type object.');
  }
  return formatWithOptionsInternal(inspectOptions, args);
}

// ---------------------------------------------------------------------------
// console.table

const tableChars = {
  middleMiddle: '─',
  rowMiddle: '┼',
  topRight: '┐',
  topLeft: '┌',
  leftMiddle: '├',
  topMiddle: '┬',
  bottomRight: '┘',
  bottomLeft: '└',
  bottomMiddle: '┴',
  rightMiddle: '┤',
  left: '│ ',
  right: ' │',
  middle: ' │ ',
};

function renderRow(row, columnWidths) {
  let out = tableChars.left;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    const needed = columnWidths[i] - getStringWidth(cell);
    out += cell + ' '.repeat(Math.ceil(needed));
    if (i !== row.length - 1) out += tableChars.middle;
  }
  return out + tableChars.right;
}

function renderTable(head, columns) {
  const rows = [];
  const columnWidths = head.map((h) => getStringWidth(h));
  const longestColumn = Math.max(...columns.map((a) => a.length));
  for (let i = 0; i < head.length; i++) {
    const column = columns[i];
    for (let j = 0; j < longestColumn; j++) {
      if (rows[j] === undefined) rows[j] = [];
      const value = rows[j][i] = hasOwn(column, j) ? column[j] : '';
      columnWidths[i] = Math.max(columnWidths[i] || 0, getStringWidth(value));
    }
  }
  const divider = columnWidths.map((i) => tableChars.middleMiddle.repeat(i + 2));
  let result = `${tableChars.topLeft}${divider.join(tableChars.topMiddle)}${tableChars.topRight}\n` +
    `${renderRow(head, columnWidths)}\n` +
    `${tableChars.leftMiddle}${divider.join(tableChars.rowMiddle)}${tableChars.rightMiddle}\n`;
  for (const row of rows) result += `${renderRow(row, columnWidths)}\n`;
  return result +
    `${tableChars.bottomLeft}${divider.join(tableChars.bottomMiddle)}${tableChars.bottomRight}`;
}

// Cells show objects with more than two keys as `[Object]`.
function inspectCell(v) {
  const depth = v !== null && typeof v === 'object' && !Array.isArray(v) &&
    Object.keys(v).length > 2 ? -1 : 0;
  return inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity });
}

const indexArray = (length) => Array.from({ length }, (_, i) => inspectCell(i));

/**
 * Renders what Node's console.table(data, properties) prints (without the
 * trailing newline). Non-objects are formatted like console.log.
 * @param {*} data
 * @param {string[]} [properties] columns to show
 * @returns {string}
 */
export function formatTable(data, properties) {
  if (properties !== undefined && !Array.isArray(properties)) {
    throw new TypeError('The "properties" argument must be an instance of Array.');
  }
  if (data === null || typeof data !== 'object') return format(data);

  if (isMap(data)) {
    const keys = [];
    const values = [];
    for (const [k, v] of mapEntries(data)) {
      keys.push(inspectCell(k));
      values.push(inspectCell(v));
    }
    return renderTable(['(iteration index)', 'Key', 'Values'],
      [indexArray(keys.length), keys, values]);
  }
  if (isSet(data)) {
    const values = Array.from(setValues(data), inspectCell);
    return renderTable(['(iteration index)', 'Values'], [indexArray(values.length), values]);
  }
  return renderObjectTable(data, properties);
}

function renderObjectTable(data, properties) {
  const map = { __proto__: null };
  let hasPrimitives = false;
  const valuesKeyArray = [];
  const indexKeyArray = Object.keys(data);
  for (let i = 0; i < indexKeyArray.length; i++) {
    const item = data[indexKeyArray[i]];
    const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object');
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      valuesKeyArray[i] = inspectCell(item);
    } else {
      const keys = properties || Object.keys(item);
      for (const key of keys) {
        map[key] ??= [];
        map[key][i] = (primitive && properties) || !hasOwn(item, key) ? '' : inspectCell(item[key]);
      }
    }
  }
  const keys = Object.keys(map);
  const values = Object.values(map);
  if (hasPrimitives) {
    keys.push('Values');
    values.push(valuesKeyArray);
  }
  keys.unshift('(index)');
  values.unshift(indexKeyArray);
  return renderTable(keys, values);
}
