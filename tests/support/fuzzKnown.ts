/**
 * Product bugs the fuzz found and its report lists, each with the smallest input that shows it: counted
 * apart so that the run stays useful until they are fixed. A bug listed here and no longer seen in a
 * run is said in the summary, so that its entry can go. Each matches by route, kind and the logged
 * error, never by the input, so that a new way to the same fault is known and a new fault is not.
 */
import type { Failure } from './fuzzRun';

export const KNOWN: { id: string; title: string; matches(f: Failure): boolean }[] = [];
