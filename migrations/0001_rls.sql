-- Roles and row-level security (hand-written; drizzle-kit does not manage these).
--
-- The application role owns nothing and cannot bypass RLS. Its LOGIN and password are set by
-- the migration runner from configuration (db/migrate.ts), never stored here.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'causeway_app') THEN
    CREATE ROLE causeway_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;
--> statement-breakpoint
ALTER ROLE causeway_app NOSUPERUSER NOBYPASSRLS;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO causeway_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO causeway_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO causeway_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO causeway_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO causeway_app;
--> statement-breakpoint
-- The tenant of the current transaction, set by db/tenant.ts with set_config(..., true).
-- nullif: a pooled connection that ran a transaction before reads '' rather than NULL.
CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_current_user() RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.user_id', true), '') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_platform_context() RETURNS boolean
  LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('app.platform', true), ''), 'off') = 'on' $$;
--> statement-breakpoint
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A user may list their own memberships (to find their institutions); everything else, and
-- every write, needs the tenant of the transaction.
CREATE POLICY tenant_isolation ON memberships
  USING (tenant_id = app_current_tenant() OR user_id = app_current_user())
  WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON invitations
  USING (tenant_id = app_current_tenant())
  WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Platform events (no tenant) are visible only in platform context.
CREATE POLICY tenant_isolation ON audit_events
  USING (tenant_id = app_current_tenant() OR (tenant_id IS NULL AND app_platform_context()))
  WITH CHECK (tenant_id = app_current_tenant() OR (tenant_id IS NULL AND app_platform_context()));
