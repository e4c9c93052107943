-- Expenses, payments received against invoices, and the ledger of transactions.

CREATE TABLE financbase.expenses (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    description text NOT NULL CHECK (length(btrim(description)) > 0),
    amount numeric(12,2) NOT NULL CHECK (amount >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    expense_date date NOT NULL,
    category text NOT NULL CHECK (length(btrim(category)) > 0),
    vendor text,
    payment_method_id uuid,
    project_id uuid,
    client_id uuid,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    approved_by uuid,
    approved_at timestamptz,
    tax_amount numeric(12,2) NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
    tax_deductible boolean NOT NULL DEFAULT true,
    billable boolean NOT NULL DEFAULT false,
    receipt_url text,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, approved_by) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, payment_method_id) REFERENCES financbase.payment_methods (organization_id, id),
    FOREIGN KEY (organization_id, project_id) REFERENCES financbase.projects (organization_id, id),
    FOREIGN KEY (organization_id, client_id) REFERENCES financbase.clients (organization_id, id)
);

CREATE INDEX expenses_organization_created ON financbase.expenses (organization_id, created_at, id);
CREATE INDEX expenses_organization_date_category ON financbase.expenses (organization_id, expense_date, category);
CREATE INDEX expenses_organization_project ON financbase.expenses (organization_id, project_id);

SELECT app.make_tenant_table('financbase.expenses');

CREATE TABLE financbase.payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    invoice_id uuid,
    payment_method_id uuid,
    payment_type text NOT NULL DEFAULT 'invoice_payment'
        CHECK (payment_type IN ('invoice_payment', 'refund', 'chargeback', 'adjustment', 'transfer')),
    method text NOT NULL
        CHECK (method IN ('card', 'stripe', 'paypal', 'square', 'bank_transfer', 'check', 'cash', 'other')),
    amount numeric(12,2) NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    processing_fee numeric(12,2) NOT NULL DEFAULT 0 CHECK (processing_fee >= 0),
    net_amount numeric(12,2) NOT NULL,
    status text NOT NULL DEFAULT 'completed'
        CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled', 'refunded', 'partially_refunded')),
    reference text,
    -- Set by the caller per logical request: a retried request finds the first one's payment.
    idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    processed_at timestamptz,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, idempotency_key),
    CHECK (payment_type <> 'invoice_payment' OR invoice_id IS NOT NULL),
    CHECK (net_amount = amount - processing_fee),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, invoice_id) REFERENCES financbase.invoices (organization_id, id),
    FOREIGN KEY (organization_id, payment_method_id) REFERENCES financbase.payment_methods (organization_id, id)
);

CREATE INDEX payments_organization_created ON financbase.payments (organization_id, created_at, id);
CREATE INDEX payments_organization_invoice ON financbase.payments (organization_id, invoice_id);

SELECT app.make_tenant_table('financbase.payments');

CREATE TABLE financbase.transactions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    account_id uuid,
    transaction_number text NOT NULL CHECK (length(btrim(transaction_number)) > 0),
    type text NOT NULL CHECK (type IN ('income', 'expense', 'transfer', 'payment', 'refund')),
    amount numeric(12,2) NOT NULL,
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    description text,
    category text,
    status text NOT NULL DEFAULT 'completed' CHECK (status IN ('pending', 'completed', 'failed', 'cancelled')),
    payment_method_id uuid,
    invoice_id uuid,
    expense_id uuid,
    payment_id uuid,
    transaction_date timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, transaction_number),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, account_id) REFERENCES financbase.accounts (organization_id, id),
    FOREIGN KEY (organization_id, payment_method_id) REFERENCES financbase.payment_methods (organization_id, id),
    FOREIGN KEY (organization_id, invoice_id) REFERENCES financbase.invoices (organization_id, id),
    FOREIGN KEY (organization_id, expense_id) REFERENCES financbase.expenses (organization_id, id),
    FOREIGN KEY (organization_id, payment_id) REFERENCES financbase.payments (organization_id, id)
);

-- A user's own ledger, newest first; user ids are unique across organizations.
CREATE INDEX transactions_user_date ON financbase.transactions (user_id, transaction_date DESC);
CREATE INDEX transactions_organization_date ON financbase.transactions (organization_id, transaction_date DESC, id DESC);
CREATE INDEX transactions_organization_created ON financbase.transactions (organization_id, created_at, id);
CREATE INDEX transactions_organization_account ON financbase.transactions (organization_id, account_id, transaction_date DESC);
CREATE INDEX transactions_organization_invoice ON financbase.transactions (organization_id, invoice_id) WHERE invoice_id IS NOT NULL;

SELECT app.make_tenant_table('financbase.transactions');
