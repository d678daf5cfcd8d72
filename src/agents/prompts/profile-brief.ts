import type { CompanyProfile } from '../../domain/company-profile.js';
import type { IntentKind } from '../../domain/types.js';

/** The part of the company profile a prompt needs, as compact text. */
export function profileBrief(profile: CompanyProfile, intent: IntentKind): string {
  const lines = [
    `Company: ${profile.company.name}. ${profile.company.summary}`,
    `Products: ${profile.products.map((p) => `${p.name} (${p.description})`).join('; ')}`,
  ];
  if (intent !== 'partner') {
    lines.push(`Ideal customers: ${profile.idealCustomers.primary.join('; ')}.`);
    if (profile.idealCustomers.secondary.length)
      lines.push(`Secondary customers: ${profile.idealCustomers.secondary.join('; ')}.`);
    if (profile.idealCustomers.fitSignals.length)
      lines.push(`Signals of fit: ${profile.idealCustomers.fitSignals.join('; ')}.`);
  }
  if (intent !== 'customer') lines.push(`Partners sought: ${profile.partnersSought.join('; ')}.`);
  if (profile.competitors.length)
    lines.push(`Competitors (never leads): ${profile.competitors.map((c) => c.name).join(', ')}.`);
  return lines.join('\n');
}

/** How a lead of each kind is described to the model. */
export function intentWords(intent: IntentKind): string {
  if (intent === 'customer') return 'potential customers (companies that could buy our products)';
  if (intent === 'partner') return 'potential partners (companies we could integrate or sell with)';
  return 'potential customers and partners';
}
