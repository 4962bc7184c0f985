/**
 * A jest fixture (kept apart from harness.ts, which bench scripts import outside jest).
 */
import { afterAll, beforeAll } from '@jest/globals';
import { client, type Client, type SecurityCertificates } from '../../../local-stack/consumer-identities.js';

/**
 * One keep-alive client per named consumer of a stack's certificates: made in `beforeAll` (after the
 * stack's own, which starts the gateway), closed in `afterAll`. Answers the client of a consumer.
 */
export function useConsumerClients(
  stack: { gateway: { consumerUrl: string }; certs: Pick<SecurityCertificates, 'ca' | 'consumers'> },
  names: readonly string[],
): (consumer: string) => Client {
  const clients: Record<string, Client> = {};
  beforeAll(() => {
    for (const name of names) clients[name] = client(stack.gateway.consumerUrl, { ca: stack.certs.ca, identity: stack.certs.consumers[name]! });
  });
  afterAll(() => {
    for (const c of Object.values(clients)) c.close();
  });
  return (consumer) => {
    const c = clients[consumer];
    if (!c) throw new Error(`no client for consumer ${consumer}`);
    return c;
  };
}
