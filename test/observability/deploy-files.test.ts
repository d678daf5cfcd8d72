// The dashboard and the alert rules only help if they ask for what the app exports: every PromQL expression in
// deploy/ is parsed with Prometheus' own grammar (lezer-promql) and checked against a scrape of the app's metrics.
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createMetrics, LLM_OUTCOMES, RUN_INTENTS } from '../../src/metrics/metrics.js';
import { startMetricsServer } from '../../src/metrics/metrics-server.js';
import { parseScrape } from '../support/prometheus-text.js';

/** Labels Prometheus adds to every series it scrapes. */
const TARGET_LABELS = new Set(['instance', 'job']);

/** For each exported series name, its labels and the values seen for each. */
let exported: Map<string, Map<string, Set<string>>>;

beforeAll(async () => {
  // One event of each kind, so every series the app can export is in the scrape with its labels.
  const metrics = createMetrics();
  for (const outcome of LLM_OUTCOMES)
    metrics.llmAttempt({
      agent: 'intent',
      model: 'llama3.1:8b',
      outcome,
      latencyMs: 900,
      promptTokens: 10,
      outputTokens: 2,
    });
  for (const intent of RUN_INTENTS)
    metrics.runEnded({ outcome: 'succeeded', intent, durationMs: 20_000, leads: 10, top: 10 });
  metrics.llmStarted();
  metrics.slackAck(40);
  metrics.slackApiError('chat.update', 'ratelimited');
  // The queue gauge exists in processes with Redis; a stand-in collector shows its shape.
  metrics.registerQueueGauge(async () => ({ waiting: 1, active: 1, delayed: 0, failed: 0 }));
  const server = await startMetricsServer(0, metrics.registry, '127.0.0.1');
  const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  await server.close();
  exported = new Map();
  for (const sample of parseScrape(text).samples) {
    const labels = exported.get(sample.name) ?? new Map<string, Set<string>>();
    for (const [name, value] of Object.entries(sample.labels))
      labels.set(name, (labels.get(name) ?? new Set()).add(value));
    exported.set(sample.name, labels);
  }
});

afterAll(() => {
  exported.clear();
});

interface Problem {
  where: string;
  problem: string;
}

/** Parses one expression and lists what in it the app does not export: unknown metrics, labels or label values. */
function checkExpression(where: string, expression: string): Problem[] {
  // Grafana's own variables are not PromQL; give them values Prometheus would see.
  const expr = expression.replaceAll('$__rate_interval', '5m');
  const problems: Problem[] = [];
  const tree = parser.parse(expr);
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to);
  const metricLabels = new Set<string>(TARGET_LABELS);
  const groupings: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError)
        problems.push({ where, problem: `does not parse at "${expr.slice(node.from, node.from + 20)}"` });
      if (node.name === 'GroupingLabels')
        for (const label of node.node.getChildren('LabelName')) groupings.push(text(label));
      if (node.name !== 'VectorSelector') return;
      const identifier = node.node.getChild('Identifier');
      if (!identifier) return;
      const name = text(identifier);
      const labels = exported.get(name);
      if (!labels) {
        problems.push({ where, problem: `uses ${name}, which the app does not export` });
        return;
      }
      for (const label of labels.keys()) metricLabels.add(label);
      for (const matcher of node.node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const label = text(matcher.getChild('LabelName')!);
        const op = text(matcher.getChild('MatchOp')!);
        const value = JSON.parse(text(matcher.getChild('StringLiteral')!)) as string;
        if (TARGET_LABELS.has(label)) continue;
        const known = labels.get(label);
        if (!known) {
          problems.push({ where, problem: `filters ${name} on ${label}, a label it does not have` });
          continue;
        }
        const wanted = op === '=~' && /^[\w.|]+$/.test(value) ? value.split('|') : op === '=' ? [value] : [];
        for (const v of wanted)
          if (!known.has(v))
            problems.push({ where, problem: `filters ${name} on ${label}="${v}", a value it never has` });
      }
    },
  });
  for (const label of groupings) {
    if (!metricLabels.has(label))
      problems.push({ where, problem: `groups by ${label}, which none of its metrics has` });
  }
  return problems;
}

interface DashboardPanel {
  title: string;
  targets?: { expr: string }[];
  panels?: DashboardPanel[];
}

describe('deploy/grafana/leads.json', () => {
  const dashboard = JSON.parse(readFileSync('deploy/grafana/leads.json', 'utf8')) as {
    panels: DashboardPanel[];
    templating: { list: { name: string; definition?: string }[] };
  };
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const targets = panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr })),
  );

  it('has a panel for every family of leads_ metrics', () => {
    const families = [...exported.keys()]
      .filter((name) => name.startsWith('leads_'))
      .map((name) => name.replace(/_(bucket|sum|count)$/, ''));
    for (const family of new Set(families)) {
      expect(
        targets.some((t) => t.expr.includes(family)),
        family,
      ).toBe(true);
    }
  });

  it('asks only for metrics, labels and label values the app exports', () => {
    expect(targets.length).toBeGreaterThan(15);
    expect(targets.flatMap((t) => checkExpression(t.where, t.expr))).toEqual([]);
    const instance = dashboard.templating.list.find((v) => v.name === 'instance');
    expect(instance?.definition).toMatch(/^label_values\((\w+), instance\)$/);
    expect(exported.has(/^label_values\((\w+),/.exec(instance!.definition!)![1]!)).toBe(true);
  });

  it('would notice a metric the app does not export, or a misspelt label value', () => {
    expect(checkExpression('x', 'sum(rate(leads_runs{outcome="succeeded"}[5m]))')).toEqual([
      { where: 'x', problem: 'uses leads_runs, which the app does not export' },
    ]);
    expect(checkExpression('x', 'sum by (team) (rate(leads_runs_total{outcome=~"succeeded|sucess"}[5m]))')).toEqual([
      { where: 'x', problem: 'filters leads_runs_total on outcome="sucess", a value it never has' },
      { where: 'x', problem: 'groups by team, which none of its metrics has' },
    ]);
    expect(checkExpression('x', 'sum(rate(leads_runs_total[5m])')).toEqual([
      { where: 'x', problem: 'does not parse at ""' },
    ]);
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  const rules = (
    parseYaml(readFileSync('deploy/prometheus/alerts.yml', 'utf8')) as {
      groups: { rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[];
    }
  ).groups.flatMap((g) => g.rules);

  it('has the operator’s alerts, each with a summary and a runbook line', () => {
    expect(rules.map((rule) => rule.alert)).toEqual([
      'LeadsModelHostFailing',
      'LeadsSearchProviderFailing',
      'LeadsRunsSlow',
      'LeadsLowQualityRuns',
      'LeadsSlackApiErrors',
      'LeadsQueueBacklog',
      'LeadsQueueStalled',
    ]);
    for (const rule of rules) {
      expect(rule.annotations.summary, rule.alert).toMatch(/\w{3,}/);
      expect(rule.annotations.runbook, rule.alert).toMatch(/\w{3,}/);
      expect(rule.annotations.runbook, rule.alert).not.toContain('\n');
    }
  });

  it('asks only for metrics, labels and label values the app exports', () => {
    expect(rules.flatMap((rule) => checkExpression(`alert ${rule.alert}`, rule.expr))).toEqual([]);
  });
});
