import { z } from 'zod';

const namedCompany = z.object({
  name: z.string().trim().min(1).describe('Legal or common name'),
  aliases: z.array(z.string().trim().min(1)).default([]).describe('Other names the company goes by'),
  domains: z.array(z.string().trim().min(3)).default([]).describe('Web domains such as example.com'),
});

/** The company we find leads for (COMPANY_CONTEXT); swapping its profile file re-targets the whole product. */
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
