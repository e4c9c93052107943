-- Organizations (the tenants), their users and each user's preferences.
--
-- Conventions every later table follows:
--   * uuid keys from gen_random_uuid(); created_at/updated_at, updated_at kept by the trigger
--     that app.make_tenant_table installs;
--   * a tenant table carries organization_id and UNIQUE (organization_id, id), and other tables
--     reference it through composite foreign keys (organization_id, x_id), so a row can never
--     point at another organization's row, whatever the application sends;
--   * enumerations are text with CHECK constraints (a later migration widens one by replacing
--     the constraint, no type rewrite);
--   * money is numeric(12,2) next to a currency char(3).

CREATE TABLE financbase.organizations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    slug text UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    description text,
    default_currency char(3) NOT NULL DEFAULT 'USD' CHECK (default_currency ~ '^[A-Z]{3}$'),
    settings jsonb NOT NULL DEFAULT '{}',
    owner_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

SELECT app.make_tenant_table('financbase.organizations', 'self');

CREATE TABLE financbase.users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    clerk_id text NOT NULL UNIQUE,
    email text NOT NULL CHECK (position('@' IN email) > 1),
    first_name text,
    last_name text,
    role text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user', 'viewer')),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id)
);

CREATE UNIQUE INDEX users_organization_email ON financbase.users (organization_id, lower(email));
CREATE INDEX users_organization_created ON financbase.users (organization_id, created_at, id);

SELECT app.make_tenant_table('financbase.users');

-- The owner must be one of the organization's own users.
ALTER TABLE financbase.organizations
    ADD CONSTRAINT organizations_owner_fkey
    FOREIGN KEY (id, owner_id) REFERENCES financbase.users (organization_id, id);

CREATE TABLE financbase.user_preferences (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    user_id uuid NOT NULL,
    theme text NOT NULL DEFAULT 'system' CHECK (theme IN ('light', 'dark', 'system')),
    locale text NOT NULL DEFAULT 'en-US',
    timezone text NOT NULL DEFAULT 'UTC',
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    date_format text NOT NULL DEFAULT 'YYYY-MM-DD',
    email_notifications boolean NOT NULL DEFAULT true,
    push_notifications boolean NOT NULL DEFAULT false,
    weekly_digest boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, user_id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id) ON DELETE CASCADE
);

SELECT app.make_tenant_table('financbase.user_preferences', 'user');
