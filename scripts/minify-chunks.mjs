// ncc minifies only the entry file it writes (dist/index.js), not the chunks it splits off for each
// dynamic import() (dist/<id>.index.js: one per phase and per CLI command, plus the AWS SDK clients they
// share). This minifies every chunk with the options ncc uses for the entry, so dist/ stays small.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { minify } from 'terser';

const dir = process.argv[2] ?? 'dist';
let before = 0;
let after = 0;
for (const file of readdirSync(dir).filter((name) => /^\d+\.index\.js$/.test(name))) {
  const path = `${dir}/${file}`;
  const source = readFileSync(path, 'utf8');
  const result = await minify(source, {
    module: true,
    compress: false,
    mangle: { keep_classnames: true, keep_fnames: true },
  });
  if (result.code === undefined) throw new Error(`terser returned nothing for ${path}`);
  writeFileSync(path, result.code);
  before += source.length;
  after += result.code.length;
}
console.log(`chunks minified: ${before} -> ${after} bytes`);
