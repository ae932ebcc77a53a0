/** Teams' three themes, as the page names them (teams-js gives 'default', 'dark' or 'contrast'). */
export type HostTheme = 'default' | 'dark' | 'contrast';

export function asTheme(t: string | null | undefined): HostTheme {
  return t === 'dark' || t === 'contrast' ? t : 'default';
}
