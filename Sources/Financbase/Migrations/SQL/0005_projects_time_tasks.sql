-- Projects, the time logged against them, their tasks, and freelancer profiles.

CREATE TABLE financbase.projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    client_id uuid,
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    description text,
    status text NOT NULL DEFAULT 'planning'
        CHECK (status IN ('planning', 'active', 'on_hold', 'completed', 'cancelled')),
    priority text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    start_date date,
    due_date date,
    completed_at timestamptz,
    budget numeric(12,2) CHECK (budget >= 0),
    hourly_rate numeric(12,2) CHECK (hourly_rate >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    is_billable boolean NOT NULL DEFAULT true,
    progress numeric(5,2) NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    estimated_hours numeric(8,2) CHECK (estimated_hours >= 0),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK (due_date IS NULL OR start_date IS NULL OR due_date >= start_date),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, client_id) REFERENCES financbase.clients (organization_id, id)
);

CREATE INDEX projects_organization_created ON financbase.projects (organization_id, created_at, id);
CREATE INDEX projects_organization_status ON financbase.projects (organization_id, status);
CREATE INDEX projects_organization_client ON financbase.projects (organization_id, client_id);

SELECT app.make_tenant_table('financbase.projects');

CREATE TABLE financbase.time_entries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    project_id uuid NOT NULL,
    description text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    duration_hours numeric(8,2) CHECK (duration_hours >= 0),
    status text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'running', 'paused', 'completed', 'approved', 'billed')),
    is_billable boolean NOT NULL DEFAULT true,
    hourly_rate numeric(12,2) CHECK (hourly_rate >= 0),
    amount numeric(12,2),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    approved_by uuid,
    approved_at timestamptz,
    invoice_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK (ended_at IS NULL OR ended_at >= started_at),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, project_id) REFERENCES financbase.projects (organization_id, id),
    FOREIGN KEY (organization_id, approved_by) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, invoice_id) REFERENCES financbase.invoices (organization_id, id)
);

CREATE INDEX time_entries_organization_project ON financbase.time_entries (organization_id, project_id, started_at);
CREATE INDEX time_entries_organization_user ON financbase.time_entries (organization_id, user_id, started_at DESC);
CREATE INDEX time_entries_organization_created ON financbase.time_entries (organization_id, created_at, id);

SELECT app.make_tenant_table('financbase.time_entries');

CREATE TABLE financbase.tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    project_id uuid NOT NULL,
    parent_task_id uuid,
    assignee_id uuid,
    title text NOT NULL CHECK (length(btrim(title)) > 0),
    description text,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'in_progress', 'completed', 'cancelled', 'overdue')),
    priority text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    due_date date,
    completed_at timestamptz,
    estimated_hours numeric(8,2) CHECK (estimated_hours >= 0),
    actual_hours numeric(8,2) NOT NULL DEFAULT 0 CHECK (actual_hours >= 0),
    progress numeric(5,2) NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK (parent_task_id <> id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, assignee_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, project_id) REFERENCES financbase.projects (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, parent_task_id) REFERENCES financbase.tasks (organization_id, id) ON DELETE CASCADE
);

CREATE INDEX tasks_organization_created ON financbase.tasks (organization_id, created_at, id);
CREATE INDEX tasks_organization_project_status ON financbase.tasks (organization_id, project_id, status);
CREATE INDEX tasks_organization_assignee ON financbase.tasks (organization_id, assignee_id, status);

SELECT app.make_tenant_table('financbase.tasks');

CREATE TABLE financbase.freelancers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    display_name text NOT NULL CHECK (length(btrim(display_name)) > 0),
    title text NOT NULL,
    bio text,
    specialties text[] NOT NULL DEFAULT '{}',
    skills text[] NOT NULL DEFAULT '{}',
    hourly_rate numeric(12,2) CHECK (hourly_rate >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    status text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'busy', 'unavailable', 'inactive')),
    timezone text NOT NULL DEFAULT 'UTC',
    country text,
    is_verified boolean NOT NULL DEFAULT false,
    rating numeric(3,2) NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, user_id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX freelancers_organization_status ON financbase.freelancers (organization_id, status);
CREATE INDEX freelancers_organization_created ON financbase.freelancers (organization_id, created_at, id);

SELECT app.make_tenant_table('financbase.freelancers');
