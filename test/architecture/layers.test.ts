import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

async function violationsIn(baseDir: string): Promise<string[]> {
  const config = (await import(join(process.cwd(), '.dependency-cruiser.mjs'))) as {
    default: { options: Record<string, unknown> };
  };
  const { options, ...rules } = config.default;
  const { output } = await cruise(['src'], { ...options, baseDir, ruleSet: rules, validate: true } as never);
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('architecture layers', () => {
  it('holds for the code as it is: no import runs back up a layer', async () => {
    expect(await violationsIn(process.cwd())).toEqual([]);
  });

  it('rejects a domain module that imports the orchestrator', async () => {
    expect(await violationsIn(join(process.cwd(), 'test/fixtures/upward-import'))).toEqual([
      'domain-is-the-lowest-layer: src/domain/leads.ts -> src/pipeline/orchestrator.ts',
    ]);
  });

  it('rejects the domain or an agent importing the profile loader, whose type lives in the domain', async () => {
    expect((await violationsIn(join(process.cwd(), 'test/fixtures/profile-import'))).sort()).toEqual([
      'domain-is-the-lowest-layer: src/domain/grounding.ts -> src/profile/company-profile.ts',
      'profile-loader-is-for-the-wiring: src/agents/intent.ts -> src/profile/company-profile.ts',
      'profile-loader-is-for-the-wiring: src/domain/grounding.ts -> src/profile/company-profile.ts',
    ]);
  });
});
