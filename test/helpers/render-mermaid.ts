import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * Renders Mermaid text the way a reader sees it: mermaid's own browser bundle (the devDependency pinned
 * at the version GitHub's renderer was checked against) in a real headless Chromium (Debian's, which
 * scripts/bootstrap.sh --test-tools installs), the page loaded from file:// and its DOM dumped once
 * rendering settles. Returns the SVG text, or throws with what Mermaid said.
 */
const run = promisify(execFile);
const BUNDLE = resolve('node_modules/mermaid/dist/mermaid.min.js');

/** The Chromium binary on PATH (or $CHROMIUM), or undefined. */
export function findChromium(): string | undefined {
  const names = process.env.CHROMIUM ? [process.env.CHROMIUM] : ['chromium', 'chromium-browser'];
  for (const name of names) {
    const candidates = name.includes('/')
      ? [name]
      : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name));
    for (const path of candidates) {
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function renderMermaid(chromium: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'standby-mermaid-'));
  try {
    const page = join(dir, 'chart.html');
    await writeFile(
      page,
      [
        '<!doctype html><html><body>',
        `<pre class="mermaid" id="chart">${escapeHtml(text)}</pre>`,
        `<script src="${pathToFileURL(BUNDLE).href}"></script>`,
        '<script>',
        'mermaid.initialize({ startOnLoad: false });',
        "mermaid.run({ querySelector: '#chart' }).then(",
        "  () => document.body.setAttribute('data-rendered', 'ok'),",
        "  (e) => document.body.setAttribute('data-rendered', 'error ' + String(e && e.message || e)));",
        '</script></body></html>',
      ].join('\n'),
    );
    const { stdout } = await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--virtual-time-budget=15000',
        '--dump-dom',
        pathToFileURL(page).href,
      ],
      { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
    );
    const state = /data-rendered="([^"]*)"/.exec(stdout)?.[1];
    if (state !== 'ok') throw new Error(`mermaid did not render: ${state ?? 'no result in the page'}`);
    const svg = /<svg[\s\S]*<\/svg>/.exec(stdout)?.[0];
    if (!svg) throw new Error('mermaid rendered no <svg>');
    return svg;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of every axis tick, in order. */
export const tickLabels = (svg: string) =>
  [...svg.matchAll(/<g class="tick"[^>]*>[\s\S]*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

/** Each gantt task's shape (bar or milestone) by the task id the chart gave it: its class attribute. */
export function taskClasses(svg: string): Record<string, string> {
  const classes: Record<string, string> = {};
  for (const [rect] of svg.matchAll(/<rect [^>]*>/g)) {
    const id = /\bid="mermaid-[0-9]+-([A-Za-z0-9]+)"/.exec(rect)?.[1];
    const cls = /\bclass="(task\b[^"]*)"/.exec(rect)?.[1];
    if (id && cls) classes[id] = cls.replace(/\s+/g, ' ').trim();
  }
  return classes;
}

/** An xychart's plot: the bars of its first bar plot, the points of its line, the x-axis labels. */
export function xyChart(svg: string): { bars: number; linePoints: number; xLabels: string[] } {
  const barPlot = /<g class="bar-plot-0">([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? '';
  const path = /<g class="line-plot-\d+"><path d="([^"]*)"/.exec(svg)?.[1] ?? '';
  const bottom = /<g class="bottom-axis">[\s\S]*?<g class="label">([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? '';
  return {
    bars: (barPlot.match(/<rect /g) ?? []).length,
    linePoints: (path.match(/[ML]/g) ?? []).length,
    xLabels: [...bottom.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? ''),
  };
}
