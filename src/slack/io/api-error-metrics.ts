import type { webApi } from '@slack/bolt';
import type { Metrics } from '../../metrics/metrics.js';

type FetchFunction = webApi.FetchFunction;

/**
 * The fetch every Web API client of the app uses, counting each failed call by method and error
 * (leads_slack_api_errors_total): a 429 as "ratelimited" even when the client then waits and retries, another HTTP
 * status as "http_<status>", a dropped connection as "network", and Slack's `ok: false` answers by their error code.
 */
export function fetchCountingApiErrors(
  metrics: Pick<Metrics, 'slackApiError'>,
  apiUrl: string,
  base: FetchFunction = globalThis.fetch,
): FetchFunction {
  return async (url, init) => {
    const href = String(url);
    const isMethod = href.startsWith(apiUrl);
    // The only other URL the client posts to is the upload URL files.uploadV2 was handed.
    const method = isMethod ? (href.slice(apiUrl.length).split(/[?#]/)[0] ?? 'other') : 'files.uploadV2';
    let response: Awaited<ReturnType<FetchFunction>>;
    try {
      response = await base(url, init);
    } catch (error) {
      metrics.slackApiError(method, 'network');
      throw error;
    }
    if (response.status === 429) metrics.slackApiError(method, 'ratelimited');
    else if (response.status !== 200) metrics.slackApiError(method, `http_${response.status}`);
    else if (isMethod && typeof (response as Response).clone === 'function') {
      // Read from a copy, without holding up the client, which reads the original.
      void (response as Response)
        .clone()
        .json()
        .then((body: unknown) => {
          const answer = body as { ok?: unknown; error?: unknown } | null;
          if (answer?.ok === false)
            metrics.slackApiError(method, typeof answer.error === 'string' ? answer.error : 'unknown');
        })
        .catch(() => undefined);
    }
    return response;
  };
}
