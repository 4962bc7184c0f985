/** The operation gate's per-document cache (src/auth/document-cache.ts): bounded, per consumer and policy version. */
import { describe, expect, it } from '@jest/globals';
import { DocumentCache, Lru, type DecisionKey } from '../../../src/auth/document-cache.js';

const key = (over: Partial<DecisionKey> = {}): DecisionKey => ({
  queryHash: 'q1',
  operationName: null,
  consumer: 'a',
  policyVersion: 'v1',
  introspectionAllowed: false,
  ...over,
});

describe('Lru', () => {
  it('forgets the least recently used entry past its bound', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recently used
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).toEqual([1, undefined, 3, 2]);
  });
});

describe('DocumentCache', () => {
  it('decides once per document, operation and consumer, and again for another consumer', () => {
    const cache = new DocumentCache();
    let decided = 0;
    const decide = () => {
      decided++;
      return null;
    };
    const first = cache.decision(key(), decide);
    expect(cache.decision(key(), decide)).toBe(first);
    cache.decision(key({ consumer: 'b' }), decide);
    cache.decision(key({ operationName: 'Other' }), decide);
    cache.decision(key({ queryHash: 'q2' }), decide);
    cache.decision(key({ introspectionAllowed: true }), decide);
    expect(decided).toBe(5);
  });

  it('keeps a refusal as a way to make a fresh error each time', () => {
    const cache = new DocumentCache();
    const decision = cache.decision(key(), () => () => new Error('refused'));
    expect(decision.refusal!()).not.toBe(decision.refusal!());
    expect(cache.decision(key(), () => null).refusal).toBe(decision.refusal);
  });

  it('is emptied by another policy version (a reload): nothing decided under the old one is used', () => {
    const cache = new DocumentCache();
    cache.decision(key(), () => null);
    cache.decision(key({ consumer: 'b' }), () => null);
    expect(cache.size).toBe(2);
    const refused = cache.decision(key({ policyVersion: 'v2' }), () => () => new Error('now refused'));
    expect(cache.size).toBe(1);
    expect(refused.refusal).not.toBeNull();
  });

  it('is bounded', () => {
    const cache = new DocumentCache(3);
    for (let i = 0; i < 10; i++) cache.decision(key({ queryHash: `q${i}` }), () => null);
    expect(cache.size).toBe(3);
  });

  it('computes the cost again only when a variable the cost read changes', () => {
    const cache = new DocumentCache();
    const decision = cache.decision(key(), () => null);
    let computed = 0;
    const cost = (v: Record<string, unknown>) => {
      computed++;
      return 10 * Number(v.first ?? 1);
    };
    expect(cache.cost(decision, { id: 'A1234BC', first: 5 }, cost)).toBe(50);
    expect(decision.costVariables).toEqual(['first']);
    expect(cache.cost(decision, { id: 'X123456', first: 5 }, cost)).toBe(50); // id is not read by the cost
    expect(cache.cost(decision, { id: 'X123456', first: 7 }, cost)).toBe(70);
    expect(cache.cost(decision, { id: 'X123456' }, cost)).toBe(10);
    expect(cache.cost(decision, { id: 'X123456', first: null }, cost)).toBe(10);
    expect(computed).toBe(4);
  });
});
