import { z } from 'zod';
import { identityOf, type CompanyIdentity } from '../domain/feedback.js';
import type { Lead } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { leadSummaryText } from './lead-summary.js';
import { createSalesforceAuth, type SalesforceCredentials } from './salesforce-auth.js';
import { SalesforceError } from './salesforce-error.js';
import { createSalesforceHttp } from './salesforce-http.js';
import { accountsWithTask, findAccounts, matchAccount, type SalesforceAccount } from './salesforce-records.js';

export interface SalesforceClientOptions {
  loginUrl: string;
  credentials: SalesforceCredentials;
  apiVersion: string;
  logger: Pick<Logger, 'warn' | 'debug' | 'info'>;
  timeoutMs?: number;
  retryDelayMs?: number;
  now?: () => Date;
}

/** One lead as it ended up in Salesforce, as Salesforce itself holds it after the send. */
export interface SalesforceSentCompany {
  lead: string;
  accountId?: string;
  /** The Account's page in Lightning. */
  url?: string;
  account: 'created' | 'existing' | 'failed';
  /** The task of this run: added now, there already (Send pressed before), or missing. */
  task: 'added' | 'already' | 'failed';
  /** Why the account or the task is missing, in plain words. */
  problem?: string;
}

export interface SalesforceOutcome {
  companies: SalesforceSentCompany[];
}

export interface SalesforceSendInput {
  leads: readonly Lead[];
  request: string;
  runId: string;
  /** The run's criteria (id and label), when it has them: each lead's verdicts go into its task. */
  criteria?: unknown;
}

/** Sends leads to Salesforce as Accounts with a Task each; reads what it holds (item: the CRM's own companies). */
export interface SalesforceClient {
  sendLeads(input: SalesforceSendInput, signal?: AbortSignal): Promise<SalesforceOutcome>;
  /** The Accounts with any of these domains, for a run that leaves the CRM's customers and open deals out. */
  findAccounts(ids: readonly CompanyIdentity[], signal?: AbortSignal): Promise<SalesforceAccount[]>;
  /** Where record links point ("https://acme.my.salesforce.com"), once logged in. */
  instanceUrl(signal?: AbortSignal): Promise<string>;
}

const createResults = z.array(
  z.object({
    id: z.string().nullish(),
    success: z.boolean(),
    errors: z.array(z.object({ statusCode: z.string().optional(), message: z.string().optional() })).default([]),
  }),
);

/** The send's rounds of writing: a create whose answer was lost is looked up, and only what is missing is created,
 * at most this many times. */
const WRITE_ROUNDS = 2;

/** Salesforce's REST API over fetch (jsforce's current major needs Node 22): Accounts found by website domain and
 * never duplicated, one Task per account per run, and no write repeated blindly when its outcome is unknown. */
export function createSalesforceClient(options: SalesforceClientOptions): SalesforceClient {
  const auth = createSalesforceAuth({
    loginUrl: options.loginUrl,
    credentials: options.credentials,
    timeoutMs: options.timeoutMs,
  });
  const request = createSalesforceHttp({
    auth,
    apiVersion: options.apiVersion,
    logger: options.logger,
    timeoutMs: options.timeoutMs,
    retryDelayMs: options.retryDelayMs,
  });
  const now = options.now ?? (() => new Date());
  // Two sends at once (a double click) would both miss the other's accounts and tasks: sends go one at a time.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    sendLeads(input, signal) {
      const next = queue.then(() => send(input, signal));
      queue = next.catch(() => undefined);
      return next;
    },
    findAccounts: (ids, signal) => findAccounts(request, ids, signal),
    instanceUrl: async (signal) => (await auth.session(signal)).instanceUrl,
  };

  async function send(input: SalesforceSendInput, signal?: AbortSignal): Promise<SalesforceOutcome> {
    const leads = input.leads.map((lead) => ({ lead, id: identityOf(lead) }));
    const accounts = await ensureAccounts(leads, signal);
    const base = (await auth.session(signal)).instanceUrl;
    const marker = taskMarker(input.runId);
    const withAccount = leads.flatMap(({ lead }) => {
      const entry = accounts.get(lead);
      return entry && 'account' in entry ? [{ lead, account: entry.account }] : [];
    });
    const tasks = await ensureTasks(withAccount, marker, input, signal);
    const companies = leads.map(({ lead }): SalesforceSentCompany => {
      const entry = accounts.get(lead);
      if (!entry || !('account' in entry))
        return { lead: lead.name, account: 'failed', task: 'failed', problem: entry?.problem ?? 'not sent' };
      const task = tasks.get(entry.account.id) ?? { state: 'failed' as const, problem: 'not sent' };
      return {
        lead: lead.name,
        accountId: entry.account.id,
        url: `${base}/lightning/r/Account/${entry.account.id}/view`,
        account: entry.created ? 'created' : 'existing',
        task: task.state,
        ...(task.problem ? { problem: task.problem } : {}),
      };
    });
    options.logger.info(
      {
        runId: input.runId,
        created: companies.filter((c) => c.account === 'created').length,
        tasks: companies.filter((c) => c.task === 'added').length,
        failed: companies.filter((c) => c.account === 'failed' || c.task === 'failed').length,
      },
      'leads sent to Salesforce',
    );
    return { companies };
  }

  type AccountEntry = { account: SalesforceAccount; created: boolean } | { problem: string };

  /** Each lead's Account: found by domain (or name), else created; a create whose answer was lost is looked up. */
  async function ensureAccounts(
    leads: readonly { lead: Lead; id: CompanyIdentity }[],
    signal?: AbortSignal,
  ): Promise<Map<Lead, AccountEntry>> {
    const out = new Map<Lead, AccountEntry>();
    const found = await findAccounts(
      request,
      leads.map((l) => l.id),
      signal,
    );
    let missing = leads.filter(({ lead, id }) => {
      const account = matchAccount(found, id);
      if (account) out.set(lead, { account, created: false });
      return !account;
    });
    for (let round = 0; missing.length > 0 && round < WRITE_ROUNDS; round += 1) {
      try {
        const results = await createRecords(
          missing.map(({ lead, id }) => ({
            attributes: { type: 'Account' },
            Name: lead.name.slice(0, 255),
            ...(lead.website
              ? { Website: (lead.website ?? '').slice(0, 255) }
              : id.domain
                ? { Website: id.domain }
                : {}),
          })),
          signal,
        );
        missing.forEach(({ lead }, index) => {
          const result = results[index];
          out.set(
            lead,
            result?.success && result.id
              ? { account: newAccount(result.id, lead), created: true }
              : { problem: recordProblem('account', result?.errors) },
          );
        });
        missing = [];
      } catch (error) {
        if (!(error instanceof SalesforceError && error.kind === 'unknown_outcome')) throw error;
        // The accounts may or may not be there: look, and create only the ones that are not.
        options.logger.warn(
          { err: error.message, accounts: missing.length },
          'Salesforce account create outcome unknown; checking',
        );
        const written = await findAccounts(
          request,
          missing.map((m) => m.id),
          signal,
        );
        missing = missing.filter(({ lead, id }) => {
          const account = matchAccount(written, id);
          if (account) out.set(lead, { account, created: true });
          return !account;
        });
        for (const { lead } of missing)
          out.set(lead, {
            problem: `Salesforce did not confirm the new account (${error.message}); press Send again to check`,
          });
      }
    }
    return out;
  }

  /** One task per account for this run: accounts that have it already are left alone; a lost answer is looked up. */
  async function ensureTasks(
    companies: readonly { lead: Lead; account: SalesforceAccount }[],
    marker: string,
    input: SalesforceSendInput,
    signal?: AbortSignal,
  ): Promise<Map<string, { state: SalesforceSentCompany['task']; problem?: string }>> {
    const out = new Map<string, { state: SalesforceSentCompany['task']; problem?: string }>();
    if (companies.length === 0) return out;
    const ids = companies.map((c) => c.account.id);
    const already = await accountsWithTask(request, ids, marker, signal);
    for (const id of already) out.set(id, { state: 'already' });
    // One task per account, even when two leads share it.
    let missing = companies.filter(
      (c, index) => !already.has(c.account.id) && companies.findIndex((o) => o.account.id === c.account.id) === index,
    );
    const at = now();
    for (let round = 0; missing.length > 0 && round < WRITE_ROUNDS; round += 1) {
      try {
        const results = await createRecords(
          missing.map(({ lead, account }) => ({
            attributes: { type: 'Task' },
            WhatId: account.id,
            Subject: taskSubject(lead, input.request, marker),
            Description: leadSummaryText(lead, { ...input, at }),
            Status: 'Not Started',
            Priority: 'Normal',
            ActivityDate: at.toISOString().slice(0, 10),
          })),
          signal,
        );
        missing.forEach(({ account }, index) => {
          const result = results[index];
          out.set(
            account.id,
            result?.success ? { state: 'added' } : { state: 'failed', problem: recordProblem('task', result?.errors) },
          );
        });
        missing = [];
      } catch (error) {
        if (!(error instanceof SalesforceError)) throw error;
        if (error.kind !== 'unknown_outcome') {
          // The accounts are there; the thread says so, and why their tasks are not.
          for (const { account } of missing) out.set(account.id, { state: 'failed', problem: error.message });
          return out;
        }
        options.logger.warn(
          { err: error.message, tasks: missing.length },
          'Salesforce task create outcome unknown; checking',
        );
        const written = await accountsWithTask(
          request,
          missing.map((m) => m.account.id),
          marker,
          signal,
        );
        missing = missing.filter(({ account }) => {
          if (written.has(account.id)) out.set(account.id, { state: 'added' });
          return !written.has(account.id);
        });
        for (const { account } of missing)
          out.set(account.id, {
            state: 'failed',
            problem: `Salesforce did not confirm the task (${error.message}); press Send again to check`,
          });
      }
    }
    return out;
  }

  async function createRecords(records: Record<string, unknown>[], signal?: AbortSignal) {
    const answer = createResults.parse(
      await request('POST', '/composite/sobjects', { allOrNone: false, records }, signal),
    );
    if (answer.length !== records.length)
      throw new SalesforceError(
        'unknown_outcome',
        `Salesforce answered ${answer.length} results for ${records.length} records.`,
      );
    return answer;
  }
}

/** What every task of a run carries in its subject, so a later Send finds it ("[Leads run_abc]"). */
export function taskMarker(runId: string): string {
  return `[Leads ${runId}]`;
}

function taskSubject(lead: Lead, request: string, marker: string): string {
  const head = `Leads: fit ${Math.round(lead.fitScore)}/100 for “${request.replace(/\s+/g, ' ').trim()}”`;
  // The marker must survive Salesforce's 255 characters.
  return `${head.slice(0, 254 - marker.length)} ${marker}`;
}

function newAccount(id: string, lead: Lead): SalesforceAccount {
  return {
    id,
    name: lead.name,
    website: lead.website,
    type: null,
    openDeal: false,
    createdDate: new Date().toISOString(),
  };
}

function recordProblem(what: 'account' | 'task', errors: readonly { statusCode?: string; message?: string }[] = []) {
  const first = errors[0];
  const said = first ? `${first.statusCode ?? 'error'}: ${(first.message ?? '').slice(0, 200)}` : 'no reason given';
  if (first?.statusCode === 'DUPLICATES_DETECTED')
    return `Salesforce's duplicate rules refused a new ${what} (${said}); the org may hold it under another website`;
  return `Salesforce refused the ${what} (${said})`;
}
