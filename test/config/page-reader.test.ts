import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('PAGE_READER', () => {
  it('defaults to Tavily extract and takes fetch or none, in any case', () => {
    expect(loadConfig({}).pageReader).toBe('tavily');
    expect(loadConfig({ PAGE_READER: 'Fetch' }).pageReader).toBe('fetch');
    expect(loadConfig({ PAGE_READER: ' none ' }).pageReader).toBe('none');
  });

  it('names the variable and the choices for anything else', () => {
    expect(() => loadConfig({ PAGE_READER: 'chrome' })).toThrow(/PAGE_READER: must be tavily, fetch or none/);
  });
});
