import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-config-'));
const pem = join(dir, 'x.pem');
writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n');

const valid = {
  TLS_KEY_FILE: pem,
  TLS_CERT_FILE: pem,
  CONSUMER_CA_FILE: pem,
  HMPPS_AUTH_URL: 'http://127.0.0.1:1',
  CLIENT_ID: 'id',
  CLIENT_SECRET: 'secret',
  PRISON_API_URL: 'http://127.0.0.1:2',
  PRISONER_SEARCH_URL: 'http://127.0.0.1:3/',
  ALERTS_API_URL: 'http://127.0.0.1:4',
  MANAGE_POM_URL: 'http://127.0.0.1:5',
  PROBATION_SEARCH_URL: 'http://127.0.0.1:6',
  DELIUS_INTEGRATION_URL: 'http://127.0.0.1:7',
  PERSON_RECORD_URL: 'http://127.0.0.1:8',
  ARNS_API_URL: 'http://127.0.0.1:10',
  CVL_API_URL: 'http://127.0.0.1:11',
  CASE_NOTES_API_URL: 'http://127.0.0.1:9',
  ADJUDICATIONS_API_URL: 'http://127.0.0.1:18',
  INCENTIVES_API_URL: 'http://127.0.0.1:15',
  HEALTH_AND_MEDICATION_API_URL: 'http://127.0.0.1:16',
  NON_ASSOCIATIONS_API_URL: 'http://127.0.0.1:17',
  PERSONAL_RELATIONSHIPS_API_URL: 'http://127.0.0.1:13',
  PRISON_VISITS_API_URL: 'http://127.0.0.1:14',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('configuration', () => {
  it('loads a complete environment with defaults', () => {
    const config = loadConfig(valid);
    expect(config.consumerListener.port).toBe(8443);
    expect(config.managementListener.port).toBe(9090);
    expect(config.upstreams.prisonerSearch.baseUrl).toBe('http://127.0.0.1:3');
    expect(config.devListener.enabled).toBe(true);
  });

  it('names every missing or malformed setting at once', () => {
    const problems = problemsOf({ ...valid, PRISON_API_URL: 'not a url', CONSUMER_PORT: '70000', CLIENT_ID: '' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PRISON_API_URL'),
        expect.stringContaining('CONSUMER_PORT'),
        expect.stringContaining('CLIENT_ID is required'),
      ]),
    );
  });

  it('refuses the development listener in production', () => {
    expect(problemsOf({ ...valid, NODE_ENV: 'production', DEV_LISTENER: 'true' })).toEqual([
      expect.stringContaining('DEV_LISTENER must not be enabled in production'),
    ]);
    expect(loadConfig({ ...valid, NODE_ENV: 'production' }).devListener.enabled).toBe(false);
  });

  it('keeps the development listener on loopback', () => {
    expect(problemsOf({ ...valid, DEV_LISTENER_HOST: '0.0.0.0' })).toEqual([expect.stringContaining('loopback')]);
  });

  it('reports unreadable certificate files by variable name', () => {
    expect(problemsOf({ ...valid, TLS_KEY_FILE: join(dir, 'missing.pem') })).toEqual([
      expect.stringContaining('TLS_KEY_FILE: cannot read'),
    ]);
  });
});
