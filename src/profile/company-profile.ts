import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

const namedCompany = z.object({
  name: z.string().trim().min(1).describe('Legal or common name'),
  aliases: z.array(z.string().trim().min(1)).default([]).describe('Other names the company goes by'),
  domains: z.array(z.string().trim().min(3)).default([]).describe('Web domains such as example.com'),
});

/** The company we find leads for; swapping this file re-targets the whole product. */
export const companyProfileSchema = z.object({
  company: namedCompany.extend({
    summary: z.string().trim().min(20).describe('What the company sells and to whom'),
    markets: z.array(z.string().trim().min(1)).min(1).describe('Countries or regions it sells in'),
    searchKeywords: z
      .string()
      .trim()
      .min(2)
      .describe('Words that place a web search in this market, e.g. "car dealerships"'),
  }),
  products: z.array(z.object({ name: z.string().trim().min(1), description: z.string().trim().min(1) })).min(1),
  idealCustomers: z.object({
    primary: z.array(z.string().trim().min(1)).min(1),
    secondary: z.array(z.string().trim().min(1)).default([]),
    fitSignals: z.array(z.string().trim().min(1)).default([]),
  }),
  partnersSought: z.array(z.string().trim().min(1)).min(1),
  competitors: z.array(namedCompany).default([]),
});

export type CompanyProfile = z.infer<typeof companyProfileSchema>;

/** Loads and validates the profile once at start-up; problems name the file and the field. */
export function loadCompanyProfile(path: string): CompanyProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Company profile ${path} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); set COMPANY_CONTEXT to the profile JSON file.`,
      [{ variable: 'COMPANY_CONTEXT', problem: 'file not readable' }],
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Company profile ${path} is not valid JSON: ${(error as Error).message}`, [
      { variable: 'COMPANY_CONTEXT', problem: 'invalid JSON' },
    ]);
  }
  const parsed = companyProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      variable: issue.path.join('.') || '(root)',
      problem: issue.message,
    }));
    throw new ConfigError(
      `Company profile ${path} is invalid:\n${issues.map((i) => `  ${i.variable}: ${i.problem}`).join('\n')}`,
      issues,
    );
  }
  return parsed.data;
}
