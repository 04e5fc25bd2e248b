// Sticky sessions in HTTP mode: a cookie (named for the pool) names the backend that answered a
// client, so that its next requests go there while it takes traffic.
import type { LiveSettings } from '../liveSettings';
import type { RequestHead } from './requestHead';

export type StickySettings = Pick<LiveSettings, 'sticky' | 'stickyCookie'>;

/** The backend id the request's sticky cookie names, while sessions are sticky and it carries one. */
export function stickyBackendId(head: RequestHead, { sticky, stickyCookie }: StickySettings): string | undefined {
  if (!sticky) return undefined;
  for (const [name, value] of head.headers) {
    if (name.length !== 6 || name.toLowerCase() !== 'cookie') continue;
    for (const pair of value.split(';')) {
      const trimmed = pair.trim();
      if (trimmed.charCodeAt(stickyCookie.length) === 61 /* = */ && trimmed.startsWith(stickyCookie)) return trimmed.slice(stickyCookie.length + 1);
    }
  }
  return undefined;
}

/**
 * A Cookie header's value without the sticky cookie, which is the balancer's own and not passed on
 * (as HAProxy's `cookie … indirect`, which the export writes); empty when it was the only cookie.
 */
export function withoutStickyCookie(value: string, cookie: string): string {
  const prefix = `${cookie}=`;
  if (!value.includes(prefix)) return value;
  return value
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => !pair.startsWith(prefix))
    .join('; ');
}

/**
 * The header line that keeps the client on `backendId` (an id is `host:port`: cookie-safe as it
 * is), while sessions are sticky and the request's cookie names another; else nothing.
 */
export function stickyCookieLine(head: RequestHead, backendId: string, settings: StickySettings): string {
  if (!settings.sticky || stickyBackendId(head, settings) === backendId) return '';
  return `Set-Cookie: ${settings.stickyCookie}=${backendId}; Path=/; HttpOnly; SameSite=Lax\r\n`;
}
