import { readFileSync } from 'node:fs';
import path from 'node:path';
import { schoolSetupSchema, type SchoolSetup } from './schema';

export const DEMO_SCHOOL_PATH = path.join(__dirname, 'demo-school.json');

export class SchoolSetupError extends Error {}

/** Reads and checks the school's setup; every problem is named by its field. */
export function loadSchoolSetup(file: string = process.env.SCHOOL_CONFIG || DEMO_SCHOOL_PATH): SchoolSetup {
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
