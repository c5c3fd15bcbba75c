// The theme union written out (stores/ui.ts's Theme): e2e tests read the colours in plain Node.
type Theme = 'light' | 'dark';

/**
 * Series colours per theme, by position: the n-th series (and the n-th compared trial) always
 * gets the n-th colour. The dark set is lighter so points stay visible on near-black.
 */
export const palettes: Record<Theme, readonly string[]> = {
  light: ['#2f62d8', '#e07b00', '#23824b', '#c23636', '#7b4fd6', '#0f8b8d', '#b8578f', '#6b5b2e'],
  dark: ['#6d9cff', '#f0b44c', '#5ccf8a', '#ff7070', '#b69cff', '#4fd1c5', '#f28fc0', '#d9c27a'],
};

export function seriesColour(theme: Theme, index: number): string {
  const palette = palettes[theme];
  return palette[index % palette.length] ?? '#888888';
}
