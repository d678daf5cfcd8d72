import { plainWords } from './grounding.js';

// Pages write one fact many ways: "HQ: Duluth, GA", "headquartered in Duluth, Ga.", "Ft. Lauderdale", "200+ stores",
// "more than 200 dealerships", "1.2k employees". These read both the proposed fact and the page into one form, so a
// true fact survives however it is phrased and a false one (another city, another number) still does not.

const REGIONS: Record<string, string[]> = {
  alabama: ['al', 'ala'],
  alaska: ['ak'],
  arizona: ['az', 'ariz'],
  arkansas: ['ar', 'ark'],
  california: ['ca', 'calif', 'cal'],
  colorado: ['co', 'colo'],
  connecticut: ['ct', 'conn'],
  delaware: ['de', 'del'],
  florida: ['fl', 'fla'],
  georgia: ['ga'],
  hawaii: ['hi'],
  idaho: ['id'],
  illinois: ['il', 'ill'],
  indiana: ['in', 'ind'],
  iowa: ['ia'],
  kansas: ['ks', 'kan', 'kans'],
  kentucky: ['ky'],
  louisiana: ['la'],
  maine: ['me'],
  maryland: ['md'],
  massachusetts: ['ma', 'mass'],
  michigan: ['mi', 'mich'],
  minnesota: ['mn', 'minn'],
  mississippi: ['ms', 'miss'],
  missouri: ['mo'],
  montana: ['mt', 'mont'],
  nebraska: ['ne', 'neb', 'nebr'],
  nevada: ['nv', 'nev'],
  'new hampshire': ['nh'],
  'new jersey': ['nj'],
  'new mexico': ['nm'],
  'new york': ['ny'],
  'north carolina': ['nc'],
  'north dakota': ['nd'],
  ohio: ['oh'],
  oklahoma: ['ok', 'okla'],
  oregon: ['or', 'ore'],
  pennsylvania: ['pa', 'penn'],
  'rhode island': ['ri'],
  'south carolina': ['sc'],
  'south dakota': ['sd'],
  tennessee: ['tn', 'tenn'],
  texas: ['tx', 'tex'],
  utah: ['ut'],
  vermont: ['vt'],
  virginia: ['va'],
  washington: ['wa', 'wash'],
  'west virginia': ['wv', 'wva'],
  wisconsin: ['wi', 'wis', 'wisc'],
  wyoming: ['wy', 'wyo'],
  'district of columbia': ['dc'],
  'puerto rico': ['pr'],
  alberta: ['ab', 'alta'],
  'british columbia': ['bc'],
  manitoba: ['mb', 'man'],
  'new brunswick': ['nb'],
  'newfoundland and labrador': ['nl', 'nfld'],
  'nova scotia': ['ns'],
  'northwest territories': ['nt'],
  nunavut: ['nu'],
  ontario: ['on', 'ont'],
  'prince edward island': ['pe', 'pei'],
  quebec: ['qc', 'que', 'pq'],
  saskatchewan: ['sk', 'sask'],
  yukon: ['yt'],
};
const ABBREVIATION_TO_REGION = new Map(
  Object.entries(REGIONS).flatMap(([region, short]) => short.map((s) => [s, region] as const)),
);
const REGION_NAMES = Object.keys(REGIONS).sort((a, b) => b.split(' ').length - a.split(' ').length);
const CITY_PREFIXES: Record<string, string> = { ft: 'fort', st: 'saint', ste: 'sainte', mt: 'mount' };

/** A place or page text with region and city abbreviations written out, as plain words ("duluth georgia"). */
export function placeWords(text: string): string[] {
  // Abbreviations count only right after a comma ("Duluth, GA", "Toronto, Ont."), where they cannot be ordinary
  // words: "in" or "me" elsewhere stay as they are.
  const expanded = text
    .replace(/,\s*([A-Za-z](?:\.?[A-Za-z]){1,4})\.?(?=$|[\s,;:)|/–—-])/g, (whole, abbreviation: string) => {
      const region = ABBREVIATION_TO_REGION.get(abbreviation.replace(/\./g, '').toLowerCase());
      const looksAbbreviated = /^[A-Z]{2}$/.test(abbreviation) || /\./.test(whole) || abbreviation.length > 2;
      return region && looksAbbreviated ? `, ${region}` : whole;
    })
    .replace(/\b(Ft|St|Ste|Mt)\.?\s+(?=[A-Z])/g, (_whole, prefix: string) => `${CITY_PREFIXES[prefix.toLowerCase()]} `);
  return plainWords(expanded);
}

/**
 * True when the page states this place: the city is there (however abbreviated), and no occurrence of it is
 * followed by a region other than the one proposed ("Duluth, Minnesota" is not "Duluth, GA").
 */
export function statesPlace(proposed: string, page: string): boolean {
  const [cityPart = '', regionPart = ''] = proposed.split(',');
  const city = placeWords(cityPart);
  const region = placeWords(`, ${regionPart.trim()}`).join(' ');
  const words = placeWords(page);
  if (city.length === 0) return false;
  let seen = false;
  for (let i = 0; i + city.length <= words.length; i++) {
    if (!city.every((word, j) => words[i + j] === word)) continue;
    seen = true;
    const after = words.slice(i + city.length, i + city.length + 4).join(' ');
    const followedBy = REGION_NAMES.find((name) => after === name || after.startsWith(`${name} `));
    if (!region || !REGION_NAMES.includes(region) || !followedBy || followedBy === region) return true;
  }
  return seen && !region;
}

const PEOPLE = new Set([
  'employee',
  'employees',
  'staff',
  'people',
  'workers',
  'associates',
  'teammates',
  'team',
  'professionals',
]);
const PLACES = new Set([
  'rooftop',
  'rooftops',
  'dealership',
  'dealerships',
  'dealer',
  'dealers',
  'store',
  'stores',
  'location',
  'locations',
  'franchise',
  'franchises',
  'site',
  'sites',
  'branch',
  'branches',
  'showroom',
  'showrooms',
  'outlet',
  'outlets',
]);

/** A number in text with the kind of thing it counts, when the next word says ("200+ stores" → 200, places). */
export interface Quantity {
  value: number;
  counts?: 'people' | 'places';
}

/** Every quantity in a text: "1,200", "1.2k", "1.2 thousand", "200+", "2 million" each read as one number. */
export function quantitiesIn(text: string): Quantity[] {
  const out: Quantity[] = [];
  const pattern =
    /(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|thousand|m|million)?\b\s*\+?\s*(?:plus\s+)?(?:full[- ]time\s+|franchised\s+|retail\s+|new[- ]vehicle\s+|auto\s+)?([a-z]+)?/gi;
  for (const match of text.matchAll(pattern)) {
    const base = Number((match[1] as string).replace(/,/g, ''));
    const scale = match[2]?.toLowerCase();
    const value = Math.round(
      base * (scale === 'k' || scale === 'thousand' ? 1_000 : scale === 'm' || scale === 'million' ? 1_000_000 : 1),
    );
    const word = match[3]?.toLowerCase();
    out.push({ value, counts: word && PEOPLE.has(word) ? 'people' : word && PLACES.has(word) ? 'places' : undefined });
  }
  return out;
}

/** True when every number of the proposed size is on the page, counting the same kind of thing where both say. */
export function statesQuantity(proposed: string, page: string): boolean {
  const wanted = quantitiesIn(proposed);
  if (wanted.length === 0) return false;
  const found = quantitiesIn(page);
  return wanted.every((w) =>
    found.some((f) => f.value === w.value && (!w.counts || !f.counts || w.counts === f.counts)),
  );
}
