// HAR 1.2 checked against its JSON schema, with har-validator from npm (it ships no types).
import { createRequire } from 'node:module';

interface HarValidator {
  har(data: unknown): Promise<unknown>;
}

const validator = createRequire(__filename)('har-validator') as HarValidator;

/** Resolves when `data` is a valid HAR 1.2 file; rejects with the schema's errors when not. */
export async function validateHar(data: unknown): Promise<void> {
  try {
    await validator.har(data);
  } catch (error) {
    const errors = (error as { errors?: unknown }).errors;
    throw new Error(`Not HAR 1.2: ${JSON.stringify(errors ?? String(error))}`, { cause: error });
  }
}
