-- Leads: prospective clients in the sales pipeline, what was done with each (calls, e-mails,
-- meetings, notes) and the follow-ups still to do.
--
-- Who writes each table (Docs/financbase.md, "Area: Leads", gives the reasons):
--   leads            owner — user_id is the salesperson working the lead: its stage and value
--                            (the forecast) change by its owner or an admin; handing a lead to a
--                            colleague is an admin's reassignment. Everyone reads every lead.
--   lead_activities  owner — user_id is who called, wrote or met: anyone who dealt with a lead
--                            logs it, nobody rewrites a colleague's account of it but an admin.
--   lead_tasks       owner — user_id is the assignee: a follow-up is its assignee's own to-do,
--                            created and ticked off by that user; assigning one to someone else
--                            is an admin's call.
-- A contractor reads and writes none of them.

CREATE TABLE financbase.leads (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    -- The owner: the salesperson working the lead.
    user_id uuid NOT NULL,
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    email text CHECK (position('@' IN email) > 1),
    company text,
    source text NOT NULL CHECK (source IN ('website', 'referral', 'campaign', 'event', 'cold_outreach', 'other')),
    -- The campaign it came from; only for leads whose source is a campaign.
    campaign_id uuid,
    stage text NOT NULL DEFAULT 'new'
        CHECK (stage IN ('new', 'contacted', 'qualified', 'proposal', 'won', 'lost')),
    -- The day it came in (a form sent, a referral given, a card collected); the funnel's date.
    captured_on date NOT NULL DEFAULT current_date,
    estimated_value numeric(12,2) NOT NULL DEFAULT 0 CHECK (estimated_value >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    -- The client it became; only once won.
    converted_client_id uuid,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- The composite key the children reference; it carries the name and stage, so the overdue
    -- follow-ups find their lead's from the tenant's index alone (an index-only scan).
    CONSTRAINT leads_organization_id_id_key UNIQUE (organization_id, id) INCLUDE (name, stage),
    CHECK (campaign_id IS NULL OR source = 'campaign'),
    CHECK (converted_client_id IS NULL OR stage = 'won'),
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id),
    FOREIGN KEY (organization_id, campaign_id) REFERENCES financbase.campaigns (organization_id, id),
    FOREIGN KEY (organization_id, converted_client_id) REFERENCES financbase.clients (organization_id, id)
);

CREATE INDEX leads_organization_created ON financbase.leads (organization_id, created_at, id);
-- The funnel and the conversion rates read only this index (index-only scans): a tenant's leads
-- captured in a period, with what they group and sum.
CREATE INDEX leads_organization_captured ON financbase.leads (organization_id, captured_on)
    INCLUDE (stage, source, estimated_value, currency);
CREATE INDEX leads_organization_user ON financbase.leads (organization_id, user_id, stage);
CREATE INDEX leads_organization_campaign ON financbase.leads (organization_id, campaign_id);
CREATE INDEX leads_organization_converted_client ON financbase.leads (organization_id, converted_client_id);

SELECT app.make_tenant_table('financbase.leads', 'organization', 'owner');

CREATE TABLE financbase.lead_activities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    lead_id uuid NOT NULL,
    -- Who did it (the owner).
    user_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note')),
    occurred_at timestamptz NOT NULL,
    summary text NOT NULL CHECK (length(btrim(summary)) > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, lead_id) REFERENCES financbase.leads (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX lead_activities_organization_created ON financbase.lead_activities (organization_id, created_at, id);
-- A lead's history, newest first.
CREATE INDEX lead_activities_organization_lead ON financbase.lead_activities (organization_id, lead_id, occurred_at DESC);
CREATE INDEX lead_activities_organization_user ON financbase.lead_activities (organization_id, user_id, occurred_at DESC);

SELECT app.make_tenant_table('financbase.lead_activities', 'organization', 'owner');

CREATE TABLE financbase.lead_tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES financbase.organizations (id),
    lead_id uuid NOT NULL,
    -- The assignee, whose to-do it is (the owner).
    user_id uuid NOT NULL,
    title text NOT NULL CHECK (length(btrim(title)) > 0),
    due_date date NOT NULL,
    done boolean NOT NULL DEFAULT false,
    done_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK (done = (done_at IS NOT NULL)),
    FOREIGN KEY (organization_id, lead_id) REFERENCES financbase.leads (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, user_id) REFERENCES financbase.users (organization_id, id)
);

CREATE INDEX lead_tasks_organization_created ON financbase.lead_tasks (organization_id, created_at, id);
CREATE INDEX lead_tasks_organization_lead ON financbase.lead_tasks (organization_id, lead_id, due_date);
CREATE INDEX lead_tasks_organization_user ON financbase.lead_tasks (organization_id, user_id, due_date);
-- Overdue tasks: a tenant's open ones by due date (the done ones, most of them, stay out).
CREATE INDEX lead_tasks_organization_open_due ON financbase.lead_tasks (organization_id, due_date, id) WHERE NOT done;

SELECT app.make_tenant_table('financbase.lead_tasks', 'organization', 'owner');
