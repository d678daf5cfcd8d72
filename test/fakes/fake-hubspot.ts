// A loopback fake of the HubSpot CRM v3 REST API, as much of it as Leads uses: account details, company properties
// (created, some with unique values), company search (filterGroups with EQ/IN on domain and name), batch read by id
// or by a unique property, batch create/update of companies, batch create and read of notes with associations, and
// the v4 association read from companies to notes. It misbehaves like the real one: batch results come back in
// another order than the inputs, unknown properties and missing hs_timestamp are 400 VALIDATION_ERRORs, a taken
// unique value is a 409, a wrong token is a 401, it can answer 429 with Retry-After, its search index lags behind
// writes (`indexLagMs`), and it can do a write and then lose the answer: a 502 from the gateway after the write, a
// connection dropped after the write, or a 504 whose write lands a moment later. A request it does not know fails
// the test (checked by the shared teardown).
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

/** How a write's answer is lost (`failAfterWrite`). */
export type LostAnswer =
  /** The write is done, then the gateway answers 502 Bad Gateway. */
  | '502'
  /** The write is done, then the connection drops without an answer. */
  | 'drop'
  /** The gateway gives up at once with 504; the write lands `lateMs` later. */
  | 'late';

export interface FakeHubspot {
  /** What HUBSPOT_API_URL should be. */
  url: string;
  token: string;
  portalId: number;
  companies: FakeCompanyRecord[];
  notes: FakeNoteRecord[];
  requests: RecordedRequest[];
  unexpected: string[];
  /** The next `count` requests (to paths ending in `path`, if given) get 429 with this Retry-After (seconds). */
  rateLimit(retryAfterSeconds: number, count?: number, path?: string): void;
  /** The next `count` creates (companies or notes, as `what` says) are written and then answered as `how` says. */
  failAfterWrite(
    how: LostAnswer,
    options?: { count?: number; what?: 'companies' | 'notes' | 'any'; lateMs?: number },
  ): void;
  /** The next `count` requests of any kind get this status before anything is done (HubSpot having a bad minute). */
  failNext(status: number, count?: number): void;
  /** Company properties created through the API (name -> whether its values are unique). */
  properties: Map<string, { unique: boolean }>;
  /** Adds a company as if a salesperson had created it in HubSpot (yesterday: search finds it whatever the lag). */
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
    /** The token may not create properties (its private app lacks crm.schemas.companies.write). */
    noSchemaScope?: boolean;
  } = {},
): Promise<FakeHubspot> {
  const token = options.token ?? 'pat-na1-test-hubspot-token-0000';
  const portalId = options.portalId ?? 4_471_123;
  const known = new Set([...STANDARD_COMPANY_PROPERTIES, ...(options.extraProperties ?? [])]);
  const companies: FakeCompanyRecord[] = [];
  const notes: FakeNoteRecord[] = [];
  const unexpected: string[] = [];
  const properties = new Map<string, { unique: boolean }>();
  let nextId = 9_000_000_001;
  let limited: { retryAfter: number; count: number; path?: string } | undefined;
  let lost: { how: LostAnswer; count: number; what: 'companies' | 'notes' | 'any'; lateMs: number } | undefined;
  let failing: { status: number; count: number } | undefined;

  const error = (
    status: number,
    category: string,
    message: string,
    extra: Record<string, unknown> = {},
  ): FakeReply => ({
    status,
    body: { status: 'error', message, correlationId: randomUUID(), category, ...extra },
  });

  const uniqueNames = () => [...properties].filter(([, p]) => p.unique).map(([name]) => name);

  /** The first unique value among these inputs that another company holds already (or that two inputs share). */
  function takenUniqueValue(
    inputs: { id?: string; properties: Record<string, string> }[],
  ): { name: string; value: string; holder?: string } | undefined {
    for (const name of uniqueNames()) {
      const seen = new Set<string>();
      for (const input of inputs) {
        const value = input.properties?.[name];
        if (!value) continue;
        const holder = companies.find((c) => c.properties[name] === value && c.id !== input.id);
        if (holder || seen.has(value)) return { name, value, holder: holder?.id };
        seen.add(value);
      }
    }
    return undefined;
  }

  function create(properties: Record<string, string>, at = new Date()): FakeCompanyRecord {
    const id = String(nextId++);
    const record: FakeCompanyRecord = {
      id,
      properties: { ...properties, hs_object_id: id },
      createdAt: at.toISOString(),
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

  /** Whether this write's answer is to be lost, and how (counting it down). */
  function losesAnswer(what: 'companies' | 'notes'): { how: LostAnswer; lateMs: number } | undefined {
    if (!lost || lost.count <= 0 || (lost.what !== 'any' && lost.what !== what)) return undefined;
    lost.count -= 1;
    return { how: lost.how, lateMs: lost.lateMs };
  }

  /** Does a create (now, or late) and answers as a lost answer would, or normally. */
  function written(what: 'companies' | 'notes', write: () => FakeReply): FakeReply {
    const losing = losesAnswer(what);
    if (!losing) return write();
    if (losing.how === 'late') {
      setTimeout(write, losing.lateMs);
      return { status: 504, body: '<html><body><h1>504 Gateway Time-out</h1></body></html>' };
    }
    write();
    return losing.how === 'drop'
      ? { destroy: true }
      : { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>' };
  }

  function handle(request: RecordedRequest): FakeReply {
    if (failing && failing.count > 0) {
      failing.count -= 1;
      return error(failing.status, 'INTERNAL_ERROR', 'Internal error, please try again.');
    }
    if (limited && limited.count > 0 && (!limited.path || request.path.endsWith(limited.path))) {
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
        const conflict = () => {
          const taken = takenUniqueValue(inputs);
          return taken
            ? error(
                409,
                'CONFLICT',
                `A company with ${taken.name}=${taken.value} already exists.${taken.holder ? ` Existing ID: ${taken.holder}` : ''}`,
              )
            : undefined;
        };
        const refused = conflict();
        if (refused) return refused;
        return written('companies', () => {
          // A late write meets the state of the portal when it lands, unique values included.
          const late = conflict();
          if (late) return late;
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
        });
      }
      case 'POST /crm/v3/objects/companies/batch/read': {
        const inputs = (body.inputs ?? []) as { id: string }[];
        const idProperty = body.idProperty as string | undefined;
        if (idProperty && !properties.get(idProperty)?.unique)
          return error(400, 'VALIDATION_ERROR', `Unable to read by non-unique 0-2 property ${idProperty}`);
        const wanted = body.properties as string[] | undefined;
        const found = inputs.flatMap((input) => {
          const record = companies.find((c) =>
            idProperty ? c.properties[idProperty] === input.id : c.id === input.id,
          );
          return record ? [record] : [];
        });
        const missing = inputs.length - found.length;
        return {
          status: missing > 0 ? 207 : 200,
          body: {
            status: 'COMPLETE',
            results: shuffled(found.map((c) => view(c, wanted))),
            ...(missing > 0
              ? {
                  numErrors: 1,
                  errors: [
                    {
                      status: 'error',
                      category: 'OBJECT_NOT_FOUND',
                      message: 'Could not get some COMPANY objects, they may be deleted or not exist.',
                    },
                  ],
                }
              : {}),
            startedAt: new Date().toISOString(),
            completedAt: new Date().toISOString(),
          },
        };
      }
      case 'POST /crm/v3/properties/companies': {
        if (options.noSchemaScope)
          return error(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call.", {
            errors: [
              {
                message: 'One or more of the following scopes are required.',
                context: { requiredGranularScopes: ['crm.schemas.companies.write'] },
              },
            ],
          });
        const name = String(body.name ?? '');
        if (!/^[a-z][a-z0-9_]*$/.test(name) || !body.type || !body.fieldType || !body.groupName)
          return error(400, 'VALIDATION_ERROR', 'Property definition was not valid.');
        if (known.has(name) || properties.has(name))
          return error(409, 'OBJECT_ALREADY_EXISTS', `A property named '${name}' already exists.`);
        properties.set(name, { unique: body.hasUniqueValue === true });
        known.add(name);
        return { status: 201, body: { name, label: body.label, type: body.type, hasUniqueValue: body.hasUniqueValue } };
      }
      case 'POST /crm/v3/objects/companies/batch/update': {
        const inputs = (body.inputs ?? []) as { id: string; properties: Record<string, string> }[];
        for (const input of inputs) {
          const bad = unknownProperties(input.properties ?? {});
          if (bad) return bad;
        }
        const taken = takenUniqueValue(inputs);
        if (taken) return error(409, 'CONFLICT', `A company with ${taken.name}=${taken.value} already exists.`);
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
        return written('notes', () => {
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
              results: shuffled(created.map(noteView)),
            },
          };
        });
      }
      case 'POST /crm/v3/objects/notes/batch/read': {
        const inputs = (body.inputs ?? []) as { id: string }[];
        const found = inputs.flatMap((input) => notes.filter((n) => n.id === input.id));
        return {
          status: found.length < inputs.length ? 207 : 200,
          body: { status: 'COMPLETE', results: shuffled(found.map(noteView)) },
        };
      }
      case 'POST /crm/v4/associations/companies/notes/batch/read': {
        const inputs = (body.inputs ?? []) as { id: string }[];
        const results = inputs.flatMap((input) => {
          const attached = notes.filter((n) => n.companyIds.includes(input.id));
          return attached.length === 0
            ? []
            : [
                {
                  from: { id: input.id },
                  to: attached.map((n) => ({
                    toObjectId: Number(n.id),
                    associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: NOTE_TO_COMPANY, label: null }],
                  })),
                },
              ];
        });
        return { status: results.length < inputs.length ? 207 : 200, body: { status: 'COMPLETE', results } };
      }
      default:
        unexpected.push(route);
        return { status: 404, body: { status: 'error', message: 'Not found', category: 'OBJECT_NOT_FOUND' } };
    }
  }

  const noteView = (n: FakeNoteRecord) => ({
    id: n.id,
    properties: { hs_note_body: n.body, hs_timestamp: n.timestamp, hs_object_id: n.id },
    createdAt: n.timestamp,
    updatedAt: n.timestamp,
    archived: false,
  });

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
    rateLimit(retryAfterSeconds, count = 1, path) {
      limited = { retryAfter: retryAfterSeconds, count, ...(path ? { path } : {}) };
    },
    failAfterWrite(how, failure = {}) {
      lost = { how, count: failure.count ?? 1, what: failure.what ?? 'any', lateMs: failure.lateMs ?? 300 };
    },
    failNext(status, count = 1) {
      failing = { status, count };
    },
    properties,
    seedCompany: (properties) => create(properties, new Date(Date.now() - 86_400_000)),
    close: () => server.close(),
  };
}
