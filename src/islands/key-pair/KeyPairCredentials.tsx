import { useStore } from '@nanostores/react';
import { useId, useState } from 'react';
import { sendExchange, type HttpExchange } from '../../lib/http-exchange.ts';
import { responseJson } from '../../lib/http-message.ts';
import { sandboxPaths } from '../../lib/sandbox-contract/paths.ts';
import { ChoiceGroup } from '../playground-shared/ChoiceGroup.tsx';
import { HttpExchangeView } from '../playground-shared/HttpExchangeView.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import { $keyClient, $lastAssertion } from './key-pair-store.ts';
import {
  buildKeyRegistrationRequest,
  generateClientKeyPair,
  keyChoiceLabels,
  keyChoices,
  readKeyRegistration,
  type KeyChoice,
} from './key-pair.ts';

/**
 * Credentials, "Key pair": the browser makes a key pair (WebCrypto; the private key is
 * non-extractable and stays in this page's memory) and registers the public key as a
 * private_key_jwt client (RFC 7591 `jwks`, RFC 7523).
 */
export default function KeyPairCredentials() {
  const client = useStore($keyClient);
  const hydrated = useHydrated();
  const id = useId();
  const [choice, setChoice] = useState<KeyChoice>('Ed25519');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [exchange, setExchange] = useState<HttpExchange | undefined>();

  async function register() {
    setBusy(true);
    setStatus('Making a key pair in this page and registering its public key…');
    try {
      const metadata = await fetch(sandboxPaths.authorizationServerMetadata, { credentials: 'omit' });
      const { issuer } = (await metadata.json()) as { issuer: string };
      const key = await generateClientKeyPair(choice);
      const sent = await sendExchange(buildKeyRegistrationRequest(key.publicJwk));
      setExchange(sent);
      const result = sent.response
        ? readKeyRegistration(sent.response.status, responseJson(sent.response))
        : { ok: false as const, message: `The sandbox could not be reached: ${sent.networkError}.` };
      if (!result.ok) {
        setStatus(`Registration failed: ${result.message}`);
        return;
      }
      $lastAssertion.set(undefined);
      $keyClient.set({
        clientId: result.clientId,
        kid: key.kid,
        alg: key.alg,
        privateKey: key.privateKey,
        publicJwk: key.publicJwk,
        issuer,
        scopes: result.scopes,
      });
      setStatus(`Registered key client ${result.clientId}. It has no secret: its private key signs for it.`);
    } catch {
      setStatus('This browser could not make the key pair (WebCrypto with Ed25519 or P-256 is needed).');
    } finally {
      setBusy(false);
    }
  }

  function forget() {
    $keyClient.set(undefined);
    $lastAssertion.set(undefined);
    setExchange(undefined);
    setStatus('Forgot the key pair: the private key is gone with it.');
  }

  return (
    <div className="pg pg-key-pair not-content">
      {!client && (
        <>
          <p className="pg-intro">
            Make a key pair in this browser and register its public key: the sandbox gets a client that
            authenticates with signed assertions instead of a secret. The private key cannot be exported, and
            this page forgets it when you leave.
          </p>
          <ChoiceGroup
            legend="Key type"
            name={`${id}-key`}
            options={keyChoices}
            value={choice}
            onChange={setChoice}
            disabled={!hydrated || busy}
            label={(option) => keyChoiceLabels[option]}
          />
          <div className="pg-actions">
            <button
              type="button"
              className="pg-button"
              onClick={() => void register()}
              disabled={!hydrated || busy}
              aria-busy={busy}
            >
              Make a key pair and register it
            </button>
          </div>
        </>
      )}
      {client && (
        <div className="pg-success pg-stack">
          <p>
            <span className="pg-badge pg-badge--ok">Ready</span> Key client registered. The sandbox holds only
            the public key; the private key is in this page&apos;s memory, non-extractable.
          </p>
          <dl className="pg-facts">
            <dt>Client ID</dt>
            <dd>
              <code>{client.clientId}</code>
            </dd>
            <dt>Key</dt>
            <dd>
              <code>{client.alg}</code>, kid <code>{client.kid}</code>
            </dd>
            <dt>Public key (registered)</dt>
            <dd>
              <pre className="pg-pre">{JSON.stringify(client.publicJwk, null, 2)}</pre>
            </dd>
            <dt>Private key</dt>
            <dd>non-extractable CryptoKey: it can sign, nothing can read it</dd>
          </dl>
          <div className="pg-actions">
            <button type="button" className="pg-button pg-button--secondary" onClick={forget}>
              Forget the key pair
            </button>
          </div>
        </div>
      )}
      {exchange && (
        <details className="pg-details">
          <summary>The registration request and answer</summary>
          <HttpExchangeView exchange={exchange} />
        </details>
      )}
      <p role="status" className="pg-status">
        {status}
      </p>
    </div>
  );
}
