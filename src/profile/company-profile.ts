import { readFileSync } from 'node:fs';
import { companyProfileSchema, type CompanyProfile } from '../domain/company-profile.js';
import { ConfigError } from '../errors.js';

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
