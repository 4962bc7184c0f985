/**
 * API keys for the consumer policy. Usage: `npm run api-key -- --help`. The hash scheme is documented in
 * src/auth/api-keys.ts and docs/adr/0005-consumer-security.md.
 */
import { generateApiKey, hashApiKey } from '../src/auth/api-keys.js';
import { commandLine, usageFailure } from './cli.js';

const USAGE = `API keys for the consumer policy.

usage:
  npm run api-key -- generate        a new random key and its hash (give the key to the consumer through the
                                     agreed secure channel; put only the hash in the policy file)
  npm run api-key -- hash < keyfile  the hash of a key read from standard input (not from the command line,
                                     which would leave it in the shell history)

options:
  -h, --help    this text

exit codes: 0 done, 1 failed, 2 usage error`;

const spec = { command: 'npm run api-key', usage: USAGE, options: {}, maxPositionals: 1 };
const { positionals } = commandLine(process.argv.slice(2), spec);
const [command] = positionals;
if (command !== 'generate' && command !== 'hash') usageFailure(spec, command === undefined ? 'generate or hash?' : `unknown command ${command}`);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

try {
  if (command === 'generate') {
    const key = generateApiKey();
    process.stdout.write(`key:  ${key}\nhash: ${hashApiKey(key)}\n`);
  } else {
    process.stdout.write(`${hashApiKey(await readStdin())}\n`);
  }
} catch (e) {
  process.stderr.write(`api-key: ${(e as Error).message}\n`);
  process.exit(1);
}
