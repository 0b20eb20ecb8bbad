import { scopeNamesOf } from '../../../src/lib/api-profile.ts';
import { loadApiProfile } from '../../../src/server/api-profile-source.ts';

/**
 * The API profile the server under test was started with: Playwright runs these files without
 * the build's `__API_PROFILE__`, so they load it as the server does (API_OPENAPI when set).
 */
export const apiProfile = loadApiProfile(process.env);
export const apiScopeNames = scopeNamesOf(apiProfile);
