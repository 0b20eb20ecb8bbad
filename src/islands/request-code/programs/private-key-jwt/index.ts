import type { KeyTokenRequestShape } from '../../../playground-shared/playground-store.ts';
import type { CodeLanguage } from '../../languages.ts';
import { csharpKeyProgram } from './csharp.ts';
import { curlKeyProgram } from './curl.ts';
import { goKeyProgram } from './go.ts';
import { javaKeyProgram } from './java.ts';
import { pythonKeyProgram } from './python.ts';
import { typescriptKeyProgram } from './typescript.ts';

/**
 * The private_key_jwt token request (RFC 7523 §2.2) as a program in each language: the panel
 * shows these when the playground's credentials are a key pair. Same file names as the secret
 * programs; what runs them says what each needs.
 */
export const keyPrograms: Record<
  CodeLanguage,
  { run: string; program: (shape: KeyTokenRequestShape, origin: string, run: string) => string }
> = {
  curl: { run: 'bash request-token.sh (needs jq and openssl 3)', program: curlKeyProgram },
  TypeScript: { run: 'node request-token.ts (Node 24 or later)', program: typescriptKeyProgram },
  Python: {
    run: 'python3 request_token.py (needs requests and PyJWT with cryptography)',
    program: pythonKeyProgram,
  },
  Go: { run: 'go run request_token.go', program: goKeyProgram },
  Java: { run: 'java RequestToken.java (Java 15 or later)', program: javaKeyProgram },
  'C#': { run: 'dotnet run RequestToken.cs (.NET 10 or later)', program: csharpKeyProgram },
};
