import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createScrubber, secretsOf } from '../../src/secrets.js';
import { tempDir } from '../support/temp-dir.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a configuration error');
}

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

describe('configuration of Salesforce', () => {
  it('offers Salesforce only with a consumer key, and reads the client credentials flow, keeping the secret secret', () => {
    expect(loadConfig({}).salesforce).toBeUndefined();
    const config = loadConfig({
      SALESFORCE_LOGIN_URL: 'https://axlewave.my.salesforce.com/',
      SALESFORCE_CLIENT_ID: '3MVG9consumerkey',
      SALESFORCE_CLIENT_SECRET: 'consumer-secret-0123456789',
    });
    expect(config.salesforce).toEqual({
      loginUrl: 'https://axlewave.my.salesforce.com',
      apiVersion: '62.0',
      credentials: {
        flow: 'client_credentials',
        clientId: '3MVG9consumerkey',
        clientSecret: 'consumer-secret-0123456789',
      },
    });
    expect(createScrubber(secretsOf(config))('secret consumer-secret-0123456789')).toBe('secret [REDACTED]');
  });

  it('reads the JWT bearer flow with a key inline (\\n escapes for .env) or from a file, and scrubs the key', () => {
    const inline = loadConfig({
      SALESFORCE_CLIENT_ID: '3MVG9consumerkey',
      SALESFORCE_USERNAME: 'leads@axlewave.com',
      SALESFORCE_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
    });
    expect(inline.salesforce?.credentials).toEqual({
      flow: 'jwt_bearer',
      clientId: '3MVG9consumerkey',
      username: 'leads@axlewave.com',
      privateKey: pem,
    });
    expect(createScrubber(secretsOf(inline))(`key ${pem}`)).toBe('key [REDACTED]');
    const file = join(tempDir('leads-sf-'), 'server.key');
    writeFileSync(file, pem);
    const fromFile = loadConfig({
      SALESFORCE_CLIENT_ID: '3MVG9consumerkey',
      SALESFORCE_USERNAME: 'leads@axlewave.com',
      SALESFORCE_PRIVATE_KEY_FILE: file,
    });
    expect(fromFile.salesforce?.credentials).toMatchObject({ flow: 'jwt_bearer', privateKey: pem });
  });

  it('names what is missing or contradictory, and never echoes a secret or a key', () => {
    expect(problemsOf({ SALESFORCE_CLIENT_SECRET: 'lonely-secret-0123456789' })).toMatch(
      /SALESFORCE_CLIENT_ID: is required with SALESFORCE_CLIENT_SECRET/,
    );
    expect(problemsOf({ SALESFORCE_CLIENT_ID: 'x' })).toMatch(
      /SALESFORCE_CLIENT_SECRET: is required with SALESFORCE_CLIENT_ID/,
    );
    expect(
      problemsOf({
        SALESFORCE_CLIENT_ID: 'x',
        SALESFORCE_CLIENT_SECRET: 'secret-0123456789',
        SALESFORCE_USERNAME: 'u@x.com',
      }),
    ).toMatch(/SALESFORCE_CLIENT_SECRET: and SALESFORCE_USERNAME are both set/);
    expect(problemsOf({ SALESFORCE_CLIENT_ID: 'x', SALESFORCE_USERNAME: 'u@x.com' })).toMatch(
      /SALESFORCE_PRIVATE_KEY: or SALESFORCE_PRIVATE_KEY_FILE is required with SALESFORCE_USERNAME/,
    );
    const bad = problemsOf({
      SALESFORCE_CLIENT_ID: 'x',
      SALESFORCE_USERNAME: 'u@x.com',
      SALESFORCE_PRIVATE_KEY: 'not-a-key-but-secret-0123456789',
    });
    expect(bad).toMatch(/SALESFORCE_PRIVATE_KEY: is not a PEM private key/);
    expect(bad).not.toContain('secret-0123456789');
    expect(
      problemsOf({
        SALESFORCE_CLIENT_ID: 'x',
        SALESFORCE_USERNAME: 'u@x.com',
        SALESFORCE_PRIVATE_KEY_FILE: '/nonexistent/key.pem',
      }),
    ).toMatch(/SALESFORCE_PRIVATE_KEY_FILE: cannot be read \(ENOENT\)/);
    expect(problemsOf({ SALESFORCE_API_VERSION: 'v62' })).toMatch(/SALESFORCE_API_VERSION: must be a REST API version/);
  });
});

describe('App Home’s description of Salesforce', () => {
  it('names the login host and the flow, never the secret', async () => {
    const { describeSetup } = await import('../../src/slack/describe-setup.js');
    const setup = describeSetup(
      loadConfig({
        SALESFORCE_LOGIN_URL: 'https://axlewave.my.salesforce.com',
        SALESFORCE_CLIENT_ID: '3MVG9consumerkey',
        SALESFORCE_CLIENT_SECRET: 'consumer-secret-0123456789',
      }),
    );
    expect(setup.salesforce).toBe('axlewave.my.salesforce.com (client credentials)');
    expect(JSON.stringify(setup)).not.toContain('consumer-secret');
  });
});
