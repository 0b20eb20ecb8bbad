import type { RequestShape } from '../../playground-shared/playground-store.ts';
import { commonParts } from './common-parts.ts';
import { basicComment, formEntries, header, literal, type LanguageProgram } from '../program-parts.ts';

/** C#: the file each program is saved as, and what runs it. */
const files: LanguageProgram['files'] = {
  token: { name: 'RequestToken.cs', run: 'dotnet run RequestToken.cs (.NET 10 or later)' },
  api: { name: 'CallApi.cs', run: 'dotnet run CallApi.cs (.NET 10 or later)' },
};

const parts = commonParts['C#'];

function program(shape: RequestShape, origin: string): string {
  const lines = [
    header(shape, '//', files[shape.kind].run),
    'using System.Net.Http.Headers;',
    ...(shape.kind === 'token' || shape.method === 'POST' ? ['using System.Text;'] : []),
    '',
    ...parts.helpers,
    '',
    ...parts.sandboxUrl(origin),
    'using var http = new HttpClient();',
  ];
  if (shape.kind === 'token') {
    const basic = shape.authMethod === 'client_secret_basic';
    const fields = formEntries(shape).map(([name, value]) => `    [${literal(name)}] = ${literal(value)},`);
    if (!basic)
      fields.push(
        '    // client_secret_post (RFC 6749 §2.3.1): the ID and the secret in the form body.',
        '    ["client_id"] = Env("CLIENT_ID"),',
        '    ["client_secret"] = Env("CLIENT_SECRET"),',
      );
    lines.push(
      'var form = new Dictionary<string, string>',
      '{',
      ...fields,
      '};',
      'using var request = new HttpRequestMessage(HttpMethod.Post, $"{sandboxUrl}/oauth/token") { Content = new FormUrlEncodedContent(form) };',
    );
    if (basic) {
      lines.push(
        `// ${basicComment}`,
        'var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(' +
          '$"{Uri.EscapeDataString(Env("CLIENT_ID"))}:{Uri.EscapeDataString(Env("CLIENT_SECRET"))}"));',
        'request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);',
      );
    }
  } else {
    lines.push(
      `using var request = new HttpRequestMessage(HttpMethod.${shape.method === 'POST' ? 'Post' : 'Get'}, $"{sandboxUrl}/api/v1/reports");`,
    );
    if (shape.method === 'POST')
      lines.push(
        `request.Content = new StringContent(${literal(shape.body ?? '{}')}, Encoding.UTF8, "application/json");`,
      );
    lines.push(
      '// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.',
      'request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Env("ACCESS_TOKEN"));',
    );
  }
  lines.push(...parts.sendAndPrint);
  return `${lines.join('\n')}\n`;
}

export const csharpProgram: LanguageProgram = { files, program };
