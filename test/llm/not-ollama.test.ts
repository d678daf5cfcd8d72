// OLLAMA_HOST pointing at something that is not Ollama (a web server, another API) is told apart from a model
// that is not pulled, and no message ever carries more than one short line of what the server answered.
import { describe, expect, it } from 'vitest';
import { LlmUnavailableError } from '../../src/errors.js';
import { createOllamaProvider } from '../../src/llm/ollama-provider.js';
import { startFakeOllama } from '../fakes/fake-ollama.js';
import { startLoopbackServer, type FakeReply } from '../fakes/loopback-server.js';
import { clientFor, requestFor } from './helpers.js';

const HTML_PAGE = `<!DOCTYPE html>\n<html>\n<head><title>Welcome to nginx!</title></head>\n<body>\n<h1>Welcome</h1>\n${'<p>lorem ipsum</p>\n'.repeat(400)}</body>\n</html>\n`;

async function failureFrom(reply: FakeReply) {
  const server = await startLoopbackServer(() => reply);
  const client = clientFor(createOllamaProvider({ host: server.url, model: 'llama3.1:8b' }));
  const error = await client.generateObject(requestFor()).then(
    () => new Error('expected a failure'),
    (failure: Error) => failure,
  );
  return { error, server };
}

describe('a server that is not Ollama', () => {
  it.each([
    [
      'a web server answering 404 with an HTML page',
      { status: 404, headers: { 'content-type': 'text/html' }, body: HTML_PAGE },
    ],
    [
      'a server answering 501 Not Implemented with an HTML page',
      {
        status: 501,
        headers: { 'content-type': 'text/html' },
        body: HTML_PAGE.replace('Welcome to nginx!', '501 Not Implemented'),
      },
    ],
    [
      'another JSON API answering 404',
      { status: 404, body: { message: 'Route POST:/api/chat not found', error: 'Not Found', statusCode: 404 } },
    ],
    [
      'a web server answering 200 with a page',
      { status: 200, headers: { 'content-type': 'text/html' }, body: HTML_PAGE },
    ],
  ] as [string, FakeReply][])('%s: "not an Ollama server", one line at most, and no retries', async (_label, reply) => {
    const { error, server } = await failureFrom(reply);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toMatch(
      /^The language model at http:\/\/127\.0\.0\.1:\d+ \(llama3\.1:8b\) is not an Ollama server \(.+\); point OLLAMA_HOST at Ollama/,
    );
    expect(error.message).not.toMatch(/not pulled|ollama pull/);
    expect(error.message).not.toContain('\n');
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).not.toContain('lorem ipsum');
    expect(server.requests).toHaveLength(1);
  });

  it('the health check says the same rather than "model not pulled"', async () => {
    const server = await startLoopbackServer(() => ({
      status: 404,
      headers: { 'content-type': 'text/html' },
      body: HTML_PAGE,
    }));
    const client = clientFor(createOllamaProvider({ host: server.url, model: 'llama3.1:8b' }));
    await expect(client.ping()).rejects.toThrow(/is not an Ollama server/);
  });

  it('a real Ollama without the model still says to pull it', async () => {
    const ollama = await startFakeOllama({ models: ['mistral:7b'], respond: () => ({}) });
    const client = clientFor(createOllamaProvider({ host: ollama.url, model: 'llama3.1:8b' }));
    await expect(client.generateObject(requestFor())).rejects.toThrow(
      /model llama3\.1:8b is not pulled on .*; run `ollama pull llama3\.1:8b`/,
    );
  });
});
