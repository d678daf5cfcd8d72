import type { IntentKind, Lead } from '../../domain/types.js';

const HEADER = ['rank', 'name', 'website', 'headquarters', 'size', 'industry', 'score', 'rationale', 'sources'];

/** `leads_<intent>_<YYYYMMDD>.csv`, dated in UTC. */
export function csvFileName(intent: IntentKind, date: Date): string {
  const day = date.toISOString().slice(0, 10).replace(/-/g, '');
  return `leads_${intent}_${day}.csv`;
}

/** The export: RFC 4180 (CRLF, quoted fields), with spreadsheet formulas neutralised. */
export function renderLeadsCsv(leads: readonly Lead[]): string {
  const rows = leads.map((lead) => [
    String(lead.rank),
    lead.name,
    lead.website ?? '',
    lead.headquarters ?? '',
    lead.size ?? '',
    lead.industry ?? '',
    String(Math.round(lead.fitScore)),
    lead.rationale,
    lead.sources.join(' '),
  ]);
  return [HEADER, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One field: a leading = + - @ (or tab/CR) is prefixed with ' so a spreadsheet shows it as text, not a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}
