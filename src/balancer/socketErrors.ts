// What a socket error says about whom: the backend, or this machine's own limits.
import { formatAddress } from './address';
import { ListenError } from './errors';
import type { Address } from './types';

/** This process or machine is out of file descriptors: nobody else is at fault. */
export function isOutOfDescriptors(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EMFILE' || code === 'ENFILE';
}

export function isRefused(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
}

export function outOfDescriptorsMessage(error: Error): string {
  return `out of file descriptors (${(error as NodeJS.ErrnoException).code}); raise the limit (ulimit -n) for more connections`;
}

/** The reason a frontend could not listen, naming the address; the system's error is its cause. */
export function listenError(error: unknown, address: Address): ListenError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = formatAddress(address);
  const message =
    code === 'EADDRINUSE'
      ? `Port ${address.port} is already in use (${where}).`
      : code === 'EACCES'
        ? `Not allowed to listen on ${where}.`
        : code === 'EADDRNOTAVAIL'
          ? `Cannot listen on ${where}: the address is not on this machine.`
          : `Cannot listen on ${where}: ${(error as Error).message}`;
  return new ListenError(code === 'EADDRINUSE' ? 'LLB_PORT_IN_USE' : 'LLB_LISTEN_FAILED', message, error);
}
