-- One statement per API request for authentication, the per-key rate-limit count and the
-- last-used time (previously a lookup plus two transactions). Under many concurrent pollers of
-- one key the counter row is hot; counting inside this single statement holds its row lock for
-- the statement only, not for a transaction's round trips.
--
-- Like app_lookup_api_key (0009) it runs as its owner, answers only for the exact prefix AND
-- hash presented, and counts only for a key that is neither revoked nor expired at p_now. FORCE
-- RLS applies to the owner too, so the owner (and nobody else) gets the two write policies the
-- function needs.
CREATE POLICY api_key_authenticate ON api_rate_limits FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY api_key_touch ON api_keys FOR UPDATE TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_authenticate_api_key(p_prefix text, p_secret_hash text, p_now timestamptz, p_window_seconds int)
  RETURNS TABLE (id uuid, tenant_id uuid, scopes text[], expires_at timestamptz, revoked_at timestamptz, created_by text, window_count int)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  #variable_conflict use_column
  DECLARE
    k api_keys%ROWTYPE;
    v_window timestamptz := to_timestamp(floor(extract(epoch FROM p_now) / p_window_seconds) * p_window_seconds);
    v_count int;
  BEGIN
    SELECT * INTO k FROM api_keys WHERE api_keys.prefix = p_prefix AND api_keys.secret_hash = p_secret_hash;
    IF NOT FOUND THEN
      RETURN;
    END IF;
    IF k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > p_now) THEN
      INSERT INTO api_rate_limits AS r (tenant_id, key_id, window_start, count)
        VALUES (k.tenant_id, k.id, v_window, 1)
        ON CONFLICT (tenant_id, key_id, window_start) DO UPDATE SET count = r.count + 1
        RETURNING r.count INTO v_count;
      IF v_count = 1 THEN
        DELETE FROM api_rate_limits WHERE api_rate_limits.tenant_id = k.tenant_id AND api_rate_limits.key_id = k.id AND api_rate_limits.window_start < v_window;
      END IF;
      -- last_used_at to the minute: one write per key and minute, not per request.
      IF k.last_used_at IS NULL OR k.last_used_at <= p_now - interval '60 seconds' THEN
        UPDATE api_keys SET last_used_at = p_now WHERE api_keys.id = k.id;
      END IF;
    END IF;
    RETURN QUERY SELECT k.id, k.tenant_id, k.scopes, k.expires_at, k.revoked_at, k.created_by, v_count;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_authenticate_api_key(text, text, timestamptz, int) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_authenticate_api_key(text, text, timestamptz, int) TO causeway_app;
--> statement-breakpoint
DROP FUNCTION app_lookup_api_key(text, text);
