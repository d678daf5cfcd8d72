// A loopback fake of the HubSpot CRM v3 REST API, as much of it as Leads uses: account details, company search
// (filterGroups with EQ/IN on domain and name), batch create/update of companies, and batch create of notes with
// associations. It misbehaves like the real one: batch results come back in another order than the inputs, unknown
// properties and missing hs_timestamp are 400 VALIDATION_ERRORs, a wrong token is a 401, and it can answer 429
// with Retry-After. A request it does not know fails the test (checked by the shared teardown).
import { randomUUID } from 'node:crypto';
import { afterTest, expectNoneUnexpected } from '../support/teardown.js';
import { startLoopbackServer, type FakeReply, type LoopbackServer, type RecordedRequest } from './loopback-server.js';

export interface FakeCompanyRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
}

export interface FakeNoteRecord {
  id: string;
  body: string;
  timestamp: string;
  companyIds: string[];
}

export interface FakeHubspot {
  /** What HUBSPOT_API_URL should be. */
  url: string;
  token: string;
  portalId: number;
  companies: FakeCompanyRecord[];
  notes: FakeNoteRecord[];
  requests: RecordedRequest[];
  unexpected: string[];
  /** The next `count` requests get 429 with this Retry-After (seconds). */
  rateLimit(retryAfterSeconds: number, count?: number): void;
  /** Adds a company as if a salesperson had created it in HubSpot. */
  seedCompany(properties: Record<string, string>): FakeCompanyRecord;
  close(): Promise<void>;
}

/** Company properties every portal has; anything else must be created first (`extraProperties`). */
const STANDARD_COMPANY_PROPERTIES = new Set([
  'name',
  'domain',
  'website',
  'description',
  'city',
  'state',
  'country',
  'industry',
  'numberofemployees',
  'phone',
]);
const NOTE_TO_COMPANY = 190;

export async function startFakeHubspot(
  options: {
    token?: string;
    extraProperties?: string[];
    portalId?: number;
    /** Like HubSpot's, search finds a new company only after this long. */ indexLagMs?: number;
  } = {},
): Promise<FakeHubspot> {
  const token = options.token ?? 'pat-na1-test-hubspot-token-0000';
  const portalId = options.portalId ?? 4_471_123;
  const known = new Set([...STANDARD_COMPANY_PROPERTIES, ...(options.extraProperties ?? [])]);
  const companies: FakeCompanyRecord[] = [];
  const notes: FakeNoteRecord[] = [];
  const unexpected: string[] = [];
  let nextId = 9_000_000_001;
  let limited: { retryAfter: number; count: number } | undefined;

  const error = (
    status: number,
    category: string,
    message: string,
    extra: Record<string, unknown> = {},
  ): FakeReply => ({
    status,
    body: { status: 'error', message, correlationId: randomUUID(), category, ...extra },
  });

  function create(properties: Record<string, string>): FakeCompanyRecord {
    const id = String(nextId++);
    const record: FakeCompanyRecord = {
      id,
      properties: { ...properties, hs_object_id: id },
      createdAt: new Date().toISOString(),
    };
    companies.push(record);
    return record;
  }

  const view = (record: FakeCompanyRecord, wanted?: string[]) => ({
    id: record.id,
    properties: Object.fromEntries(
      (wanted ?? ['name', 'domain'])
        .map((p) => [p, record.properties[p] ?? null])
        .concat([['hs_object_id', record.id]]),
    ),
    createdAt: record.createdAt,
    updatedAt: record.createdAt,
    archived: false,
  });

  function unknownProperties(properties: Record<string, unknown>): FakeReply | undefined {
    const bad = Object.keys(properties).filter((name) => !known.has(name));
    if (bad.length === 0) return undefined;
    const details = bad.map((name) => ({
      isValid: false,
      message: `Property "${name}" does not exist`,
      error: 'PROPERTY_DOESNT_EXIST',
      name,
      localizedErrorMessage: `Property "${name}" does not exist`,
    }));
    return error(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(details)}`);
  }

  // Real batch answers do not keep the inputs' order; callers must match results by their properties.
  const shuffled = <T>(items: T[]) => [...items].reverse();

  function handle(request: RecordedRequest): FakeReply {
    if (limited && limited.count > 0) {
      limited.count -= 1;
      return {
        status: 429,
        headers: { 'retry-after': String(limited.retryAfter) },
        body: {
          status: 'error',
          message: 'You have reached your secondly limit.',
          errorType: 'RATE_LIMIT',
          correlationId: randomUUID(),
          policyName: 'SECONDLY',
        },
      };
    }
    if (request.headers.authorization !== `Bearer ${token}`) {
      return error(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const route = `${request.method} ${request.path}`;
    switch (route) {
      case 'GET /account-info/v3/details':
        return {
          body: {
            portalId,
            accountType: 'STANDARD',
            timeZone: 'US/Eastern',
            companyCurrency: 'USD',
            additionalCurrencies: [],
            utcOffset: '-05:00',
            utcOffsetMilliseconds: -18_000_000,
            uiDomain: 'app.hubspot.com',
            dataHostingLocation: 'na1',
          },
        };
      case 'POST /crm/v3/objects/companies/search': {
        const groups = (body.filterGroups ?? []) as {
          filters: { propertyName: string; operator: string; value?: string; values?: string[] }[];
        }[];
        if (groups.length > 5) return error(400, 'VALIDATION_ERROR', 'There was a problem with the request.');
        const indexed = Date.now() - (options.indexLagMs ?? 0);
        const matches = companies.filter(
          (c) =>
            Date.parse(c.createdAt) <= indexed &&
            groups.some((g) =>
              g.filters.every((f) => {
                const have = (c.properties[f.propertyName] ?? '').toLowerCase();
                if (f.operator === 'EQ') return have === String(f.value ?? '').toLowerCase();
                if (f.operator === 'IN') return (f.values ?? []).some((v) => have === String(v).toLowerCase());
                return false;
              }),
            ),
        );
        const limit = Number(body.limit ?? 10);
        return {
          body: {
            total: matches.length,
            results: matches.slice(0, limit).map((c) => view(c, body.properties as string[] | undefined)),
          },
        };
      }
      case 'POST /crm/v3/objects/companies/batch/create': {
        const inputs = (body.inputs ?? []) as { properties: Record<string, string> }[];
        for (const input of inputs) {
          const bad = unknownProperties(input.properties ?? {});
          if (bad) return bad;
        }
        const created = inputs.map((input) => create(input.properties));
        return {
          status: 201,
          body: {
            status: 'COMPLETE',
            results: shuffled(created.map((c) => view(c, Object.keys(c.properties)))),
            startedAt: new Date().toISOString(),
            completedAt: new Date().toISOString(),
          },
        };
      }
      case 'POST /crm/v3/objects/companies/batch/update': {
        const inputs = (body.inputs ?? []) as { id: string; properties: Record<string, string> }[];
        for (const input of inputs) {
          const bad = unknownProperties(input.properties ?? {});
          if (bad) return bad;
        }
        const missing = inputs.filter((input) => !companies.some((c) => c.id === input.id));
        if (missing.length > 0)
          return error(
            404,
            'OBJECT_NOT_FOUND',
            `Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid. ${missing.map((m) => m.id).join(', ')}`,
          );
        const updated = inputs.map((input) => {
          const record = companies.find((c) => c.id === input.id)!;
          Object.assign(record.properties, input.properties);
          return record;
        });
        return {
          body: { status: 'COMPLETE', results: shuffled(updated.map((c) => view(c, Object.keys(c.properties)))) },
        };
      }
      case 'POST /crm/v3/objects/notes/batch/create': {
        const inputs = (body.inputs ?? []) as {
          properties: Record<string, string>;
          associations?: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[];
        }[];
        for (const input of inputs) {
          if (!input.properties?.hs_timestamp)
            return error(
              400,
              'VALIDATION_ERROR',
              'Property values were not valid: [{"isValid":false,"message":"hs_timestamp is required","error":"REQUIRED_FIELD","name":"hs_timestamp"}]',
            );
          for (const association of input.associations ?? []) {
            const type = association.types[0];
            if (type?.associationCategory !== 'HUBSPOT_DEFINED' || type.associationTypeId !== NOTE_TO_COMPANY)
              return error(400, 'VALIDATION_ERROR', 'invalid association type for note to company');
            if (!companies.some((c) => c.id === association.to.id))
              return error(400, 'VALIDATION_ERROR', `No COMPANY with id ${association.to.id}`);
          }
        }
        const created = inputs.map((input) => {
          const note = {
            id: String(nextId++),
            body: input.properties.hs_note_body ?? '',
            timestamp: input.properties.hs_timestamp!,
            companyIds: (input.associations ?? []).map((a) => a.to.id),
          };
          notes.push(note);
          return note;
        });
        return {
          status: 201,
          body: {
            status: 'COMPLETE',
            results: shuffled(
              created.map((n) => ({
                id: n.id,
                properties: { hs_note_body: n.body, hs_timestamp: n.timestamp },
                createdAt: n.timestamp,
                updatedAt: n.timestamp,
                archived: false,
              })),
            ),
          },
        };
      }
      default:
        unexpected.push(route);
        return { status: 404, body: { status: 'error', message: 'Not found', category: 'OBJECT_NOT_FOUND' } };
    }
  }

  const server: LoopbackServer = await startLoopbackServer(handle);
  afterTest({ check: () => expectNoneUnexpected('fake HubSpot', unexpected) });
  return {
    url: server.url,
    token,
    portalId,
    companies,
    notes,
    requests: server.requests,
    unexpected,
    rateLimit(retryAfterSeconds, count = 1) {
      limited = { retryAfter: retryAfterSeconds, count };
    },
    seedCompany: (properties) => create(properties),
    close: () => server.close(),
  };
}
