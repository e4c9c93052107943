-- Marketing (the adboard): campaigns, their ad groups and ads, and each ad's daily metrics as
-- the ad platforms report them.
--
-- Who writes each table (Docs/financbase.md, "Area: Marketing", gives the reasons):
--   campaigns          member  — the team plans and runs campaigns together, as it does projects;
--   ad_groups          parent  — no owner column: whoever may write the campaign writes its groups;
--   ads                parent  — likewise, through the ad group;
--   marketing_metrics  admin   — figures reported by the ad platforms, not typed by people: spend
--                                and revenue feed the books, so only an admin (who runs or corrects
--                                the import) writes them; everyone reads them.
-- A contractor reads and writes none of them.
--
-- Money is numeric(12,2): a campaign's budget in its currency; an ad group's bid in its
-- campaign's currency; a day's spend and revenue in the currency the platform reported.

CREATE TABLE financbase.campaigns (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    -- Who created it.
    user_id uuid NOT NULL,
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    channel text NOT NULL CHECK (channel IN ('google', 'meta', 'linkedin', 'email', 'other')),
    budget numeric(12,2) NOT NULL CHECK (budget >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    start_date date NOT NULL,
    -- NULL: runs until stopped.
    end_date date,
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'completed')),
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK (end_date >= start_date),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX campaigns_organization_created ON financbase.campaigns (organization_id, created_at, id);
CREATE INDEX campaigns_organization_user ON financbase.campaigns (organization_id, user_id);
CREATE INDEX campaigns_organization_status ON financbase.campaigns (organization_id, status, start_date);

SELECT app.make_tenant_table('financbase.campaigns', 'organization', 'member');

CREATE TABLE financbase.ad_groups (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    campaign_id uuid NOT NULL,
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
    -- The most it pays per click, in the campaign's currency; NULL: the platform bids.
    bid numeric(12,2) CHECK (bid > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    -- A draft campaign deleted takes its groups and ads along; one with metrics cannot go (below).
    FOREIGN KEY (organization_id, campaign_id) REFERENCES financbase.campaigns (organization_id, id) ON DELETE CASCADE
);

CREATE INDEX ad_groups_organization_created ON financbase.ad_groups (organization_id, created_at, id);
CREATE INDEX ad_groups_organization_campaign ON financbase.ad_groups (organization_id, campaign_id);

SELECT app.make_tenant_table('financbase.ad_groups', 'organization', 'parent',
    'financbase.campaigns', 'campaign_id');

CREATE TABLE financbase.ads (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    ad_group_id uuid NOT NULL,
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    -- The creative.
    headline text NOT NULL CHECK (length(btrim(headline)) BETWEEN 1 AND 300),
    body text,
    url text NOT NULL CHECK (url ~ '^https?://[^[:space:]]+$'),
    image_url text CHECK (image_url ~ '^https?://[^[:space:]]+$'),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'rejected', 'archived')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, ad_group_id) REFERENCES financbase.ad_groups (organization_id, id) ON DELETE CASCADE
);

CREATE INDEX ads_organization_created ON financbase.ads (organization_id, created_at, id);
CREATE INDEX ads_organization_ad_group ON financbase.ads (organization_id, ad_group_id);

SELECT app.make_tenant_table('financbase.ads', 'organization', 'parent',
    'financbase.ad_groups', 'ad_group_id');

CREATE TABLE financbase.marketing_metrics (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    ad_id uuid NOT NULL,
    day date NOT NULL,
    impressions bigint NOT NULL DEFAULT 0 CHECK (impressions >= 0),
    clicks bigint NOT NULL DEFAULT 0 CHECK (clicks >= 0),
    conversions bigint NOT NULL DEFAULT 0 CHECK (conversions >= 0),
    spend numeric(12,2) NOT NULL DEFAULT 0 CHECK (spend >= 0),
    -- The value of the day's conversions.
    revenue numeric(12,2) NOT NULL DEFAULT 0 CHECK (revenue >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    -- One row per ad and day; also the index of the foreign key below.
    UNIQUE (organization_id, ad_id, day),
    CHECK (clicks <= impressions),
    CHECK (conversions <= clicks),
    -- No cascade: spend that was reported keeps its ad (and so its campaign).
    FOREIGN KEY (organization_id, ad_id) REFERENCES financbase.ads (organization_id, id)
);

CREATE INDEX marketing_metrics_organization_created ON financbase.marketing_metrics (organization_id, created_at, id);
-- The dashboard's period totals read only this index (index-only scans): a tenant's days in a
-- range, with every figure they sum.
CREATE INDEX marketing_metrics_organization_day ON financbase.marketing_metrics (organization_id, day, ad_id)
    INCLUDE (currency, impressions, clicks, conversions, spend, revenue);

SELECT app.make_tenant_table('financbase.marketing_metrics', 'organization', 'admin');
