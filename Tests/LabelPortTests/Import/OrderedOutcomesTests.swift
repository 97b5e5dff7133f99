import Testing
@testable import LabelPortCore

@Suite("Ordered outcomes", .timeLimit(.minutes(10)))
struct OrderedOutcomesTests {
    /// Records what it is given; each call yields, so other finishers run meanwhile.
    final class RecordingSink: ImportSink {
        let rows = Locked<[Int]>([])
        /// Rows announced as they finished (``ImportSink/rowFinishing(_:)``).
        let finishing = Locked<[Int]>([])
        let inside = Locked(0)
        let overlaps = Locked(0)
        let wantsRows: Bool

        init(wantsRows: Bool = true) {
            self.wantsRows = wantsRows
        }

        func rowFinishing(_ outcome: RowOutcome) {
            finishing.withLock { $0.append(outcome.planned.sequence) }
        }

        func rowFinished(_ outcome: RowOutcome) async {
            if inside.withLock({ $0 += 1; return $0 }) > 1 { overlaps.withLock { $0 += 1 } }
            await Task.yield()
            rows.withLock { $0.append(outcome.planned.sequence) }
            inside.withLock { $0 -= 1 }
        }
    }

    static func outcome(_ sequence: Int, status: RowStatus = .ok) -> RowOutcome {
        RowOutcome(
            planned: PlannedRow(
                sequence: sequence, line: sequence + 2, runID: nil, outputResourceName: "n\(sequence)", action: .create,
                write: nil, labelID: nil, changes: [], problem: nil, key: .invalid(sequence: sequence)),
            status: status, labelID: nil, error: nil, record: nil)
    }

    @Test("rows finished out of order by many tasks reach the sink once each, in order, one call at a time")
    func inOrder() async {
        let sink = RecordingSink()
        let ordered = OrderedOutcomes(sink: sink, window: 2_000)
        // Finish 1,000 rows in a scrambled order from 8 tasks.
        var order = Array(0..<1_000)
        var generator = SeededGenerator(seed: 7)
        order.shuffle(using: &generator)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                let mine = stride(from: task, to: order.count, by: 8).map { order[$0] }
                group.addTask {
                    for sequence in mine { await ordered.finish(Self.outcome(sequence, status: sequence % 3 == 0 ? .failed : .ok)) }
                }
            }
        }
        #expect(sink.rows.withLock { $0 } == Array(0..<1_000))
        #expect(sink.overlaps.withLock { $0 } == 0)
        #expect(ordered.counts.rows == 1_000)
        #expect(ordered.counts.count(.failed) == 334)
        #expect(ordered.counts.count(.create) == 1_000)
    }

    @Test("a row that finishes before an earlier one is announced at once, and given in order once the earlier one finishes")
    func announcedAtOnce() async {
        for wantsRows in [true, false] {
            let sink = RecordingSink(wantsRows: wantsRows)
            let ordered = OrderedOutcomes(sink: sink, window: 10)
            await ordered.finish(Self.outcome(2))
            await ordered.finish(Self.outcome(1))
            #expect(sink.finishing.withLock { $0 } == (wantsRows ? [2, 1] : []))
            #expect(sink.rows.withLock { $0 }.isEmpty)
            await ordered.finish(Self.outcome(0))
            #expect(sink.finishing.withLock { $0 } == (wantsRows ? [2, 1, 0] : []))
            #expect(sink.rows.withLock { $0 } == (wantsRows ? [0, 1, 2] : []))
        }
    }

    @Test("the reader waits while the window is full and goes on once the oldest row is given to the sink")
    func window() async throws {
        for wantsRows in [true, false] {
            let sink = RecordingSink(wantsRows: wantsRows)
            let ordered = OrderedOutcomes(sink: sink, window: 3)
            await ordered.admit(0)
            await ordered.admit(2)
            // Rows 1 and 2 finish first: row 0 still holds the window, so row 3 must wait.
            await ordered.finish(Self.outcome(1))
            await ordered.finish(Self.outcome(2))
            let admitted = Locked(false)
            let reader = Task {
                await ordered.admit(3)
                admitted.withLock { $0 = true }
            }
            while !ordered.readerIsWaiting { await Task.yield() }
            #expect(admitted.withLock { $0 } == false)
            await ordered.finish(Self.outcome(0))
            await reader.value
            #expect(admitted.withLock { $0 })
            #expect(sink.rows.withLock { $0 } == (wantsRows ? [0, 1, 2] : []))
            #expect(ordered.counts.rows == 3)
        }
    }

    @Test("a reader waiting for room that is cancelled goes on at once")
    func cancelWaitingReader() async {
        let ordered = OrderedOutcomes(sink: RecordingSink(), window: 1)
        await ordered.admit(0)
        let reader = Task { await ordered.admit(1) }
        while !ordered.readerIsWaiting { await Task.yield() }
        reader.cancel()
        await reader.value
        #expect(ordered.readerIsWaiting == false)
        // Row 0 still reaches the sink in order.
        await ordered.finish(Self.outcome(0))
        #expect(ordered.counts.rows == 1)
    }
}
