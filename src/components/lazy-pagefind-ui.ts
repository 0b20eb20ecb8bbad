/**
 * Stands in for `@pagefind/default-ui` (astro.config.mjs aliases the bare package name here).
 *
 * Starlight's search box imports Pagefind's UI when the browser is first idle and builds it at
 * once, on every page: about 90 KB of script to parse and run, the longest task of a page load
 * on a slow phone (Lighthouse counted it in Total Blocking Time on every page). This class takes
 * the same options, and builds the real UI only when the reader is about to search: the pointer
 * or focus reaches the Search button, or the search dialog opens (Ctrl+K included). Then it puts
 * the focus in the search box, as Starlight does when the UI is already there.
 */
type PagefindUIOptions = { element: string } & Record<string, unknown>;

export class PagefindUI {
  constructor(options: PagefindUIOptions) {
    const container = document.querySelector(options.element);
    const dialog = container?.closest('dialog');
    const button = dialog?.parentElement?.querySelector('button[data-open-modal]');
    let loading: Promise<void> | undefined;
    // While the real UI loads, the dialog says so (a slow phone waits a few seconds for it), and
    // says so plainly if it could not load (opening the search again tries once more).
    const say = (text: string | undefined) => {
      let line = container?.querySelector(':scope > .lazy-search-status');
      if (text === undefined) return line?.remove();
      if (!line) {
        line = document.createElement('p');
        line.className = 'lazy-search-status';
        line.setAttribute('role', 'status');
        container?.prepend(line);
      }
      line.textContent = text;
    };
    const load = () => {
      if (loading) return;
      say('Loading search…');
      loading = import(
        // @ts-expect-error -- Pagefind's UI ships no types.
        '@pagefind/default-ui/npm_dist/mjs/ui-core.mjs'
      ).then(
        (real: { PagefindUI: new (options: PagefindUIOptions) => unknown }) => {
          say(undefined);
          new real.PagefindUI(options);
          if (dialog?.open) dialog.querySelector('input')?.focus();
        },
        () => {
          loading = undefined;
          say('Search could not load. Check the connection, then reload the page.');
        },
      );
    };
    if (!dialog || !button) {
      load();
      return;
    }
    for (const event of ['pointerenter', 'focus', 'touchstart'])
      button.addEventListener(event, load, { once: true, passive: true });
    new MutationObserver(() => {
      if (dialog.open) load();
    }).observe(dialog, { attributes: true, attributeFilter: ['open'] });
    // Starlight runs this once the browser is idle after the load; a reader who opened the dialog
    // before that (CI's loaded machine clicked Search 0.3 s before this ran, and a slow phone's
    // reader can too) would otherwise get an empty dialog: no change of `open` is left to observe.
    if (dialog.open || button.matches(':hover, :focus')) load();
  }
}
