// Which backends a workspace's settings may not use before the user allows them: those off this machine.
import { formatAddress, isLoopbackHost, type BackendSpec } from '../balancer';

/**
 * Splits backends that came from a workspace's settings into those that may be used and those
 * off this machine that the user has not allowed yet: a workspace must not be able to send
 * traffic elsewhere on its own.
 */
export function withoutUnconsentedBackends(
  backends: readonly BackendSpec[],
  fromWorkspace: boolean,
  allowed: ReadonlySet<string>,
): { usable: BackendSpec[]; needConsent: BackendSpec[] } {
  const needConsent = fromWorkspace ? backends.filter((b) => !isLoopbackHost(b.host) && !allowed.has(formatAddress(b))) : [];
  return { usable: backends.filter((b) => !needConsent.includes(b)), needConsent };
}
