// Reported: when the model's ids did not match the prompt's numbering, every company was dropped silently and the
// CLI exited 0 with "leads": []. No leads is a failure with numbers; few leads are shown with a warning.
import { describe, expect, it } from 'vitest';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { idsNotFromThePrompt, onlyFirstReasons } from '../support/reported-failures.js';
import { runCli } from '../support/run-cli.js';

describe('npm run leads with no or few leads', () => {
  it('exits 1 and says in numbers what happened when the model numbers its answers its own way', async () => {
    const harness = await startPipelineHarness({ brain: { corrupt: idsNotFromThePrompt } });
    const out = await runCli(['find me potential customers', '--json'], harness.env);

    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(
      /The run failed \(run [^)]+\): No leads: \d+ names found; .*\d+ without a usable score from the model/,
    );
    expect(out.stderr).toMatch(/Try a broader request/);
    expect(out.stderr).not.toMatch(/Top 0/);
  });

  it('shows fewer than five leads with a warning on the terminal and in stats.warnings', async () => {
    let corrupt = onlyFirstReasons(3);
    const harness = await startPipelineHarness({ brain: { corrupt: (...args) => corrupt(...args) } });
    const json = await runCli(['find me potential customers', '--json'], harness.env);
    expect(json.code, json.stderr.slice(-1500)).toBe(0);
    const doc = JSON.parse(json.stdout) as { leads: unknown[]; stats: { warnings: string[] } };
    expect(doc.leads).toHaveLength(3);
    expect(doc.stats.warnings).toEqual([
      'Low-quality result: only 3 leads qualified (fewer than 5).',
      expect.stringMatching(/^Showing 3 of the 10 leads asked for/),
    ]);

    corrupt = onlyFirstReasons(3);
    const text = await runCli(['find me potential customers', '--fresh'], harness.env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^Top 3 customers for AxleWave\n.*\nWarning: Low-quality result: only 3 leads qualified \(fewer than 5\)\.\nWarning: Showing 3 of the 10/,
    );
  });
});
