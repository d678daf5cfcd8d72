import type { Lead } from '../domain/types.js';

/** HubSpot renders hs_note_body as HTML; every value from the web is escaped, and only http(s) links are made. */
export function leadNoteBody(lead: Lead, context: { request: string; runId: string; at: Date }): string {
  const sources = lead.sources
    .filter((url) => /^https?:\/\//i.test(url))
    .slice(0, 5)
    .map((url) => `<li><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></li>`)
    .join('');
  const facts = [lead.headquarters, lead.size, lead.industry]
    .filter(Boolean)
    .map((fact) => escapeHtml(String(fact)))
    .join(' · ');
  return [
    `<p><strong>Leads fit score: ${Math.round(lead.fitScore)}/100</strong> (rank ${lead.rank} for “${escapeHtml(context.request.slice(0, 300))}”)</p>`,
    `<p>${escapeHtml(lead.rationale.slice(0, 1000))}</p>`,
    ...(facts ? [`<p>${facts}</p>`] : []),
    ...(sources ? [`<p>Sources:</p><ul>${sources}</ul>`] : []),
    `<p>Sent from Leads on ${context.at.toISOString().slice(0, 10)} (run ${escapeHtml(context.runId)}).</p>`,
  ].join('');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
