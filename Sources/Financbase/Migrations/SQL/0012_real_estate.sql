-- Real estate: the properties an organization owns, their units, the renters, the leases that
-- let a unit to a renter, the rent charged and paid per month of a lease, and maintenance
-- requests. Who writes each table, and why (Docs/financbase.md, "Area: Real estate"):
--   properties            admin   the asset register: buying a building at a price is an admin's decision
--   units                 member  letting work: a unit's status and market rent change with every re-let
--   renters               member  contact records, like clients
--   leases                member  shared books: any member signs, renews or ends a lease
--   rent_payments         member  shared books: any member records rent received against any lease
--   maintenance_requests  member  a shared work queue: one member reports, another closes it with a cost
-- A contractor reads and writes none of them.
--
-- The tenant keys (organization_id, id) of properties, units, renters and leases carry the columns
-- the dashboards show or join on (INCLUDE): a lookup by id from a tenant's row then reads that
-- tenant's index alone, instead of the primary key plus the table.

-- "No two active leases of one unit overlap" is an exclusion constraint, which needs btree_gist
-- for the uuid equality next to the date ranges. btree_gist is a trusted extension, so the
-- owner role this file runs as may create it (it has CREATE on the database, migration roles);
-- its functions go to a schema of their own that nobody is granted (index maintenance does not
-- check privileges). A database where a DBA installed it elsewhere already is left as it is.
CREATE SCHEMA financbase_extensions;
REVOKE ALL ON SCHEMA financbase_extensions FROM PUBLIC;
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA financbase_extensions;

CREATE TABLE financbase.properties (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    address text NOT NULL CHECK (length(btrim(address)) > 0),
    city text NOT NULL CHECK (length(btrim(city)) > 0),
    country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    kind text NOT NULL CHECK (kind IN ('residential', 'commercial', 'mixed')),
    purchase_price numeric(12,2) NOT NULL CHECK (purchase_price >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    purchased_on date NOT NULL,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT properties_organization_id_id_key UNIQUE (organization_id, id) INCLUDE (name),
    UNIQUE (organization_id, name)
);

CREATE INDEX properties_organization_created ON financbase.properties (organization_id, created_at, id);

SELECT app.make_tenant_table('financbase.properties', 'organization', 'admin');

CREATE TABLE financbase.units (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    property_id uuid NOT NULL,
    label text NOT NULL CHECK (length(btrim(label)) > 0),
    bedrooms integer NOT NULL DEFAULT 0 CHECK (bedrooms >= 0),
    area_m2 numeric(8,2) NOT NULL CHECK (area_m2 > 0),
    market_rent numeric(12,2) NOT NULL CHECK (market_rent >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    status text NOT NULL DEFAULT 'vacant' CHECK (status IN ('vacant', 'occupied', 'maintenance')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT units_organization_id_id_key UNIQUE (organization_id, id) INCLUDE (property_id, label),
    -- A label names one unit of its property; the index also serves the property's foreign key.
    UNIQUE (organization_id, property_id, label),
    FOREIGN KEY (organization_id, property_id) REFERENCES financbase.properties (organization_id, id)
);

CREATE INDEX units_organization_created ON financbase.units (organization_id, created_at, id);

SELECT app.make_tenant_table('financbase.units', 'organization', 'member');

CREATE TABLE financbase.renters (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    email text CHECK (position('@' IN email) > 1),
    phone text CHECK (phone ~ '^\+?[0-9][0-9 ().-]{3,24}$'),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT renters_organization_id_id_key UNIQUE (organization_id, id) INCLUDE (name)
);

CREATE UNIQUE INDEX renters_organization_email ON financbase.renters (organization_id, lower(email));
CREATE INDEX renters_organization_created ON financbase.renters (organization_id, created_at, id);

SELECT app.make_tenant_table('financbase.renters', 'organization', 'member');

CREATE TABLE financbase.leases (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    unit_id uuid NOT NULL,
    renter_id uuid NOT NULL,
    -- The first and the last day of the term, both included.
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    monthly_rent numeric(12,2) NOT NULL CHECK (monthly_rent > 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    deposit numeric(12,2) NOT NULL DEFAULT 0 CHECK (deposit >= 0),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'ended', 'terminated')),
    -- The day of each month the rent is due.
    payment_day integer NOT NULL DEFAULT 1 CHECK (payment_day BETWEEN 1 AND 28),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leases_organization_id_id_key UNIQUE (organization_id, id) INCLUDE (unit_id, renter_id, payment_day),
    CHECK (ends_on > starts_on),
    FOREIGN KEY (organization_id, unit_id) REFERENCES financbase.units (organization_id, id),
    FOREIGN KEY (organization_id, renter_id) REFERENCES financbase.renters (organization_id, id),
    -- The server refuses a second active lease of a unit whose term meets the first's (23P01),
    -- whoever writes it and however many write at once. Its GiST index leads with the tenant.
    CONSTRAINT leases_active_terms_do_not_overlap EXCLUDE USING gist (
        organization_id WITH =, unit_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&
    ) WHERE (status = 'active')
);

CREATE INDEX leases_organization_created ON financbase.leases (organization_id, created_at, id);
CREATE INDEX leases_organization_unit ON financbase.leases (organization_id, unit_id, starts_on);
CREATE INDEX leases_organization_renter ON financbase.leases (organization_id, renter_id);
-- Occupancy and the rent roll: the active leases of the organization and their terms.
CREATE INDEX leases_organization_active ON financbase.leases (organization_id, unit_id)
    INCLUDE (starts_on, ends_on, id, renter_id, monthly_rent, deposit, currency) WHERE status = 'active';

SELECT app.make_tenant_table('financbase.leases', 'organization', 'member');

CREATE TABLE financbase.rent_payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    lease_id uuid NOT NULL,
    -- The month the rent is for, as its first day.
    period_month date NOT NULL CHECK (period_month = date_trunc('month', period_month)::date),
    amount_due numeric(12,2) NOT NULL CHECK (amount_due >= 0),
    amount_paid numeric(12,2) NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    -- The day the (last) payment for the period came in.
    paid_on date,
    status text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'paid', 'partial', 'late')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    -- One charge per lease and month; the index also serves the lease's foreign key.
    UNIQUE (organization_id, lease_id, period_month),
    CHECK ((status = 'paid') = (amount_paid >= amount_due)),
    CHECK (status <> 'partial' OR amount_paid > 0),
    CHECK ((paid_on IS NULL) = (amount_paid = 0)),
    FOREIGN KEY (organization_id, lease_id) REFERENCES financbase.leases (organization_id, id)
);

CREATE INDEX rent_payments_organization_created ON financbase.rent_payments (organization_id, created_at, id);
-- Arrears: the periods not paid in full, a small part of the table.
CREATE INDEX rent_payments_organization_unpaid ON financbase.rent_payments (organization_id, lease_id, period_month)
    INCLUDE (amount_due, amount_paid, currency) WHERE status <> 'paid';

SELECT app.make_tenant_table('financbase.rent_payments', 'organization', 'member');

CREATE TABLE financbase.maintenance_requests (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    unit_id uuid NOT NULL,
    -- The user who recorded it (not an owner: any member works the queue).
    reported_by uuid NOT NULL,
    title text NOT NULL CHECK (length(btrim(title)) > 0),
    description text,
    priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    cost numeric(12,2) CHECK (cost >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    opened_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK ((closed_at IS NOT NULL) = (status IN ('done', 'cancelled'))),
    CHECK (closed_at IS NULL OR closed_at >= opened_at),
    FOREIGN KEY (organization_id, unit_id) REFERENCES financbase.units (organization_id, id),
    FOREIGN KEY (organization_id, reported_by) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX maintenance_requests_organization_created ON financbase.maintenance_requests (organization_id, created_at, id);
CREATE INDEX maintenance_requests_organization_unit ON financbase.maintenance_requests (organization_id, unit_id, opened_at);
CREATE INDEX maintenance_requests_organization_reporter ON financbase.maintenance_requests (organization_id, reported_by);

SELECT app.make_tenant_table('financbase.maintenance_requests', 'organization', 'member');
