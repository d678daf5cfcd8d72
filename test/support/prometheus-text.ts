// Reads a /metrics scrape the way Prometheus would: parse-prometheus-text-format turns the text into samples.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  /** Every metric family the text declares (a histogram once, by its base name), with its type. */
  families: Map<string, string>;
  samples: Sample[];
  /** The sum of every sample of `name` whose labels include `where`. */
  total(name: string, where?: Record<string, string>): number;
  /** Distinct values of one label across the samples of `name`. */
  labelValues(name: string, label: string): string[];
}

/**
 * Parses scraped text. The parser folds a histogram's series into one object per family and loses their labels
 * (it only handles unlabelled histograms), so the histogram TYPE lines are read for the family list and then
 * left out: each `_bucket`, `_sum` and `_count` series is parsed as a plain labelled sample instead.
 */
export function parseScrape(text: string): Scrape {
  const families = new Map<string, string>();
  for (const family of parsePrometheusTextFormat(text)) families.set(family.name, family.type);
  const histograms = [...families].filter(([, type]) => type === 'HISTOGRAM').map(([name]) => name);
  const flat = text
    .split('\n')
    .filter((line) => !histograms.some((name) => line === `# TYPE ${name} histogram`))
    .join('\n');
  const samples: Sample[] = [];
  for (const family of parsePrometheusTextFormat(flat)) {
    for (const metric of family.metrics) {
      if (metric.value === undefined) continue;
      samples.push({ name: family.name, labels: metric.labels ?? {}, value: Number(metric.value) });
    }
  }
  const matching = (name: string, where: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(where).every(([key, value]) => s.labels[key] === value));
  return {
    families,
    samples,
    total: (name, where) => matching(name, where).reduce((sum, s) => sum + s.value, 0),
    labelValues: (name, label) => [
      ...new Set(
        matching(name)
          .map((s) => s.labels[label])
          .filter((v): v is string => v !== undefined),
      ),
    ],
  };
}
