// Small helpers shared by the pipeline tests: catching a run's failure, reading the prompts the model was sent.
import { RunFailedError } from '../../src/domain/types.js';
import type { FakeChatRequest } from '../fakes/fake-ollama.js';

/** The RunFailedError a run rejected with; fails the test if it resolved or threw something else. */
export async function failureOf(work: Promise<unknown>): Promise<RunFailedError> {
  const outcome = await work.then(
    () => new Error('expected the run to fail, but it succeeded'),
    (error: unknown) => error,
  );
  if (!(outcome instanceof RunFailedError)) throw outcome;
  return outcome;
}

const DATA_BLOCK = /<data label="[^"]*">\n[\s\S]*?\n<\/data>/g;

/** What a prompt says outside its <data> blocks: the only text the model may take as instructions. */
export function outsideDataBlocks(text: string): string {
  return text.replace(DATA_BLOCK, '[data]');
}

/** The user messages of every chat the fake LLM received (system messages are fixed text; assistant ones are echoes). */
export function promptsSent(calls: readonly FakeChatRequest[]): string[] {
  return calls.flatMap((call) => call.messages.filter((m) => m.role === 'user').map((m) => m.content));
}

/** The company names a scoring or enrichment prompt lists, in order of their ids. */
export function companiesInPrompt(prompt: string): string[] {
  return [...prompt.matchAll(/^Company \d+\n<data label="[^"]*">\nName: (.+)$/gm)].map((m) => m[1] as string);
}
