-- Plugins: a marketplace catalogue that every organization shares, and each organization's
-- installations of it with their settings.
--
-- The catalogue is a global table: no organization_id, the same rows for every tenant, written
-- only by financbase_owner (migrations, operators), read by the application. The audit lists it
-- as a global table and would report it the moment financbase_app could change it.

CREATE TABLE financbase.plugins (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    description text NOT NULL DEFAULT '',
    author text NOT NULL CHECK (length(btrim(author)) > 0),
    category text NOT NULL
        CHECK (category IN ('accounting', 'payments', 'marketing', 'crm', 'reporting', 'productivity', 'integration')),
    version text NOT NULL CHECK (version ~ '^[0-9]+\.[0-9]+\.[0-9]+$'),
    monthly_price numeric(12,2) NOT NULL DEFAULT 0 CHECK (monthly_price >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    is_published boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX plugins_category_name ON financbase.plugins (category, name) WHERE is_published;
CREATE INDEX plugins_created ON financbase.plugins (created_at, id);
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON financbase.plugins
    FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();
REVOKE ALL ON financbase.plugins FROM PUBLIC;
GRANT SELECT ON financbase.plugins TO financbase_app;

INSERT INTO financbase.plugins (slug, name, description, author, category, version, monthly_price) VALUES
    ('stripe-sync', 'Stripe Sync', 'Imports Stripe payouts and fees into the ledger.', 'Financbase', 'payments', '2.3.1', 0),
    ('quickbooks-export', 'QuickBooks Export', 'Exports invoices and expenses to QuickBooks Online.', 'Ledgerly', 'accounting', '1.8.0', 12.00),
    ('ad-insights', 'Ad Insights', 'Pulls daily campaign metrics from ad networks.', 'Adwise', 'marketing', '3.0.2', 29.00),
    ('lead-scoring', 'Lead Scoring', 'Scores leads from their activities and source.', 'Funnelworks', 'crm', '1.2.4', 19.00),
    ('cash-forecast', 'Cash Forecast', 'Projects cash flow from open invoices and recurring expenses.', 'Financbase', 'reporting', '0.9.7', 9.00),
    ('slack-alerts', 'Slack Alerts', 'Posts overdue invoices and failed workflow runs to Slack.', 'Hooksmith', 'productivity', '4.1.0', 0),
    ('zapier-bridge', 'Zapier Bridge', 'Triggers Zapier zaps from Financbase events.', 'Hooksmith', 'integration', '2.0.0', 15.00),
    ('receipt-ocr', 'Receipt OCR', 'Reads amounts and vendors from receipt photos.', 'Papertrail', 'accounting', '1.0.3', 7.50);

CREATE TABLE financbase.plugin_installations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    plugin_id uuid NOT NULL REFERENCES financbase.plugins (id),
    user_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    installed_version text NOT NULL CHECK (installed_version ~ '^[0-9]+\.[0-9]+\.[0-9]+$'),
    installed_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, plugin_id),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX plugin_installations_organization_created ON financbase.plugin_installations (organization_id, created_at, id);
CREATE INDEX plugin_installations_organization_user ON financbase.plugin_installations (organization_id, user_id);
CREATE INDEX plugin_installations_plugin ON financbase.plugin_installations (plugin_id);

-- Installing a plugin gives it the organization's data: admins decide.
SELECT app.make_tenant_table('financbase.plugin_installations', 'organization', 'admin');

CREATE TABLE financbase.plugin_settings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    installation_id uuid NOT NULL,
    key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_.]*$' AND length(key) <= 100),
    value jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, installation_id, key),
    FOREIGN KEY (organization_id, installation_id)
        REFERENCES financbase.plugin_installations (organization_id, id) ON DELETE CASCADE
);

CREATE INDEX plugin_settings_organization_created ON financbase.plugin_settings (organization_id, created_at, id);

-- Settings are part of their installation: whoever may change the installation (admins).
SELECT app.make_tenant_table('financbase.plugin_settings', 'organization', 'parent',
    'financbase.plugin_installations', 'installation_id');
