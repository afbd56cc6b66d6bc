// Reads the license file ncc writes (one entry per bundled package: its name, its SPDX id, the text of its
// LICENSE file, a blank line) and writes each distinct license text once, after the packages it covers.
// ncc repeats the Apache-2.0 text once per AWS SDK package, which made it most of dist/.

const NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const SPDX = /^\(?[A-Za-z0-9.+-]+( (OR|AND|WITH) [A-Za-z0-9.+-]+)*\)?$/;

/**
 * Entries of ncc's license file. A line starts an entry only when it follows a blank line (or the start),
 * looks like a package name and is followed by an SPDX id; `isPackage(name, id)` must then confirm an
 * installed package by that name declares that license, or the parse fails (nothing is silently dropped).
 */
export function parseNccLicenses(text, isPackage) {
  const lines = text.split('\n');
  const starts = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const name = lines[i];
    const id = lines[i + 1];
    if ((i === 0 || lines[i - 1] === '') && NAME.test(name) && SPDX.test(id)) {
      // Shaped like an entry but no bundled package confirms it: stop rather than guess either way.
      if (!isPackage(name, id))
        throw new Error(`licenses: '${name}' (${id}) looks like an entry but no installed package matches`);
      starts.push(i);
    }
  }
  return starts.map((start, index) => ({
    name: lines[start],
    license: lines[start + 1],
    text: normalise(lines.slice(start + 2, starts[index + 1] ?? lines.length).join('\n')),
  }));
}

function normalise(text) {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** The deduplicated file: one section per distinct text, naming every package (and its SPDX id) it covers. */
export function renderLicenses(entries) {
  const byText = new Map();
  for (const entry of entries) {
    const group = byText.get(entry.text) ?? [];
    group.push(entry);
    byText.set(entry.text, group);
  }
  const sections = [...byText.entries()]
    .filter(([text]) => text !== '')
    .sort(([, a], [, b]) => b.length - a.length || a[0].name.localeCompare(b[0].name));
  const out = [
    'Third-party software bundled in dist/index.js.',
    `${entries.length} packages; each distinct license text appears once, after the packages it covers.`,
    '',
  ];
  for (const [text, group] of sections) {
    out.push(`== ${group.length} package(s): ${[...new Set(group.map((e) => e.license))].join(', ')}`);
    out.push(...group.map((e) => `- ${e.name}: ${e.license}`), '', text, '', '');
  }
  const bare = byText.get('') ?? [];
  if (bare.length > 0) {
    out.push('== Packages published without a license file (license as declared in their package.json)');
    out.push(...bare.map((e) => `- ${e.name}: ${e.license}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Fails when the rendered file lost a package, a license id or a distinct text of the input. */
export function checkNothingLost(entries, rendered) {
  for (const entry of entries) {
    if (!rendered.includes(`- ${entry.name}: ${entry.license}`))
      throw new Error(`licenses: ${entry.name} (${entry.license}) missing from the deduplicated file`);
    if (entry.text && !rendered.includes(entry.text))
      throw new Error(`licenses: the license text of ${entry.name} is missing from the deduplicated file`);
  }
}
