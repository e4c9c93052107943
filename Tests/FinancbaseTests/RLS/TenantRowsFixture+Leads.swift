import Foundation

extension SeededTenant {
    /// One row in each leads table (0011): a lead, an activity and a follow-up.
    func leadRows(_ tag: String) -> String {
        let (o, u) = (organizationID, userID)
        let lead = UUID()
        return """
            INSERT INTO financbase.leads (id, organization_id, user_id, name, source)
                VALUES ('\(lead)', '\(o)', '\(u)', 'Lead \(tag)', 'website');
            INSERT INTO financbase.lead_activities (organization_id, lead_id, user_id, kind, occurred_at, summary)
                VALUES ('\(o)', '\(lead)', '\(u)', 'call', now(), 'Intro call \(tag)');
            INSERT INTO financbase.lead_tasks (organization_id, lead_id, user_id, title, due_date)
                VALUES ('\(o)', '\(lead)', '\(u)', 'Call back \(tag)', current_date + 1);
            """
    }
}
