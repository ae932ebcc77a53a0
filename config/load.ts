import { readFileSync } from 'node:fs';
import { schoolSetupSchema, type SchoolSetup } from './schema';

export class SchoolSetupError extends Error {}

/** Reads and checks the school's setup (settings.ts says which file); every problem is named by its field. */
export function loadSchoolSetup(file: string): SchoolSetup {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SchoolSetupError(`School setup ${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  return parseSchoolSetup(raw, file);
}

export function parseSchoolSetup(raw: unknown, source = 'school setup'): SchoolSetup {
  const result = schoolSetupSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  - ${i.path.join('.') || '(top level)'}: ${i.message}`);
  throw new SchoolSetupError(`School setup ${source} is not valid:\n${problems.join('\n')}`);
}
