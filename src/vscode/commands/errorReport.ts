// What a command does with an error it did not expect: report it once, and end the command. Pure.
import { ConfigError } from '../../balancer';
import { t } from '../l10n';

/** `message` is for a notification; `details` (with the stack) for the log. */
export type Report = (message: string, details: string) => void;

/**
 * `handler`, reporting anything it throws once through `report` and resolving to undefined then.
 * Bad input (a `ConfigError`) is shown as its own message; anything else as a failure of the
 * command, with its stack in the log. Nothing is thrown on: VS Code would show it a second time.
 */
export function withErrorReport<A extends unknown[], R>(
  id: string,
  handler: (...args: A) => R | Promise<R>,
  report: Report,
): (...args: A) => Promise<R | undefined> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ConfigError) {
        report(error.message, error.message);
      } else {
        const message = error instanceof Error ? error.message : String(error);
        const details = error instanceof Error && error.stack ? error.stack : message;
        report(t('Local LB: {0} failed: {1}. The log has the details.', id, message), t('{0} failed: {1}', id, details));
      }
      return undefined;
    }
  };
}
