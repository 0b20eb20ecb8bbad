/**
 * The two hooks a node:http host uses to skip work the Web Request/Response conversion would
 * otherwise cost on every request (both measured with `npm run bench`): a body the host has
 * already read rides beside the `Request`, and a prepared response's bytes and headers are read
 * without going through a `Response` body stream. A host without them works the same, slower.
 */
export { attachBufferedBody } from './http/body.ts';
export { preparedResponseParts } from './http/prepared-response.ts';
