/** Any path under /api/v1 that is not an endpoint: a problem+json 404 rather than the portal's HTML page. */
import { noSuchEndpoint } from '../../../../server/public-api/problem';

const answer = (request: Request) => Promise.resolve(noSuchEndpoint(new URL(request.url).pathname));

export { answer as GET, answer as POST, answer as PUT, answer as PATCH, answer as DELETE };
