/**
 * A strict reader of the Mermaid gantt subset src/evidence/gantt.ts writes, returning the problems it
 * finds. The rules are Mermaid's (checked during development against mermaid 12.3.0's own gantt parser
 * and task database, see docs/benchmarks.md "The run as a picture"):
 * - the block starts with `gantt`; `dateFormat` must come before any task, and the chart uses
 *   `YYYY-MM-DDTHH:mm:ss`: Mermaid's dayjs reads `...Z` or a fraction as a zero-length bar without an error;
 * - a task is `<name> :<tags>, <id>, <start>, <end>`; `:` ends the name, so a name must not hold one, nor
 *   `#`/`;` (entity codes) or `%` (comments); tags are done, active, crit, milestone; ids are unique;
 * - a milestone starts and ends at the same time; a bar ends at or after its start; every task is in a section.
 */
export interface GanttTask {
  section: string;
  name: string;
  tags: string[];
  id: string;
  start: string;
  end: string;
}

/** The axis formats gantt.ts chooses from by the run's span (Mermaid's d3 time format). */
const AXIS_FORMATS = new Set(['%H:%M:%S', '%H:%M', '%d %b %H:%M']);
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const TAGS = new Set(['done', 'active', 'crit', 'milestone']);
const FORBIDDEN = /[:#;%]/;

export function readGantt(text: string): {
  title?: string;
  tasks: GanttTask[];
  sections: string[];
  problems: string[];
} {
  const problems: string[] = [];
  const tasks: GanttTask[] = [];
  const sections: string[] = [];
  let title: string | undefined;
  let dateFormat: string | undefined;
  let section: string | undefined;
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines[0]?.trim() !== 'gantt') problems.push(`first line is '${lines[0]}', not 'gantt'`);
  for (const [n, raw] of lines.slice(1).entries()) {
    const line = raw.trim();
    const where = `line ${n + 2}`;
    if (line.startsWith('title ')) {
      title = line.slice(6);
      if (/[#;%]/.test(title)) problems.push(`${where}: title holds # ; or %`);
    } else if (line.startsWith('dateFormat ')) dateFormat = line.slice(11);
    else if (line.startsWith('axisFormat ')) {
      if (!AXIS_FORMATS.has(line.slice(11))) problems.push(`${where}: axisFormat '${line.slice(11)}'`);
    } else if (line.startsWith('section ')) {
      section = line.slice(8);
      sections.push(section);
      if (/[#;%]/.test(section)) problems.push(`${where}: section name holds # ; or %`);
    } else {
      const colon = line.indexOf(':');
      if (colon < 0) {
        problems.push(`${where}: not a task, section or setting: ${line}`);
        continue;
      }
      const name = line.slice(0, colon).trim();
      const meta = line
        .slice(colon + 1)
        .split(',')
        .map((part) => part.trim());
      const tags = meta.filter((part) => TAGS.has(part));
      const rest = meta.filter((part) => !TAGS.has(part));
      if (meta.slice(0, tags.length).some((part) => !TAGS.has(part)))
        problems.push(`${where}: tags must come first`);
      const [id, start, end, ...extra] = rest;
      if (!name || FORBIDDEN.test(name))
        problems.push(`${where}: task name '${name}' is empty or holds : # ; %`);
      if (!section) problems.push(`${where}: task before any section`);
      if (dateFormat !== 'YYYY-MM-DDTHH:mm:ss')
        problems.push(`${where}: dateFormat is '${dateFormat}' at this task`);
      if (!id || !/^[A-Za-z][A-Za-z0-9]*$/.test(id)) problems.push(`${where}: task id '${id}'`);
      if (tasks.some((t) => t.id === id)) problems.push(`${where}: task id '${id}' used twice`);
      for (const date of [start, end])
        if (!date || !DATE.test(date) || !Number.isFinite(Date.parse(`${date}Z`)))
          problems.push(`${where}: '${date}' is not a YYYY-MM-DDTHH:mm:ss date`);
      if (extra.length > 0) problems.push(`${where}: extra metadata ${extra.join(', ')}`);
      if (start && end && Date.parse(`${end}Z`) < Date.parse(`${start}Z`))
        problems.push(`${where}: ends before it starts`);
      if (tags.includes('milestone') && start !== end) problems.push(`${where}: a milestone with a duration`);
      tasks.push({ section: section ?? '', name, tags, id: id ?? '', start: start ?? '', end: end ?? '' });
    }
  }
  return { title, tasks, sections, problems };
}

/** The first ```mermaid block of a Markdown text. */
export function mermaidBlock(markdown: string): string | undefined {
  return /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1];
}
