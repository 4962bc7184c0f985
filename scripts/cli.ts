/**
 * The one command-line convention of the project's scripts (node:util `parseArgs`, no dependency):
 *
 * - `--help` / `-h` prints the usage on stdout and exits 0 before the script touches anything;
 * - an unknown option, a missing option value or an unexpected argument prints the problem and the usage
 *   on stderr and exits 2;
 * - a problem found later (a file that does not exist, openssl failing) exits 1.
 *
 * Every command's usage is also in the README (tests/delivery/cli.test.ts holds both).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandLine {
  /** As the user types it, e.g. `npm run certs`. */
  command: string;
  /** The usage text printed by `--help`, without a trailing newline. */
  usage: string;
  options: Options;
  /** Most positional arguments accepted (default 0). */
  maxPositionals?: number;
}

export type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/** Thrown for a command line that cannot be run; exit code 2. */
export class UsageError extends Error {}

/** The arguments, or `'help'` when help was asked for. Throws UsageError for anything not understood. */
export function parseCommandLine(argv: string[], spec: CommandLine): Parsed | 'help' {
  const options: Options = { ...spec.options, help: { type: 'boolean', short: 'h' } };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    // node's messages name the option and suggest `--` for values that start with a dash; keep the first line.
    throw new UsageError(((e as Error).message.split('\n')[0] ?? '').replace(/\. To specify a positional argument.*$/, ''));
  }
  if (parsed.values.help === true) return 'help';
  const max = spec.maxPositionals ?? 0;
  if (parsed.positionals.length > max) {
    throw new UsageError(`unexpected argument${parsed.positionals.length - max > 1 ? 's' : ''}: ${parsed.positionals.slice(max).join(' ')}`);
  }
  return { values: parsed.values as Parsed['values'], positionals: parsed.positionals };
}

/**
 * For a script's entry point: the parsed arguments, or the process ends here (exit 0 after `--help`,
 * exit 2 after a usage problem) without the script having done anything.
 */
export function commandLine(argv: string[], spec: CommandLine): Parsed {
  try {
    const parsed = parseCommandLine(argv, spec);
    if (parsed === 'help') {
      process.stdout.write(`${spec.usage}\n`);
      process.exit(0);
    }
    return parsed;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return usageFailure(spec, e.message);
  }
}

/** Prints a usage problem and the usage on stderr, and exits 2. */
export function usageFailure(spec: Pick<CommandLine, 'command' | 'usage'>, message: string): never {
  process.stderr.write(`${spec.command}: ${message}\n\n${spec.usage}\n`);
  process.exit(2);
}

/** A whole number option within bounds, or a usage failure. */
export function intOption(spec: Pick<CommandLine, 'command' | 'usage'>, name: string, raw: string | boolean | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < min || n > max) usageFailure(spec, `--${name} must be a whole number from ${min} to ${max} (got "${String(raw)}")`);
  return n;
}

/** A number option (decimals allowed, e.g. `--seconds 2.5`) within bounds, or a usage failure. */
export function numberOption(spec: Pick<CommandLine, 'command' | 'usage'>, name: string, raw: string | boolean | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  if (!(n >= min && n <= max)) usageFailure(spec, `--${name} must be a number ${range} (got "${String(raw)}")`);
  return n;
}
