// Architecture layers, enforced in lint (npm run lint runs `depcruise src`). Imports only point down:
//   front ends (src/cli*, src/slack, src/worker.ts, src/services.ts wiring)
//     -> orchestrator (src/pipeline) -> agents -> llm, search, crm, scheduling -> store -> domain
// The job queue (src/queue) sits beside the orchestrator: front ends put jobs on it and take them off; it knows
// only the store (its Redis connection) and the foundation.
// The foundation (config, entry-point, errors, logger, secrets, metrics) sits beside the domain and may be used by any layer.
// The company profile's type is the domain's (src/domain/company-profile.ts); its loader (src/profile, which reads a
// file) is the wiring's: only front ends call it, and it knows only the domain and the foundation.
const FOUNDATION = '^src/(config|entry-point|errors|logger|secrets)\\.ts$|^src/metrics/';
const FRONT_ENDS = '^src/(cli|services|worker)\\.ts$|^src/cli/|^src/slack/';

/** A rule that forbids a layer from importing anything in `above`. */
const below = (name, from, above, comment, allowed) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: allowed ? { path: above, pathNot: allowed } : { path: above },
});

export default {
  forbidden: [
    below(
      'domain-is-the-lowest-layer',
      '^src/domain/',
      '^src/',
      'The domain imports nothing but itself and the foundation.',
      `^src/domain/|${FOUNDATION}`,
    ),
    below(
      'store-below-llm-and-search',
      '^src/store/',
      `^src/(llm|search|crm|scheduling|agents|pipeline|queue)/|${FRONT_ENDS}`,
      'The store knows the domain, not who uses it.',
    ),
    below(
      'llm-below-agents',
      '^src/llm/',
      `^src/(search|crm|scheduling|agents|pipeline|queue)/|${FRONT_ENDS}`,
      'The LLM layer knows nothing of search, agents or front ends.',
    ),
    below(
      'crm-below-agents',
      '^src/crm/',
      `^src/(llm|search|scheduling|agents|pipeline|queue)/|${FRONT_ENDS}`,
      'The CRM client knows leads, not who sends them.',
    ),
    below(
      'scheduling-below-agents',
      '^src/scheduling/',
      `^src/(llm|search|crm|agents|pipeline|queue)/|${FRONT_ENDS}`,
      "The scheduler fires schedules; what a digest does is the front end's.",
    ),
    below(
      'search-below-agents',
      '^src/search/',
      `^src/(llm|crm|scheduling|agents|pipeline|queue)/|${FRONT_ENDS}`,
      'The search layer knows nothing of the LLM, agents or front ends.',
    ),
    below(
      'agents-below-orchestrator',
      '^src/agents/',
      `^src/(pipeline|queue)/|${FRONT_ENDS}`,
      'Agents are coordinated by the orchestrator and never call it.',
    ),
    below(
      'orchestrator-below-front-ends',
      '^src/pipeline/',
      `^src/queue/|${FRONT_ENDS}`,
      'The orchestrator knows nothing of Slack or the terminal.',
    ),
    below(
      'queue-knows-no-pipeline',
      '^src/queue/',
      `^src/(llm|search|crm|scheduling|agents|pipeline)/|${FRONT_ENDS}`,
      'Jobs are opaque payloads: the queue neither runs the pipeline nor knows Slack.',
    ),
    below(
      'foundation-imports-no-layer',
      FOUNDATION,
      `^src/(store|llm|search|crm|scheduling|agents|pipeline|queue)/|${FRONT_ENDS}`,
      'Config, errors, logging, metrics and the profile are leaves every layer may use.',
    ),
    below(
      'profile-loader-is-for-the-wiring',
      `^src/(domain|store|llm|search|crm|scheduling|agents|pipeline|queue)/|${FOUNDATION}`,
      '^src/profile/',
      'Layers take the profile they are given (its type is in src/domain); only the wiring loads it.',
    ),
    below(
      'profile-loader-knows-the-domain',
      '^src/profile/',
      '^src/',
      'The profile loader validates a file against the domain schema: nothing else.',
      `^src/(profile|domain)/|${FOUNDATION}`,
    ),
    below(
      'slack-and-cli-are-separate',
      '^src/slack/',
      '^src/cli(\\.ts$|/)',
      'Two front ends, neither built on the other.',
    ),
    below(
      'cli-and-slack-are-separate',
      '^src/cli(\\.ts$|/)',
      '^src/slack/',
      'Two front ends, neither built on the other.',
    ),
    below(
      'slack-jobs-know-no-listener',
      '^src/slack/jobs/',
      '^src/slack/(listeners|workflows)/',
      'A job runs inside the queue (in the app or on a worker): it knows the payload, not who queued it.',
    ),
    below(
      'slack-listeners-queue-jobs',
      '^src/slack/(listeners|workflows)/',
      '^src/slack/jobs/',
      'Listeners request runs (workflows/request-run.ts) and put jobs on the queue; they never run them.',
    ),
    {
      name: 'blocks-are-pure',
      comment: 'Block Kit builders are pure functions of our types: no Slack client, no I/O.',
      severity: 'error',
      from: { path: '^src/slack/blocks/' },
      to: { path: '^src/slack/(?!blocks/)|@slack/(bolt|web-api)|^node:(fs|http|net)' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'src-never-imports-tests', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|bench)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
