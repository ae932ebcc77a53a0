/**
 * Moving from the list to a case or a child's record replaces the page under the keyboard's focus:
 * the new page's heading takes it once it has loaded, so a screen reader reads where the person is and
 * Tab goes on from there. Only on opening, not after each change (a dialog gives the focus back to its button).
 */
import { useEffect, useRef } from 'react';

export function useFocusOnOpen<T extends HTMLElement>(loaded: boolean) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (loaded) ref.current?.focus();
  }, [loaded]);
  return ref;
}
