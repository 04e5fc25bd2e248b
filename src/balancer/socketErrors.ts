// What a socket error says about whom: the backend, or this machine's own limits.
import { formatAddress } from './address';
import type { Address } from './types';

/** This process or machine is out of file descriptors: nobody else is at fault. */
export function isOutOfDescriptors(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EMFILE' || code === 'ENFILE';
}

/** A connection closed for having moved no byte for the idle timeout. */
export class IdleTimeout extends Error {
  constructor(ms: number) {
    super(`idle for ${ms} ms`);
  }
}

export function isRefused(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
}

export function outOfDescriptorsMessage(error: Error): string {
  return `out of file descriptors (${(error as NodeJS.ErrnoException).code}); raise the limit (ulimit -n) for more connections`;
}

/** The reason a frontend could not listen, naming the address; keeps the error's code. */
export function listenError(error: unknown, address: Address): Error {
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
  return Object.assign(new Error(message), { code });
}
