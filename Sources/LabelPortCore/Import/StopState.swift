import Synchronization

/// Why an import stops taking rows: Ctrl-C, a rejected token, a journal that cannot be
/// written, or more failed rows than `--max-errors` allows. Rows not yet sent once it has
/// stopped are reported skipped with its reason.
final class StopState: Sendable {
    let interrupt: InterruptFlag
    /// `--max-errors N`; nil: failed rows never stop the import.
    private let failureBudget: Int?
    private let reason = Mutex<SkipReason?>(nil)
    private let failures = Atomic<Int>(0)

    init(interrupt: InterruptFlag, failureBudget: Int?) {
        self.interrupt = interrupt
        self.failureBudget = failureBudget
    }

    /// Stops taking rows (the first reason given is the one reported).
    func stop(_ why: SkipReason) {
        reason.withLock { if $0 == nil { $0 = why } }
    }

    /// Counts a failed or invalid row; past the budget, the import stops.
    func countFailure() {
        let failed = failures.add(1, ordering: .relaxed).newValue
        if let budget = failureBudget, failed > budget { stop(.tooManyErrors(budget)) }
    }

    /// Why rows are no longer sent, if they are not. Ctrl-C wins over any other reason.
    var current: SkipReason? {
        if interrupt.isSet { return .interrupted }
        return reason.withLock { $0 }
    }
}
