import { codeLanguages, type CodeLanguage } from './languages.ts';

/**
 * The guide's language choice, shared with Starlight's `<Tabs syncKey="lang">`. Starlight keeps the
 * chosen tab's label in localStorage under `starlight-synced-tabs__` + the sync key, and restores
 * it on every page (@astrojs/starlight, user-components/Tabs.astro). The code panel reads and
 * writes the same entry, and switches the page's tabs when the reader picks a language in it.
 */

/** Starlight's storage key for the guide's `syncKey="lang"` tabs. */
export const languageStorageKey = 'starlight-synced-tabs__lang';

/** The sync key of the guide's language tabs. */
export const languageSyncKey = 'lang';

export function isCodeLanguage(label: string | null | undefined): label is CodeLanguage {
  return (codeLanguages as readonly string[]).includes(label ?? '');
}

/** The language the reader last chose, on any page; undefined when none (or storage is blocked). */
export function readSyncedLanguage(storage: Pick<Storage, 'getItem'> | undefined): CodeLanguage | undefined {
  try {
    const label = storage?.getItem(languageStorageKey);
    return isCodeLanguage(label) ? label : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers the choice where Starlight's tabs look for it. */
export function storeSyncedLanguage(
  storage: Pick<Storage, 'setItem'> | undefined,
  language: CodeLanguage,
): void {
  try {
    storage?.setItem(languageStorageKey, language);
  } catch {
    // Storage blocked: the choice holds for this page only.
  }
}

/** Starlight's tabs element: `switchTab` is its public method (shouldSync false: no focus move, no re-broadcast). */
interface StarlightTabsElement extends HTMLElement {
  tabs?: HTMLElement[];
  switchTab?: (tab: HTMLElement, index: number, shouldSync?: boolean) => void;
}

function languageTabSets(root: ParentNode): StarlightTabsElement[] {
  return [
    ...root.querySelectorAll<StarlightTabsElement>(`starlight-tabs[data-sync-key="${languageSyncKey}"]`),
  ];
}

/** Switches every language tab set on the page to `label`, as a click in one of them would. */
export function switchGuideTabs(root: ParentNode, label: CodeLanguage): void {
  for (const tabs of languageTabSets(root)) {
    const list = tabs.tabs ?? [...tabs.querySelectorAll<HTMLElement>('[role="tab"]')];
    const index = list.findIndex((tab) => tab.textContent?.trim() === label);
    const tab = list[index];
    if (tab && tab.getAttribute('aria-selected') !== 'true') tabs.switchTab?.(tab, index, false);
  }
}

/**
 * Calls `onChange` with the label whenever the reader picks a language in the page's tabs, or in
 * another browser tab (the storage event). Returns the function that stops watching.
 */
export function watchGuideLanguage(root: Document, onChange: (language: CodeLanguage) => void): () => void {
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target as HTMLElement;
      const label = target.textContent?.trim();
      if (target.getAttribute('aria-selected') === 'true' && isCodeLanguage(label)) onChange(label);
    }
  });
  for (const tabs of languageTabSets(root))
    observer.observe(tabs, { subtree: true, attributes: true, attributeFilter: ['aria-selected'] });
  const onStorage = (event: StorageEvent) => {
    if (event.key === languageStorageKey && isCodeLanguage(event.newValue)) onChange(event.newValue);
  };
  root.defaultView?.addEventListener('storage', onStorage);
  return () => {
    observer.disconnect();
    root.defaultView?.removeEventListener('storage', onStorage);
  };
}
