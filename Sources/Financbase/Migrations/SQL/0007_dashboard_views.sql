-- Read models for the dashboard. security_invoker: the caller's row-level security applies to
-- every table underneath, so a view shows no more than its tables would.

CREATE VIEW financbase.transaction_feed WITH (security_invoker = true) AS
SELECT t.id,
       t.organization_id,
       t.user_id,
       t.account_id,
       t.transaction_number,
       t.type,
       t.amount,
       t.currency,
       t.description,
       t.category,
       t.status,
       t.transaction_date,
       a.name AS account_name,
       nullif(btrim(concat_ws(' ', u.first_name, u.last_name)), '') AS user_name,
       u.email AS user_email
FROM financbase.transactions t
JOIN financbase.users u ON u.organization_id = t.organization_id AND u.id = t.user_id
LEFT JOIN financbase.accounts a ON a.organization_id = t.organization_id AND a.id = t.account_id;

CREATE VIEW financbase.invoice_balances WITH (security_invoker = true) AS
SELECT i.id,
       i.organization_id,
       i.client_id,
       i.invoice_number,
       i.status,
       i.currency,
       i.total,
       i.amount_paid,
       i.total - i.amount_paid AS outstanding,
       i.issue_date,
       i.due_date
FROM financbase.invoices i;

REVOKE ALL ON financbase.transaction_feed, financbase.invoice_balances FROM PUBLIC;
GRANT SELECT ON financbase.transaction_feed, financbase.invoice_balances TO financbase_app;
