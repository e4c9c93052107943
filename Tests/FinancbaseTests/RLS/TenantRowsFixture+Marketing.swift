import Foundation

extension SeededTenant {
    /// One row in each marketing table (0010): a campaign, its ad group, an ad and a day of
    /// its figures.
    func marketingRows(_ tag: String) -> String {
        let (o, u) = (organizationID, userID)
        let (campaign, group, ad) = (UUID(), UUID(), UUID())
        return """
            INSERT INTO financbase.campaigns (id, organization_id, user_id, name, channel, budget, start_date)
                VALUES ('\(campaign)', '\(o)', '\(u)', 'Campaign \(tag)', 'google', 1000, current_date);
            INSERT INTO financbase.ad_groups (id, organization_id, campaign_id, name)
                VALUES ('\(group)', '\(o)', '\(campaign)', 'Group \(tag)');
            INSERT INTO financbase.ads (id, organization_id, ad_group_id, name, headline, url)
                VALUES ('\(ad)', '\(o)', '\(group)', 'Ad \(tag)', 'Headline \(tag)', 'https://\(tag).example');
            INSERT INTO financbase.marketing_metrics (organization_id, ad_id, day, impressions, clicks, spend)
                VALUES ('\(o)', '\(ad)', current_date, 100, 5, 2.50);
            """
    }
}
