/// The end-of-run summary: rows by action and status, requests, retries, time.
package struct ImportSummary: Sendable {
    package var counts: OutcomeCounts
    package var runs: Int
    package var requests: Int
    package var retries: Int
    /// Requests the server refused with 429.
    package var refused: Int
    /// The rate the server allowed (requests per second), when it limited the run.
    package var allowedRate: Double?
    /// Times the server's quota ran out (its headers said none remained) and every request
    /// waited for the reset, and the seconds waited in all.
    package var quotaWaits = 0
    package var quotaWaitedSeconds = 0.0
    /// Create attempts that went unanswered (a create may go unanswered more than once), and the reads of their runs that settled them.
    package var unansweredCreates = 0
    package var rereads = 0
    /// Of those creates, the ones the server had not stored, sent again.
    package var resentCreates = 0
    /// Requests the server closed before processing them (HTTP/2), sent again.
    package var refusedUnprocessed = 0
    /// Failed requests not retried because the run's retry budget was spent.
    package var retriesRefusedByBudget = 0
    package var elapsedSeconds: Double
    package var dryRun: Bool
    package var interrupted: Bool
    package var invalidInput: Bool
    /// The problem that made the input fail as a whole (no header naming the label columns,
    /// an empty CSV), not row by row: `--max-errors` cannot let such a file through.
    package var fileProblem: String?

    package init(
        counts: OutcomeCounts, runs: Int, requests: Int, retries: Int, refused: Int = 0, allowedRate: Double? = nil,
        elapsedSeconds: Double, dryRun: Bool, interrupted: Bool, invalidInput: Bool
    ) {
        self.counts = counts
        self.runs = runs
        self.requests = requests
        self.retries = retries
        self.refused = refused
        self.allowedRate = allowedRate
        self.elapsedSeconds = elapsedSeconds
        self.dryRun = dryRun
        self.interrupted = interrupted
        self.invalidInput = invalidInput
    }

    /// 0 every row ok; 1 some rows failed, conflicted or were not attempted (or, in a
    /// dry run, would fail); 2 the input is invalid and nothing was written.
    package var exitStatus: Int32 {
        if invalidInput { return 2 }
        if interrupted { return 1 }
        let bad = counts.count(.failed) + counts.count(.skipped) + counts.count(.conflict) + counts.count(.invalid) + counts.doomed
        return bad == 0 ? 0 : 1
    }

    package var json: JSONValue {
        var actions = JSONObject()
        for action in ImportAction.allCases { actions[action.rawValue] = .number(JSONNumber(counts.count(action))) }
        var statuses = JSONObject()
        for status in RowStatus.allCases { statuses[status.rawValue] = .number(JSONNumber(counts.count(status))) }
        var object = JSONObject()
        object["rows"] = .number(JSONNumber(counts.rows))
        object["runs"] = .number(JSONNumber(runs))
        object["actions"] = .object(actions)
        object["statuses"] = .object(statuses)
        object["requests"] = .number(JSONNumber(requests))
        object["retries"] = .number(JSONNumber(retries))
        object["refused"] = .number(JSONNumber(refused))
        object["allowed_rate"] = allowedRate.map { .number(JSONNumber(uncheckedLiteral: Self.decimal($0, digits: $0 < 1 ? 4 : 1))) } ?? .null
        object["quota_waits"] = .number(JSONNumber(quotaWaits))
        object["quota_waited_seconds"] = .number(JSONNumber(uncheckedLiteral: Self.decimal(quotaWaitedSeconds, digits: 1)))
        object["unanswered_creates"] = .number(JSONNumber(unansweredCreates))
        object["rereads"] = .number(JSONNumber(rereads))
        object["resent_creates"] = .number(JSONNumber(resentCreates))
        object["refused_unprocessed"] = .number(JSONNumber(refusedUnprocessed))
        object["not_retried"] = .number(JSONNumber(retriesRefusedByBudget))
        object["elapsed_seconds"] = .number(JSONNumber(uncheckedLiteral: Self.decimal(elapsedSeconds, digits: 3)))
        object["dry_run"] = .bool(dryRun)
        if dryRun { object["would_fail"] = .number(JSONNumber(counts.doomed)) }
        object["interrupted"] = .bool(interrupted)
        object["file_problem"] = fileProblem.map { .string($0) } ?? .null
        object["exit_status"] = .number(JSONNumber(Int(exitStatus)))
        return .object(object)
    }

    /// The rate-limit and reconciling figures of the executors that ran (for copy, the
    /// reads' and the writes'; the rate allowed is the last one's that knows it).
    package mutating func noteExecution(_ statistics: ExecutionStatistics...) {
        refused = statistics.reduce(0) { $0 + $1.throttled }
        allowedRate = statistics.compactMap(\.allowedRate).last
        quotaWaits = statistics.reduce(0) { $0 + $1.quotaWaits }
        quotaWaitedSeconds = statistics.reduce(0) { $0 + $1.quotaWaitedSeconds }
        unansweredCreates = statistics.reduce(0) { $0 + $1.unansweredCreates }
        rereads = statistics.reduce(0) { $0 + $1.rereads }
        resentCreates = statistics.reduce(0) { $0 + $1.resentCreates }
        refusedUnprocessed = statistics.reduce(0) { $0 + $1.refusedUnprocessed }
        retriesRefusedByBudget = statistics.reduce(0) { $0 + $1.retriesRefusedByBudget }
    }

    /// `rate limited: the server allowed about 195 req/s; 3 requests refused (429)`, when
    /// the server limited the rate (refused requests, said its limit in headers, or said
    /// its quota was used up until a reset, which every request waited for).
    package static func rateLimitLine(refused: Int, allowedRate: Double?, quotaWaits: Int = 0, quotaWaitedSeconds: Double = 0) -> String? {
        guard refused > 0 || allowedRate != nil || quotaWaits > 0 else { return nil }
        var parts: [String] = []
        if let allowedRate { parts.append("the server allowed about \(spokenRate(allowedRate))") }
        if quotaWaits > 0 {
            parts.append(
                "its quota ran out \(CountText.count(quotaWaits, "time")) (its headers said 0 remaining): "
                    + "waited \(decimal(quotaWaitedSeconds, digits: 0)) s in all for it to reset")
        }
        if parts.isEmpty { parts.append("the server limited the rate") }
        parts.append("\(CountText.count(refused, "request")) refused (429)")
        return "rate limited: " + parts.joined(separator: "; ")
    }

    /// `195 req/s`, `2.5 req/s`, or below one a second `1 request every 80 s`.
    static func spokenRate(_ rate: Double) -> String {
        if rate >= 10 { return "\(decimal(rate, digits: 0)) req/s" }
        if rate >= 1 { return "\(decimal(rate, digits: 1)) req/s" }
        return "1 request every \(decimal(1 / max(rate, 1e-6), digits: 0)) s"
    }

    /// The line for `statistics`, as export prints it.
    package static func rateLimitLine(_ statistics: ExecutionStatistics) -> String? {
        rateLimitLine(
            refused: statistics.throttled, allowedRate: statistics.allowedRate,
            quotaWaits: statistics.quotaWaits, quotaWaitedSeconds: statistics.quotaWaitedSeconds)
    }

    package var humanLines: [String] {
        let c = counts
        let actions = ImportAction.allCases.map { "\(CountText.grouped(c.count($0))) \($0.rawValue)" }.joined(separator: ", ")
        var statuses = RowStatus.allCases.filter { c.count($0) > 0 }.map { "\(CountText.grouped(c.count($0))) \($0.rawValue)" }.joined(separator: ", ")
        if c.doomed > 0 { statuses += ", of which \(CountText.grouped(c.doomed)) would fail" }
        let rate = elapsedSeconds > 0 ? Double(requests) / elapsedSeconds : 0
        var lines = [
            "\(CountText.count(c.rows, "row")): \(actions)" + (statuses.isEmpty ? "" : " (\(statuses))"),
            "\(CountText.count(requests, "request")) (\(CountText.count(retries, "retry", "retries"))) in \(Self.decimal(elapsedSeconds, digits: 2)) s, \(Self.decimal(rate, digits: 0)) req/s",
        ]
        if refusedUnprocessed > 0 {
            lines.append("\(CountText.count(refusedUnprocessed, "request")) the server refused or closed before answering (HTTP/2: a refused stream, a GOAWAY, or cancelled) \(refusedUnprocessed == 1 ? "was" : "were") sent again on a new connection (not counted above)")
        }
        if retriesRefusedByBudget > 0 {
            lines.append(
                "\(CountText.count(retriesRefusedByBudget, "failed request")) \(retriesRefusedByBudget == 1 ? "was" : "were") not retried, though --retries allowed it: "
                    + "so many requests failed that labelport stopped retrying, to spare a failing server (the failed rows say why)")
        }
        if unansweredCreates > 0 && rereads == 0 {
            lines.append("\(CountText.count(unansweredCreates, "create attempt")) ended with no known outcome (no answer, a cut-off, a 5xx) and could not be settled (the run was not read again): the failed rows say why")
        } else if unansweredCreates > 0 {
            lines.append(
                "\(CountText.count(unansweredCreates, "create attempt")) ended with no known outcome (no answer, a cut-off, a 5xx): the run was read again "
                    + "\(CountText.count(rereads, "time")) to find which the server had stored; "
                    + (resentCreates == 0 ? "none was sent again" : "\(CountText.grouped(resentCreates)) it had not stored \(resentCreates == 1 ? "was" : "were") sent again"))
        }
        if let limited = Self.rateLimitLine(refused: refused, allowedRate: allowedRate, quotaWaits: quotaWaits, quotaWaitedSeconds: quotaWaitedSeconds) {
            lines.append(limited)
        }
        if dryRun { lines.append("dry run: nothing was written") }
        if invalidInput && fileProblem != nil {
            lines.append("the file cannot be read as labels: nothing was written (fix the problem above; --max-errors allows invalid rows, not this)")
        } else if invalidInput {
            lines.append("the input has invalid rows: nothing was written (fix them, or allow some with --max-errors N)")
        }
        if interrupted { lines.append("interrupted: rows not attempted are marked skipped in the report") }
        return lines
    }

    static func decimal(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded()
        let whole = Int(scaled / scale)
        if digits == 0 { return String(whole) }
        var fraction = String(Int(abs(scaled) - abs(Double(whole)) * scale))
        while fraction.count < digits { fraction = "0" + fraction }
        return (value < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }
}
