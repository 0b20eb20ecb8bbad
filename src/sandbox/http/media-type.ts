/**
 * The media type of a request, lowercased and without parameters, and whether its charset (if
 * any) is UTF-8, the only one the sandbox reads.
 */
export function mediaType(request: Request): { type: string; utf8: boolean } {
  const header = request.headers.get('content-type') ?? '';
  // No parameters (what most clients send): no charset, so UTF-8.
  if (!header.includes(';')) return { type: header.trim().toLowerCase(), utf8: true };
  const [type = '', ...params] = header.split(';');
  const charset = params
    .map((param) => param.trim().toLowerCase())
    .find((param) => param.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  return {
    type: type.trim().toLowerCase(),
    utf8: charset === undefined || charset === 'utf-8' || charset === 'utf8',
  };
}
