import LabelPortCore

/// An undo's counts: labels restored (written, or already back) and not.
struct UndoTally {
    var labels = 0
    var written = 0
    var alreadyBack = 0
    var conflicts = 0
    var created = 0
    var inexact = 0
    var failed = 0
    /// Restores not sent: the undo was interrupted first.
    var notAttempted = 0
    var dryRun: Bool

    init(plan: RestorePlan, failedSeqs: Set<Int>, notAttemptedSeqs: Set<Int> = [], dryRun: Bool) {
        self.dryRun = dryRun
        for item in plan.items {
            labels += 1
            switch item.decision {
            case .restore:
                if notAttemptedSeqs.contains(item.seq) { notAttempted += 1 } else if failedSeqs.contains(item.seq) { failed += 1 } else { written += 1 }
            case .alreadyRestored, .neverApplied: alreadyBack += 1
            case .conflict: conflicts += 1
            case .created: created += 1
            case .inexact: inexact += 1
            }
        }
    }

    /// What undo's `--json` summary takes from import's: requests, rate limits, time.
    static let executionKeys = [
        "requests", "retries", "refused", "allowed_rate", "quota_waits", "quota_waited_seconds",
        "unanswered_creates", "rereads", "resent_creates", "elapsed_seconds", "interrupted",
    ]

    var allRestored: Bool { written + alreadyBack == labels }

    var line: String {
        let n = CountText.grouped
        let verb = dryRun ? "to restore" : "restored"
        var parts = ["\(n(written + alreadyBack)) \(verb) (\(n(written)) \(dryRun ? "to write" : "written"), \(n(alreadyBack)) already back)"]
        if conflicts > 0 { parts.append("\(CountText.count(conflicts, "conflict")) left alone") }
        if created > 0 { parts.append("\(n(created)) created (cannot be removed)") }
        if inexact > 0 { parts.append("\(n(inexact)) cannot be restored exactly") }
        if failed > 0 { parts.append("\(n(failed)) failed") }
        if notAttempted > 0 { parts.append("\(n(notAttempted)) not attempted (interrupted)") }
        return "\(CountText.count(labels, "label")): " + parts.joined(separator: ", ")
    }

    /// The counts, with the request and rate-limit figures of `execution` (an import's
    /// summary of the same run) as import's `--json` summary gives them.
    func json(execution: ImportSummary) -> JSONValue {
        var object = JSONObject()
        object["labels"] = .number(JSONNumber(labels))
        object["restored"] = .number(JSONNumber(written + alreadyBack))
        object["written"] = .number(JSONNumber(written))
        object["already_restored"] = .number(JSONNumber(alreadyBack))
        object["conflicts"] = .number(JSONNumber(conflicts))
        object["created"] = .number(JSONNumber(created))
        object["cannot_restore"] = .number(JSONNumber(inexact))
        object["failed"] = .number(JSONNumber(failed))
        object["not_attempted"] = .number(JSONNumber(notAttempted))
        object["dry_run"] = .bool(dryRun)
        if case .object(let figures) = execution.json {
            for key in Self.executionKeys { object[key] = figures[key] }
        }
        return .object(object)
    }
}
