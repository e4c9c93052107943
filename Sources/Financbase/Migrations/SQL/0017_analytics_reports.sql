-- Analytics and reports: product events and daily metric snapshots, saved report definitions
-- and their runs, and the aging bucket every receivables report shares.

CREATE TABLE financbase.analytics_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid,
    name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_.]*$' AND length(name) <= 100),
    properties jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX analytics_events_organization_created ON financbase.analytics_events (organization_id, created_at, id);
CREATE INDEX analytics_events_organization_user ON financbase.analytics_events (organization_id, user_id);
CREATE INDEX analytics_events_organization_occurred ON financbase.analytics_events (organization_id, occurred_at, name);

-- Events are recorded for whatever any member does (a viewer's views are recorded by a job in
-- a member's or admin's unit): shared, like the books.
SELECT app.make_tenant_table('financbase.analytics_events', 'organization', 'member');

CREATE TABLE financbase.metric_snapshots (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    day date NOT NULL,
    metric text NOT NULL CHECK (metric ~ '^[a-z][a-z0-9_.]*$' AND length(metric) <= 100),
    value numeric(18,4) NOT NULL,
    currency char(3) CHECK (currency ~ '^[A-Z]{3}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, metric, day)
);

CREATE INDEX metric_snapshots_organization_created ON financbase.metric_snapshots (organization_id, created_at, id);
CREATE INDEX metric_snapshots_organization_day ON financbase.metric_snapshots (organization_id, day, metric);

-- Computed from the books by whoever keeps them: members.
SELECT app.make_tenant_table('financbase.metric_snapshots', 'organization', 'member');

CREATE TABLE financbase.report_definitions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('cash_flow', 'profit_and_loss', 'receivables_aging', 'campaign_return',
        'lead_funnel', 'rent_roll')),
    parameters jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(parameters) = 'object'),
    schedule text NOT NULL DEFAULT 'none' CHECK (schedule IN ('none', 'daily', 'weekly', 'monthly')),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX report_definitions_organization_created ON financbase.report_definitions (organization_id, created_at, id);
CREATE INDEX report_definitions_organization_user ON financbase.report_definitions (organization_id, user_id);

-- A saved report is its author's (admins manage any); everyone of the organization reads it.
SELECT app.make_tenant_table('financbase.report_definitions', 'organization', 'owner');

CREATE TABLE financbase.report_runs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    report_id uuid NOT NULL,
    user_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'running' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    row_count integer CHECK (row_count >= 0),
    -- The result, stored (a JSON array of rows) or referenced (where it was written).
    result jsonb,
    result_url text,
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK (finished_at IS NULL OR finished_at >= started_at),
    CHECK ((status IN ('succeeded', 'failed')) = (finished_at IS NOT NULL)),
    CHECK (status <> 'failed' OR error IS NOT NULL),
    CHECK (status <> 'succeeded' OR (row_count IS NOT NULL AND (result IS NOT NULL OR result_url IS NOT NULL))),
    FOREIGN KEY (organization_id, report_id) REFERENCES financbase.report_definitions (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX report_runs_organization_created ON financbase.report_runs (organization_id, created_at, id);
CREATE INDEX report_runs_organization_report ON financbase.report_runs (organization_id, report_id, started_at DESC);
CREATE INDEX report_runs_organization_user ON financbase.report_runs (organization_id, user_id);

-- Any member runs any saved report (its author's or a colleague's) and the run is recorded:
-- shared, like the books; user_id says who ran it.
SELECT app.make_tenant_table('financbase.report_runs', 'organization', 'member');

-- The receivables bucket of an invoice on `as_of`: 'current' when nothing is owed or it is not
-- past due, else how far past due. One definition for every aging report.
CREATE FUNCTION app.aging_bucket(status text, due_date date, as_of date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN status IN ('paid', 'cancelled', 'draft') OR due_date >= as_of THEN 'current'
            WHEN as_of - due_date <= 30 THEN '1-30'
            WHEN as_of - due_date <= 60 THEN '31-60'
            WHEN as_of - due_date <= 90 THEN '61-90'
            ELSE '90+' END;

REVOKE ALL ON FUNCTION app.aging_bucket(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.aging_bucket(text, date, date) TO financbase_app;
