// Pages read directly (PAGE_READER=fetch), over node:http(s) so that every connection resolves its host through the
// checked lookup: public addresses only, checked on every DNS answer and again at every redirect, with caps on size,
// time and redirects. HTML becomes text with html-to-text; anything but HTML or plain text is not read.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { describeError } from '../errors.js';
import { htmlToText } from './html-text.js';
import type { PageBackend, PageFailureKind, PageReadFailure, RawPage } from './page-types.js';
import {
  assertFetchableUrl,
  BlockedAddressError,
  checkedLookup,
  systemResolve,
  type AddressPolicy,
  type Resolve,
} from './public-address.js';

export interface FetchReaderOptions {
  /** Per page, from the first byte asked for to the last byte read. */
  timeoutMs: number;
  /** Body bytes read at most (after decompression); the rest of a bigger page is not read. */
  maxBytes?: number;
  maxRedirects?: number;
  /** Pages read at once. */
  concurrency?: number;
  /**
   * Tests only: exact non-public addresses the reader may reach (their loopback fakes). No configuration variable
   * sets this; the wiring never passes it.
   */
  testOnlyAllowedAddresses?: readonly string[];
  /** Tests only: a DNS resolver answering what the test needs (rebinding, mixed answers). */
  testOnlyResolve?: Resolve;
}

export const FETCH_MAX_BYTES = 2_000_000;
const MAX_REDIRECTS = 5;
const USER_AGENT = 'Leads/1.0 (B2B lead research; reads pages search results link to)';
const READABLE = /^(text\/html|application\/xhtml\+xml|text\/plain)\b/i;

class PageFetchError extends Error {
  constructor(
    readonly kind: PageFailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** A page backend that fetches pages itself, refusing every address that is not public. */
export function createFetchReader(options: FetchReaderOptions): PageBackend {
  const policy: AddressPolicy = { allowed: options.testOnlyAllowedAddresses ?? [] };
  const lookup = checkedLookup(policy, options.testOnlyResolve ?? systemResolve);
  const maxBytes = options.maxBytes ?? FETCH_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  const concurrency = Math.max(1, options.concurrency ?? 4);

  async function readOne(url: string, signal: AbortSignal): Promise<RawPage> {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const both = AbortSignal.any([signal, deadline]);
    let current = new URL(url);
    for (let hop = 0; ; hop++) {
      assertFetchableUrl(current, policy);
      const response = await get(current, both, lookup).catch((error: unknown) => {
        if (deadline.aborted)
          throw new PageFetchError('timeout', `did not answer within ${options.timeoutMs / 1000} s`);
        throw error;
      });
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.destroy();
        if (hop >= maxRedirects) throw new PageFetchError('failed', `more than ${maxRedirects} redirects`);
        // The next hop is checked like the first: scheme, port, host name, and its own DNS answer at connect time.
        current = new URL(location, current);
        continue;
      }
      if (status < 200 || status >= 300) {
        response.destroy();
        throw new PageFetchError(status === 429 ? 'rate_limited' : 'failed', `answered HTTP ${status}`);
      }
      const type = String(response.headers['content-type'] ?? 'text/html');
      if (!READABLE.test(type)) {
        response.destroy();
        throw new PageFetchError('not_text', `is ${type.split(';')[0]}, not a web page`);
      }
      const body = await readCapped(response, maxBytes, both).catch((error: unknown) => {
        if (deadline.aborted) throw new PageFetchError('timeout', `was not read within ${options.timeoutMs / 1000} s`);
        throw error;
      });
      const text = decode(body, type);
      if (/^text\/plain/i.test(type)) return { url, title: '', text };
      const page = htmlToText(text);
      return { url, title: page.title, text: page.text };
    }
  }

  return {
    name: 'fetch',
    async read(urls, signal) {
      const pages: RawPage[] = [];
      const failures: PageReadFailure[] = [];
      let next = 0;
      const worker = async () => {
        while (next < urls.length) {
          const url = urls[next++] as string;
          try {
            pages.push(await readOne(url, signal));
          } catch (error) {
            if (signal.aborted) throw error;
            failures.push(failureOf(url, error));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));
      return { pages, failures };
    },
  };
}

function failureOf(url: string, error: unknown): PageReadFailure {
  if (error instanceof BlockedAddressError) return { url, kind: 'blocked', reason: error.message };
  if (error instanceof PageFetchError) return { url, kind: error.kind, reason: error.message };
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EBLOCKED') return { url, kind: 'blocked', reason: describeError(error) };
  if (error instanceof TypeError) return { url, kind: 'failed', reason: 'is not a valid URL' };
  return { url, kind: 'failed', reason: `could not be read (${code ?? describeError(error)})` };
}

function get(url: URL, signal: AbortSignal, lookup: ReturnType<typeof checkedLookup>): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        // A connection of its own: a pooled socket could have been opened by someone else, to an unchecked address.
        agent: false,
        lookup: lookup as never,
        signal,
        headers: {
          'user-agent': USER_AGENT,
          accept: 'text/html,application/xhtml+xml,text/plain;q=0.8',
          'accept-encoding': 'gzip, deflate, br',
        },
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}

/** The body, decompressed, stopping at `maxBytes` (a bigger page is read up to there; a zip bomb goes no further). */
async function readCapped(response: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  let stream: Readable = response;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(createGunzip());
  else if (encoding === 'deflate') stream = response.pipe(createInflate());
  else if (encoding === 'br') stream = response.pipe(createBrotliDecompress());
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      if (signal.aborted) break;
      const buffer = chunk as Buffer;
      chunks.push(buffer.subarray(0, Math.max(0, maxBytes - size)));
      size += buffer.length;
      if (size >= maxBytes) break;
    }
  } finally {
    response.destroy();
    if (stream !== response) stream.destroy();
  }
  if (signal.aborted) throw new PageFetchError('timeout', 'was cut off by the time limit');
  return Buffer.concat(chunks);
}

/** Bytes to text in the charset the server names (UTF-8 when it names none or one this runtime lacks). */
function decode(body: Buffer, contentType: string): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
