import Synchronization

/// Sends creates, and never resends one blindly. A create whose outcome is unknown (no
/// answer, a 5xx, a timeout) may have been applied: the run's labels are read again, and a
/// label with this name that the run did not hold before is taken as this create's
/// (updated if its values differ); only if there is none is the create sent again.
final class CreateReconciler: Sendable {
    /// After a 5xx the server may still apply the create: wait at least this long before
    /// looking (a proxy's 502 can precede the backend's commit by a moment).
    static let settleBeforeLooking = Duration.milliseconds(250)
    /// After a timeout or a 504 (a gateway gave up waiting) the server was still working
    /// on the create when the answer was given up: give it this long to finish before
    /// looking (a commit later still would be a duplicate; the summary counts creates sent again).
    static let settleAfterSlowAnswer = Duration.seconds(5)

    private let client: RefactorClient
    private let rerun: String
    private let executor: RequestExecutor
    private let interrupt: InterruptFlag
    private let rereader: RunRereader
    /// Label ids each run is known to hold (read at the start, or created by this import):
    /// a label with another id that appears after an unanswered create is that create's.
    private let knownIDs = Mutex<[String: KnownIDs]>([:])

    /// `rerun`: how the row is told to settle a label that may exist (``ImportConfiguration/rerunAdvice``).
    init(client: RefactorClient, executor: RequestExecutor, interrupt: InterruptFlag, rerun: String = ImportConfiguration().rerunAdvice) {
        self.rerun = rerun
        self.client = client
        self.executor = executor
        self.interrupt = interrupt
        rereader = RunRereader(now: { executor.now }) { runID in
            executor.noteReread()
            do throws(APIError) {
                return .success(try await executor.perform(.read) { () async throws(APIError) -> CompactRun in
                    try await client.readRun(runID: runID)
                })
            } catch {
                return .failure(error)
            }
        }
    }

    /// The labels a run held when the import read it.
    func noteRead(runID: String, labels: CompactRun) {
        knownIDs.withLock { $0[runID] = KnownIDs(read: labels) }
    }

    /// Creates a label in `runID`; returns its id.
    func create(_ request: CreateGoldLabelRequest, runID: String) async throws(WriteFailure) -> String {
        var unknownOutcomes = 0
        var resends = ResendAllowance()
        while true {
            do throws(APIError) {
                let id = try await executor.perform(.create) { [client] () async throws(APIError) -> String in
                    try await client.createGoldLabelID(runID: runID, request)
                }
                noteCreated(id, runID: runID)
                return id
            } catch {
                guard error.outcomeUnknown && error.kind != .cancelled else { throw WriteFailure(error, interrupted: interrupt.isSet) }
                // An HTTP/2 stream cancelled unanswered may be a GOAWAY's (never processed)
                // or a server's cancel of a create it stored, and nothing tells them apart:
                // the run is read again either way. Not found there, it was not processed,
                // and is sent again without spending a retry, as a refused stream is
                // (a server with a small requests-per-connection limit cuts off many), while
                // other creates succeed in between (or 20 times in a row, 100 in all).
                let cancelled = error.cancelledBeforeAnswer
                if !cancelled { unknownOutcomes += 1 }
                executor.noteUnansweredCreate()
                if let found = try await lookForCreated(request, runID: runID, after: error, attempt: unknownOutcomes) {
                    return found
                }
                if !cancelled || !resends.take(answers: executor.createsSucceeded) {
                    if cancelled { unknownOutcomes += 1 }
                    if unknownOutcomes > executor.options.retries {
                        throw .failed(
                            "\(error.description); the run, read again after each attempt, held no such label (--retries \(executor.options.retries) spent): \(rerun)",
                            outcomeUnknown: true)
                    }
                }
                // Absent: the create was not applied; send it again.
                executor.noteResentCreate()
            }
        }
    }

    /// After `error` left a create's outcome unknown: the id of the label it made, if the
    /// run shows one (its values set as asked), or nil if the create was not applied.
    private func lookForCreated(_ request: CreateGoldLabelRequest, runID: String, after error: APIError, attempt: Int) async throws(WriteFailure) -> String? {
        let stillWorking = error.kind == .timeout || error.status == 504
        // The server's Retry-After is never undercut, by the look nor by a resend; one
        // longer than labelport waits ends the create, its label perhaps made.
        let asked = executor.retryAfterDelay(error)
        if let asked, asked > executor.options.retryPolicy.maxRetryAfter {
            throw .failed(
                "\(error.waitingLongerThan(executor.options.retryPolicy.maxRetryAfter).description); the label may exist: \(rerun) later (upsert finds it)",
                outcomeUnknown: true)
        }
        if stillWorking || error.kind == .serverError {
            let ceiling = executor.options.retryPolicy.backoffCeiling(retry: attempt - 1)
            let settle = max(ceiling, stillWorking ? Self.settleAfterSlowAnswer : Self.settleBeforeLooking)
            _ = await executor.pause(for: max(settle, asked ?? .zero))
        } else if error.cancelledBeforeAnswer {
            // A GOAWAY's cut-off is no sign of a failing server: no backoff, only the moment
            // a server that cancelled a create it was storing needs to commit it.
            _ = await executor.pause(for: max(Self.settleBeforeLooking, asked ?? .zero))
        }
        let failedAt = executor.now
        let labels: CompactRun
        do throws(APIError) {
            labels = try await rereader.labels(of: runID, after: failedAt)
        } catch {
            if error.kind == .cancelled {
                throw .failed(
                    "\(APICall.createGoldLabel(runID: runID, name: request.outputResourceName).operation): interrupted after sending: the label may exist; \(rerun) (upsert finds it)",
                    outcomeUnknown: true)
            }
            // The create's answer was lost and the run cannot be read to settle it.
            throw .failed(
                "\(error.description); the create before it went unanswered, so the label may exist: \(rerun) (upsert finds it)",
                outcomeUnknown: true)
        }
        let known = knownIDs.withLock { $0[runID]?.all ?? [] }
        // Only the labels of this name are decoded.
        let candidates = labels.indices.filter {
            labels.outputResourceName($0).utf8.elementsEqual(request.outputResourceName.utf8) && !known.contains(labels.id($0).lowercased())
        }.map(labels.label)
        if candidates.count > 1 {
            let error = APIError(
                kind: .invalidResponse, operation: error.operation,
                detail: "after an unanswered create, \(candidates.count) new labels named \(TerminalText.quoted(request.outputResourceName)) appeared in the run (\(candidates.map(\.id).joined(separator: ", "))); not creating another")
            throw WriteFailure(error, interrupted: false)
        }
        guard let found = candidates.first else { return nil }
        noteCreated(found.id, runID: runID)
        let wanted = LabelValues(textValue: request.textValue, objectValue: request.objectValue, objectValueIsPartial: request.objectValueIsPartial)
        if LabelValues(found) != wanted {
            let update = UpdateGoldLabelRequest(textValue: request.textValue, objectValue: request.objectValue, objectValueIsPartial: request.objectValueIsPartial)
            do throws(APIError) {
                _ = try await executor.perform(.update) { [client] () async throws(APIError) -> String in
                    try await client.updateGoldLabelID(runID: runID, labelID: found.id, update)
                }
            } catch {
                throw WriteFailure(error, interrupted: interrupt.isSet, update: true)
            }
        }
        return found.id
    }

    private func noteCreated(_ id: String, runID: String) {
        knownIDs.withLock { $0[runID, default: KnownIDs(read: CompactRun([]))].addCreated(id) }
    }
}

/// The ids of one run's labels that this import knows of. Creates only append (the
/// common path); the set is built when an unanswered create needs it (the rare one).
struct KnownIDs {
    /// The run as read at the start (shared with the planner's snapshot, not copied).
    var read: CompactRun
    /// The ids of the labels this import created, as the server wrote them, one after
    /// another (UTF-8), and where each ends: a created id costs its bytes, not a string
    /// of its own (a copy into an empty run creates every label of a big run).
    private var createdBytes: [UInt8] = []
    private var createdEnds: [UInt32] = []

    init(read: CompactRun) {
        self.read = read
    }

    mutating func addCreated(_ id: String) {
        createdBytes.append(contentsOf: id.utf8)
        createdEnds.append(UInt32(createdBytes.count))
    }

    /// Lower-cased.
    var all: Set<String> {
        var ids = Set(read.indices.lazy.map { read.id($0).lowercased() })
        var start = 0
        for end in createdEnds.lazy.map(Int.init) {
            ids.insert(String(decoding: createdBytes[start..<end], as: UTF8.self).lowercased())
            start = end
        }
        return ids
    }
}
