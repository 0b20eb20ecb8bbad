import type { HttpExchange } from '../../lib/http-exchange.ts';
import {
  formatHttpRequest,
  formatHttpResponse,
  maskRequestSecrets,
  reasonPhrase,
} from '../../lib/http-message.ts';

/** "12 ms", "1.2 s". */
export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One request and its response as HTTP text; the secret is masked unless `revealSecret`. */
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
  const host = typeof location === 'undefined' ? 'localhost' : location.host;
  const request = revealSecret ? exchange.request : maskRequestSecrets(exchange.request);
  const response = exchange.response;
  return (
    <div className="pg-exchange">
      <figure className="pg-message">
        <figcaption>{requestLabel}</figcaption>
        <pre className="pg-pre">{formatHttpRequest(request, host)}</pre>
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
        <pre className="pg-pre">
          {response
            ? formatHttpResponse(response)
            : `The request failed: ${exchange.networkError ?? 'no response'}.`}
        </pre>
      </figure>
    </div>
  );
}
