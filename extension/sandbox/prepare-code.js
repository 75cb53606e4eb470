// Turns a block's source into a job for the worker: TypeScript types stripped (sucrase keeps
// line numbers), syntax checked with acorn (V8's eval gives no line for syntax errors), and
// top-level await / last-expression value handled the way a console does.
import { transform } from 'sucrase';
import { Parser } from 'acorn';

export const USER_FILE = 'chatrun-user-code.js';
const ASYNC_PREFIX = '(async () => {';

export class PrepareError extends Error {}

export function prepareCode(source, language, lineOffset = 0) {
  let js = source;
  if (language === 'typescript') {
    try {
      js = transform(source, { transforms: ['typescript'], disableESTransforms: true }).code;
    } catch (error) {
      throw new PrepareError(syntaxMessage(error, lineOffset));
    }
  }
  let program;
  try {
    program = Parser.parse(js, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      allowHashBang: true,
      locations: true,
    });
  } catch (error) {
    if (/'import' and 'export' may appear only/.test(error.message)) {
      const where = error.loc ? ` (line ${error.loc.line + lineOffset})` : '';
      throw new PrepareError(
        `SyntaxError: import/export statements are not supported${where}: code runs as a script in an ` +
          'offline sandbox, so modules cannot be loaded. Remove the import, or paste the code it needs.',
      );
    }
    throw new PrepareError(syntaxMessage(error, lineOffset));
  }
  const last = program.body[program.body.length - 1];
  const wantsValue = Boolean(last && last.type === 'ExpressionStatement' && !last.directive);
  if (!hasTopLevelAwait(program)) {
    return { mode: 'script', source: js, wantsValue, lineOffset, firstLineShift: 0 };
  }
  // Top-level await: run inside an async function; the last expression becomes its result.
  let body = js;
  if (wantsValue) {
    const expression = js.slice(last.expression.start, last.expression.end);
    body = `${js.slice(0, last.start)}return (${expression});${js.slice(last.end)}`;
  }
  return {
    mode: 'async',
    source: `${ASYNC_PREFIX}${body}\n})()`,
    wantsValue,
    lineOffset,
    firstLineShift: ASYNC_PREFIX.length,
  };
}

function syntaxMessage(error, lineOffset) {
  const raw = String(error && error.message ? error.message : error);
  const position = error && error.loc ? error.loc : null;
  const match = /\((\d+):(\d+)\)\s*$/.exec(raw);
  const line = position ? position.line : match ? Number(match[1]) : null;
  const column = position ? position.column : match ? Number(match[2]) : null;
  const text = raw.replace(/^Error transforming [^:]*:\s*/, '').replace(/\s*\(\d+:\d+\)\s*$/, '');
  if (line == null) return `SyntaxError: ${text}`;
  return `SyntaxError: ${text} (line ${line + lineOffset}, column ${column + 1})`;
}

// Is there an `await` (or for-await) outside any function body?
function hasTopLevelAwait(node) {
  if (!node || typeof node.type !== 'string') return false;
  if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) return true;
  if (/Function/.test(node.type) || node.type === 'ClassBody') return false;
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      if (value.some((child) => hasTopLevelAwait(child))) return true;
    } else if (value && typeof value.type === 'string' && hasTopLevelAwait(value)) {
      return true;
    }
  }
  return false;
}
