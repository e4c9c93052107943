public import FoundationEssentials
public import PGWire

/// A follow-up not done by its due day, with its lead and its assignee.
public struct OverdueLeadTask: Sendable, Hashable, Decodable {
    /// The task's id.
    public let id: UUID
    /// What to do.
    public let title: String
    /// The day it was due.
    public let dueDate: PGDate
    /// How many days past that day it is, as of the day asked about.
    public let daysOverdue: Int32
    /// The lead's id.
    public let leadID: UUID
    /// The lead's name.
    public let leadName: String
    /// The lead's stage.
    public let leadStage: LeadStage
    /// The assignee's id.
    public let assigneeID: UUID
    /// The assignee's full name, if known.
    public let assigneeName: String?
    /// The assignee's e-mail.
    public let assigneeEmail: String
}
