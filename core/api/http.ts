/**
 * The web host's wire format, shared by core/serve and the renderer's HTTP transport.
 * - POST `${callPrefix}<method>` with the JSON request body -> ApiResponse JSON
 *   (200 when ok; 400 for input errors, 404 NOT_FOUND, 500 otherwise).
 * - WebSocket `${eventsPath}`: the server sends JSON arrays of ApiEvent, batched.
 * - Auth: the printed URL carries `?token=T`; the host answers with an HttpOnly SameSite=Strict
 *   cookie `${tokenCookie}` and a redirect to the same path without the token. Scripts may send
 *   `Authorization: Bearer T` instead.
 */
export const callPrefix = '/api/call/';
export const eventsPath = '/api/events';
export const tokenCookie = 'tb_token';
/**
 * POST a CSV file's raw bytes (`Content-Type: application/octet-stream`, same auth as the calls):
 * the host streams it to disk and answers `{ ok: true, value: { upload, bytes } }`; the `upload` id
 * then goes to `datasets.previewCsv` and `datasets.importCsv` instead of the text.
 */
export const csvUploadPath = '/api/upload/csv';
