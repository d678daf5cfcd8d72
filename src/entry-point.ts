// The two entry points (src/cli.ts, src/slack/main.ts) run their main() only when started as a program, not when
// a test imports them. Started through the `leads` bin, argv[1] is a symlink, so compare real paths.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** True when the module at `moduleUrl` is the script node was started with (directly or through a bin link). */
export function isEntryPoint(moduleUrl: string, script: string | undefined = process.argv[1]): boolean {
  if (script === undefined) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === moduleUrl;
  } catch {
    return false;
  }
}
