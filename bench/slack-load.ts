export interface SlackLoadResult {
  commands: number;
  ackP50Ms: number;
  ackP99Ms: number;
  completed: number;
  maxLlmInFlight: number;
  llmConcurrency: number;
  wallMs: number;
}
export async function runSlackLoad(_options: { commands: number; cost: object; searchLatencyMs: number }): Promise<SlackLoadResult> {
  throw new Error('Slack load scenario not written yet');
}
