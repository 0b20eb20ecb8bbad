import { useStore } from '@nanostores/react';
import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { CopyButton } from '../playground-shared/CopyButton.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import {
  $lastApiCall,
  $lastRequestKind,
  $lastTokenRequest,
  type RequestShape,
} from '../playground-shared/playground-store.ts';
import type { HighlightedToken } from './highlight.ts';
import { codeLanguages, grammarOf, type CodeLanguage } from './languages.ts';
import {
  readSyncedLanguage,
  storeSyncedLanguage,
  switchGuideTabs,
  watchGuideLanguage,
} from './language-sync.ts';
import './request-code.css';

type Generator = typeof import('./request-code.ts');
type Highlighter = typeof import('./highlight.ts');

/** Which request the panel shows: the last token request, the last API call, or whichever came last. */
export interface RequestCodeProps {
  kind?: 'token' | 'api' | 'latest';
  /**
   * Fixed requests to show instead of the reader's last one (the errors page: each finding's
   * corrected request). With more than one, the reader picks which.
   */
  shapes?: RequestShape[];
  /** The toggle's text; "Code for this request" by default. */
  label?: string;
}

/** What a fixed request is called in the panel's choice. */
function shapeName(shape: RequestShape): string {
  if (shape.kind === 'api') return `API call (${shape.method})`;
  return shape.authMethod === 'private_key_jwt'
    ? 'Token request (key pair)'
    : `Token request (${shape.authMethod})`;
}

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/**
 * A wrapped code line continues two columns right of where its own text starts (tabs count 4, the
 * panel's tab-size), never at column 0.
 */
function codeIndent(line: { content: string }[]): CSSProperties {
  const text = line.map((token) => token.content).join('');
  const leading = /^[\t ]*/.exec(text)![0];
  const columns = [...leading].reduce((sum, character) => sum + (character === '\t' ? 4 : 1), 0) + 2;
  return { paddingInlineStart: `${columns}ch`, textIndent: `-${columns}ch` };
}

/**
 * "Code for this request": the last request as a program in the guide's six languages, with the
 * credentials read from environment variables. The generator and Shiki load only when the panel
 * opens; the language follows the guide's tabs both ways.
 */
export default function RequestCode({
  kind = 'latest',
  shapes,
  label = 'Code for this request',
}: RequestCodeProps) {
  const lastToken = useStore($lastTokenRequest, { ssr: 'initial' });
  const lastApi = useStore($lastApiCall, { ssr: 'initial' });
  const lastKind = useStore($lastRequestKind, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [language, setLanguage] = useState<CodeLanguage>('curl');
  const [generator, setGenerator] = useState<Generator | undefined>();
  const [highlighter, setHighlighter] = useState<Highlighter | undefined>();
  const [lines, setLines] = useState<HighlightedToken[][] | undefined>();
  const [loadError, setLoadError] = useState(false);
  const [fixedIndex, setFixedIndex] = useState(0);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  // Loaded on first open only: this is what keeps Shiki off the page until the reader asks.
  const loading = useRef(false);
  useEffect(() => {
    if (!open || loading.current) return;
    loading.current = true;
    import('./request-code.ts').then(setGenerator, () => setLoadError(true));
    import('./highlight.ts').then(setHighlighter, () => setLoadError(true));
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const stored = readSyncedLanguage(storage());
    if (stored) setLanguage(stored);
    return watchGuideLanguage(document, setLanguage);
  }, [open]);

  const shape = shapes ? shapes[fixedIndex] : generator?.pickShape(kind, lastToken, lastApi, lastKind);
  const origin = typeof location === 'undefined' ? 'http://localhost:4321' : location.origin;
  const code = generator && shape ? generator.generateCode(shape, language, origin) : undefined;
  const file = generator && shape ? generator.programFile(shape, language) : undefined;

  useEffect(() => {
    setLines(undefined);
    if (!highlighter || code === undefined) return;
    let cancelled = false;
    highlighter.highlightCode(code.replace(/\n$/, ''), grammarOf[language]).then(
      (result) => !cancelled && setLines(result),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [highlighter, code, language]);

  function choose(next: CodeLanguage, focus = false) {
    setLanguage(next);
    storeSyncedLanguage(storage(), next);
    switchGuideTabs(document, next);
    if (focus) tabRefs.current[codeLanguages.indexOf(next)]?.focus();
  }

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    const last = codeLanguages.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    choose(codeLanguages[next]!, true);
  }

  const panelId = `${id}-panel`;
  const noRequest =
    kind === 'token'
      ? 'Request a token above first'
      : kind === 'api'
        ? 'Call the API above first'
        : 'Request a token or call the API first';

  return (
    <div className="pg pg-code not-content">
      <button
        type="button"
        className="pg-button pg-button--secondary pg-code__toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
        disabled={!hydrated}
      >
        <span aria-hidden="true" className="pg-code__chevron">
          {open ? '▾' : '▸'}
        </span>{' '}
        {label}
      </button>
      <div id={panelId} hidden={!open} className="pg-stack">
        {open && !generator && !loadError && <p className="pg-hint">Loading…</p>}
        {open && loadError && (
          <p className="pg-hint">The code panel could not be loaded. Reload the page to try again.</p>
        )}
        {open && generator && !shape && (
          <p className="pg-hint">{noRequest}: this panel then shows that request as a program.</p>
        )}
        {open && generator && shapes && shapes.length > 1 && (
          <div role="group" aria-label="Which request" className="pg-code__tabs">
            {shapes.map((fixed, index) => (
              <button
                key={shapeName(fixed)}
                type="button"
                aria-pressed={index === fixedIndex}
                onClick={() => setFixedIndex(index)}
                className="pg-code__tab"
              >
                {shapeName(fixed)}
              </button>
            ))}
          </div>
        )}
        {open && generator && shape && code !== undefined && file && (
          <>
            <div role="tablist" aria-label="Language" className="pg-code__tabs">
              {codeLanguages.map((name, index) => (
                <button
                  key={name}
                  ref={(element) => {
                    tabRefs.current[index] = element;
                  }}
                  type="button"
                  role="tab"
                  id={`${id}-tab-${index}`}
                  aria-selected={name === language}
                  aria-controls={`${id}-code`}
                  tabIndex={name === language ? 0 : -1}
                  onClick={() => choose(name)}
                  onKeyDown={(event) => onTabKey(event, index)}
                  className="pg-code__tab"
                >
                  {name}
                </button>
              ))}
            </div>
            <div
              role="tabpanel"
              id={`${id}-code`}
              aria-labelledby={`${id}-tab-${codeLanguages.indexOf(language)}`}
              className="pg-stack"
            >
              <p className="pg-hint">
                <code>{file.name}</code>. Run: <code>{file.run}</code>. It reads{' '}
                {shape.kind === 'token' && shape.authMethod === 'private_key_jwt' ? (
                  <>
                    <code>CLIENT_ID</code>, <code>KEY_ID</code>, <code>PRIVATE_KEY_FILE</code> (your own key:
                    this page&apos;s private key cannot leave it)
                  </>
                ) : shape.kind === 'token' ? (
                  <>
                    <code>CLIENT_ID</code>, <code>CLIENT_SECRET</code>
                  </>
                ) : (
                  <code>ACCESS_TOKEN</code>
                )}{' '}
                and <code>SANDBOX_URL</code> from the environment: no secret is written into the code.
              </p>
              <pre className="pg-code__pre" data-highlighted={lines ? 'true' : 'false'}>
                <code>
                  {lines
                    ? lines.map((line, lineIndex) => (
                        <span key={lineIndex} className="pg-code__line" style={codeIndent(line)}>
                          {line.map((token, tokenIndex) => (
                            <span key={tokenIndex} style={token.style as CSSProperties}>
                              {token.content}
                            </span>
                          ))}
                          {'\n'}
                        </span>
                      ))
                    : code}
                </code>
              </pre>
              <div className="pg-actions">
                <CopyButton text={code} label="Copy code" />
              </div>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
