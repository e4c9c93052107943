import Financbase
import Foundation
import PGWire

/// The sales part of a tenant's dashboard, read in one unit of work: the funnel and the
/// conversion rate per source of the leads captured in the last 12 months, and the follow-ups
/// overdue today.
struct LeadsDashboard {
    let funnel: [LeadFunnelStage]
    let sources: [LeadSourceConversion]
    let overdue: [OverdueLeadTask]
    let today: PGDate

    /// Reads `context`'s leads as of `today`.
    static func load(_ context: TenantContext, store: FinancbaseStore, today: PGDate) async throws -> LeadsDashboard {
        let (yearAgo, tomorrow) = (
            PGDate(daysSince2000: today.daysSince2000 - 365), PGDate(daysSince2000: today.daysSince2000 + 1)
        )
        return try await store.withTenant(context) { repos in
            LeadsDashboard(
                funnel: try await repos.leads.funnel(from: yearAgo, to: tomorrow),
                sources: try await repos.leads.conversionBySource(from: yearAgo, to: tomorrow),
                overdue: try await repos.leadTasks.overdue(asOf: today, limit: 8),
                today: today)
        }
    }

    func print() {
        Output.section("Leads of the last 12 months: the funnel by stage")
        var funnelTable = TextTable([("stage", .left), ("leads", .right), ("estimated value", .right)])
        for stage in funnel {
            funnelTable.add([
                stage.stage.rawValue, String(stage.count), MoneyText.format(stage.value, currency: stage.currency),
            ])
        }
        Output.line(funnelTable.render())

        Output.section("Leads of the last 12 months: conversion by source (won / leads)")
        var sourceTable = TextTable([
            ("source", .left), ("leads", .right), ("won", .right), ("lost", .right), ("rate", .right),
        ])
        for source in sources {
            sourceTable.add([
                source.source.rawValue, String(source.leads), String(source.won), String(source.lost),
                RatioText.percent(source.rate),
            ])
        }
        Output.line(sourceTable.render())

        Output.section("Lead follow-ups overdue as of \(today) (longest overdue first)")
        var overdueTable = TextTable([
            ("due", .left), ("days late", .right), ("task", .left), ("lead", .left), ("stage", .left),
            ("assignee", .left),
        ])
        for task in overdue {
            overdueTable.add([
                task.dueDate.description, String(task.daysOverdue), task.title.truncated(to: 26),
                task.leadName.truncated(to: 22), task.leadStage.rawValue,
                task.assigneeName ?? task.assigneeEmail,
            ])
        }
        Output.line(overdueTable.render())
    }
}
