import Synchronization

/// Runs an import: reads the runs in play once, plans every row in file order, and
/// applies the writes through the shared ``RequestExecutor`` with a fixed pool of
/// workers. Same-label rows run one after another; outcomes reach the sink in input order.
package final class ImportEngine: Sendable {
    package let configuration: ImportConfiguration
    let client: RefactorClient
    let executor: RequestExecutor
    let interrupt: InterruptFlag
    /// Label ids each run is known to hold (read at the start, or created by this import):
    /// a label with another id that appears after an unanswered create is that create's.
    private let knownIDs = Mutex<[String: KnownIDs]>([:])
    /// Ids of labels created by this import, by planner key, for later rows of the same label.
    private let createdIDs = Mutex<[ExactString: String]>([:])
    /// Keys whose create failed, with the line of the row that tried.
    private let failedCreates = Mutex<[ExactString: Int]>([:])
    /// Rows whose write failed or was not attempted, by planner key: later rows merged into
    /// that write end the same way.
    private let unfinishedWrites = Mutex<[ExactString: (line: Int, status: RowStatus, reason: String)]>([:])
    private let failures = Atomic<Int>(0)
    /// Why the import stopped taking rows (a rejected token, --max-errors), if it did.
    private let stopReason = Mutex<String?>(nil)
    /// Rows finished so far (for the progress line).
    package let finishedRows = Atomic<Int>(0)
    private let rereader: RunRereader

    /// Every write this engine sends, recorded before it is sent (nil: `--no-journal`).
    let journal: JournalWriter?

    package init(
        configuration: ImportConfiguration, client: RefactorClient, executor: RequestExecutor, interrupt: InterruptFlag = InterruptFlag(),
        journal: JournalWriter? = nil
    ) {
        self.journal = journal
        self.configuration = configuration
        self.client = client
        self.executor = executor
        self.interrupt = interrupt
        self.rereader = RunRereader { runID in
            do throws(APIError) {
                return .success(try await executor.perform(.read) { () async throws(APIError) -> [GoldLabel] in
                    try await client.listGoldLabels(runID: runID)
                })
            } catch {
                return .failure(error)
            }
        }
    }

    /// Reads every run's labels (concurrently, through the executor) into a planner.
    /// A 404 marks the run missing so its rows fail; a run that cannot be read (401, a
    /// dead server, an interrupt) has its rows reported, not attempted. Returns the
    /// planner and one message per run that could not be read.
    package func loadRuns(_ runIDs: [String]) async -> (Planner, [String]) {
        var problems: [String] = []
        var planner = Planner(mode: configuration.mode)
        for (runID, result) in await readRuns(runIDs) {
            switch result {
            case .success(let labels):
                planner.addRun(runID, labels: labels)
            case .failure(let error) where error.kind == .notFound:
                planner.addMissingRun(runID)
            case .failure(let error):
                let reason = error.kind == .cancelled && interrupt.isSet
                    ? "not attempted: the import was interrupted"
                    : "not attempted: cannot read the labels of run \(runID): \(error)"
                planner.addUnreadRun(runID, reason: reason)
                problems.append(reason)
            }
        }
        return (planner, problems)
    }

    /// Reads every run's labels (concurrently, through the executor) and notes the ids
    /// read, for reconciling creates of unknown outcome. A rejected token stops the engine.
    package func readRuns(_ runIDs: [String]) async -> [(String, Result<[GoldLabel], APIError>)] {
        let client = self.client
        let executor = self.executor
        let results = await withTaskGroup(of: (String, Result<[GoldLabel], APIError>).self) { group in
            for runID in runIDs {
                group.addTask {
                    do throws(APIError) {
                        let labels = try await executor.perform(.read) { () async throws(APIError) -> [GoldLabel] in
                            try await client.listGoldLabels(runID: runID)
                        }
                        return (runID, .success(labels))
                    } catch {
                        return (runID, .failure(error))
                    }
                }
            }
            var collected: [(String, Result<[GoldLabel], APIError>)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        for (runID, result) in results {
            switch result {
            case .success(let labels):
                knownIDs.withLock { $0[runID] = KnownIDs(read: Set(labels.map { $0.id.lowercased() })) }
            case .failure(let error):
                if error.kind == .unauthorized || error.kind == .forbidden { stop(error.description) }
            }
        }
        return results
    }

    /// Stops taking rows: what is not yet sent is reported skipped with `reason`.
    private func stop(_ reason: String) {
        stopReason.withLock { if $0 == nil { $0 = reason } }
    }

    private var currentStopReason: String? {
        if interrupt.isSet { return "not attempted: the import was interrupted" }
        return stopReason.withLock { $0 }
    }

    /// Plans every row of `source` and, unless this is a dry run or `writesAllowed` is
    /// false, applies them; every outcome goes to `sink` in input order.
    package func apply<Source: LabelItemSource>(
        _ source: inout Source, planner: inout Planner, sink: any ImportSink, writesAllowed: Bool, skipReason: String? = nil
    ) async -> OutcomeCounts {
        let configuration = configuration
        return await run(sink: sink, writesAllowed: writesAllowed, skipReason: skipReason) {
            guard let item = source.next() else { return nil }
            switch item {
            case .row(var row, let record):
                row.runID = configuration.runID(for: row)
                return (planner.plan(row), record)
            case .invalid(let line, let problems, let record):
                return (planner.planInvalid(line: line, message: problems.map(\.message).joined(separator: "; ")), record)
            }
        }
    }

    /// Carries out rows planned elsewhere (a saved plan, an undo) exactly as import carries
    /// out its own: same workers, journal, and reconciling of creates of unknown outcome.
    /// `rows` must be numbered 0, 1, 2… in order.
    package func applyPlanned(_ rows: [PlannedRow], sink: any ImportSink) async -> OutcomeCounts {
        var iterator = rows.makeIterator()
        return await run(sink: sink, writesAllowed: true, skipReason: nil) { iterator.next().map { ($0, nil) } }
    }

    private func run(
        sink: any ImportSink, writesAllowed: Bool, skipReason: String?, next: () -> (PlannedRow, InputRecord?)?
    ) async -> OutcomeCounts {
        let concurrency = max(1, executor.options.concurrency)
        let ordered = OrderedOutcomes(sink: sink, window: configuration.window + concurrency)
        let queue = WorkQueue<QueuedRow>(capacity: concurrency * 4)
        let execute = writesAllowed && !configuration.dryRun
        let invalidBudget = configuration.maxErrors

        await withTaskGroup(of: Void.self) { group in
            if execute {
                // Workers run where their requests' I/O runs (the client's event loop):
                // a response resumes its worker on the thread that read it.
                for worker in 0..<concurrency {
                    group.addTask(executorPreference: client.taskExecutor(worker)) {
                        var next = await queue.next()
                        while let (key, job) = next {
                            let outcome = await self.perform(job.planned, record: job.record)
                            self.finishedRows.add(1, ordering: .relaxed)
                            // The outcome goes out before this worker may wait for a job.
                            await ordered.finish(outcome)
                            next = await queue.finishedThenNext(key: key)
                        }
                    }
                }
            }
            while let item = next() {
                let (planned, record) = item
                await ordered.admit(planned.sequence)
                if let budget = invalidBudget, failures.load(ordering: .relaxed) > budget {
                    stop("not attempted: more than \(budget) rows failed or were invalid (--max-errors)")
                }
                var outcome = RowOutcome(planned: planned, status: .ok, labelID: planned.labelID, error: planned.problem, record: record)
                if let doomed = planned.plannedStatus {
                    outcome.status = configuration.dryRun ? .planned : doomed
                    if doomed == .failed || planned.action == .invalid {
                        failures.add(1, ordering: .relaxed)
                    }
                } else if configuration.dryRun {
                    outcome.status = .planned
                } else if planned.write == nil && planned.follows == nil {
                    outcome.status = .ok
                } else if planned.follows != nil && execute {
                    // After the write that carries its values (same key: in file order).
                    await queue.submit(QueuedRow(planned: planned, record: record), key: planned.key)
                    continue
                } else if let reason = currentStopReason ?? (execute ? nil : (skipReason ?? "not written")) {
                    outcome.status = .skipped
                    outcome.error = reason
                } else {
                    await queue.submit(QueuedRow(planned: planned, record: record), key: planned.key)
                    continue
                }
                finishedRows.add(1, ordering: .relaxed)
                await ordered.finish(outcome)
            }
            queue.close()
            await group.waitForAll()
        }
        return ordered.counts
    }

    // MARK: Applying one row

    private func perform(_ planned: PlannedRow, record: InputRecord?) async -> RowOutcome {
        var outcome = RowOutcome(planned: planned, status: .ok, labelID: planned.labelID, error: nil, record: record)
        if planned.write == nil, let first = planned.follows {
            if let unfinished = unfinishedWrites.withLock({ $0[ExactString(planned.key)] }) {
                outcome.status = unfinished.status
                outcome.error = "its values are in the change of line \(first), which \(unfinished.status == .failed ? "failed" : "was not sent"): \(unfinished.reason)"
                if unfinished.status == .failed { failures.add(1, ordering: .relaxed) }
            }
            return outcome
        }
        guard let runID = planned.runID, let write = planned.write else { return outcome }
        defer {
            if outcome.status != .ok {
                let unfinished = (planned.line, outcome.status, outcome.error ?? "")
                unfinishedWrites.withLock { $0[ExactString(planned.key)] = unfinished }
            }
        }
        if let reason = currentStopReason {
            if case .create = write { failedCreates.withLock { $0[ExactString(planned.key)] = planned.line } }
            outcome.status = .skipped
            outcome.error = reason
            return outcome
        }
        var seq: Int?
        do {
            switch write {
            case .create(let request):
                seq = try recordInJournal(planned, runID: runID, labelID: nil)
                outcome.labelID = try await create(request, runID: runID, key: planned.key, laterRowsNeedID: planned.laterRowsNeedID)
            case .update(let target, let request):
                let id = try resolve(target, key: planned.key)
                outcome.labelID = id
                seq = try recordInJournal(planned, runID: runID, labelID: id)
                _ = try await executor.perform(.update) { () async throws(APIError) -> String in
                    try await self.client.updateGoldLabelID(runID: runID, labelID: id, request)
                }
            }
            journalOutcome(seq, .ok, labelID: outcome.labelID, error: nil)
        } catch let error as APIError where error.kind == .cancelled && interrupt.isSet && error.detail?.hasPrefix("interrupted after sending") != true {
            journalOutcome(seq, .failed, labelID: nil, error: "not sent: interrupted")
            if case .create = write { failedCreates.withLock { $0[ExactString(planned.key)] = planned.line } }
            outcome.status = .skipped
            outcome.error = "not attempted: the import was interrupted"
        } catch let error as APIError {
            journalOutcome(seq, error.outcomeUnknown ? .unknown : .failed, labelID: nil, error: error.description)
            if case .create = write { failedCreates.withLock { $0[ExactString(planned.key)] = planned.line } }
            outcome.status = .failed
            outcome.error = error.description
            failures.add(1, ordering: .relaxed)
            // A rejected token fails every later row the same way: stop sending.
            if error.kind == .unauthorized || error.kind == .forbidden { stop("not attempted: \(error.description)") }
        } catch {
            journalOutcome(seq, .failed, labelID: nil, error: String(describing: error))
            if case .create = write { failedCreates.withLock { $0[ExactString(planned.key)] = planned.line } }
            outcome.status = .failed
            outcome.error = String(describing: error)
            failures.add(1, ordering: .relaxed)
        }
        return outcome
    }

    /// Records the write in the journal before it is sent. If the journal cannot be
    /// written, neither is the label: nothing would say what the write replaced.
    private func recordInJournal(_ planned: PlannedRow, runID: String, labelID: String?) throws(ImportAbort) -> Int? {
        guard let journal else { return nil }
        let after = planned.after ?? LabelValues()
        do {
            return try journal.recordWrite(JournalWrite(
                runID: runID, labelID: labelID, outputResourceName: planned.outputResourceName, before: planned.before, after: after, line: planned.line))
        } catch {
            let reason = "not sent: cannot write the journal: \(error)"
            stop("not attempted: cannot write the journal: \(error)")
            throw ImportAbort(reason)
        }
    }

    private func journalOutcome(_ seq: Int?, _ status: JournalStatus, labelID: String?, error: String?) {
        guard let seq, let journal else { return }
        journal.recordOutcome(JournalOutcome(seq: seq, status: status, labelID: labelID, error: error))
    }

    private func resolve(_ target: LabelTarget, key: String) throws -> String {
        switch target {
        case .existing(let id):
            return id
        case .pending:
            if let id = createdIDs.withLock({ $0[ExactString(key)] }) { return id }
            let line = failedCreates.withLock { $0[ExactString(key)] }
            throw ImportAbort("the label was to be created by the row on line \(line.map(String.init) ?? "?"), which failed")
        }
    }

    /// Creates a label. A create whose outcome is unknown (no answer, 5xx, timeout) is
    /// never resent blindly: the run's labels are read again, and a label with this name
    /// that the run did not hold before is taken as this create's (updated if its values
    /// differ); only if there is none is the create sent again.
    private func create(_ request: CreateGoldLabelRequest, runID: String, key: String, laterRowsNeedID: Bool) async throws(APIError) -> String {
        var unknownOutcomes = 0
        while true {
            do throws(APIError) {
                let id = try await executor.perform(.create) { () async throws(APIError) -> String in
                    try await self.client.createGoldLabelID(runID: runID, request)
                }
                record(created: id, runID: runID, key: key, laterRowsNeedID: laterRowsNeedID)
                return id
            } catch where error.outcomeUnknown && error.kind != .cancelled {
                unknownOutcomes += 1
                // A timeout or a 5xx (perhaps from a proxy) may still be applied after the
                // client gave up: wait a backoff before looking, as for any retry of a 5xx.
                if error.kind == .timeout || error.kind == .serverError {
                    let ceiling = executor.options.retryPolicy.backoffCeiling(retry: unknownOutcomes - 1)
                    try? await Task.sleep(for: max(ceiling, .milliseconds(250)))
                }
                let failedAt = ContinuousClock.now
                let labels: [GoldLabel]
                do throws(APIError) {
                    labels = try await rereader.labels(of: runID, after: failedAt)
                } catch let reread where reread.kind == .cancelled {
                    throw APIError(
                        kind: .cancelled, operation: error.operation,
                        detail: "interrupted after sending: the label may exist; run the import again (upsert finds it)")
                }
                let known = knownIDs.withLock { $0[runID]?.all ?? [] }
                let candidates = labels.filter {
                    $0.outputResourceName.utf8.elementsEqual(request.outputResourceName.utf8) && !known.contains($0.id.lowercased())
                }
                if let found = candidates.first, candidates.count == 1 {
                    record(created: found.id, runID: runID, key: key, laterRowsNeedID: laterRowsNeedID)
                    let wanted = LabelValues(textValue: request.textValue, objectValue: request.objectValue, objectValueIsPartial: request.objectValueIsPartial)
                    if LabelValues(found) != wanted {
                        _ = try await executor.perform(.update) { () async throws(APIError) -> String in
                            try await self.client.updateGoldLabelID(
                                runID: runID, labelID: found.id,
                                UpdateGoldLabelRequest(textValue: request.textValue, objectValue: request.objectValue, objectValueIsPartial: request.objectValueIsPartial))
                        }
                    }
                    return found.id
                }
                if candidates.count > 1 {
                    throw APIError(
                        kind: .invalidResponse, operation: error.operation,
                        detail: "after an unanswered create, \(candidates.count) new labels named \"\(request.outputResourceName)\" appeared in the run (\(candidates.map(\.id).joined(separator: ", "))); not creating another")
                }
                if unknownOutcomes > executor.options.retries {
                    throw error
                }
                // Absent: the create was not applied; send it again.
            }
        }
    }

    /// Notes a label this import created; its id is kept by key only when a later row
    /// names the same label (the planner says so), as the planner keeps pending values.
    private func record(created id: String, runID: String, key: String, laterRowsNeedID: Bool) {
        knownIDs.withLock { $0[runID, default: KnownIDs(read: [])].created.append(id) }
        if laterRowsNeedID { createdIDs.withLock { $0[ExactString(key)] = id } }
    }
}

/// A row waiting for a worker: boxed, so the queue moves one reference, not the row's fields.
final class QueuedRow: Sendable {
    let planned: PlannedRow
    let record: InputRecord?

    init(planned: PlannedRow, record: InputRecord?) {
        self.planned = planned
        self.record = record
    }
}

/// The ids of one run's labels that this import knows of. Creates only append (the
/// common path); the set is built when an unanswered create needs it (the rare one).
struct KnownIDs {
    /// Lower-cased, as read at the start.
    var read: Set<String>
    /// As the server wrote them.
    var created: [String] = []

    var all: Set<String> { read.union(created.lazy.map { $0.lowercased() }) }
}

/// Set from a signal handler (Ctrl-C): the import takes no new rows; requests in flight finish.
package final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    package init() {}
    package func set() { flag.store(true, ordering: .relaxed) }
    package var isSet: Bool { flag.load(ordering: .relaxed) }
}
