import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ERROR_CODES, errorBody, graphQLError, httpStatusOf, isPublicCode, personNotFound } from '../../src/errors/contract.js';
import { REPO_ROOT } from '../../local-stack/repo-root.js';

const CONTRACT = 'src/errors/contract.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('one error contract (src/errors/contract.ts)', () => {
  it('nothing else in src builds an error body or a GraphQL error', () => {
    const offenders = sourceFiles(join(REPO_ROOT, 'src'))
      .map((f) => ({ file: relative(REPO_ROOT, f), text: readFileSync(f, 'utf8') }))
      .filter(({ file }) => file !== CONTRACT)
      .filter(({ text }) => /new GraphQLError\(|errors: \[|extensions: \{ code/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it('INTERNAL_SERVER_ERROR and unknown codes are not public; every other contract code is', () => {
    expect(isPublicCode('INTERNAL_SERVER_ERROR')).toBe(false);
    expect(isPublicCode('ECONNREFUSED')).toBe(false);
    expect(isPublicCode('toString')).toBe(false);
    expect(isPublicCode(undefined)).toBe(false);
    for (const code of Object.keys(ERROR_CODES).filter((c) => c !== 'INTERNAL_SERVER_ERROR')) expect(isPublicCode(code)).toBe(true);
  });

  it('an error that stops the operation carries its code and HTTP status; one at a path leaves the status alone', () => {
    expect(graphQLError('FORBIDDEN', 'no', { coordinates: ['Person.pncNumber'] }, { stopsOperation: true }).extensions).toEqual({
      code: 'FORBIDDEN',
      coordinates: ['Person.pncNumber'],
      http: { status: 403 },
    });
    expect(graphQLError('UPSTREAM_UNAVAILABLE', 'x', { area: 'prison' }).extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', area: 'prison' });
    expect(httpStatusOf('RATE_LIMITED')).toBe(429);
    expect(errorBody('NOT_FOUND', 'gone')).toEqual({ errors: [{ message: 'gone', extensions: { code: 'NOT_FOUND' } }] });
  });

  it('a person not found is the same error every time (filtered and unknown cannot be told apart)', () => {
    const a = personNotFound();
    const b = personNotFound();
    expect(a).not.toBe(b);
    expect({ message: a.message, extensions: a.extensions }).toEqual({ message: b.message, extensions: b.extensions });
    expect(a.extensions).toEqual({ code: 'NOT_FOUND' });
  });
});
