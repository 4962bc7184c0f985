import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder (this file is in `<root>/local-stack/`). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
