import { z } from 'zod';
import { askModel, type AgentContext } from './agent-context.js';
import { plainWords } from '../domain/grounding.js';
import {
  constraintFields,
  constraintsSchema,
  intentResultSchema,
  type IntentKind,
  type IntentResult,
} from '../domain/types.js';
import { INTENT_SYSTEM, intentPrompt } from './prompts/intent-prompt.js';

// Words that carry no meaning in a request such as "find me some potential customers please".
const FILLER = new Set(
  'find me us our some any potential possible prospective new more good great best top the a an of for to please list show get give who could would be leads lead companies company axlewave can you i we want need looking'.split(
    ' ',
  ),
);
const CUSTOMER_WORDS = new Set([
  'customer',
  'customers',
  'client',
  'clients',
  'buyers',
  'buyer',
  'prospects',
  'prospect',
]);
const PARTNER_WORDS = new Set(['partner', 'partners', 'partnerships', 'partnership', 'integrations', 'alliances']);
const BOTH_WORDS = new Set(['both', 'and', 'or', 'everything', 'all']);

/**
 * Reads what the user wants. Obvious requests ("find customers", "top 5 partners") are decided by rules
 * with no LLM call; anything with more in it goes to the model.
 */
export async function classifyIntent(text: string, ctx: AgentContext): Promise<IntentResult> {
  const obvious = classifyObviousIntent(text);
  if (obvious) return obvious;
  const answer = await askModel(ctx, {
    agent: 'intent',
    system: INTENT_SYSTEM,
    prompt: intentPrompt(text, ctx.profile),
    schema: llmIntentSchema,
    maxOutputTokens: 300,
  });
  const constraints = Object.fromEntries(
    Object.entries(answer.constraints).filter(([, value]) => value !== null && value !== ''),
  );
  return intentResultSchema.parse({
    intent: answer.intent,
    confidence: answer.confidence,
    constraints: constraintsSchema.parse(constraints),
  });
}

const llmIntentSchema = z.object({
  intent: z
    .enum(['customer', 'partner', 'both'])
    .describe('customer: companies that could buy from us; partner: companies to integrate or sell with'),
  confidence: z.number().min(0).max(1).describe('How sure you are, 0 to 1'),
  constraints: z
    .object({
      region: constraintFields.region.nullable(),
      segment: constraintFields.segment.nullable(),
      size: constraintFields.size.nullable(),
      count: constraintFields.count.nullable(),
      notes: constraintFields.notes.nullable(),
    })
    .describe('Only what the request states; null when not stated'),
});

/** The rule-based half of intent classification; null when the request says more than rules can read. */
export function classifyObviousIntent(text: string): IntentResult | null {
  const words = plainWords(text);
  let count: number | undefined;
  const meaningful: string[] = [];
  for (const word of words) {
    if (/^\d{1,2}$/.test(word) && count === undefined) {
      count = Number(word);
      continue;
    }
    if (!FILLER.has(word)) meaningful.push(word);
  }
  if (meaningful.length === 0) return null;
  let customer = false;
  let partner = false;
  for (const word of meaningful) {
    if (CUSTOMER_WORDS.has(word)) customer = true;
    else if (PARTNER_WORDS.has(word)) partner = true;
    else if (!BOTH_WORDS.has(word)) return null;
  }
  const bothWord = meaningful.includes('both');
  if (!customer && !partner && !bothWord) return null;
  const intent: IntentKind =
    (customer && partner) || (bothWord && !(customer !== partner)) ? 'both' : customer ? 'customer' : 'partner';
  const constraints = count !== undefined && count >= 1 && count <= 50 ? { count } : {};
  return { intent, confidence: 0.95, constraints };
}
