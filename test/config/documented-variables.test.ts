import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config.js';

const read = (path: string) => readFileSync(path, 'utf8');

describe('the configuration’s documentation', () => {
  it('names every variable the code reads in .env.example, the README and docs/architecture.md', () => {
    const example = read('.env.example');
    const readme = read('README.md');
    const architecture = read('docs/architecture.md');
    for (const name of CONFIG_VARIABLES) {
      expect(new RegExp(`^${name}=`, 'm').test(example), `${name} in .env.example`).toBe(true);
      expect(readme.includes(`\`${name}\``), `${name} in README.md`).toBe(true);
      expect(architecture.includes(`\`${name}\``), `${name} in docs/architecture.md`).toBe(true);
    }
  });
});
