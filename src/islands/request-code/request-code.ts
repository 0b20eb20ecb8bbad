import type { ApiCallShape, RequestShape, TokenRequestShape } from '../playground-shared/playground-store.ts';
import type { CodeLanguage } from './languages.ts';
import type { LanguageProgram } from './program-parts.ts';
import { csharpProgram } from './programs/csharp.ts';
import { curlProgram } from './programs/curl.ts';
import { goProgram } from './programs/go.ts';
import { javaProgram } from './programs/java.ts';
import { pythonProgram } from './programs/python.ts';
import { typescriptProgram } from './programs/typescript.ts';
import { keyPrograms } from './programs/private-key-jwt/index.ts';

export { codeLanguages, grammarOf, type CodeLanguage } from './languages.ts';
export { shellQuote } from './program-parts.ts';

/**
 * "Code for this request": the request the reader just made, as a program in each language the
 * guide's tabs offer, one file a language under programs/. Credentials and tokens come from
 * environment variables, never from the page: the generated text holds no secret, so it can be
 * copied anywhere. Each program prints the status and the body. Pure, so the integration tests
 * run every variant against a real sandbox.
 */
const programs: Record<CodeLanguage, LanguageProgram> = {
  curl: curlProgram,
  TypeScript: typescriptProgram,
  Python: pythonProgram,
  Go: goProgram,
  Java: javaProgram,
  'C#': csharpProgram,
};

/** A file name for each program, and what runs it. */
export function programFile(shape: RequestShape, language: CodeLanguage): { name: string; run: string } {
  const file = programs[language].files[shape.kind];
  if (shape.kind === 'token' && shape.authMethod === 'private_key_jwt')
    return { name: file.name, run: keyPrograms[language].run };
  return file;
}

/**
 * The program for `shape` in `language`. `origin` is the sandbox's address, the default when
 * SANDBOX_URL is not set; nothing else of the page goes into the text.
 */
export function generateCode(shape: RequestShape, language: CodeLanguage, origin: string): string {
  // A key pair's token request (private_key_jwt): the program signs an assertion, no secret.
  if (shape.kind === 'token' && shape.authMethod === 'private_key_jwt') {
    const { program, run } = keyPrograms[language];
    return program(shape, origin, run);
  }
  return programs[language].program(shape, origin);
}

/** What the panel shows a program for: the last request of `kind`, or the last of either. */
export function pickShape(
  kind: 'token' | 'api' | 'latest',
  lastToken: TokenRequestShape | undefined,
  lastApi: ApiCallShape | undefined,
  lastKind: 'token' | 'api' | undefined,
): RequestShape | undefined {
  if (kind === 'token') return lastToken;
  if (kind === 'api') return lastApi;
  return lastKind === 'api' ? (lastApi ?? lastToken) : (lastToken ?? lastApi);
}
