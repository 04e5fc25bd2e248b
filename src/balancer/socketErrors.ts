// What a socket error says about whom: the backend, or this machine's own limits.

/** This process or machine is out of file descriptors: nobody else is at fault. */
export function isOutOfDescriptors(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EMFILE' || code === 'ENFILE';
}

export function isRefused(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
}

/**
 * The other loopback address, tried when one refuses: a server on this machine may listen on
 * IPv4 or on IPv6 only (Node resolves `localhost` to ::1 first, Flask binds 127.0.0.1).
 */
export function otherLoopback(host: string): string | undefined {
  if (host === '127.0.0.1') return '::1';
  if (host === '::1') return '127.0.0.1';
  return undefined;
}
