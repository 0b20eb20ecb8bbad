import type { ClientRecord } from '../store/store.ts';
import { formParameter, readForm, refuseSecretsInUrl, type FormParameters } from '../http/form.ts';
import { allowMethods } from '../http/methods.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { EndpointContext } from '../http/request-context.ts';
import type { ClientAuthenticator } from './client-authentication.ts';

/**
 * A client's form POST to the token, introspection or revocation endpoint: POST only, no secret
 * in the URL (RFC 6749 §2.3.1, checked before anything is read), then the form body (RFC 6749
 * §3.2), which the request inspector sees too.
 */
export async function readClientForm(request: Request, context: EndpointContext): Promise<FormParameters> {
  allowMethods(request, ['POST']);
  refuseSecretsInUrl(request);
  const form = await readForm(request);
  if (context.trace) context.trace.form = form;
  return form;
}

/**
 * Reads an introspection (RFC 7662 §2.1) or revocation (RFC 7009 §2.1) request: the caller
 * authenticates as a client and names a token in `token`. `token_type_hint` is optional and only
 * a hint; the sandbox has one kind of token, so it is read (a repeated one is refused) and not used.
 */
export function tokenParameterReader(authenticateClient: ClientAuthenticator, rfc: 'RFC 7662' | 'RFC 7009') {
  return async (
    request: Request,
    context: EndpointContext,
  ): Promise<{ client: ClientRecord; token: string }> => {
    const form = await readClientForm(request, context);
    const client = await authenticateClient(request, form, context);
    const token = formParameter(form, 'token');
    if (token === undefined)
      throw new OAuthError('invalid_request', 400, `The token parameter is missing (${rfc} section 2.1).`);
    formParameter(form, 'token_type_hint');
    return { client, token };
  };
}
