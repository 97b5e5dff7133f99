import Synchronization

/// Set from a signal handler (Ctrl-C): the import takes no new rows; requests in flight finish.
package final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    package init() {}
    package func set() { flag.store(true, ordering: .relaxed) }
    package var isSet: Bool { flag.load(ordering: .relaxed) }
}
