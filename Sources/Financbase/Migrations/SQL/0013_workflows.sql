-- Workflows: automations an organization defines (steps run in order, started by triggers) and
-- the record of each run and of each step within it. Who writes each table, and why
-- (Docs/financbase.md, "Area: Workflows"):
--   workflow_definitions  admin   a workflow acts for the organization, unattended: it mails clients,
--                                 calls web hooks and runs scripts over the books, like an integration setting
--   workflow_steps        parent  part of its definition (workflow_definitions via definition_id)
--   workflow_triggers     parent  part of its definition: enabling a schedule or a webhook changes what
--                                 runs unattended (workflow_definitions via definition_id)
--   workflow_runs         member  any member starts a manual run, cancels or retries one; the runner
--                                 records progress in the context of the member it runs for
--   workflow_step_runs    parent  written with their run (workflow_runs via run_id)
-- A contractor reads and writes none of them. `config` is jsonb, always an object.

CREATE TABLE financbase.workflow_definitions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    description text,
    is_active boolean NOT NULL DEFAULT true,
    -- Raised by whoever changes the steps, so a run can be read against what it ran.
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, name)
);

CREATE INDEX workflow_definitions_organization_created ON financbase.workflow_definitions (organization_id, created_at, id);

SELECT app.make_tenant_table('financbase.workflow_definitions', 'organization', 'admin');

CREATE TABLE financbase.workflow_steps (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    definition_id uuid NOT NULL,
    position integer NOT NULL CHECK (position >= 0),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    kind text NOT NULL CHECK (kind IN ('http', 'email', 'condition', 'delay', 'script')),
    config jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    -- A position holds one step of its definition; the index also serves the foreign key.
    UNIQUE (organization_id, definition_id, position),
    FOREIGN KEY (organization_id, definition_id)
        REFERENCES financbase.workflow_definitions (organization_id, id) ON DELETE CASCADE
);

CREATE INDEX workflow_steps_organization_created ON financbase.workflow_steps (organization_id, created_at, id);

SELECT app.make_tenant_table('financbase.workflow_steps', 'organization', 'parent',
    'financbase.workflow_definitions', 'definition_id');

CREATE TABLE financbase.workflow_triggers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    definition_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('schedule', 'event', 'manual', 'webhook')),
    config jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    is_enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, definition_id)
        REFERENCES financbase.workflow_definitions (organization_id, id) ON DELETE CASCADE
);

CREATE INDEX workflow_triggers_organization_created ON financbase.workflow_triggers (organization_id, created_at, id);
CREATE INDEX workflow_triggers_organization_definition ON financbase.workflow_triggers (organization_id, definition_id);

SELECT app.make_tenant_table('financbase.workflow_triggers', 'organization', 'parent',
    'financbase.workflow_definitions', 'definition_id');

CREATE TABLE financbase.workflow_runs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    definition_id uuid NOT NULL,
    -- What started it; NULL for a run started by hand or whose trigger was deleted since.
    trigger_id uuid,
    status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    started_at timestamptz,
    finished_at timestamptz,
    error text,
    attempt_count integer NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK (finished_at IS NULL OR (started_at IS NOT NULL AND finished_at >= started_at)),
    CHECK (status <> 'queued' OR started_at IS NULL),
    CHECK (status <> 'running' OR (started_at IS NOT NULL AND finished_at IS NULL)),
    CHECK (status NOT IN ('succeeded', 'failed') OR finished_at IS NOT NULL),
    CHECK (status = 'failed' OR error IS NULL),
    FOREIGN KEY (organization_id, definition_id) REFERENCES financbase.workflow_definitions (organization_id, id),
    FOREIGN KEY (organization_id, trigger_id)
        REFERENCES financbase.workflow_triggers (organization_id, id) ON DELETE SET NULL (trigger_id)
);

CREATE INDEX workflow_runs_organization_created ON financbase.workflow_runs (organization_id, created_at, id);
-- The definition's foreign key, and run-time percentiles per definition over a period, read
-- from the index alone (the statuses and finish times it needs are included).
CREATE INDEX workflow_runs_organization_definition ON financbase.workflow_runs (organization_id, definition_id, started_at)
    INCLUDE (finished_at, status);
CREATE INDEX workflow_runs_organization_trigger ON financbase.workflow_runs (organization_id, trigger_id)
    WHERE trigger_id IS NOT NULL;
-- Failed runs in a period, newest first: only the failures, in the order they are read.
CREATE INDEX workflow_runs_organization_failed ON financbase.workflow_runs (organization_id, finished_at, id)
    WHERE status = 'failed';

SELECT app.make_tenant_table('financbase.workflow_runs', 'organization', 'member');

CREATE TABLE financbase.workflow_step_runs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    run_id uuid NOT NULL,
    step_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    error text,
    started_at timestamptz,
    finished_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    -- A step runs once per run (its retries are `attempts`); the index also serves the run's key.
    UNIQUE (organization_id, run_id, step_id),
    CHECK (finished_at IS NULL OR (started_at IS NOT NULL AND finished_at >= started_at)),
    CHECK (status <> 'running' OR (started_at IS NOT NULL AND finished_at IS NULL)),
    CHECK (status = 'failed' OR error IS NULL),
    FOREIGN KEY (organization_id, run_id) REFERENCES financbase.workflow_runs (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, step_id) REFERENCES financbase.workflow_steps (organization_id, id)
);

CREATE INDEX workflow_step_runs_organization_created ON financbase.workflow_step_runs (organization_id, created_at, id);
CREATE INDEX workflow_step_runs_organization_step ON financbase.workflow_step_runs (organization_id, step_id);

SELECT app.make_tenant_table('financbase.workflow_step_runs', 'organization', 'parent',
    'financbase.workflow_runs', 'run_id');
