import type { Command } from 'commander';
import { chainHeadOf } from '../../evidence/anchor.js';
import { readBundleDir } from '../../evidence/bundle-files.js';
import { parseBundledReceipts } from '../../evidence/bundled-receipts.js';
import { parseManifest } from '../../evidence/manifest.js';
import { describeError } from '../../util/errors.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Terminal } from '../terminal.js';
import { nestedCommand } from './nested.js';

/**
 * `standby evidence head <dir>`: the chain head of a bundle (sha256 of the last receipt and the count), as
 * markdown for a job summary or as JSON. The pipeline's report job publishes it outside the bucket, so a
 * later `evidence check --expect-head` notices receipts removed or rewritten after the run.
 */
export function headCommand(term: Terminal): Command {
  return nestedCommand('head', term, [
    'standby evidence head evidence >> "$GITHUB_STEP_SUMMARY"',
    'standby evidence head evidence --json | jq -r .head.sha256',
  ])
    .description('Print the chain head of a bundle (last receipt sha256 and receipt count) to publish it.')
    .argument('<dir>', 'bundle directory made by `standby evidence collect`')
    .option('--json', 'print JSON instead of markdown')
    .action(async (dir: string, flags: { json?: boolean }) => {
      const files = await readBundleDir(dir).catch((error) => {
        throw new CliError(`cannot read ${dir}: ${describeError(error)}`, EXIT.usage);
      });
      const { receipts } = parseBundledReceipts(files);
      const chain = chainHeadOf(receipts);
      if (!chain.head) throw new CliError(`${dir} holds no receipts: nothing to anchor`, EXIT.failed);
      const executionId =
        parseManifest(files.find((f) => f.path === 'manifest.json')?.body).manifest?.execution_id ??
        receipts[0]?.receipt.execution_id ??
        '';
      if (flags.json) term.out(JSON.stringify({ executionId, ...chain }, null, 2));
      else term.out(renderHead(executionId, chain.count, chain.head));
    });
}

function renderHead(
  executionId: string,
  count: number,
  head: { name: string; sha256: string; sequence: number },
) {
  return [
    `### Evidence chain head of \`${executionId}\``,
    '',
    '| Chain | |',
    '| --- | --- |',
    `| Receipts | ${count} |`,
    `| Head receipt | \`${head.name}\` (sequence ${head.sequence}) |`,
    `| Head sha256 | \`${head.sha256}\` |`,
    '',
    'Check later that the receipt bucket still ends here (receipts removed or rewritten after the run fail):',
    '',
    `    standby evidence check <collected bundle> --expect-head ${head.sha256} --expect-count ${count}`,
    '',
  ].join('\n');
}
