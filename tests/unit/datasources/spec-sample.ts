import { expect } from '@jest/globals';
import { validateResponse, type SpecUpstream } from '../../support/openapi.js';

/**
 * Asserts that a hand-written sample is a body the real upstream could send for `method path`
 * (status 200), by the OpenAPI document in ../shared/upstream-specs: the samples of these tests use
 * the spec's field names and types, and this keeps them honest.
 */
export function expectSpecShaped(upstream: SpecUpstream, method: string, path: string, body: unknown): void {
  const result = validateResponse(upstream, method, path, 200, body);
  expect(result.errors).toEqual([]);
  expect(result.schemaChecked).toBe(true);
}
