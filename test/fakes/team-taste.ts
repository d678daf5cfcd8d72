import { blockText } from './prompt-structure.js';

// How the fake model honours a team's marks in a scoring prompt. It reads only structured data: the lines of the
// "team preferences" data block ("Good fit: <name> (<industry> · <size> · <City, Region>)…") and each company's
// "HQ:" fact, never the prose around them. A company the team marked moves strongly; companies from the same
// region as a mark move a little, which is the "resemblance" a small model would pick up.

const SAME_COMPANY_POINTS = 30;
const SAME_REGION_POINTS = 12;

interface Mark {
  verdict: 'good' | 'bad';
  name: string;
  region?: string;
}

/** The marks in a prompt's team-preferences block (empty when it has none). */
export function marksIn(prompt: string): Mark[] {
  const block = blockText(prompt, 'team preferences');
  if (!block) return [];
  return block.split('\n').flatMap((line) => {
    const m = /^(Good fit|Not a fit): (.+?)(?: \((.*?)\))?(?:\. Reason: .*)?$/.exec(line);
    if (!m) return [];
    const facts = (m[3] ?? '').split(' · ');
    return [
      {
        verdict: m[1] === 'Good fit' ? 'good' : 'bad',
        name: m[2]!.trim(),
        region: regionOf(facts[facts.length - 1] ?? ''),
      },
    ];
  });
}

/** Points to add to a company's fit for this prompt's marks: + for resembling Good fit marks, − for Not a fit. */
export function tasteAdjustment(prompt: string, company: { name: string; headquarters?: string }): number {
  const marks = marksIn(prompt);
  if (marks.length === 0) return 0;
  const sign = (mark: Mark) => (mark.verdict === 'good' ? 1 : -1);
  const same = marks.find((mark) => mark.name.toLowerCase() === company.name.toLowerCase());
  if (same) return sign(same) * SAME_COMPANY_POINTS;
  const region = regionOf(company.headquarters ?? '');
  if (!region) return 0;
  const votes = marks.filter((mark) => mark.region === region).reduce((sum, mark) => sum + sign(mark), 0);
  return Math.sign(votes) * SAME_REGION_POINTS;
}

/** The HQ fact in a company block's body ("… | HQ: Dallas, Texas | …"). */
export function headquartersIn(body: string): string | undefined {
  return /HQ: ([^|\n]+)/.exec(body)?.[1]?.trim();
}

function regionOf(headquarters: string): string | undefined {
  const parts = headquarters.split(',');
  return parts.length > 1 ? parts[parts.length - 1]!.trim().toLowerCase() : undefined;
}
