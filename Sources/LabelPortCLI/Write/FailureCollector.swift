import LabelPortCore

/// Passes outcomes on, noting the restores that did not succeed (by journal write).
actor FailureCollector: ImportSink {
    let inner: ImportOutputs
    private(set) var failures: [Int: String] = [:]

    init(inner: ImportOutputs) { self.inner = inner }

    func rowFinished(_ outcome: RowOutcome) async {
        if outcome.status != .ok { failures[outcome.planned.line] = outcome.error ?? outcome.status.rawValue }
        await inner.rowFinished(outcome)
    }
}
