-- Money accounts (bank, card, loan, …) and the payment methods that draw on them.

CREATE TABLE financbase.accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    account_type text NOT NULL
        CHECK (account_type IN ('checking', 'savings', 'credit_card', 'investment', 'loan', 'other')),
    bank_name text,
    last_four text CHECK (last_four ~ '^[0-9]{4}$'),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    opening_balance numeric(12,2) NOT NULL DEFAULT 0,
    current_balance numeric(12,2) NOT NULL DEFAULT 0,
    credit_limit numeric(12,2) CHECK (credit_limit >= 0),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'closed', 'suspended')),
    is_primary boolean NOT NULL DEFAULT false,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX accounts_organization_created ON financbase.accounts (organization_id, created_at, id);
CREATE INDEX accounts_organization_user ON financbase.accounts (organization_id, user_id);

SELECT app.make_tenant_table('financbase.accounts');

CREATE TABLE financbase.payment_methods (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    user_id uuid NOT NULL,
    account_id uuid,
    method_type text NOT NULL
        CHECK (method_type IN ('card', 'stripe', 'paypal', 'square', 'bank_transfer', 'check', 'cash', 'other')),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    description text,
    processing_fee_rate numeric(5,4) CHECK (processing_fee_rate BETWEEN 0 AND 1),
    fixed_fee numeric(12,2) CHECK (fixed_fee >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'suspended', 'failed')),
    is_default boolean NOT NULL DEFAULT false,
    last_used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, account_id) REFERENCES financbase.accounts (organization_id, id)
);

CREATE INDEX payment_methods_organization_created ON financbase.payment_methods (organization_id, created_at, id);
CREATE INDEX payment_methods_organization_account ON financbase.payment_methods (organization_id, account_id);

SELECT app.make_tenant_table('financbase.payment_methods');
