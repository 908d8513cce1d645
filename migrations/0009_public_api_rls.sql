-- Row-level security for the tenant API tables (pattern of 0003_metadata_rls.sql), and the one
-- way to find an API key before any tenant is known.
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = app_current_tenant())
  WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE api_rate_limits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE api_rate_limits FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON api_rate_limits
  USING (tenant_id = app_current_tenant())
  WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON idempotency_keys
  USING (tenant_id = app_current_tenant())
  WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
-- A presented API key names no tenant, so its row must be found before any tenant context
-- exists. The app role still cannot read api_keys across tenants: it may only call this
-- function, which runs as its owner (the migrating role), answers for one exact prefix AND
-- hash, and returns no hash, name or prefix. FORCE RLS applies to the owner too, so the owner
-- (and nobody else) gets a read-only policy; a superuser owner bypasses RLS anyway.
CREATE POLICY api_key_lookup ON api_keys FOR SELECT TO CURRENT_USER USING (true);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_lookup_api_key(p_prefix text, p_secret_hash text)
  RETURNS TABLE (id uuid, tenant_id uuid, scopes text[], expires_at timestamptz, revoked_at timestamptz, last_used_at timestamptz, created_by text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT k.id, k.tenant_id, k.scopes, k.expires_at, k.revoked_at, k.last_used_at, k.created_by
    FROM api_keys k
    WHERE k.prefix = p_prefix AND k.secret_hash = p_secret_hash
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_lookup_api_key(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_lookup_api_key(text, text) TO causeway_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON api_keys, api_rate_limits, idempotency_keys TO causeway_app;
