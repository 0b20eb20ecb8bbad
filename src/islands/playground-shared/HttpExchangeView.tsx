import { useState } from 'react';
import type { HttpExchange } from '../../lib/http-exchange.ts';
import { maskRequestSecrets, reasonPhrase } from '../../lib/http-message.ts';
import {
  hasLongToken,
  highlightJson,
  requestParts,
  responseParts,
  shortenTokens,
  type MessageParts,
} from './exchange-view.ts';

/** "12 ms", "1.2 s". */
export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A wrapped JSON line continues two columns right of where its own text starts, not at column 0. */
function hangingIndent(line: string) {
  const columns = line.length - line.trimStart().length + 2;
  return { paddingInlineStart: `${columns}ch`, textIndent: `-${columns}ch` };
}

/**
 * A form body (`a=1&b=2+3`) may break after each `&` and `+`, so a long field wraps between
 * parameters and scope names rather than inside one (`scop` / `e=`).
 */
function breakable(text: string) {
  return text
    .split(/(?<=[&+])/)
    .flatMap((piece, index) => (index === 0 ? [piece] : [<wbr key={index} />, piece]));
}

function Line({ name, value, reveal }: { name: string; value: string; reveal: boolean }) {
  return (
    <span className="pg-line">
      <span className="pg-http-name">{name}:</span> {shortenTokens(value, reveal)}
    </span>
  );
}

function Body({ parts, reveal }: { parts: MessageParts; reveal: boolean }) {
  if (parts.body === '') return null;
  if (!parts.json)
    return (
      <span className="pg-line pg-http-body">
        {'\n'}
        {breakable(shortenTokens(parts.body, reveal))}
      </span>
    );
  return (
    <span className="pg-http-body">
      {'\n'}
      {parts.body.split('\n').map((line, index) => (
        <span className="pg-line" key={index} style={hangingIndent(line)}>
          {highlightJson(shortenTokens(line, reveal)).map((token, at) =>
            token.kind === 'space' || token.kind === 'punctuation' ? (
              token.text
            ) : (
              <span key={at} className={`pg-json-${token.kind}`}>
                {token.text}
              </span>
            ),
          )}
        </span>
      ))}
    </span>
  );
}

/**
 * One HTTP message: the start line, the headers the step is about, the others behind a toggle,
 * and the body (JSON coloured). Each line wraps with a hanging indent.
 */
function Message({ parts, reveal }: { parts: MessageParts; reveal: boolean }) {
  const [allHeaders, setAllHeaders] = useState(false);
  const others = parts.otherHeaders.length;
  return (
    <>
      <pre className="pg-pre">
        <span className="pg-line pg-http-start">{parts.startLine}</span>
        {parts.keyHeaders.map(([name, value]) => (
          <Line key={name} name={name} value={value} reveal={reveal} />
        ))}
        {allHeaders &&
          parts.otherHeaders.map(([name, value]) => (
            <Line key={name} name={name} value={value} reveal={reveal} />
          ))}
        <Body parts={parts} reveal={reveal} />
      </pre>
      {others > 0 && (
        <button
          type="button"
          className="pg-link-button"
          aria-expanded={allHeaders}
          onClick={() => setAllHeaders(!allHeaders)}
        >
          {allHeaders
            ? `Hide ${others} more header${others === 1 ? '' : 's'}`
            : `Show ${others} more header${others === 1 ? '' : 's'}`}
        </button>
      )}
    </>
  );
}

/**
 * One request and its response, side by side where the island is wide enough: the secret is
 * masked unless `revealSecret`, and tokens are shortened until the reader shows them in full.
 */
export function HttpExchangeView({
  exchange,
  revealSecret = false,
  requestLabel = 'Request',
  responseLabel = 'Response',
}: {
  exchange: HttpExchange;
  revealSecret?: boolean;
  requestLabel?: string;
  responseLabel?: string;
}) {
  const [fullTokens, setFullTokens] = useState(false);
  const host = typeof location === 'undefined' ? 'localhost' : location.host;
  const request = requestParts(revealSecret ? exchange.request : maskRequestSecrets(exchange.request), host);
  const response = exchange.response;
  const responseView = response ? responseParts(response) : undefined;
  const tokens =
    hasLongToken(JSON.stringify(exchange.request)) ||
    (response !== undefined && hasLongToken(response.bodyText));
  return (
    <div className="pg-exchange-block">
      {tokens && (
        <div className="pg-actions">
          <button
            type="button"
            className="pg-button pg-button--small pg-button--secondary"
            aria-pressed={fullTokens}
            onClick={() => setFullTokens(!fullTokens)}
          >
            Show tokens in full
          </button>
        </div>
      )}
      <div className="pg-exchange">
        <figure className="pg-message">
          <figcaption>{requestLabel}</figcaption>
          <Message parts={request} reveal={fullTokens} />
        </figure>
        <figure className="pg-message">
          <figcaption>
            {responseLabel}:{' '}
            {response ? (
              <>
                <strong>
                  {response.status} {reasonPhrase(response.status, response.statusText)}
                </strong>{' '}
                in {formatElapsed(exchange.elapsedMs)}
              </>
            ) : (
              <>no response after {formatElapsed(exchange.elapsedMs)}</>
            )}
          </figcaption>
          {responseView ? (
            <Message parts={responseView} reveal={fullTokens} />
          ) : (
            <pre className="pg-pre">
              <span className="pg-line">The request failed: {exchange.networkError ?? 'no response'}.</span>
            </pre>
          )}
        </figure>
      </div>
    </div>
  );
}
