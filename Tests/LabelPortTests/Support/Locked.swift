import Synchronization

/// A `Mutex` in a class, so tests can share one value among the closures and tasks they
/// start (a `Mutex` itself cannot be captured: it is not copyable).
final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: sending Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout sending Value) throws -> sending Result) rethrows -> sending Result {
        try mutex.withLock(body)
    }
}
