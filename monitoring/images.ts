/**
 * Removes every picture from an alert before anything reads it. Monitoring systems attach the screen
 * they captured (Impero takes five screenshots a capture; Senso shows the capture image beside the
 * violation; Smoothwall keeps screenshots the moderators ask for). PRODUCT.md: "captured screenshots are
 * never stored", and for the image categories (§11.2, §11.4) "never accept, store or forward an image".
 * So a field whose name says it is a picture is dropped whatever it holds, and so is any text that
 * carries image data, wherever it sits. Only the vendor's link to view the capture survives, under a
 * name that does not claim to be the picture.
 */
import { carriesImage } from '../core/concern';

/** Field names that hold a picture (or a link straight to the picture file) rather than a reference to the capture record. */
export const PICTURE_NAME = /image|screen_?shot|thumb|base64|snapshot|picture|photo|bitmap|png|jpe?g/i;

/** Keys that would reach an object's prototype rather than hold data. */
const NOT_DATA = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper than this is not an alert but an attempt to make us walk a long way. */
const MAX_DEPTH = 8;

export interface Unpictured {
  value: unknown;
  /** Where pictures were removed, as dotted paths ("screenshots", "capture.thumbnail"). */
  dropped: string[];
  /** Set when the input is nested beyond reason; nothing is read then. */
  tooDeep?: true;
}

const DROP = Symbol('dropped');

export function withoutImages(input: unknown): Unpictured {
  const dropped: string[] = [];
  let tooDeep = false;
  const walk = (value: unknown, path: string, depth: number): unknown => {
    if (depth > MAX_DEPTH) {
      tooDeep = true;
      return DROP;
    }
    if (typeof value === 'string' && carriesImage(value)) {
      dropped.push(path || '(the whole body)');
      return DROP;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`, depth + 1)).filter((v) => v !== DROP);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (NOT_DATA.has(key)) continue;
        if (PICTURE_NAME.test(key)) {
          dropped.push(at);
          continue;
        }
        const kept = walk(v, at, depth + 1);
        if (kept !== DROP) out[key] = kept;
      }
      return out;
    }
    return value;
  };
  const value = walk(input, '', 0);
  return tooDeep ? { value: undefined, dropped, tooDeep: true } : { value: value === DROP ? undefined : value, dropped };
}
