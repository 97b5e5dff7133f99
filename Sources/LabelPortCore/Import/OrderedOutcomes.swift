import Synchronization

/// Puts outcomes that finish out of order back into input order for the sink, and keeps
/// the reader at most `window` rows ahead of the oldest unfinished row, so the rows held
/// here stay bounded.
actor OrderedOutcomes {
    private let sink: any ImportSink
    private let sinkWantsRows: Bool
    private let window: Int
    private var nextToEmit = 0
    private var held: [Int: RowOutcome] = [:]
    private var waitingReader: (sequence: Int, continuation: CheckedContinuation<Void, Never>)?
    private(set) var counts = OutcomeCounts()
    /// `nextToEmit`, readable without a hop to the actor.
    private let emittedSoFar = Atomic<Int>(0)

    init(sink: any ImportSink, window: Int) {
        self.sink = sink
        self.sinkWantsRows = sink.wantsRows
        self.window = max(1, window)
    }

    /// Waits until row `sequence` may be taken in. The common case (room in the window)
    /// returns without a call to the actor: the reader calls this for every row.
    nonisolated func admit(_ sequence: Int) async {
        if sequence - emittedSoFar.load(ordering: .acquiring) < window { return }
        await waitForRoom(sequence)
    }

    private func waitForRoom(_ sequence: Int) async {
        while sequence - nextToEmit >= window {
            await withCheckedContinuation { waitingReader = (sequence, $0) }
        }
    }

    func finish(_ outcome: RowOutcome) async {
        held[outcome.planned.sequence] = outcome
        while let next = held.removeValue(forKey: nextToEmit) {
            counts.add(next)
            if sinkWantsRows { await sink.rowFinished(next) }
            nextToEmit += 1
            emittedSoFar.store(nextToEmit, ordering: .releasing)
        }
        if let reader = waitingReader, reader.sequence - nextToEmit < window {
            waitingReader = nil
            reader.continuation.resume()
        }
    }

    var emitted: Int { nextToEmit }
}

/// Rows counted by action and by status.
public struct OutcomeCounts: Sendable, Equatable {
    public var byAction: [ImportAction: Int] = [:]
    public var byStatus: [RowStatus: Int] = [:]
    public var rows = 0
    /// Dry run: rows planned to fail whatever the server does (unknown run, no match).
    public var doomed = 0

    public init() {}

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

    public func count(_ action: ImportAction) -> Int { byAction[action] ?? 0 }
    public func count(_ status: RowStatus) -> Int { byStatus[status] ?? 0 }
}
