/** Why a Salesforce call failed, in terms the client acts on. `unknown_outcome`: a write was sent and its answer lost
 * (timeout, 5xx, dropped connection), so it may or may not have been done: look before writing again. */
export type SalesforceFailureKind =
  'auth' | 'forbidden' | 'rate_limited' | 'bad_request' | 'not_found' | 'unavailable' | 'unknown_outcome';

/** A Salesforce failure whose message is already plain words for the person who clicked. */
export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';
  constructor(
    readonly kind: SalesforceFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
