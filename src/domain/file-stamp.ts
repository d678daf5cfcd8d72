// One clock for file names: results_cache/ and prompt_logs/ files sort and compare the same way on every machine.

/** YYYYMMDD_HHMMSS in UTC, the stamp in results_cache/<intent>_<stamp>.json and prompt_logs/session_<stamp>.jsonl. */
export function fileStamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}_${iso.slice(11, 19).replace(/:/g, '')}`;
}
