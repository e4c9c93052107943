-- Foundation: the schemas, the tenant-context helpers, the updated_at trigger, and the one
-- function every tenant table's migration calls to get row-level security, grants and triggers.
-- Runs as financbase_owner (the runner sets the role), so financbase_owner owns every object.

CREATE SCHEMA financbase;
CREATE SCHEMA app;

REVOKE ALL ON SCHEMA financbase, app FROM PUBLIC;
GRANT USAGE ON SCHEMA financbase, app TO financbase_app;

-- The tenant context, set per transaction by the application with set_config(…, true).
-- '' (what a reset or DISCARD ALL leaves behind) and an unset setting both read as NULL, and
-- NULL matches no row.
CREATE FUNCTION app.current_org_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN NULLIF(current_setting('app.current_org_id', true), '')::uuid;

CREATE FUNCTION app.current_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN NULLIF(current_setting('app.current_user_id', true), '')::uuid;

REVOKE ALL ON FUNCTION app.current_org_id(), app.current_user_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.current_org_id(), app.current_user_id() TO financbase_app;

CREATE FUNCTION app.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- Makes `target` a tenant table: RLS enabled and forced, one policy per command (USING and
-- WITH CHECK), the application's four privileges and nothing more, and the updated_at trigger.
--   scope 'organization': rows of the current organization (organization_id column);
--   scope 'user':         rows of the current user in the current organization
--                         (organization_id and user_id columns);
--   scope 'self':         the organizations table itself (its id is the organization).
CREATE FUNCTION app.make_tenant_table(target regclass, scope text DEFAULT 'organization') RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    predicate text;
    command text;
BEGIN
    predicate := CASE scope
        WHEN 'organization' THEN 'organization_id = (SELECT app.current_org_id())'
        WHEN 'user' THEN 'organization_id = (SELECT app.current_org_id()) AND user_id = (SELECT app.current_user_id())'
        WHEN 'self' THEN 'id = (SELECT app.current_org_id())'
    END;
    IF predicate IS NULL THEN
        RAISE EXCEPTION 'unknown tenant scope %', scope USING ERRCODE = 'invalid_parameter_value';
    END IF;

    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    EXECUTE format('CREATE POLICY tenant_select ON %s FOR SELECT USING (%s)', target, predicate);
    EXECUTE format('CREATE POLICY tenant_insert ON %s FOR INSERT WITH CHECK (%s)', target, predicate);
    EXECUTE format('CREATE POLICY tenant_update ON %s FOR UPDATE USING (%s) WITH CHECK (%s)', target, predicate, predicate);
    EXECUTE format('CREATE POLICY tenant_delete ON %s FOR DELETE USING (%s)', target, predicate);

    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', target);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO financbase_app', target);

    IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = target AND attname = 'updated_at' AND NOT attisdropped) THEN
        EXECUTE format('CREATE TRIGGER touch_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at()', target);
    END IF;
END
$$;

REVOKE ALL ON FUNCTION app.make_tenant_table(regclass, text) FROM PUBLIC;
