import { describeSamples } from '../support/samples-suite.ts';

// The guide's TypeScript samples against the sandbox and misbehaving servers, and the samples and
// the reference client copied out of the repository (tests/support/samples-suite.ts).
describeSamples('TypeScript', { withCopies: true });
