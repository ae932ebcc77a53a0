/** The look of the pages' plain data tables (a <table> with a caption and headers, for screen readers). */
import { makeStyles, tokens } from '@fluentui/react-components';

export const useTableStyles = makeStyles({
  table: { borderCollapse: 'collapse', width: '100%', fontSize: tokens.fontSizeBase300, color: tokens.colorNeutralForeground1 },
  caption: { textAlign: 'left', fontWeight: tokens.fontWeightSemibold, padding: '4px 0' },
  cell: { textAlign: 'left', padding: '4px 8px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, fontWeight: tokens.fontWeightRegular },
  number: { textAlign: 'right', padding: '4px 8px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, fontVariantNumeric: 'tabular-nums' },
  head: { textAlign: 'left', padding: '4px 8px', borderBottom: `2px solid ${tokens.colorNeutralStroke1}`, fontWeight: tokens.fontWeightSemibold },
  /** A column of numbers: its header sits over them, on the right. */
  numberHead: { textAlign: 'right', padding: '4px 8px', borderBottom: `2px solid ${tokens.colorNeutralStroke1}`, fontWeight: tokens.fontWeightSemibold },
  /** For screen readers only: a caption that repeats a visible heading. */
  hiddenCaption: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
});
