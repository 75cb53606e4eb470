// Bundles the parts of the extension that cannot load ES modules themselves:
// the content script (classic script by MV3 rule) and the sandbox page (origin "null", so it
// cannot import extension files), with the JS worker runtime inlined into it as a string.
// Output goes to extension/build/ (not committed). Fast and idempotent.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ext = (...parts) => path.join(root, 'extension', ...parts);
const common = { bundle: true, target: 'chrome140', legalComments: 'none', logLevel: 'warning' };

const worker = await build({
  ...common,
  entryPoints: [ext('sandbox', 'js-worker-runtime.js')],
  format: 'iife',
  write: false,
});
const workerSource = worker.outputFiles[0].text;

const inlineWorker = {
  name: 'inline-worker-source',
  setup(b) {
    b.onResolve({ filter: /^chatrun:js-worker-source$/ }, (args) => ({ path: args.path, namespace: 'chatrun' }));
    b.onLoad({ filter: /.*/, namespace: 'chatrun' }, () => ({
      contents: `export default ${JSON.stringify(workerSource)};`,
      loader: 'js',
    }));
  },
};

await Promise.all([
  build({ ...common, entryPoints: [ext('sandbox', 'sandbox.js')], outfile: ext('build', 'sandbox.js'), format: 'iife', plugins: [inlineWorker] }),
  build({ ...common, entryPoints: [ext('content', 'main.js')], outfile: ext('build', 'content.js'), format: 'iife' }),
  // The service worker: a module, bundled for its npm dependencies (idb, uuid).
  build({ ...common, entryPoints: [ext('background', 'service-worker.js')], outfile: ext('build', 'service-worker.js'), format: 'esm' }),
  // CodeMirror: a module the content script imports on first Edit, so pages don't pay for it.
  build({ ...common, entryPoints: [ext('content', 'editor', 'code-editor.js')], outfile: ext('build', 'editor.js'), format: 'esm', minify: true }),
]);
console.log('[build] extension/build/{content,sandbox,editor,service-worker}.js');
