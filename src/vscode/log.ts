// The "Local LB" log: what the CLI would print, in a LogOutputChannel.
import * as vscode from 'vscode';
import { closedLine, openedLine, requestLine, type ConnectionClosedInfo, type ConnectionInfo, type LoadBalancer, type LogEntry, type RequestInfo } from '../balancer';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Local LB', { log: true });
}

/**
 * Engine lines go to the log at their level. Connection lines ("Handling …", "Finished …") and
 * request lines (HTTP mode: "GET / from … to …: 200 in 3 ms") are debug lines, listened to only while the channel's level is Debug or Trace: connection details
 * cost the balancer work per connection (an address lookup, objects), which busy traffic should
 * not pay for a log nobody shows. Each line starts with `prefix`: the pool's name when there are several.
 */
export function logBalancer(balancer: LoadBalancer, log: vscode.LogOutputChannel, prefix = ''): vscode.Disposable {
  const entry = ({ level, message }: LogEntry): void => log[level](prefix + message);
  balancer.on('log', entry);
  const opened = (c: ConnectionInfo): void => log.debug(prefix + openedLine(c));
  const closed = (c: ConnectionClosedInfo): void => log.debug(prefix + closedLine(c));
  const request = (r: RequestInfo): void => log.debug(prefix + requestLine(r));
  const follow = (level: vscode.LogLevel): void => {
    balancer.off('connectionOpened', opened).off('connectionClosed', closed).off('request', request);
    if (level !== vscode.LogLevel.Off && level <= vscode.LogLevel.Debug) balancer.on('connectionOpened', opened).on('connectionClosed', closed).on('request', request);
  };
  follow(log.logLevel);
  const levels = log.onDidChangeLogLevel(follow);
  // Disposed, it leaves the balancer as it found it: another may still listen (toxiproxy's API).
  return new vscode.Disposable(() => {
    levels.dispose();
    balancer.off('log', entry).off('connectionOpened', opened).off('connectionClosed', closed).off('request', request);
  });
}
