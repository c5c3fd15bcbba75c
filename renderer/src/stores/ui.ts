import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { MenuCommand } from '../api/desktop.js';

export type Theme = 'light' | 'dark';
const storageKey = 'tunebench.theme';

function initialTheme(): Theme {
  const saved = window.localStorage.getItem(storageKey);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** App-wide presentation state: the colour theme, persisted across sessions. */
export const useUiStore = defineStore('ui', () => {
  const theme = ref<Theme>(initialTheme());
  watch(
    theme,
    (value) => {
      document.documentElement.dataset.theme = value;
      window.localStorage.setItem(storageKey, value);
    },
    { immediate: true },
  );
  function toggleTheme(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  }
  /** The last app-menu command (Electron) not yet handled; the view it is for takes it. */
  const pendingCommand = shallowRef<MenuCommand | null>(null);
  function takeCommand(wanted: readonly MenuCommand[]): MenuCommand | null {
    const command = pendingCommand.value;
    if (!command || !wanted.includes(command)) return null;
    pendingCommand.value = null;
    return command;
  }
  return { theme, toggleTheme, pendingCommand, takeCommand };
});
