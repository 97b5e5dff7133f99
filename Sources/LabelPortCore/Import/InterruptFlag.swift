import Synchronization

/// Set from a signal handler (Ctrl-C): the import takes no new rows; requests in flight finish.
public final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func set() { flag.store(true, ordering: .relaxed) }
    public var isSet: Bool { flag.load(ordering: .relaxed) }
}
