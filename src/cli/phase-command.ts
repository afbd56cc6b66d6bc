import { Command, Option } from 'commander';
import { MemoryIO } from '../io/memory-io.js';
import { COMMON_INPUTS, type PhaseDefinition } from '../phases/phase.js';
import { runPhase } from '../phases/run-phase.js';
import { isUsageFailure } from '../receipts/failure-reasons.js';
import { cliFlag } from '../validation/errors.js';
import { EXIT, returnsExitCode } from './exit-codes.js';
import { markdownToText, paint, type Terminal } from './terminal.js';

export interface PhaseCommandOptions {
  /** An output that, when "true", means the check found a problem (exit 3). */
  attentionOutput?: string;
  examples: string[];
}

/**
 * A CLI subcommand for a phase, built from the same input specs as its action.yml: every input is a
 * `--flag`, defaults and descriptions are shared, and the same runPhase does the work.
 */
export function phaseCommand(
  definition: PhaseDefinition,
  term: Terminal,
  options: PhaseCommandOptions,
): Command {
  const specs = {
    ...definition.inputs,
    ...COMMON_INPUTS,
    'receipt-bucket': {
      ...COMMON_INPUTS['receipt-bucket'],
      required: false,
      description: 'S3 bucket for the receipt (omit to write none).',
    },
  };
  const command = new Command(definition.name).description(definition.description);
  const attributes = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    const flags = spec.boolean ? `--${name} [true|false]` : `--${name} <value>`;
    const suffix = spec.required ? ' (required)' : spec.default ? ` (default: ${spec.default})` : '';
    const option = new Option(flags, `${spec.description}${suffix}`);
    command.addOption(option);
    attributes.set(name, option.attributeName());
  }
  command
    .option('--endpoint-url <url>', 'AWS endpoint override for every AWS call, e.g. the local emulator')
    .option('--json', 'print one JSON object instead of text')
    .addHelpText('after', `\nExamples:\n${options.examples.map((e) => `  $ ${e}`).join('\n')}\n`)
    .action(
      returnsExitCode(async (flags: Record<string, unknown>) => {
        const inputs: Record<string, string> = {};
        for (const [name, attribute] of attributes) {
          const value = flags[attribute];
          if (value !== undefined) inputs[name] = value === true ? 'true' : String(value);
        }
        if (!inputs['execution-id'])
          inputs['execution-id'] = `cli-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
        const io = new MemoryIO(
          inputs,
          flags.json ? undefined : (line) => term.err(paint(term, 'dim', line)),
        );
        const { result, receipt } = await runPhase(definition, io, {
          endpoint: typeof flags.endpointUrl === 'string' ? flags.endpointUrl : undefined,
          // Errors name the flag the operator typed, not the action input it fills.
          nameInput: cliFlag,
        });

        if (flags.json) {
          term.out(
            JSON.stringify(
              {
                phase: definition.name,
                status: result.status,
                outputs: result.outputs,
                failure: result.failure ?? null,
                receipt: receipt ? { uri: receipt.uri, sha256: receipt.sha256 } : null,
              },
              null,
              2,
            ),
          );
        } else if (io.summaries.length > 0) {
          term.out(markdownToText(io.summaries.join('\n'), term));
        } else if (result.failure) {
          // Refused before the phase began (a common input, the account guard): no summary to show.
          term.err(paint(term, 'red', `error: ${result.failure.message}`));
        }
        return exitCodeFor(result, options.attentionOutput);
      }),
    );
  return command;
}

function exitCodeFor(
  result: Awaited<ReturnType<typeof runPhase>>['result'],
  attentionOutput?: string,
): number {
  if (result.status === 'failed') return isUsageFailure(result.failure) ? EXIT.usage : EXIT.failed;
  if (attentionOutput && result.outputs[attentionOutput] === true) return EXIT.attention;
  return EXIT.ok;
}
