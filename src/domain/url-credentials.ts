// Credentials inside provider URLs (http://user:password@host, a common reverse-proxy set-up): sent as a header,
// never printed. Linear scans only, since redaction runs over every log line and message.

/** A URL without its user:password, the Authorization header they stand for, and the values to keep secret. */
export interface UrlCredentials {
  url: string;
  authorization?: string;
  secrets: string[];
}

/** Splits `user:password@` out of an http(s) URL into an `Authorization: Basic` header. */
export function splitUrlCredentials(raw: string): UrlCredentials {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw, secrets: [] };
  }
  if (!url.username && !url.password) return { url: raw, secrets: [] };
  const user = safeDecode(url.username);
  const password = safeDecode(url.password);
  const token = Buffer.from(`${user}:${password}`).toString('base64');
  const userinfo = `${url.username}${url.password ? `:${url.password}` : ''}`;
  url.username = '';
  url.password = '';
  const secrets = [password, password ? userinfo : '', token, `${user}:${password}`].filter(
    (value) => value.length >= 4,
  );
  return { url: url.href, authorization: `Basic ${token}`, secrets };
}

/** Replaces the user:password part of every URL in `text` with "***", e.g. in an error message. */
export function redactUrlCredentials(text: string): string {
  if (!text.includes('://')) return text;
  let out = '';
  let from = 0;
  for (let scheme = text.indexOf('://'); scheme >= 0; scheme = text.indexOf('://', from)) {
    const start = scheme + 3;
    let end = start;
    let at = -1;
    while (end < text.length && !AUTHORITY_END.has(text.charCodeAt(end))) {
      if (text.charCodeAt(end) === 64) at = end;
      end += 1;
    }
    if (at >= 0) {
      out += `${text.slice(from, start)}***`;
      from = at;
    }
    // The next search starts past this authority, so every character is looked at once.
    out += text.slice(from, end);
    from = end;
    if (end === start) {
      out += text.slice(from, end + 1);
      from = end + 1;
    }
  }
  return out + text.slice(from);
}

// Characters that end a URL's authority (or the URL): / ? # whitespace quotes and brackets.
const AUTHORITY_END = new Set([...'/?#"\'<>`()[]{}| \t\r\n'].map((char) => char.charCodeAt(0)));

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
