import LabelPortCore
import Testing
@testable import LabelPortCLI

/// The progress line on a terminal: a message never lands glued to it, and after Ctrl-C
/// it counts rows as the summary does.
@Suite("terminal: the progress line and messages", .timeLimit(.minutes(1)))
struct ConsoleStatusLineTests {
    /// A console whose stderr is a terminal, writing into `capture`.
    static func console(_ capture: ByteCapture) -> Console {
        Console(writeOutput: { _ in }, writeError: { capture.append(Array($0.utf8)) }, outputIsTerminal: false, errorIsTerminal: true)
    }

    static func text(_ capture: ByteCapture) -> String { String(decoding: capture.contents, as: UTF8.self) }

    @Test("a message while the line shows erases it first, then starts a line of its own")
    func messageClearsStatus() {
        let capture = ByteCapture()
        let console = Self.console(capture)
        console.status("1/50 rows  4 req/s  ETA --  retries 0")
        console.status("2/50 rows  4 req/s  ETA --  retries 0")
        console.message("stopping: finishing 4 requests in flight; Ctrl-C again to quit")
        console.message("a second message")
        console.status("50/50 rows (2 ok, 48 skipped)  4 req/s  ETA 0m00s  retries 0")
        console.status("")
        console.message("50 rows: 50 create, 0 update, 0 unchanged, 0 conflict, 0 invalid (2 ok, 48 skipped)")
        let clear = "\r\u{1B}[K"
        #expect(Self.text(capture) == [
            clear + "1/50 rows  4 req/s  ETA --  retries 0",
            clear + "2/50 rows  4 req/s  ETA --  retries 0",
            clear + "stopping: finishing 4 requests in flight; Ctrl-C again to quit\n",
            "a second message\n",
            clear + "50/50 rows (2 ok, 48 skipped)  4 req/s  ETA 0m00s  retries 0",
            clear,
            "50 rows: 50 create, 0 update, 0 unchanged, 0 conflict, 0 invalid (2 ok, 48 skipped)\n",
        ].joined())
    }

    @Test("copies of a console share whether the line shows (the signal handler holds a copy)")
    func copiesShareState() {
        let capture = ByteCapture()
        let console = Self.console(capture)
        let copy = console
        console.status("3/9 rows")
        copy.message("note")
        #expect(Self.text(capture) == "\r\u{1B}[K3/9 rows\r\u{1B}[Knote\n")
    }

    @Test("the line names failed and skipped rows as the summary does, and agrees with it at the end")
    func progressCounts() {
        var stats = ExecutionStatistics()
        stats.requestsSent = 20
        #expect(ProgressLine.text(done: 50, total: 50, statistics: stats, elapsed: 5, skipped: 48)
            == "50/50 rows (2 ok, 48 skipped)  4 req/s  ETA 0m00s  retries 0")
        #expect(ProgressLine.text(done: 10, total: 50, statistics: stats, elapsed: 5, failed: 1, skipped: 4)
            == "10/50 rows (5 ok, 1 failed, 4 skipped)  4 req/s  ETA 0m33s  retries 0")
        // Skipped rows take no time: the estimate is from the rows attempted.
        #expect(ProgressLine.text(done: 20, total: 100, statistics: stats, elapsed: 10, skipped: 10)
            == "20/100 rows (10 ok, 10 skipped)  2 req/s  ETA 1m20s  retries 0")
    }

    @Test("the tally counts rows by status, passes each on, and grows its total")
    func tally() async {
        let sink = OrderedOutcomesTests.RecordingSink()
        let tally = RowTally(passingTo: sink, expecting: 3)
        for (sequence, status) in [(0, RowStatus.ok), (1, .failed), (2, .skipped), (3, .skipped)] {
            await tally.rowFinished(OrderedOutcomesTests.outcome(sequence, status: status))
        }
        tally.expect(more: 1)
        #expect(tally.snapshot == RowTally.Snapshot(ok: 1, failed: 1, skipped: 2))
        #expect(tally.snapshot.finished == 4 && tally.expected == 4)
        #expect(sink.rows.withLock { $0 } == [0, 1, 2, 3])
    }
}
