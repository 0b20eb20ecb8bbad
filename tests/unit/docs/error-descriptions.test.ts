import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// "Errors and troubleshooting" lists every error_description the sandbox can send, so that a
// reader who pastes one into the site's search finds its row. This test reads the sandbox's
// source for the descriptions (the sentences handed to an OAuthError, directly or through a
// helper) and fails for any the page does not show. Parts of a description that depend on the
// request (a parameter name, a number) may be any value on the page.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const errorsPage = readFileSync(join(root, 'content/docs/errors.mdx'), 'utf8');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : [],
  );
}

/** Callees whose sentences are not sent to clients: programming errors and logs. */
const notSent = /^(Error|TypeError|RangeError|AssertionError|log|info|warn|error|debug)$/;

interface Description {
  file: string;
  /** The description with `${...}` parts as `\u0000`. */
  text: string;
}

/** The text of a string or template literal, with each substitution as \u0000. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((span) => `\u0000${span.literal.text}`).join('');
  // A long sentence is written as literals joined with + (no source line over 160 characters).
  if (isConcatenation(node)) {
    const left = literalText(node.left);
    const right = literalText(node.right);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  return undefined;
}

function isConcatenation(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

/** Whether a literal reaches a call's arguments, a conditional's branches, or a description table. */
function isSentToClients(node: ts.Node): boolean {
  let child = node;
  let parent = node.parent;
  while (ts.isConditionalExpression(parent) || ts.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
    parent.arguments?.includes(child as ts.Expression)
  ) {
    const callee = parent.expression;
    const name = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : '';
    return !notSent.test(name);
  }
  // const description = expired ? '...' : '...'; later handed to the error.
  if (ts.isVariableDeclaration(parent) && parent.initializer === child)
    return /description/i.test(parent.name.getText());
  if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) {
    // { error: 'server_error', error_description: '...' }
    if (parent.name.getText() === 'error_description') return true;
    // A table of descriptions: const methodAdvice = { client_secret_basic: '...' }.
    const holder = parent.parent.parent;
    return ts.isVariableDeclaration(holder) && /advice|description/i.test(holder.name.getText());
  }
  return false;
}

function descriptions(): Description[] {
  const found: Description[] = [];
  // The OpenAPI document describes responses for tools; it sends no error_description. The
  // inspector's finding messages go to the request journal, not into error answers: the errors
  // page's findings section explains each finding by its code.
  const notAnswers = /openapi-document\.ts$|inspector\/inspect-request\.ts$/;
  for (const file of sourceFiles(join(root, 'src/sandbox')).filter((path) => !notAnswers.test(path))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      const text = literalText(node);
      // A sentence a person reads: at least four words, ending with a full stop.
      if (text !== undefined && /\.$/.test(text) && text.split(' ').length >= 4 && isSentToClients(node)) {
        found.push({ file: file.slice(root.length), text });
      }
      // The pieces of a joined sentence are not sentences of their own.
      if (text !== undefined && isConcatenation(node)) return;
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The description as it appears in a code span on the page, examples in place of the variable parts. */
const onThePage = (text: string) => new RegExp(`\`${text.split('\u0000').map(escape).join('[^`]+?')}\``);

describe('the errors page lists every error_description the sandbox sends', () => {
  const all = descriptions();

  it('finds the descriptions in the sandbox source', () => {
    // A guard against this reader going blind: the sandbox sends dozens.
    expect(all.length).toBeGreaterThan(30);
    expect(all.map((description) => description.text)).toContain(
      'The client_secret does not match this client_id.',
    );
  });

  it.each(all.map((description) => [description.text.replaceAll('\u0000', '…'), description] as const))(
    '%s',
    (_text, description) => {
      expect(
        onThePage(description.text).test(errorsPage),
        `"${description.text.replaceAll('\u0000', '…')}" (${description.file}) is not on content/docs/errors.mdx: add a row for it under "Find your error".`,
      ).toBe(true);
    },
  );
});
