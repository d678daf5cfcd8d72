// What the fake model "knows": the companies of a fake web, how pages write their facts, and how well each fits.
// Like a real model it recognises names it has read about; it learns nothing from a prompt's wording.

export type WorldKind = 'customer' | 'partner' | 'competitor' | 'self' | 'other';
export type FactField = 'hq' | 'size' | 'industry';

export interface WorldCompany {
  name: string;
  /** Other ways pages write the name ("Harbor Auto Holdings, Inc."). */
  variants: string[];
  kind: WorldKind;
  /** The fit a careful reader gives it as a lead of its own kind, 0-100. */
  fit: number;
  /** Its own website's registrable domain, when it has one. */
  domain?: string;
  /** True facts as pages write them; the first of each is the canonical form. */
  facts: Partial<Record<FactField, string[]>>;
  /** One thing the news says about it, for rationales. */
  signal?: string;
}

/** Lowercase letters and digits only, without a legal suffix: how names are compared. */
export function nameSlug(name: string): string {
  return name
    .replace(/,?\s+(inc|llc|ltd|corp|co)\.?$/i, '')
    .toLowerCase()
    .replace(/&/g, '')
    .replace(/[^a-z0-9]+/g, '');
}

/** A world of companies the fake model recognises by name. */
export class FakeWorld {
  private readonly bySlug = new Map<string, WorldCompany>();

  constructor(readonly companies: readonly WorldCompany[]) {
    for (const company of companies) {
      for (const name of [company.name, ...company.variants])
        if (!this.bySlug.has(nameSlug(name))) this.bySlug.set(nameSlug(name), company);
    }
  }

  /** The company a name refers to, if the world knows it. */
  find(name: string): WorldCompany | undefined {
    return this.bySlug.get(nameSlug(name));
  }

  /** Companies a text names, in order of first mention, each with the name as the text writes it. */
  mentionsIn(text: string): { company: WorldCompany; written: string }[] {
    const found: { company: WorldCompany; written: string; at: number }[] = [];
    for (const company of this.companies) {
      let best: { written: string; at: number } | undefined;
      // Longest names first, so "Harbor Auto Holdings, Inc." is read whole rather than as "Harbor Auto Holdings".
      for (const written of [...company.variants, company.name].sort((a, b) => b.length - a.length)) {
        const at = text.indexOf(written);
        if (at >= 0 && (!best || at < best.at)) best = { written, at };
      }
      if (best) found.push({ company, ...best });
    }
    return found.sort((a, b) => a.at - b.at).map(({ company, written }) => ({ company, written }));
  }
}

export type WantedKind = 'customer' | 'partner' | 'both';

/** What the user's own words (the request block) ask for; the model reads them as any reader would. */
export function wantedKind(request: string | undefined): WantedKind {
  const text = (request ?? '').toLowerCase();
  const partner = /partner|integrat|vendor|lender/.test(text);
  const customer = /customer|client|sell to|buy|dealer group|dealers/.test(text);
  if (/\bboth\b/.test(text) || (partner && customer)) return 'both';
  return partner ? 'partner' : 'customer';
}

/** The fit a careful model gives a company for what is wanted: full for the right kind, low otherwise. */
export function fitFor(company: WorldCompany | undefined, wanted: WantedKind): number {
  if (!company) return 12;
  if (company.kind === 'other') return 8;
  if (company.kind === 'competitor' || company.kind === 'self') return company.fit;
  const right = wanted === 'both' || company.kind === wanted;
  return right ? company.fit : Math.max(0, company.fit - 55);
}
