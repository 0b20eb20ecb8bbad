/**
 * The other half of KeepHeight.astro: records each box's height while the page lives, and
 * releases a reserved height once the island inside has hydrated and grown into it.
 */

const storageKey = 'playground:heights';
/** Released anyway this long after hydration: a restored island that came out shorter or taller. */
const releaseAfterMs = 1500;

interface Saved {
  width: number;
  height: number;
  /** The island's bottom margin: the reserved box carries it, so what follows sits where it will. */
  marginBottom: number;
}

function readAll(): Record<string, Saved> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, Saved>) : {};
  } catch {
    return {};
  }
}

function save(name: string, inner: HTMLElement): void {
  try {
    const all = readAll();
    all[name] = {
      width: window.innerWidth,
      height: inner.getBoundingClientRect().height,
      marginBottom: parseFloat(getComputedStyle(inner).marginBottom) || 0,
    };
    localStorage.setItem(storageKey, JSON.stringify(all));
  } catch {
    // Storage blocked or full: the next load simply reserves nothing.
  }
}

/** The island's own content: astro-island is display: contents, so its first element child. */
function content(box: HTMLElement): HTMLElement | undefined {
  const island = box.querySelector('astro-island');
  const child = island?.firstElementChild;
  return child instanceof HTMLElement ? child : undefined;
}

function release(box: HTMLElement): void {
  box.style.height = '';
  box.style.marginBottom = '';
  box.removeAttribute('data-restoring');
}

function whenHydrated(box: HTMLElement, then: () => void): void {
  const island = box.querySelector('astro-island');
  if (!island || !island.hasAttribute('ssr')) return then();
  island.addEventListener('astro:hydrate', () => then(), { once: true });
}

function keep(box: HTMLElement): void {
  const name = box.dataset.keepHeight;
  if (!name) return;
  whenHydrated(box, () => {
    // Saved as the island changes (the box itself is display: contents outside a restore).
    const inner = content(box);
    if (inner)
      new ResizeObserver(() => {
        if (!box.hasAttribute('data-restoring')) save(name, inner);
      }).observe(inner);
    if (!box.hasAttribute('data-restoring')) return;
    // The restored results render a frame or two after hydration (the stores are read after mount):
    // release the box on the first frame the island fills it, or after releaseAfterMs regardless.
    const reserved = box.getBoundingClientRect().height;
    const started = performance.now();
    const check = () => {
      const restored = content(box);
      const height = restored?.getBoundingClientRect().height ?? 0;
      if (Math.abs(height - reserved) <= 1 || performance.now() - started > releaseAfterMs) {
        release(box);
        if (restored) save(name, restored);
        return;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

/** Starts keeping every box on the page. */
export function watchKeptHeights(root: Document): void {
  for (const box of root.querySelectorAll<HTMLElement>('[data-keep-height]')) keep(box);
}
