import { describe, expect, it } from 'vitest';
import {
  languageStorageKey,
  readSyncedLanguage,
  storeSyncedLanguage,
  switchGuideTabs,
} from '../../../../src/islands/request-code/language-sync.ts';

describe('the guide language, shared with Starlight’s synced tabs', () => {
  it('uses Starlight\'s key for syncKey="lang"', () => {
    // @astrojs/starlight user-components/Tabs.astro: `starlight-synced-tabs__` + syncKey.
    expect(languageStorageKey).toBe('starlight-synced-tabs__lang');
  });

  it('reads a label the panel knows, and ignores anything else', () => {
    const storage = (value: string | null) => ({
      getItem: (key: string) => (key === languageStorageKey ? value : null),
    });
    expect(readSyncedLanguage(storage('Python'))).toBe('Python');
    expect(readSyncedLanguage(storage('C#'))).toBe('C#');
    expect(readSyncedLanguage(storage('Rust'))).toBeUndefined();
    expect(readSyncedLanguage(storage(null))).toBeUndefined();
    expect(readSyncedLanguage(undefined)).toBeUndefined();
    expect(
      readSyncedLanguage({
        getItem: () => {
          throw new Error('blocked');
        },
      }),
    ).toBeUndefined();
  });

  it('stores the choice where Starlight reads it, and survives blocked storage', () => {
    const items = new Map<string, string>();
    storeSyncedLanguage({ setItem: (key, value) => items.set(key, value) }, 'Go');
    expect(items.get('starlight-synced-tabs__lang')).toBe('Go');
    expect(() =>
      storeSyncedLanguage(
        {
          setItem: () => {
            throw new Error('quota');
          },
        },
        'Go',
      ),
    ).not.toThrow();
  });

  it("switches every language tab set through Starlight's own switchTab, without re-broadcasting", () => {
    const calls: unknown[][] = [];
    const tab = (label: string, selected: boolean) => ({
      textContent: ` ${label} `,
      getAttribute: () => (selected ? 'true' : 'false'),
    });
    const tabs = [tab('curl', true), tab('TypeScript', false), tab('Python', false)];
    const set = { tabs, switchTab: (...args: unknown[]) => calls.push(args) };
    const root = {
      querySelectorAll: (selector: string) =>
        selector === 'starlight-tabs[data-sync-key="lang"]' ? [set] : [],
    };
    switchGuideTabs(root as unknown as ParentNode, 'Python');
    expect(calls).toEqual([[tabs[2], 2, false]]);
    switchGuideTabs(root as unknown as ParentNode, 'curl');
    expect(calls).toHaveLength(1);
  });
});
