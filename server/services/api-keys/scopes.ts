/** What an API key may do; no imports, so portal client components can list them too. */
export const API_KEY_SCOPES = ['datasets:read', 'datasets:write', 'studies:read', 'studies:write', 'runs:read', 'runs:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
