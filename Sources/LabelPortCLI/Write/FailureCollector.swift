import LabelPortCore

/// Passes outcomes on, noting the restores that did not succeed (by journal write), and
/// which of them were not attempted (after Ctrl-C).
actor FailureCollector: ImportSink {
    let inner: ImportOutputs
    private(set) var failures: [Int: String] = [:]
    private(set) var notAttempted: Set<Int> = []

    init(inner: ImportOutputs) { self.inner = inner }

    nonisolated func rowFinishing(_ outcome: RowOutcome) {
        inner.rowFinishing(outcome)
    }

    func rowFinished(_ outcome: RowOutcome) async {
        if outcome.status != .ok { failures[outcome.planned.line] = outcome.error ?? outcome.status.rawValue }
        if outcome.status == .skipped { notAttempted.insert(outcome.planned.line) }
        await inner.rowFinished(outcome)
    }
}
