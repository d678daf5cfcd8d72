// deploy/docker-compose.yml and the Dockerfile must run what package.json actually has: every command they run
// exists, every file they copy or start exists, and every variable they set is one the app documents.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(resolve(REPO, path), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
}

const compose = parse(read('deploy/docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const documented = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));

/** The package.json script an `npm start` / `npm run <name>` command runs, or undefined for other commands. */
function scriptOf(command: string[]): { name: string; body: string | undefined } | undefined {
  if (command[0] !== 'npm') return undefined;
  const name = command[1] === 'start' ? 'start' : command[1] === 'run' ? command[2]! : command[1]!;
  return { name, body: scripts[name] };
}

/** The files a script starts (src/….ts, or dist/….js built from src/….ts), which must be in the repository. */
function filesStartedBy(script: string): string[] {
  return [...script.matchAll(/\b((?:src|dist)\/[\w/.-]+\.(?:ts|js))\b/g)].map((m) =>
    m[1]!.replace(/^dist\/(.+)\.js$/, 'src/$1.ts'),
  );
}

function dockerfileCmd(): string[] {
  const line = read('Dockerfile')
    .split('\n')
    .find((l) => l.startsWith('CMD '));
  return JSON.parse(line!.slice(4)) as string[];
}

describe('deploy/docker-compose.yml', () => {
  it('parses, and runs an app, workers, Redis and Ollama', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'ollama', 'redis', 'worker']);
    expect(compose.services.redis!.image).toMatch(/^redis:/);
    expect(compose.services.ollama!.image).toMatch(/^ollama\/ollama/);
    // Redis keeps its data across a restart, so queued jobs and checkpoints survive one.
    expect(compose.services.redis!.command).toEqual(['redis-server', '--appendonly', 'yes']);
  });

  it('runs commands that exist: each npm command is a package.json script whose files are in the repository', () => {
    const commands = [
      ...Object.values(compose.services).flatMap((s) => (s.command ? [s.command] : [])),
      dockerfileCmd(),
    ];
    const npmCommands = commands.map(scriptOf).filter((s) => s !== undefined);
    expect(npmCommands.map((s) => s.name).sort()).toEqual(['start', 'start', 'worker']);
    for (const { name, body } of npmCommands) {
      expect(body, `package.json has no "${name}" script`).toBeDefined();
      const files = filesStartedBy(body!);
      expect(files.length, `"${name}" starts no file of ours`).toBeGreaterThan(0);
      for (const file of files) expect(existsSync(resolve(REPO, file)), `${file} (from "${name}")`).toBe(true);
    }
    expect(compose.services.app!.command).toEqual(['npm', 'start']);
    expect(compose.services.worker!.command).toEqual(['npm', 'run', 'worker']);
  });

  it('builds app and worker from the Dockerfile, which copies only what exists', () => {
    for (const name of ['app', 'worker']) {
      const build = compose.services[name]!.build!;
      expect(existsSync(resolve(REPO, 'deploy', build.context, build.dockerfile))).toBe(true);
    }
    // Copies from the repository (not from the build stage) name files that are there.
    const copies = [...read('Dockerfile').matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(copies.length).toBeGreaterThan(0);
    for (const source of copies) expect(existsSync(resolve(REPO, source)), `COPY ${source}`).toBe(true);
  });

  it('compiles dist/ in the image the way npm install does, and ships it: the scripts run compiled JavaScript', () => {
    const dockerfile = read('Dockerfile');
    const buildInputs = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src'];
    const ci = dockerfile.indexOf('RUN npm ci');
    expect(ci).toBeGreaterThan(0);
    // `npm ci` runs `prepare`, which is the build; everything the build reads is copied in before it.
    expect(scripts.prepare).toBe('npm run build');
    // The compiler, then the CLI's executable mode (tsc writes files without it; `npx leads` needs it).
    expect(scripts.build).toMatch(
      /^tsc -p tsconfig\.build\.json && node -e "require\('node:fs'\)\.chmodSync\('dist\/cli\.js', 0o755\)"$/,
    );
    for (const input of buildInputs) {
      const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].find((m) =>
        m[1]!.split(/\s+/).includes(input),
      );
      expect(copied, `COPY ${input}`).toBeDefined();
      expect(copied!.index).toBeLessThan(ci);
    }
    // The build needs TypeScript (a development dependency); they are pruned only after it.
    expect(dockerfile).not.toMatch(/npm ci((?!&&)[^\n])*--omit=dev/);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/node_modules \.\/node_modules$/m);
    for (const name of ['start', 'worker']) expect(scripts[name]).toMatch(/^node dist\/[\w/-]+\.js$/);
  });

  it('sets only variables the app documents in .env.example, and the ones scale-out needs', () => {
    for (const name of ['app', 'worker']) {
      const env = compose.services[name]!.environment!;
      for (const variable of Object.keys(env))
        expect(documented.has(variable), `${variable} in .env.example`).toBe(true);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.OLLAMA_HOST).toBe('http://ollama:11434');
    }
    expect(compose.services.app!.environment!.WORKERS).toBe('external');
  });

  it('gives SIGTERM more time than SHUTDOWN_GRACE_MS, so a worker can hand its job back before it is killed', () => {
    for (const name of ['app', 'worker']) {
      const service = compose.services[name]!;
      const graceMs = Number(service.environment!.SHUTDOWN_GRACE_MS);
      const stopMs = Number(/^(\d+)s$/.exec(service.stop_grace_period!)![1]) * 1000;
      expect(stopMs).toBeGreaterThan(graceMs);
    }
  });

  it('checks the app through /healthz with a command the image has (node, not curl)', () => {
    const test = compose.services.app!.healthcheck!.test;
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(test[3]).toContain('/healthz');
  });
});
