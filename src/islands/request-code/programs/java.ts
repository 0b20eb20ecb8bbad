import type { RequestShape } from '../../playground-shared/playground-store.ts';
import { commonParts, javaFormHelper } from './common-parts.ts';
import { basicComment, formEntries, header, literal, type LanguageProgram } from '../program-parts.ts';

/** Java: the file each program is saved as, and what runs it. */
const files: LanguageProgram['files'] = {
  token: { name: 'RequestToken.java', run: 'java RequestToken.java (Java 11 or later)' },
  api: { name: 'CallApi.java', run: 'java CallApi.java (Java 11 or later)' },
};

const parts = commonParts.Java;

function program(shape: RequestShape, origin: string): string {
  const token = shape.kind === 'token';
  const className = token ? 'RequestToken' : 'CallApi';
  const imports = [
    'java.net.URI',
    ...(token ? ['java.net.URLEncoder'] : []),
    'java.net.http.HttpClient',
    'java.net.http.HttpRequest',
    'java.net.http.HttpResponse',
    ...(token ? ['java.nio.charset.StandardCharsets', 'java.util.Base64'] : []),
  ];
  const lines = [
    header(shape, '//', files[shape.kind].run),
    ...imports.map((name) => `import ${name};`),
    '',
    `public class ${className} {`,
    ...parts.helpers,
    '',
    ...(token ? [...javaFormHelper, ''] : []),
    '    public static void main(String[] args) throws Exception {',
    ...parts.sandboxUrl(origin),
  ];
  if (shape.kind === 'token') {
    const basic = shape.authMethod === 'client_secret_basic';
    const parts = formEntries(shape).map(([name, value]) => `"${name}=" + form(${literal(value)})`);
    if (!basic)
      parts.push('"client_id=" + form(env("CLIENT_ID"))', '"client_secret=" + form(env("CLIENT_SECRET"))');
    lines.push(`        String body = ${parts.join(' + "&" + ')};`);
    lines.push(
      '        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandboxUrl + "/oauth/token"))',
    );
    lines.push('            .header("Content-Type", "application/x-www-form-urlencoded")');
    lines.push('            .header("Accept", "application/json")');
    lines.push('            .POST(HttpRequest.BodyPublishers.ofString(body));');
    if (basic) {
      lines.push(`        // ${basicComment}`);
      lines.push('        String credentials = form(env("CLIENT_ID")) + ":" + form(env("CLIENT_SECRET"));');
      lines.push(
        '        request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));',
      );
    }
  } else {
    lines.push(
      '        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandboxUrl + "/api/v1/reports"))',
    );
    lines.push(
      '            // RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.',
    );
    lines.push('            .header("Authorization", "Bearer " + env("ACCESS_TOKEN"))');
    if (shape.method === 'POST') {
      lines.push('            .header("Accept", "application/json")');
      lines.push('            .header("Content-Type", "application/json")');
      lines.push(`            .POST(HttpRequest.BodyPublishers.ofString(${literal(shape.body ?? '{}')}));`);
    } else {
      lines.push('            .header("Accept", "application/json")');
      lines.push('            .GET();');
    }
  }
  lines.push(...parts.sendAndPrint);
  return `${lines.join('\n')}\n`;
}

export const javaProgram: LanguageProgram = { files, program };
