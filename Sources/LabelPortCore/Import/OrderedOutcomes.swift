import NIOCore
import Synchronization

/// Puts outcomes that finish out of order back into input order for the sink, and keeps
/// the reader at most `window` rows ahead of the oldest row not yet given to the sink, so
/// the rows held here stay bounded.
///
/// A lock, not an actor: every row passes through here from the worker that finished it,
/// and a hop to an actor per row cost more than the work. One caller at a time gives
/// rows to the sink, in order; the others only queue them. A reader waiting for room that
/// is cancelled goes on at once (past the window).
final class OrderedOutcomes: Sendable {
    private typealias Reader = (sequence: Int, continuation: CheckedContinuation<Void, Never>)

    private struct State {
        /// The sequence number of the next row to release from `held`.
        var nextToRelease = 0
        /// Rows that finished before an earlier one, by sequence number.
        var held: [Int: RowOutcome] = [:]
        /// Released rows, in order, not yet given to the sink.
        var ready = CircularBuffer<RowOutcome>()
        var delivering = false
        /// Rows given to the sink (or released, when the sink wants none).
        var delivered = 0
        var waitingReader: Reader?
        var counts = OutcomeCounts()

        mutating func release(_ outcome: RowOutcome, keep: Bool) {
            counts.add(outcome)
            nextToRelease += 1
            if keep { ready.append(outcome) } else { delivered += 1 }
        }

        /// The waiting reader, if `delivered` now leaves it room.
        mutating func readerWithRoom(window: Int) -> Reader? {
            guard let reader = waitingReader, reader.sequence - delivered < window else { return nil }
            waitingReader = nil
            return reader
        }
    }

    private let sink: any ImportSink
    private let sinkWantsRows: Bool
    private let window: Int
    private let state = Mutex(State())
    /// `delivered`, readable without the lock.
    private let deliveredSoFar = Atomic<Int>(0)

    init(sink: any ImportSink, window: Int) {
        self.sink = sink
        self.sinkWantsRows = sink.wantsRows
        self.window = max(1, window)
    }

    /// Waits until row `sequence` may be taken in. The common case (room in the window)
    /// returns without taking the lock: the reader calls this for every row.
    func admit(_ sequence: Int) async {
        let window = window
        if sequence - deliveredSoFar.load(ordering: .acquiring) < window { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let roomNow = state.withLock { state in
                    // Cancellation is flagged before its handler runs, and both take the
                    // lock: either this sees the flag or the handler sees the reader.
                    if sequence - state.delivered < window || Task.isCancelled { return true }
                    state.waitingReader = (sequence, continuation)
                    return false
                }
                if roomNow { continuation.resume() }
            }
        } onCancel: {
            let reader = state.withLock { state -> Reader? in
                guard state.waitingReader?.sequence == sequence else { return nil }
                defer { state.waitingReader = nil }
                return state.waitingReader
            }
            reader?.continuation.resume()
        }
    }

    /// Takes a finished row; gives it and any rows it unblocks to the sink, in order.
    func finish(_ outcome: RowOutcome) async {
        let keep = sinkWantsRows
        if keep { sink.rowFinishing(outcome) }
        let window = window
        let (deliver, reader) = state.withLock { state -> (Bool, Reader?) in
            if outcome.planned.sequence == state.nextToRelease {
                state.release(outcome, keep: keep)
            } else {
                state.held[outcome.planned.sequence] = outcome
            }
            while !state.held.isEmpty, let next = state.held.removeValue(forKey: state.nextToRelease) {
                state.release(next, keep: keep)
            }
            deliveredSoFar.store(state.delivered, ordering: .releasing)
            let deliver = !state.delivering && !state.ready.isEmpty
            if deliver { state.delivering = true }
            return (deliver, state.readerWithRoom(window: window))
        }
        reader?.continuation.resume()
        guard deliver else { return }
        while true {
            let batch = state.withLock { state -> [RowOutcome]? in
                if state.ready.isEmpty {
                    state.delivering = false
                    return nil
                }
                let batch = Array(state.ready)
                state.ready.removeAll(keepingCapacity: true)
                return batch
            }
            guard let batch else { return }
            for row in batch { await sink.rowFinished(row) }
            let reader = state.withLock { state -> Reader? in
                state.delivered += batch.count
                deliveredSoFar.store(state.delivered, ordering: .releasing)
                return state.readerWithRoom(window: window)
            }
            reader?.continuation.resume()
        }
    }

    var counts: OutcomeCounts { state.withLock { $0.counts } }

    /// Whether the reader waits for room (for tests that wait for it to suspend here).
    var readerIsWaiting: Bool { state.withLock { $0.waitingReader != nil } }
}

/// Rows counted by action and by status.
package struct OutcomeCounts: Sendable, Equatable {
    package var byAction: [ImportAction: Int] = [:]
    package var byStatus: [RowStatus: Int] = [:]
    package var rows = 0
    /// Dry run: rows planned to fail whatever the server does (unknown run, no match).
    package var doomed = 0

    package init() {}

    mutating func add(_ outcome: RowOutcome) {
        rows += 1
        if outcome.status == .planned && outcome.planned.problem != nil && outcome.planned.action != .conflict
            && outcome.planned.action != .invalid
        {
            doomed += 1
        }
        byAction[outcome.planned.action, default: 0] += 1
        byStatus[outcome.status, default: 0] += 1
    }

    package func count(_ action: ImportAction) -> Int { byAction[action] ?? 0 }
    package func count(_ status: RowStatus) -> Int { byStatus[status] ?? 0 }
}
