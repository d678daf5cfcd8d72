import { basename } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createPromptLog } from '../../src/llm/prompt-log.js';
import { writeResultsFile } from '../../src/pipeline/results-file.js';
import { tempDir } from '../support/temp-dir.js';

describe('file names under DATA_DIR', () => {
  it('stamps results and prompt-log files with the same UTC time whatever the machine’s time zone', async () => {
    vi.stubEnv('TZ', 'Asia/Tokyo');
    const at = new Date('2025-01-02T23:30:05Z');
    expect(at.getDate()).toBe(3); // local time in Tokyo is already the next day
    const dir = tempDir('leads-names-');
    const doc = {
      runId: 'run_1',
      request: 'find customers',
      intent: { intent: 'customer' as const, confidence: 1, constraints: {} },
      leads: [],
      stats: {
        llmCalls: 0,
        promptTokens: 0,
        outputTokens: 0,
        searches: 0,
        cacheHits: 0,
        durationMs: 0,
        stageMs: {},
        warnings: [],
      },
    };
    expect(basename(await writeResultsFile(dir, 'cli', doc, at))).toBe('customer_20250102_233005.json');
    expect(basename(createPromptLog({ dir, scrub: (t) => t, startedAt: at }).path)).toBe(
      'session_20250102_233005.jsonl',
    );
  });
});
