@testable import LabelPortCore
import Testing
@testable import LabelPortCLI

/// What a user sees of a rate limit: the summary's line (human and `--json`) and the
/// progress line's pace.
@Suite("Rate limits in the summary and the progress line", .timeLimit(.minutes(1)))
struct RateLimitReportingTests {
    static func summary(refused: Int, allowedRate: Double?) -> ImportSummary {
        var counts = OutcomeCounts()
        counts.rows = 4_000
        counts.byAction[.create] = 4_000
        counts.byStatus[.ok] = 4_000
        return ImportSummary(
            counts: counts, runs: 1, requests: 4_000 + refused, retries: refused, refused: refused, allowedRate: allowedRate,
            elapsedSeconds: 21.5, dryRun: false, interrupted: false, invalidInput: false)
    }

    @Test("the summary says the rate the server allowed and how many requests it refused")
    func summaryLines() {
        #expect(Self.summary(refused: 7, allowedRate: 197.6).humanLines == [
            "4,000 rows: 4,000 create, 0 update, 0 unchanged, 0 conflict, 0 invalid (4,000 ok)",
            "4,007 requests (7 retries) in 21.50 s, 186 req/s",
            "rate limited: the server allowed about 198 req/s; 7 requests refused (429)",
        ])
        #expect(Self.summary(refused: 1, allowedRate: nil).humanLines.last == "rate limited: the server limited the rate; 1 request refused (429)")
        // Paced by its headers, never refused: the rate is still said.
        #expect(Self.summary(refused: 0, allowedRate: 196).humanLines.last == "rate limited: the server allowed about 196 req/s; 0 requests refused (429)")
        #expect(Self.summary(refused: 0, allowedRate: nil).humanLines.count == 2, "no line when the server never limited the run")
        // Its quota used up: every request waited for the reset (the line said nothing, or "about 0 req/s").
        #expect(ImportSummary.rateLimitLine(refused: 0, allowedRate: nil, quotaWaits: 2, quotaWaitedSeconds: 6.2)
            == "rate limited: its quota ran out 2 times (its headers said 0 remaining): waited 6 s in all for it to reset; 0 requests refused (429)")
    }

    @Test("creates that went unanswered are said, with the reads of the run that settled them")
    func unanswered() {
        var summary = Self.summary(refused: 0, allowedRate: nil)
        var statistics = ExecutionStatistics()
        statistics.unansweredCreates = 155
        statistics.rereads = 68
        summary.noteExecution(statistics)
        #expect(summary.humanLines.last == "155 create attempts ended with no known outcome (no answer, a cut-off, a 5xx): the run was read again 68 times to find which the server had stored; none was sent again")
        guard case .object(let object) = summary.json else { Issue.record("not an object"); return }
        #expect(object["unanswered_creates"] == .number(JSONNumber(155)) && object["rereads"] == .number(JSONNumber(68)))
        // Creates the server had not stored were sent again: said, not "none was sent twice".
        statistics.resentCreates = 12
        summary.noteExecution(statistics)
        #expect(summary.humanLines.last == "155 create attempts ended with no known outcome (no answer, a cut-off, a 5xx): the run was read again 68 times to find which the server had stored; 12 it had not stored were sent again")
    }

    @Test("requests the server refused or closed before answering, sent again, are said apart from the requests; unanswered creates with no re-read too")
    func refusedUnprocessed() {
        var summary = Self.summary(refused: 0, allowedRate: nil)
        var statistics = ExecutionStatistics()
        statistics.refusedUnprocessed = 1_204
        statistics.unansweredCreates = 1
        summary.noteExecution(statistics)
        #expect(summary.humanLines.suffix(2) == [
            "1,204 requests the server refused or closed before answering (HTTP/2: a refused stream, a GOAWAY, or cancelled) were sent again on a new connection (not counted above)",
            "1 create attempt ended with no known outcome (no answer, a cut-off, a 5xx) and could not be settled (the run was not read again): the failed rows say why",
        ])
        guard case .object(let object) = summary.json else { Issue.record("not an object"); return }
        #expect(object["refused_unprocessed"] == .number(JSONNumber(1_204)))
    }

    @Test("failed requests the retry budget kept from retrying are said, and counted in --json")
    func notRetried() {
        var summary = Self.summary(refused: 0, allowedRate: nil)
        var statistics = ExecutionStatistics()
        statistics.retriesRefusedByBudget = 16
        summary.noteExecution(statistics)
        #expect(summary.humanLines.last
            == "16 failed requests were not retried, though --retries allowed it: so many requests failed that labelport stopped retrying, to spare a failing server (the failed rows say why)")
        guard case .object(let object) = summary.json else { Issue.record("not an object"); return }
        #expect(object["not_retried"] == .number(JSONNumber(16)))
    }

    @Test("a rate below one a second is said as a request every so many seconds (not 'about 0 req/s')")
    func slowRate() {
        #expect(ImportSummary.spokenRate(197.6) == "198 req/s")
        #expect(ImportSummary.spokenRate(2.46) == "2.5 req/s")
        #expect(ImportSummary.spokenRate(5.0 / 400) == "1 request every 80 s")
        let line = ImportSummary.rateLimitLine(refused: 0, allowedRate: 5.0 / 400)
        #expect(line == "rate limited: the server allowed about 1 request every 80 s; 0 requests refused (429)")
        guard case .object(let object) = Self.summary(refused: 0, allowedRate: 5.0 / 400).json else { return }
        #expect(object["allowed_rate"] == .number(JSONNumber(uncheckedLiteral: "0.0125")))
    }

    @Test("--json has refused and allowed_rate")
    func summaryJSON() throws {
        let json = Self.summary(refused: 7, allowedRate: 197.64).json
        guard case .object(let object) = json else { Issue.record("not an object"); return }
        #expect(object["refused"] == .number(JSONNumber(7)))
        #expect(object["allowed_rate"] == .number(JSONNumber(uncheckedLiteral: "197.6")))
        guard case .object(let plain) = Self.summary(refused: 0, allowedRate: nil).json else { return }
        #expect(plain["allowed_rate"] == .null)
    }

    @Test("the progress line shows the current pace while the server limits the run")
    func progressLine() {
        var stats = ExecutionStatistics()
        stats.requestsSent = 2_010
        stats.retries = 7
        stats.throttled = 7
        #expect(ProgressLine.text(done: 2_000, total: 4_000, statistics: stats, elapsed: 10)
            == "2,000/4,000 rows  201 req/s  ETA 0m10s  retries 7  refused 7")
        stats.pace = 196.4
        #expect(ProgressLine.text(done: 2_000, total: 4_000, statistics: stats, elapsed: 10)
            == "2,000/4,000 rows  201 req/s  ETA 0m10s  retries 7  refused 7  paced at 196 req/s (server limit)")
        #expect(ProgressLine.text(done: 0, total: 4_000, statistics: ExecutionStatistics(), elapsed: 0)
            == "0/4,000 rows  0 req/s  ETA --  retries 0")
    }
}
