/** Any path under /api/v1 that is not an endpoint: a problem+json 404 rather than the portal's HTML page. */
import { apiError, problemJson } from '../../../../server/public-api/problem';

const noSuchEndpoint = (request: Request) =>
  Promise.resolve(problemJson(apiError('NOT_FOUND', 'NO_SUCH_ENDPOINT', 'There is no such endpoint in the Causeway API (v1).'), new URL(request.url).pathname));

export { noSuchEndpoint as GET, noSuchEndpoint as POST, noSuchEndpoint as PUT, noSuchEndpoint as PATCH, noSuchEndpoint as DELETE };
