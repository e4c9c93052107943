/// The automations workflow seed data are drawn from: what an agency's back office runs.
extension SeedCatalog {
    /// A workflow to seed: its steps (name, kind, config as JSON text), its triggers (kind,
    /// config) and the error each step fails with.
    struct WorkflowTemplate {
        let name: String
        let description: String
        let isActive: Bool
        let steps: [(name: String, kind: WorkflowStepKind, config: String, error: String)]
        let triggers: [(kind: WorkflowTriggerKind, config: String)]
    }

    static let workflows = [
        WorkflowTemplate(
            name: "Invoice reminders", description: "E-mails clients whose invoices are past due",
            isActive: true,
            steps: [
                (
                    "Find overdue invoices", .condition, #"{"when": "invoice.status = 'overdue'"}"#,
                    "condition referenced an unknown field"
                ),
                (
                    "E-mail the client", .email,
                    #"{"template": "invoice-reminder", "to": "client.email"}"#,
                    "SMTP 451: mailbox temporarily unavailable"
                ),
            ],
            triggers: [
                (.schedule, #"{"cron": "0 9 * * 1-5", "timezone": "UTC"}"#), (.manual, "{}"),
            ]),
        WorkflowTemplate(
            name: "Weekly cash report",
            description: "Sends the cash-flow summary to finance every Monday",
            isActive: true,
            steps: [
                (
                    "Build the report", .script,
                    #"{"language": "sql", "report": "cash-flow", "weeks": 1}"#,
                    "script timed out after 30 s"
                ),
                (
                    "Send it to finance", .email, #"{"template": "cash-report", "to": "finance"}"#,
                    "SMTP 550: recipient rejected"
                ),
            ],
            triggers: [(.schedule, #"{"cron": "0 8 * * 1", "timezone": "UTC"}"#)]),
        WorkflowTemplate(
            name: "New client onboarding",
            description: "Welcomes a new client and registers it in the CRM",
            isActive: true,
            steps: [
                (
                    "Welcome e-mail", .email, #"{"template": "welcome", "to": "client.email"}"#,
                    "SMTP 451: mailbox temporarily unavailable"
                ),
                (
                    "Register in the CRM", .http,
                    #"{"method": "POST", "url": "https://crm.example/api/clients", "timeout_seconds": 10}"#,
                    "HTTP 502 from crm.example"
                ),
                ("Wait a day", .delay, #"{"hours": 24}"#, "delay cancelled"),
                (
                    "Follow-up e-mail", .email,
                    #"{"template": "onboarding-follow-up", "to": "client.email"}"#,
                    "SMTP 550: recipient rejected"
                ),
            ],
            triggers: [(.event, #"{"event": "client.created"}"#)]),
        WorkflowTemplate(
            name: "Failed payment alert",
            description: "Posts to the team channel when a card payment fails",
            isActive: true,
            steps: [
                (
                    "Only failed charges", .condition, #"{"when": "payment.status = 'failed'"}"#,
                    "condition referenced an unknown field"
                ),
                (
                    "Post to chat", .http,
                    #"{"method": "POST", "url": "https://chat.example/hooks/payments", "timeout_seconds": 5}"#,
                    "HTTP 429 from chat.example: rate limited"
                ),
            ],
            triggers: [
                (.webhook, #"{"path": "/hooks/stripe", "secret_ref": "stripe-signing-secret"}"#)
            ]),
        WorkflowTemplate(
            name: "Lease renewal reminder",
            description: "Reminds renters two months before their lease ends",
            isActive: false,
            steps: [
                (
                    "Leases ending soon", .condition,
                    #"{"when": "lease.ends_on < current_date + 60"}"#,
                    "condition referenced an unknown field"
                ),
                (
                    "E-mail the renter", .email,
                    #"{"template": "lease-renewal", "to": "renter.email"}"#,
                    "SMTP 550: recipient rejected"
                ),
            ],
            triggers: [(.schedule, #"{"cron": "0 10 1 * *", "timezone": "UTC"}"#)]),
    ]
}
