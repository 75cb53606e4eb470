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

// Scripts that run where extension files cannot be loaded (a Blob worker of the sandbox page, a
// previewed document): bundled on their own and inlined, as strings, into the page that starts them.
async function bundledSource(entry) {
  const out = await build({ ...common, entryPoints: [entry], format: 'iife', write: false });
  return out.outputFiles[0].text;
}
const inlinedSources = {
  'js-worker-source': await bundledSource(ext('sandbox', 'js-worker-runtime.js')),
  'preview-console-source': await bundledSource(ext('preview', 'console-capture.js')),
};

const inlineSources = {
  name: 'inline-sources',
  setup(b) {
    b.onResolve({ filter: /^chatrun:[\w-]+$/ }, (args) => ({ path: args.path.slice('chatrun:'.length), namespace: 'chatrun' }));
    b.onLoad({ filter: /.*/, namespace: 'chatrun' }, (args) => ({
      contents: `export default ${JSON.stringify(inlinedSources[args.path])};`,
      loader: 'js',
    }));
  },
};

await Promise.all([
  build({ ...common, entryPoints: [ext('sandbox', 'sandbox.js')], outfile: ext('build', 'sandbox.js'), format: 'iife', plugins: [inlineSources] }),
  // The preview page (a sandbox page too: it cannot import extension modules).
  build({ ...common, entryPoints: [ext('preview', 'frame.js')], outfile: ext('build', 'preview-frame.js'), format: 'iife', plugins: [inlineSources] }),
  // Marks around the content script's evaluation, read by scripts/bench page (it must stay < 2 ms).
  build({
    ...common, entryPoints: [ext('content', 'main.js')], outfile: ext('build', 'content.js'), format: 'iife',
    banner: { js: "performance.mark('chatrun:script-start');" }, footer: { js: "performance.mark('chatrun:script-end');" },
  }),
  // The content script's document_start part (it starts the settings read), with its own marks.
  build({
    ...common, entryPoints: [ext('content', 'early-settings.js')], outfile: ext('build', 'content-early.js'), format: 'iife',
    banner: { js: "performance.mark('chatrun:early-start');" }, footer: { js: "performance.mark('chatrun:early-end');" },
  }),
  // The service worker: a module, bundled for its npm dependencies (idb, uuid).
  build({ ...common, entryPoints: [ext('background', 'service-worker.js')], outfile: ext('build', 'service-worker.js'), format: 'esm' }),
  // CodeMirror: a module the content script imports on first Edit, so pages don't pay for it.
  build({ ...common, entryPoints: [ext('content', 'editor', 'code-editor.js')], outfile: ext('build', 'editor.js'), format: 'esm', minify: true }),
]);
console.log('[build] extension/build/{content,content-early,sandbox,preview-frame,editor,service-worker}.js');
