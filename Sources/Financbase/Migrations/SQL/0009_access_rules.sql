-- Access rules by role: every tenant table declares who may write it, and the server reads the
-- role from financbase.users (app.current_user_role(), 0008), never from the client.
--
--   read:  rows of the current organization for admin, user and viewer (user-scoped tables:
--          the user's own); a contractor reads only what its table allows it (contractor_reads);
--   write: 'admin'  — admins only;
--          'member' — admins and users (shared books);
--          'owner'  — admins, and users on rows whose user_id is theirs (on user-scoped tables,
--                     which nobody else can read, the owner only);
--          'parent' — whoever may write the row's parent (parent_table via parent_column);
--          a contractor writes only where contractor_writes allows it; a viewer writes nothing;
--          a deactivated or unknown user, or no context, reads and writes nothing.
-- The policies apply to financbase_app only (the owner and financbase_lookup get none of them).

-- What each tenant table declared, for the policies of its children and for the tests.
CREATE TABLE app.tenant_tables (
    table_name text PRIMARY KEY,
    scope text NOT NULL CHECK (scope IN ('organization', 'user', 'self')),
    writers text NOT NULL CHECK (writers IN ('admin', 'member', 'owner', 'parent')),
    parent_table text REFERENCES app.tenant_tables (table_name),
    parent_column text,
    contractor_reads text,
    contractor_writes text,
    CHECK ((writers = 'parent') = (parent_table IS NOT NULL AND parent_column IS NOT NULL))
);
REVOKE ALL ON app.tenant_tables FROM PUBLIC;

-- The predicate "the current user may write this row of `target`", with the row's columns
-- qualified by `q`. Contractor clauses are the table's own, not inherited by its children.
CREATE FUNCTION app.tenant_write_predicate(target text, q text) RETURNS text
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
        WHEN 'parent' THEN format(
            '%s AND EXISTS (SELECT FROM %s %s WHERE %s.organization_id = %s.organization_id AND %s.id = %s.%I AND %s)',
            org, t.parent_table, parent_alias, parent_alias, q, parent_alias, q, t.parent_column,
            app.tenant_write_predicate(t.parent_table, parent_alias))
    END;
END
$$;

-- Makes `target` a tenant table with the write rule `writers` (see the top of this file):
-- row-level security enabled and forced, one policy per command for financbase_app (replacing
-- any earlier tenant_* policies), the application's four privileges and nothing more, the
-- updated_at trigger, and the declaration in app.tenant_tables.
--   scope: 'organization' (organization_id), 'user' (organization_id and user_id: the user's
--          own rows), 'self' (the organizations table);
--   parent_table, parent_column: for writers 'parent', the declared table the row belongs to;
--   contractor_reads, contractor_writes: SQL conditions, columns qualified by the table's name,
--          under which a contractor reads or writes a row (NULL: never).
-- Calls look like
--   SELECT app.make_tenant_table('financbase.leads', 'organization', 'member');
--   SELECT app.make_tenant_table('financbase.lead_notes', 'organization', 'parent', 'financbase.leads', 'lead_id');
CREATE FUNCTION app.make_tenant_table(
    target regclass, scope text, writers text, parent_table regclass DEFAULT NULL,
    parent_column text DEFAULT NULL, contractor_reads text DEFAULT NULL,
    contractor_writes text DEFAULT NULL
) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    table_text text;
    q text;
    org text;
    role_sql text := '(SELECT app.current_user_role())';
    me text := '(SELECT app.current_user_id())';
    reading text;
    writing text;
    earlier name;
BEGIN
    SELECT format('%I.%I', n.nspname, c.relname), format('%I', c.relname) INTO table_text, q
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = target;
    INSERT INTO app.tenant_tables AS t
        VALUES (table_text, scope, writers, (SELECT format('%I.%I', n.nspname, c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent_table), parent_column, contractor_reads, contractor_writes)
        ON CONFLICT (table_name) DO UPDATE SET scope = excluded.scope, writers = excluded.writers,
            parent_table = excluded.parent_table, parent_column = excluded.parent_column,
            contractor_reads = excluded.contractor_reads, contractor_writes = excluded.contractor_writes;

    org := format(CASE scope WHEN 'self' THEN '%s.id' ELSE '%s.organization_id' END, q)
        || ' = (SELECT app.current_org_id())';
    IF scope = 'user' THEN
        org := format('%s AND %s.user_id = %s', org, q, me);
    END IF;
    reading := format('%s AND %s IN (''admin'', ''user'', ''viewer'')', org, role_sql);
    writing := app.tenant_write_predicate(table_text, q);
    IF contractor_reads IS NOT NULL THEN
        reading := format('(%s) OR (%s AND %s = ''contractor'' AND (%s))', reading, org, role_sql, contractor_reads);
    END IF;
    IF contractor_writes IS NOT NULL THEN
        writing := format('(%s) OR (%s AND %s = ''contractor'' AND (%s))', writing, org, role_sql, contractor_writes);
    END IF;

    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    FOR earlier IN SELECT p.polname FROM pg_policy p WHERE p.polrelid = target
        AND p.polname IN ('tenant_select', 'tenant_insert', 'tenant_update', 'tenant_delete')
    LOOP
        EXECUTE format('DROP POLICY %I ON %s', earlier, target);
    END LOOP;
    EXECUTE format('CREATE POLICY tenant_select ON %s FOR SELECT TO financbase_app USING (%s)', target, reading);
    EXECUTE format('CREATE POLICY tenant_insert ON %s FOR INSERT TO financbase_app WITH CHECK (%s)', target, writing);
    EXECUTE format('CREATE POLICY tenant_update ON %s FOR UPDATE TO financbase_app USING (%s) WITH CHECK (%s)',
        target, writing, writing);
    EXECUTE format('CREATE POLICY tenant_delete ON %s FOR DELETE TO financbase_app USING (%s)', target, writing);

    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', target);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO financbase_app', target);

    IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = target AND attname = 'updated_at' AND NOT attisdropped) THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER touch_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at()', target);
    END IF;
END
$$;

REVOKE ALL ON FUNCTION app.tenant_write_predicate(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app.make_tenant_table(regclass, text, text, regclass, text, text, text) FROM PUBLIC;

-- The old signature keeps working (files 0002–0006 call it): organization-scoped tables become
-- 'member', user-scoped ones 'owner', the organizations table 'admin'.
CREATE OR REPLACE FUNCTION app.make_tenant_table(target regclass, scope text DEFAULT 'organization') RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM app.make_tenant_table(target, scope,
        CASE scope WHEN 'user' THEN 'owner' WHEN 'self' THEN 'admin' ELSE 'member' END);
END
$$;

-- The fifteen tables (the reasons are in Docs/financbase.md, "Access rules").
SELECT app.make_tenant_table('financbase.organizations', 'self', 'admin');
SELECT app.make_tenant_table('financbase.users', 'organization', 'admin',
    contractor_reads => 'users.id = (SELECT app.current_user_id())');
SELECT app.make_tenant_table('financbase.user_preferences', 'user', 'owner', contractor_reads => 'true');
SELECT app.make_tenant_table('financbase.accounts', 'organization', 'member');
SELECT app.make_tenant_table('financbase.payment_methods', 'organization', 'member');
SELECT app.make_tenant_table('financbase.clients', 'organization', 'member');
SELECT app.make_tenant_table('financbase.invoices', 'organization', 'member');
SELECT app.make_tenant_table('financbase.invoice_lines', 'organization', 'parent', 'financbase.invoices', 'invoice_id');
SELECT app.make_tenant_table('financbase.projects', 'organization', 'member',
    contractor_reads => 'EXISTS (SELECT FROM financbase.tasks t WHERE t.organization_id = projects.organization_id '
        || 'AND t.project_id = projects.id AND t.assignee_id = (SELECT app.current_user_id()))');
SELECT app.make_tenant_table('financbase.tasks', 'organization', 'member',
    contractor_reads => 'tasks.assignee_id = (SELECT app.current_user_id())');
SELECT app.make_tenant_table('financbase.time_entries', 'organization', 'owner',
    contractor_reads => 'time_entries.user_id = (SELECT app.current_user_id())',
    contractor_writes => 'time_entries.user_id = (SELECT app.current_user_id()) AND EXISTS (SELECT FROM financbase.tasks t '
        || 'WHERE t.organization_id = time_entries.organization_id AND t.project_id = time_entries.project_id '
        || 'AND t.assignee_id = (SELECT app.current_user_id()))');
SELECT app.make_tenant_table('financbase.freelancers', 'organization', 'admin',
    contractor_reads => 'freelancers.user_id = (SELECT app.current_user_id())');
SELECT app.make_tenant_table('financbase.expenses', 'organization', 'owner');
SELECT app.make_tenant_table('financbase.payments', 'organization', 'member');
SELECT app.make_tenant_table('financbase.transactions', 'organization', 'member');

-- Provisioning: in an organization without users, the context may create the organization row
-- and its own user as the first, active admin — and read those two rows back.
CREATE POLICY founder_select ON financbase.organizations FOR SELECT TO financbase_app
    USING (id = (SELECT app.current_org_id()) AND (SELECT app.current_user_role()) = 'founder');
CREATE POLICY founder_insert ON financbase.organizations FOR INSERT TO financbase_app
    WITH CHECK (id = (SELECT app.current_org_id()) AND (SELECT app.current_user_role()) = 'founder');
CREATE POLICY founder_select ON financbase.users FOR SELECT TO financbase_app
    USING (organization_id = (SELECT app.current_org_id()) AND (SELECT app.current_user_role()) = 'founder'
        AND id = (SELECT app.current_user_id()));
CREATE POLICY founder_insert ON financbase.users FOR INSERT TO financbase_app
    WITH CHECK (organization_id = (SELECT app.current_org_id()) AND (SELECT app.current_user_role()) = 'founder'
        AND id = (SELECT app.current_user_id()) AND role = 'admin' AND is_active);
