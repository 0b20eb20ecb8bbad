import { describeSamples } from '../support/samples-suite.ts';

// The guide's Go samples against the sandbox and misbehaving servers (tests/support/samples-suite.ts).
describeSamples('Go');
