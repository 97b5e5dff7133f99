import Synchronization

/// When one attempt's request went out on its connection. The executor gives each attempt
/// one (in a task-local) and the client marks it as it writes the request; the pacer then
/// counts the request by that instant rather than by when its turn came, which is earlier
/// by as long as its connection took to make. (64 requests let go at once over connections
/// made one after another reach the server over a tenth of a second or more: counted as
/// sent at once, they made a bucket's burst look twice its size and the pace learnt a
/// sixth of the limit.)
package final class SendStamp: Sendable {
    /// The stamp of the attempt this task is making, if any.
    @TaskLocal package static var current: SendStamp?

    private let now: @Sendable () -> Duration
    private let marked = Mutex<Duration?>(nil)

    init(now: @escaping @Sendable () -> Duration) {
        self.now = now
    }

    /// The request is being written now (a later mark, of a request sent again by the
    /// HTTP client on a new connection, keeps the first).
    package func mark() {
        let instant = now()
        marked.withLock { if $0 == nil { $0 = instant } }
    }

    /// When it was marked; nil when the request was not written (or its client does not mark).
    package var time: Duration? { marked.withLock { $0 } }
}
