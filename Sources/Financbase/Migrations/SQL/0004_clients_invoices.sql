-- Clients, the invoices sent to them and the invoices' lines.

CREATE TABLE financbase.clients (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    email text NOT NULL CHECK (position('@' IN email) > 1),
    phone text,
    company text,
    address text,
    city text,
    country text NOT NULL DEFAULT 'US',
    tax_id text,
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    payment_terms_days integer NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'suspended')),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX clients_organization_created ON financbase.clients (organization_id, created_at, id);
CREATE INDEX clients_organization_name ON financbase.clients (organization_id, lower(name));

SELECT app.make_tenant_table('financbase.clients');

CREATE TABLE financbase.invoices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    client_id uuid NOT NULL,
    invoice_number text NOT NULL CHECK (length(btrim(invoice_number)) > 0),
    reference text,
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    subtotal numeric(12,2) NOT NULL CHECK (subtotal >= 0),
    tax_amount numeric(12,2) NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
    discount_amount numeric(12,2) NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    total numeric(12,2) NOT NULL CHECK (total >= 0),
    amount_paid numeric(12,2) NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'sent', 'viewed', 'partially_paid', 'paid', 'overdue', 'cancelled')),
    issue_date date NOT NULL DEFAULT current_date,
    due_date date NOT NULL,
    sent_at timestamptz,
    paid_at timestamptz,
    notes text,
    terms text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, invoice_number),
    -- Overpayment is impossible here, not only in the repository.
    CHECK (amount_paid BETWEEN 0 AND total),
    CHECK (due_date >= issue_date),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, client_id) REFERENCES financbase.clients (organization_id, id)
);

CREATE INDEX invoices_organization_created ON financbase.invoices (organization_id, created_at, id);
CREATE INDEX invoices_organization_status_due ON financbase.invoices (organization_id, status, due_date);
CREATE INDEX invoices_organization_client ON financbase.invoices (organization_id, client_id);

SELECT app.make_tenant_table('financbase.invoices');

CREATE TABLE financbase.invoice_lines (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    invoice_id uuid NOT NULL,
    position integer NOT NULL CHECK (position >= 0),
    description text NOT NULL CHECK (length(btrim(description)) > 0),
    quantity numeric(12,3) NOT NULL DEFAULT 1 CHECK (quantity > 0),
    -- In the invoice's currency.
    unit_price numeric(12,2) NOT NULL,
    amount numeric(12,2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, invoice_id, position),
    FOREIGN KEY (organization_id, invoice_id) REFERENCES financbase.invoices (organization_id, id) ON DELETE CASCADE
);

SELECT app.make_tenant_table('financbase.invoice_lines');
