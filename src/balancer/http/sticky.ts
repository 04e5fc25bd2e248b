// Sticky sessions in HTTP mode: a cookie names the backend that answered a client, so that its next
// requests go there while it takes traffic.
import type { RequestHead } from './requestHead';

export const STICKY_COOKIE = 'local-lb';

/** The backend id the request's cookie names, if it carries one. */
export function stickyBackendId(head: RequestHead): string | undefined {
  for (const [name, value] of head.headers) {
    if (name.length !== 6 || name.toLowerCase() !== 'cookie') continue;
    for (const pair of value.split(';')) {
      const trimmed = pair.trim();
      if (trimmed.startsWith(`${STICKY_COOKIE}=`)) return trimmed.slice(STICKY_COOKIE.length + 1);
    }
  }
  return undefined;
}

/**
 * A Cookie header's value without the sticky cookie, which is the balancer's own and not passed on
 * (as HAProxy's `cookie … indirect`, which the export writes); empty when it was the only cookie.
 */
export function withoutStickyCookie(value: string): string {
  if (!value.includes(`${STICKY_COOKIE}=`)) return value;
  return value
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => !pair.startsWith(`${STICKY_COOKIE}=`))
    .join('; ');
}

/** The header line that keeps the client on `backendId` (an id is `host:port`: cookie-safe as it is). */
export function stickyCookieLine(backendId: string): string {
  return `Set-Cookie: ${STICKY_COOKIE}=${backendId}; Path=/; HttpOnly; SameSite=Lax\r\n`;
}
