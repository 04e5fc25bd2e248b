// The "Local LB" log: what the CLI would print, in a LogOutputChannel.
import * as vscode from 'vscode';
import type { LoadBalancer } from '../balancer/loadBalancer';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Local LB', { log: true });
}

/**
 * Engine lines go to the log at their level. Connection lines ("Handling …", "Finished …") are
 * debug lines: shown when the user sets the channel's level to Debug, and not even formatted
 * otherwise, so that busy traffic costs nothing.
 */
export function logBalancer(balancer: LoadBalancer, log: vscode.LogOutputChannel): void {
  balancer.on('log', ({ level, message }) => log[level](message));
  const debugging = (): boolean => log.logLevel !== vscode.LogLevel.Off && log.logLevel <= vscode.LogLevel.Debug;
  balancer.on('connectionOpened', (c) => debugging() && log.debug(`Handling ${c.client} to ${c.backend}`));
  balancer.on('connectionClosed', (c) => debugging() && log.debug(`Finished ${c.client} to ${c.backend}${c.error ? ` (${c.error})` : ''}`));
}
