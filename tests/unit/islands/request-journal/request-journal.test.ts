import { describe, expect, it } from 'vitest';
import {
  addEntry,
  announce,
  createEventStreamParser,
  environmentExports,
  maxShownEntries,
  readJournalEntry,
  receivedFacts,
  type JournalEntry,
} from '../../../../src/islands/request-journal/request-journal.ts';

const entry = (id: string, findings: JournalEntry['findings'] = []): JournalEntry => ({
  id,
  time: '2030-01-01T00:00:00.000Z',
  method: 'POST',
  path: '/oauth/token',
  status: findings.length > 0 ? 401 : 200,
  received: { credentials: 'basic', header_names: ['authorization', 'content-type'] },
  findings,
});
const finding = {
  code: 'secret_whitespace' as const,
  severity: 'error' as const,
  message: 'The client_secret was right except for whitespace.',
  fix: 'Trim it.',
  doc: 'http://localhost:4321/errors/#secret_whitespace',
};

describe('createEventStreamParser', () => {
  it('returns whole events as their bytes arrive, in any cut', () => {
    const parse = createEventStreamParser();
    const text =
      'retry: 2000\n\n: heartbeat\n\nid: a\nevent: request\ndata: {"x":1}\n\nid: b\r\nevent: request\r\ndata: {"x":2}\r\n\r\n';
    const events = [];
    for (let i = 0; i < text.length; i += 7) events.push(...parse(text.slice(i, i + 7)));
    expect(events).toEqual([
      { id: 'a', event: 'request', data: '{"x":1}' },
      { id: 'b', event: 'request', data: '{"x":2}' },
    ]);
  });

  it('joins multi-line data and defaults the event type to message', () => {
    expect(createEventStreamParser()('data: one\ndata: two\n\n')).toEqual([
      { event: 'message', data: 'one\ntwo' },
    ]);
  });
});

describe('readJournalEntry', () => {
  it('reads a well-formed entry', () => {
    expect(readJournalEntry(entry('a', [finding]))).toEqual(entry('a', [finding]));
  });

  it.each([null, [], { id: 1 }, { ...entry('a'), status: '200' }, { ...entry('a'), findings: 'none' }])(
    'drops %j',
    (value) => expect(readJournalEntry(value)).toBeUndefined(),
  );

  it('drops a malformed finding and keeps the entry', () => {
    const read = readJournalEntry({ ...entry('a'), findings: [finding, { code: 'x' }] });
    expect(read?.findings).toEqual([finding]);
  });
});

describe('addEntry', () => {
  it('puts the newest first, skips a repeat, keeps the journal bound', () => {
    let entries: JournalEntry[] = [];
    for (let i = 0; i < maxShownEntries + 5; i++) entries = addEntry(entries, entry(String(i)));
    entries = addEntry(entries, entry(String(maxShownEntries + 4)));
    expect(entries).toHaveLength(maxShownEntries);
    expect(entries[0]!.id).toBe(String(maxShownEntries + 4));
  });
});

describe('what the page shows', () => {
  it('exports the environment the samples read, the secret masked unless copying', () => {
    expect(environmentExports('http://localhost:4321', 'id-1', undefined)).toBe(
      [
        "export SANDBOX_URL='http://localhost:4321'",
        "export TOKEN_URL='http://localhost:4321/oauth/token'",
        "export CLIENT_ID='id-1'",
        "export CLIENT_SECRET='…'   # your client secret",
      ].join('\n'),
    );
    expect(environmentExports('http://x', 'id', "it's")).toContain(`export CLIENT_SECRET='it'\\''s'`);
  });

  it('announces one short sentence per new entry', () => {
    expect(announce(entry('a'))).toBe('POST /oauth/token: 200.');
    expect(announce(entry('a', [finding]))).toBe('POST /oauth/token: 401, 1 finding.');
  });

  it('lists the received facts with labels', () => {
    expect(
      receivedFacts({ credentials: 'bearer', header_names: ['authorization'], token: { jti: 'j', exp: 5 } }),
    ).toEqual([
      ['Credentials', 'bearer'],
      ['Headers', 'authorization'],
      ['Token', 'jti j · exp 5'],
    ]);
  });
});
