-- An index for every foreign key of the core tables that had none: a parent's DELETE or key
-- UPDATE checks its children through these (without them, a scan of the child table per row),
-- and each is led by organization_id, as the tenant's queries are.

CREATE INDEX payment_methods_organization_user ON financbase.payment_methods (organization_id, user_id);
CREATE INDEX clients_organization_user ON financbase.clients (organization_id, user_id);
CREATE INDEX invoices_organization_user ON financbase.invoices (organization_id, user_id);
CREATE INDEX projects_organization_user ON financbase.projects (organization_id, user_id);
CREATE INDEX time_entries_organization_approved_by ON financbase.time_entries (organization_id, approved_by);
CREATE INDEX time_entries_organization_invoice ON financbase.time_entries (organization_id, invoice_id);
CREATE INDEX tasks_organization_parent_task ON financbase.tasks (organization_id, parent_task_id);
CREATE INDEX tasks_organization_user ON financbase.tasks (organization_id, user_id);
CREATE INDEX expenses_organization_approved_by ON financbase.expenses (organization_id, approved_by);
CREATE INDEX expenses_organization_client ON financbase.expenses (organization_id, client_id);
CREATE INDEX expenses_organization_payment_method ON financbase.expenses (organization_id, payment_method_id);
CREATE INDEX expenses_organization_user ON financbase.expenses (organization_id, user_id);
CREATE INDEX payments_organization_payment_method ON financbase.payments (organization_id, payment_method_id);
CREATE INDEX payments_organization_user ON financbase.payments (organization_id, user_id);
CREATE INDEX transactions_organization_expense ON financbase.transactions (organization_id, expense_id);
CREATE INDEX transactions_organization_payment ON financbase.transactions (organization_id, payment_id);
CREATE INDEX transactions_organization_payment_method ON financbase.transactions (organization_id, payment_method_id);
CREATE INDEX transactions_organization_user ON financbase.transactions (organization_id, user_id);
