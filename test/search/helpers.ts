// Small shared pieces for the search tests: a silent logger, a counting meter, a memory cache, HTML-laden hits.
import Keyv from 'keyv';
import { pino } from 'pino';
import type { UsageMeter } from '../../src/llm/types.js';
import { WorkCache } from '../../src/store/cache.js';
import type { FakeSearchHit } from '../fakes/search-corpus.js';

export const silentLogger = pino({ level: 'silent' });

export function memoryCache(): WorkCache {
  return new WorkCache(new Keyv());
}

export interface CountingMeter extends UsageMeter {
  searches: string[];
  cacheHits: string[];
}

export function countingMeter(): CountingMeter {
  const meter: CountingMeter = {
    searches: [],
    cacheHits: [],
    llmCall: () => undefined,
    search: (provider) => meter.searches.push(provider),
    cacheHit: (kind) => meter.cacheHits.push(kind),
  };
  return meter;
}

/** Hits as providers really return them: entities, bold tags, and addresses that are not web pages. */
export const MESSY_HITS: FakeSearchHit[] = [
  {
    title: 'Lithia &amp; Driveway',
    url: 'https://www.lithiadriveway.com/',
    snippet: 'A <b>dealer group</b> that&#39;s growing &mdash; fast &#x2014; in&nbsp;Oregon',
  },
  { title: 'Mailto link', url: 'mailto:sales@example.com', snippet: 'not a page' },
  { title: 'Relative link', url: '/about', snippet: 'not absolute' },
  { title: 'FTP', url: 'ftp://files.example.com/list.csv', snippet: 'not http' },
  {
    title: '<em>AutoNation</em> Inc.',
    url: 'https://www.autonation.com/about',
    snippet: 'Fort Lauderdale, <i>Florida</i>',
  },
];

export const CLEAN_EXPECTED = [
  {
    title: 'Lithia & Driveway',
    url: 'https://www.lithiadriveway.com/',
    snippet: "A dealer group that's growing — fast — in Oregon",
  },
  { title: 'AutoNation Inc.', url: 'https://www.autonation.com/about', snippet: 'Fort Lauderdale, Florida' },
];

export function signal(): AbortSignal {
  return new AbortController().signal;
}
