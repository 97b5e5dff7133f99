import Testing
@testable import LabelPortCore

@Suite("Row decisions, stop state and the write ledger", .timeLimit(.minutes(1)))
struct RowDecisionTests {
    static let request = CreateGoldLabelRequest(outputResourceName: "doc-1.pdf", textValue: "yes", objectValue: nil, objectValueIsPartial: nil)

    static func row(
        _ action: ImportAction = .create, write: PlannedWrite? = .create(request), problem: String? = nil, follows: Int? = nil, line: Int = 2,
        laterRowsNeedID: Bool = true
    ) -> PlannedRow {
        var row = PlannedRow(
            sequence: 0, line: line, runID: "run", outputResourceName: "doc-1.pdf", action: action,
            write: write, labelID: nil, changes: [], problem: problem, key: .name(run: "run", "doc-1.pdf"))
        row.follows = follows
        row.laterRowsNeedID = laterRowsNeedID
        return row
    }

    func decide(_ row: PlannedRow, dryRun: Bool = false, sending: Bool = true, stopped: SkipReason? = nil, notSending: String? = nil) -> RowDecision {
        RowDecision.decide(row, dryRun: dryRun, sending: sending, stopped: stopped, notSending: notSending)
    }

    @Test("a write goes to a worker; with nothing to send the row is done")
    func writesQueue() {
        #expect(decide(Self.row()) == .queue)
        #expect(decide(Self.row(.unchanged, write: nil)) == .finish(.ok, nil))
    }

    @Test("rows doomed by the plan end at once: conflicts and invalid rows skipped, unknown runs failed; a dry run plans them")
    func doomed() {
        #expect(decide(Self.row(.conflict, write: nil, problem: "two rows")) == .finish(.skipped, nil))
        #expect(decide(Self.row(.invalid, write: nil, problem: "bad")) == .finish(.skipped, nil))
        #expect(decide(Self.row(.create, problem: "run not found")) == .finish(.failed, nil))
        #expect(decide(Self.row(.create, problem: "run not found"), dryRun: true) == .finish(.planned, nil))
        #expect(decide(Self.row(), dryRun: true) == .finish(.planned, nil))
    }

    @Test("once writes stop, a write is skipped with the reason; a merged follower still waits for its write")
    func stopped() {
        #expect(decide(Self.row(), stopped: .interrupted) == .finish(.skipped, .interrupted))
        #expect(decide(Self.row(.update, write: nil, follows: 2), stopped: .interrupted) == .queue)
        #expect(decide(Self.row(), sending: false, notSending: "the input has invalid rows") == .finish(.skipped, .notWritten("the input has invalid rows")))
        #expect(decide(Self.row(.update, write: nil, follows: 2), sending: false) == .finish(.skipped, .notWritten(nil)))
    }

    @Test("skip reasons read as the report prints them")
    func skipReasonWords() {
        #expect(SkipReason.interrupted.description == "not attempted: the run was interrupted")
        #expect(SkipReason.tooManyErrors(3).description == "not attempted: more than 3 rows failed or were invalid (--max-errors 3)")
        #expect(SkipReason.cannotContinue("the API token was rejected").description == "not attempted: the API token was rejected")
        #expect(SkipReason.notWritten(nil).description == "not written")
    }

    @Test("the failure budget stops the import at the first failure past it; Ctrl-C wins over any reason")
    func budget() {
        let interrupt = InterruptFlag()
        let stop = StopState(interrupt: interrupt, failureBudget: 2)
        stop.countFailure()
        stop.countFailure()
        #expect(stop.current == nil)
        stop.countFailure()
        #expect(stop.current == .tooManyErrors(2))
        stop.stop(.cannotContinue("later reason"))
        #expect(stop.current == .tooManyErrors(2))
        interrupt.set()
        #expect(stop.current == .interrupted)
        let unlimited = StopState(interrupt: InterruptFlag(), failureBudget: nil)
        for _ in 0..<100 { unlimited.countFailure() }
        #expect(unlimited.current == nil)
    }

    @Test("a later row finds the id its create gave; if the create failed, it says which line")
    func ledger() throws {
        let ledger = WriteLedger()
        let create = Self.row(line: 2)
        let update = Self.row(.update, write: .update(.pending(name: "doc-1.pdf"), UpdateGoldLabelRequest(textValue: "no", objectValue: nil, objectValueIsPartial: nil)), line: 3)
        ledger.created("id-1", for: create)
        #expect(try ledger.resolve(.pending(name: "doc-1.pdf"), for: update) == "id-1")
        #expect(try ledger.resolve(.existing(id: "id-9"), for: update) == "id-9")

        let failedLedger = WriteLedger()
        failedLedger.unfinished(create, status: .failed, reason: "server error (500)")
        #expect(throws: ImportAbort.self) { try failedLedger.resolve(.pending(name: "doc-1.pdf"), for: update) }
        do {
            _ = try failedLedger.resolve(.pending(name: "doc-1.pdf"), for: update)
        } catch {
            #expect(error.message == "the label was to be created by the row on line 2, which failed")
        }
        let follower = Self.row(.update, write: nil, follows: 2, line: 4)
        let unfinished = try #require(failedLedger.unfinishedWrite(before: follower))
        #expect(unfinished.line == 2 && unfinished.status == .failed && unfinished.reason == "server error (500)")
        #expect(ledger.unfinishedWrite(before: follower) == nil)
    }

    @Test("an id is kept only when later rows need it")
    func idKeptOnlyWhenNeeded() {
        let ledger = WriteLedger()
        ledger.created("id-1", for: Self.row(laterRowsNeedID: false))
        let update = Self.row(.update, write: .update(.pending(name: "doc-1.pdf"), UpdateGoldLabelRequest(textValue: "no", objectValue: nil, objectValueIsPartial: nil)), line: 3)
        #expect(throws: ImportAbort.self) { try ledger.resolve(.pending(name: "doc-1.pdf"), for: update) }
    }
}
