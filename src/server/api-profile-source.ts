import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { editedApiProfile, profileProblems, type ApiProfile } from '../lib/api-profile.ts';
import { OpenApiProfileError, profileFromOpenApi } from '../lib/openapi-profile.ts';

/** Thrown when the API profile cannot be used; the message names the file and the field. */
export class ApiProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiProfileError';
  }
}

/** The team's OpenAPI document `API_OPENAPI` names, as an absolute path; undefined when unset. */
export function apiOpenApiPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.API_OPENAPI ? resolve(env.API_OPENAPI) : undefined;
}

/**
 * The API profile the build, the server and the tests use: src/lib/api-profile.ts as the team
 * edited it, or, when `API_OPENAPI` names an OpenAPI document (JSON or YAML), the profile that
 * document describes on top of it (src/lib/openapi-profile.ts). A document that cannot be read or
 * lacks a field, and a profile with a problem, throw an {@link ApiProfileError} naming the field.
 */
export function loadApiProfile(env: NodeJS.ProcessEnv = process.env): ApiProfile {
  const path = apiOpenApiPath(env);
  let profile: ApiProfile = editedApiProfile;
  let source = 'src/lib/api-profile.ts';
  if (path) {
    source = `API_OPENAPI=${env.API_OPENAPI}`;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ApiProfileError(
        `${source}: cannot read the file (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    let document: unknown;
    try {
      // YAML 1.2 is a superset of JSON: one parser reads both.
      document = parseYaml(text);
    } catch (error) {
      throw new ApiProfileError(
        `${source}: not valid JSON or YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`,
      );
    }
    try {
      profile = profileFromOpenApi(document, editedApiProfile);
    } catch (error) {
      if (error instanceof OpenApiProfileError) throw new ApiProfileError(`${source}: ${error.message}.`);
      throw error;
    }
  }
  const problems = profileProblems(profile);
  if (problems.length > 0) throw new ApiProfileError(`${source}: ${problems.join('; ')}.`);
  return profile;
}
