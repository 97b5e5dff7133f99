import LabelPortCore
import Synchronization

/// Counts the rows of a write command by status as their outcomes reach the outputs (in
/// input order), then passes them on: the progress line shows what the report and the
/// summary count, skipped rows as skipped. It also holds the number of rows expected.
final class RowTally: ImportSink {
    private let inner: any ImportSink
    private let expectedRows: Atomic<Int>
    private let ok = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)
    private let skipped = Atomic<Int>(0)

    init(passingTo inner: any ImportSink, expecting rows: Int) {
        self.inner = inner
        expectedRows = Atomic(rows)
    }

    /// Rows the run will have in all (it grows when they are known one part at a time).
    var expected: Int { expectedRows.load(ordering: .relaxed) }

    func expect(more rows: Int) { expectedRows.add(rows, ordering: .relaxed) }

    struct Snapshot: Equatable {
        var ok = 0
        var failed = 0
        var skipped = 0
        var finished: Int { ok + failed + skipped }
    }

    var snapshot: Snapshot {
        Snapshot(ok: ok.load(ordering: .relaxed), failed: failed.load(ordering: .relaxed), skipped: skipped.load(ordering: .relaxed))
    }

    func rowFinishing(_ outcome: RowOutcome) {
        if inner.wantsRows { inner.rowFinishing(outcome) }
    }

    func rowFinished(_ outcome: RowOutcome) async {
        switch outcome.status {
        case .ok, .planned: ok.add(1, ordering: .relaxed)
        case .failed: failed.add(1, ordering: .relaxed)
        case .skipped: skipped.add(1, ordering: .relaxed)
        }
        if inner.wantsRows { await inner.rowFinished(outcome) }
    }
}
