-- The server-side identity lookups the access rules of 0009 rely on.
--
-- Row-level security is FORCEd, so even the tables' owner sees no row: a SECURITY DEFINER
-- function owned by financbase_owner could not read users either. The lookups are owned by
-- financbase_lookup instead (NOLOGIN, no BYPASSRLS, made by the migration runner), which may
-- read five columns of users and three of freelancers through a policy of its own. The
-- application's policies apply to financbase_app only, so the lookup's read never goes through
-- them: no recursion. financbase_lookup owns these two functions and nothing else, and the
-- audit allow-lists exactly them.

-- 'contractor': a freelancer who signs in, linked by freelancers.user_id.
ALTER TABLE financbase.users DROP CONSTRAINT users_role_check;
ALTER TABLE financbase.users
    ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'user', 'viewer', 'contractor'));

GRANT USAGE ON SCHEMA financbase, app TO financbase_lookup;
GRANT EXECUTE ON FUNCTION app.current_org_id(), app.current_user_id() TO financbase_lookup;
GRANT SELECT (id, organization_id, clerk_id, role, is_active) ON financbase.users TO financbase_lookup;
GRANT SELECT (id, organization_id, user_id) ON financbase.freelancers TO financbase_lookup;
CREATE POLICY lookup_read ON financbase.users FOR SELECT TO financbase_lookup USING (true);
CREATE POLICY lookup_read ON financbase.freelancers FOR SELECT TO financbase_lookup USING (true);

-- The context user's role in the context organization, read by the server:
--   the user's role when the user exists there and is active;
--   'founder' when the organization has no user at all yet (provisioning: the context may
--   create the organization and make its own user the first admin, nothing else);
--   NULL otherwise (no context, unknown or deactivated user): no policy lets NULL do anything.
CREATE FUNCTION app.current_user_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
RETURN (
    SELECT CASE
        WHEN app.current_org_id() IS NULL OR app.current_user_id() IS NULL THEN NULL
        WHEN u.id IS NOT NULL THEN CASE WHEN u.is_active THEN u.role END
        WHEN NOT EXISTS (SELECT FROM financbase.users x WHERE x.organization_id = app.current_org_id())
            THEN 'founder'
    END
    FROM (SELECT) AS one
    LEFT JOIN financbase.users u ON u.id = app.current_user_id() AND u.organization_id = app.current_org_id()
);

-- Sign-in: the one active user with this Clerk id (its organization, role and freelancer
-- profile), or no row. Needs no context; returns nothing of anyone else.
CREATE FUNCTION app.identity_for_clerk(clerk_id text)
    RETURNS TABLE (user_id uuid, organization_id uuid, role text, freelancer_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT u.id, u.organization_id, u.role, f.id
    FROM financbase.users u
    LEFT JOIN financbase.freelancers f ON f.organization_id = u.organization_id AND f.user_id = u.id
    WHERE u.clerk_id = identity_for_clerk.clerk_id AND u.is_active
    LIMIT 1;
END;

REVOKE ALL ON FUNCTION app.current_user_role(), app.identity_for_clerk(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.current_user_role(), app.identity_for_clerk(text) TO financbase_app;

-- Changing a function's owner needs the new owner to be allowed to create in its schema, for
-- the moment of the change only.
GRANT CREATE ON SCHEMA app TO financbase_lookup;
ALTER FUNCTION app.current_user_role() OWNER TO financbase_lookup;
ALTER FUNCTION app.identity_for_clerk(text) OWNER TO financbase_lookup;
REVOKE CREATE ON SCHEMA app FROM financbase_lookup;
