import { describe, expect, it } from 'vitest';
import { checkCriterionIds } from '../../../../src/lib/sandbox-contract/checks.ts';
import { SandboxResponseError } from '../../../../src/lib/sandbox-contract/response-error.ts';
import {
  announceChange,
  criterionRows,
  describeReadFailure,
  describeStartFailure,
  durationLabel,
  faultMarks,
  permalink,
  readPermalink,
  resultLabel,
  summarise,
  tally,
  windowProgress,
  windowTicks,
} from '../../../../src/islands/client-check/client-check.ts';
import { done, halfway, started } from './recorded-checks.ts';

describe('the criteria rows', () => {
  it('lists every criterion of the contract, in its order, waiting while the check has not graded it', () => {
    const rows = criterionRows(started);
    expect(rows.map((row) => row.id)).toEqual(checkCriterionIds);
    expect(new Set(rows.map((row) => row.result))).toEqual(new Set(['waiting']));
  });

  it('fills in what the check graded, with its evidence', () => {
    const rows = criterionRows(halfway);
    const reuse = rows.find((row) => row.id === 'reuses_tokens')!;
    expect(reuse).toMatchObject({ result: 'fail', evidence: '31 token requests for 31 API calls in 30 s.' });
    expect(tally(rows)).toEqual({ pass: 1, fail: 1, not_observed: 0, waiting: 6 });
  });

  it('shows a criterion a done check left out as not observed, never as passed', () => {
    const row = criterionRows(done).find((row) => row.id === 'no_secrets_in_url')!;
    expect(row.result).toBe('not_observed');
    expect(tally(criterionRows(done))).toEqual({ pass: 5, fail: 2, not_observed: 1, waiting: 0 });
  });

  it.each(checkCriterionIds)('links %s to the paragraph that teaches it and to a sample', (id) => {
    const row = criterionRows(done).find((row) => row.id === id)!;
    expect(row.doc).toMatch(/^\/[a-z-]+\/#[a-z-]+$/);
    expect(row.sample.href).toMatch(/^\/(token-client|requesting-a-token)\/#[a-z-]+$/);
  });
});

describe('the window', () => {
  it.each([
    ['at the start', Date.parse(started.started_at), 0, 0],
    ['half way', Date.parse(started.started_at) + 30_000, 30, 0.5],
    ['before the start (a clock behind)', Date.parse(started.started_at) - 5_000, 0, 0],
    ['after the end, still running', Date.parse(started.ends_at) + 5_000, 60, 1],
  ])('%s', (_, now, elapsed, fraction) => {
    expect(windowProgress(started, now)).toEqual({ totalSeconds: 60, elapsedSeconds: elapsed, fraction });
  });

  it('is complete once the check is done, whatever the clock says', () => {
    expect(windowProgress(done, Date.parse(done.started_at))).toMatchObject({
      fraction: 1,
      elapsedSeconds: 60,
    });
  });

  it.each([
    [45, '45 s'],
    [60, '1 min'],
    [65, '1 min 5 s'],
    [600, '10 min'],
  ])('%i seconds read "%s"', (seconds, label) => {
    expect(durationLabel(seconds)).toBe(label);
  });

  it('ticks every step and labels the end', () => {
    expect(windowTicks(60, 20)).toEqual([
      { percent: 0, label: '0 s' },
      { percent: (20 / 60) * 100, label: '20 s' },
      { percent: (40 / 60) * 100, label: '40 s' },
      { percent: 100, label: '60 s' },
    ]);
    expect(windowTicks(0, 20)).toEqual([]);
  });
});

describe('the faults on the axis', () => {
  it('places each fault at its time in the window, in time order', () => {
    expect(faultMarks(done).map(({ kind, atSeconds }) => [kind, atSeconds])).toEqual([
      ['token_revoked', 20],
      ['token_endpoint_unavailable', 30],
      ['api_rate_limited', 45],
    ]);
    expect(faultMarks(done)[2]!.percent).toBe(75);
    expect(faultMarks(done)[0]!.title).toBe('Token revoked by the server');
  });

  it('leaves off a fault whose time cannot be read', () => {
    expect(faultMarks({ ...done, faults: [{ kind: 'token_revoked', at: 'soon', detail: '' }] })).toEqual([]);
  });
});

describe('what the live region says', () => {
  it('names each newly graded criterion and each new fault, once', () => {
    expect(announceChange(started, halfway)).toBe(
      'Reuses its token: failed. Sends credentials in the header (or a client assertion): passed. Injected: Token revoked by the server.',
    );
    expect(announceChange(halfway, halfway)).toBe('');
  });

  it('on the first read (a reload, a permalink) says the verdict only, not every row', () => {
    expect(announceChange(undefined, started)).toBe('Running: 0 passed, 0 failed so far.');
    expect(announceChange(undefined, done)).toMatch(/^Check finished: 5 of 7/);
  });

  it('keeps quiet about criteria not yet observed while the check runs', () => {
    const later = {
      ...halfway,
      criteria: [
        ...halfway.criteria,
        {
          ...halfway.criteria[0]!,
          id: 'single_flight' as const,
          title: 'One',
          result: 'not_observed' as const,
        },
      ],
    };
    expect(announceChange(halfway, later)).toBe('');
    expect(resultLabel('not_observed', true)).toBe('Not yet observed');
    expect(resultLabel('not_observed', false)).toBe('Not observed');
  });

  it('ends with the verdict when the check is done', () => {
    const said = announceChange(halfway, done);
    expect(said).toContain('Injected: Token endpoint answered 503.');
    expect(said).toMatch(/Check finished: 5 of 7 observed criteria passed \(score 71 %\); 1 not observed\.$/);
  });

  it('says plainly when the traffic exercised nothing', () => {
    expect(summarise({ ...done, criteria: [], score: null })).toMatch(/exercised no criterion/);
    expect(summarise(halfway)).toBe('Running: 1 passed, 1 failed so far.');
  });
});

describe('the permalink', () => {
  it('is this page with the client and check ids, and reads back', () => {
    const link = permalink('https://guide.example/check-my-client/?x=1#top', 'client 1', started.id);
    expect(link).toBe(`https://guide.example/check-my-client/?client=client+1&check=${started.id}#check`);
    expect(readPermalink(new URL(link).search)).toEqual({ clientId: 'client 1', checkId: started.id });
  });

  it.each(['', '?client=c1', '?check=k1', '?client=&check=k1'])('%j names no check', (search) => {
    expect(readPermalink(search)).toBeUndefined();
  });
});

describe('plain messages for each failure', () => {
  const error = (code: SandboxResponseError['code'], status?: number, description?: string) =>
    new SandboxResponseError(code, 'the message', {
      ...(status === undefined ? {} : { status }),
      ...(description === undefined ? {} : { description }),
    });

  it('409: a check is already running, shown when the answer names it', () => {
    expect(describeStartFailure(error('unexpected_status', 409), 'k1')).toEqual({
      message: expect.stringMatching(/already running: it is shown below/),
      runningCheckId: 'k1',
    });
    expect(describeStartFailure(error('unexpected_status', 409)).runningCheckId).toBeUndefined();
  });

  it.each([
    [
      'a bad duration',
      error('oauth_error', 400, 'duration must be 60 to 600'),
      /refused the duration: duration must be 60 to 600/,
    ],
    ['an expired client', error('oauth_error', 401), /no longer accepts this client.*Register a new client/],
    ['no answer', error('network_error'), /No answer from the sandbox.*check the connection/],
    [
      'an HTML 502 from a proxy',
      error('unexpected_status', 502),
      /sandbox failed \(HTTP 502\).*not your client's/,
    ],
    ['a broken body', error('invalid_response', 201), /not a check this page can read/],
  ])('start, %s', (_, failure, message) => {
    expect(describeStartFailure(failure).message).toMatch(message);
  });

  it.each([
    ['a check that does not exist', error('unexpected_status', 404), /no such check/],
    ['a sandbox error', error('unexpected_status', 503), /HTTP 503/],
    ['no answer', error('network_error'), /No answer/],
  ])('read, %s', (_, failure, message) => {
    expect(describeReadFailure(failure)).toMatch(message);
  });
});
