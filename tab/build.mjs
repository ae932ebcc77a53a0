// Builds the tab's page (tab/web) into tab/dist, which the server serves at /tab. Run by `npm start`
// (prestart) and before the tests (jest globalSetup). esbuild only: no per-platform bundler bindings.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist');
mkdirSync(out, { recursive: true });
// Pages loaded on demand (the charts of Trends) go in chunks/, named by their content: old ones are dropped.
rmSync(join(out, 'chunks'), { recursive: true, force: true });
const result = await build({
  entryPoints: { app: join(here, 'web', 'main.tsx') },
  outdir: out,
  // The charting library is loaded only by the pages that draw charts, so every other page starts as fast as before.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'safari15'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
copyFileSync(join(here, 'web', 'index.html'), join(out, 'index.html'));
const js = readFileSync(join(out, 'app.js'));
if (!process.argv.includes('--quiet')) {
  console.log(`tab built: tab/dist/app.js ${(statSync(join(out, 'app.js')).size / 1024).toFixed(0)} KB, ${(gzipSync(js).length / 1024).toFixed(0)} KB gzip`);
}
if (process.argv.includes('--analyse')) console.log(await (await import('esbuild')).analyzeMetafile(result.metafile));
