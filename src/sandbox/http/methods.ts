import { OAuthError } from './oauth-error.ts';

/** Throws 405 with `Allow` unless the request uses one of `methods` (HEAD rides along with GET). */
export function allowMethods(request: Request, methods: readonly string[]): void {
  const allowed = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
  if (!allowed.includes(request.method)) {
    throw new OAuthError('method_not_allowed', 405, `This endpoint answers ${methods.join(' and ')} only.`, {
      headers: { allow: allowed.join(', ') },
    });
  }
}
