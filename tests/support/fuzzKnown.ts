/**
 * Product bugs the fuzz found and its report lists, each with the smallest input that shows it: counted
 * apart so that the run stays useful until they are fixed. A bug listed here and no longer seen in a
 * run is said in the summary, so that its entry can go. Each matches by route, kind and the logged
 * error, never by the input, so that a new way to the same fault is known and a new fault is not.
 */
import type { Failure } from './fuzzRun';

export const KNOWN: { id: string; title: string; matches(f: Failure): boolean }[] = [
  // None known now. F1–F8 (activities of the wrong shape, a reply the connector cannot take, parser
  // refusals logged as errors, Express's 4xx errors answered 500, a route answering twice, any time zone
  // accepted, ids with '/' or a lone surrogate used as storage keys) are fixed, each with its test.
];
