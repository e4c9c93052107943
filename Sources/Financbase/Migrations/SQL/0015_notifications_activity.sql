-- Notifications (each user's own inbox) and the activity log (who did what, append-only).
--
-- Two additions to the access rules of 0009:
--   writers 'author' — a row is written only by the user it names in user_id, admins included
--                      (an activity entry says who did something: nobody writes one for another);
--   append-only      — app.make_append_only(target) takes UPDATE and DELETE away from the
--                      application (privileges and policies): rows are added and read, never
--                      changed or removed, whatever the role.

ALTER TABLE app.tenant_tables DROP CONSTRAINT tenant_tables_writers_check;
ALTER TABLE app.tenant_tables
    ADD CONSTRAINT tenant_tables_writers_check CHECK (writers IN ('admin', 'member', 'owner', 'parent', 'author'));
ALTER TABLE app.tenant_tables ADD COLUMN append_only boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION app.tenant_write_predicate(target text, q text) RETURNS text
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    t app.tenant_tables;
    org text;
    parent_alias text := 'p_' || substr(md5(q), 1, 8);
    role_sql text := '(SELECT app.current_user_role())';
    me text := '(SELECT app.current_user_id())';
BEGIN
    SELECT * INTO t FROM app.tenant_tables WHERE table_name = target;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a declared tenant table', target USING ERRCODE = 'invalid_parameter_value';
    END IF;
    org := format(CASE t.scope WHEN 'self' THEN '%s.id' ELSE '%s.organization_id' END, q)
        || ' = (SELECT app.current_org_id())';
    RETURN CASE t.writers
        WHEN 'admin' THEN format('%s AND %s = ''admin''', org, role_sql)
        WHEN 'member' THEN format('%s AND %s IN (''admin'', ''user'')', org, role_sql)
        WHEN 'owner' THEN CASE t.scope
            WHEN 'user' THEN format('%s AND %s.user_id = %s AND %s IN (''admin'', ''user'')', org, q, me, role_sql)
            ELSE format('%s AND (%s = ''admin'' OR (%s = ''user'' AND %s.user_id = %s))', org, role_sql, role_sql, q, me)
        END
        WHEN 'author' THEN format('%s AND %s.user_id = %s AND %s IN (''admin'', ''user'')', org, q, me, role_sql)
        WHEN 'parent' THEN format(
            '%s AND EXISTS (SELECT FROM %s %s WHERE %s.organization_id = %s.organization_id AND %s.id = %s.%I AND %s)',
            org, t.parent_table, parent_alias, parent_alias, q, parent_alias, q, t.parent_column,
            app.tenant_write_predicate(t.parent_table, parent_alias))
    END;
END
$$;

-- Makes the tenant table `target` append-only for the application: no UPDATE or DELETE
-- privilege and no policy for them. Call it after make_tenant_table (which grants all four).
CREATE FUNCTION app.make_append_only(target regclass) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    table_text text;
BEGIN
    SELECT format('%I.%I', n.nspname, c.relname) INTO table_text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = target;
    UPDATE app.tenant_tables SET append_only = true WHERE table_name = table_text;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a declared tenant table', table_text USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('REVOKE UPDATE, DELETE ON %s FROM financbase_app', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_update ON %s', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_delete ON %s', target);
END
$$;

REVOKE ALL ON FUNCTION app.make_append_only(regclass) FROM PUBLIC;

CREATE TABLE financbase.notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    kind text NOT NULL DEFAULT 'info' CHECK (kind IN ('info', 'success', 'warning', 'action_required')),
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    body text NOT NULL DEFAULT '',
    link text,
    entity_type text,
    entity_id uuid,
    read_at timestamptz,
    -- The moment of delivery, not of the transaction: an inbox is read in that order.
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK ((entity_type IS NULL) = (entity_id IS NULL)),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id) ON DELETE CASCADE
);

CREATE INDEX notifications_organization_created ON financbase.notifications (organization_id, created_at, id);
CREATE INDEX notifications_inbox ON financbase.notifications (organization_id, user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON financbase.notifications (organization_id, user_id) WHERE read_at IS NULL;

-- One user's inbox: nobody else reads it, and nobody plants messages in it (a notification is
-- delivered in a unit of work of its recipient).
SELECT app.make_tenant_table('financbase.notifications', 'user', 'owner');

CREATE TABLE financbase.activity_log (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    action text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    entity_type text NOT NULL CHECK (length(btrim(entity_type)) > 0),
    entity_id uuid,
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- When it was done, not when its transaction began: a unit's entries keep their order.
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX activity_log_organization_created ON financbase.activity_log (organization_id, created_at, id);
CREATE INDEX activity_log_organization_user ON financbase.activity_log (organization_id, user_id, created_at);
CREATE INDEX activity_log_entity ON financbase.activity_log (organization_id, entity_type, entity_id, created_at);

-- Everyone of the organization reads it; each entry is written by the user it names, and
-- nobody changes or removes one.
SELECT app.make_tenant_table('financbase.activity_log', 'organization', 'author');
SELECT app.make_append_only('financbase.activity_log');
