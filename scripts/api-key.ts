/**
 * API keys for the consumer policy.
 *   npm run api-key -- generate        a new random key and its hash (give the key to the consumer,
 *                                      put only the hash in the policy file)
 *   npm run api-key -- hash < keyfile  the hash of a key read from standard input (not from the
 *                                      command line, which would leave it in the shell history)
 * The hash scheme is documented in src/auth/api-keys.ts and docs/adr/0005-consumer-security.md.
 */
import { generateApiKey, hashApiKey } from '../src/auth/api-keys.js';

const command = process.argv[2];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

try {
  if (command === 'generate') {
    const key = generateApiKey();
    process.stdout.write(`key:  ${key}\nhash: ${hashApiKey(key)}\n`);
  } else if (command === 'hash') {
    process.stdout.write(`${hashApiKey(await readStdin())}\n`);
  } else {
    process.stderr.write('usage: npm run api-key -- generate | npm run api-key -- hash < keyfile\n');
    process.exit(2);
  }
} catch (e) {
  process.stderr.write(`api-key: ${(e as Error).message}\n`);
  process.exit(1);
}
