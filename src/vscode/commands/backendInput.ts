// What Add Backend accepts: checked as the user types, with the problem named. Pure.
import { assertNoDuplicates, ConfigError, parseAddress, type BackendSpec } from '../../balancer';

/** Checks what a user typed in "Add Backend"; returns the problem, or undefined when it is fine. */
export function backendInputProblem(text: string, existing: readonly BackendSpec[]): string | undefined {
  try {
    const backend = parseAddress(text);
    assertNoDuplicates([...existing, backend]);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}
