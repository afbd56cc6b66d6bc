// Rewrites dist/licenses.txt (ncc's output) with each distinct license text once (scripts/lib/licenses.mjs).
import { globSync, readFileSync, writeFileSync } from 'node:fs';
import { checkNothingLost, parseNccLicenses, renderLicenses } from './lib/licenses.mjs';

const file = process.argv[2] ?? 'dist/licenses.txt';
const original = readFileSync(file, 'utf8');

// A bundled package: some node_modules/<name>/package.json (hoisted or nested) declaring that license.
const bare = (id) => String(id).replace(/[()]/g, '');
const isPackage = (name, id) =>
  globSync([`node_modules/${name}/package.json`, `node_modules/**/node_modules/${name}/package.json`]).some(
    (manifest) => bare(JSON.parse(readFileSync(manifest, 'utf8')).license) === bare(id),
  );

const entries = parseNccLicenses(original, isPackage);
if (entries.length === 0) throw new Error(`licenses: no package entries found in ${file}`);
const rendered = renderLicenses(entries);
checkNothingLost(entries, rendered);
writeFileSync(file, rendered);
console.error(
  `licenses: ${entries.length} packages, ${new Set(entries.map((e) => e.text)).size} distinct texts, ` +
    `${original.length} -> ${rendered.length} bytes`,
);
