
/// Runs an import: reads the runs in play once, plans every row in file order, and
/// applies the writes through the shared ``RequestExecutor`` with a fixed pool of
/// workers. Same-label rows run one after another; outcomes reach the sink in input order.
///
/// The parts: ``Planner`` decides each row's change; ``RowDecision`` whether it needs a
/// worker; a worker sends it (creates through ``CreateReconciler``, which never resends a
/// create blindly), recording it in the journal first; ``WriteLedger`` carries what one
/// row's write means for later rows of the same label; ``StopState`` says when to stop
/// sending; ``OrderedOutcomes`` hands outcomes to the sink in input order.
package final class ImportEngine: Sendable {
    package let configuration: ImportConfiguration
    let client: RefactorClient
    let executor: RequestExecutor
    private let stop: StopState
    private let ledger = WriteLedger()
    private let reconciler: CreateReconciler
    /// Every write this engine sends, recorded before it is sent (nil: `--no-journal`).
    let journal: JournalWriter?

    /// Rows the reader may queue per worker: enough that a worker never waits for the
    /// reader, few enough that memory stays flat.
    static let queuedRowsPerWorker = 4

    package init(
        configuration: ImportConfiguration, client: RefactorClient, executor: RequestExecutor, interrupt: InterruptFlag = InterruptFlag(),
        journal: JournalWriter? = nil
    ) {
        self.journal = journal
        self.configuration = configuration
        self.client = client
        self.executor = executor
        stop = StopState(interrupt: interrupt, failureBudget: configuration.maxErrors)
        reconciler = CreateReconciler(client: client, executor: executor, interrupt: interrupt, rerun: configuration.rerunAdvice)
    }

    /// Reads every run's labels (concurrently, through the executor) into a planner.
    /// A 404 marks the run missing so its rows fail; a run that cannot be read (401, a
    /// dead server, an interrupt) has its rows reported, not attempted. Returns the
    /// planner and one message per run that could not be read.
    /// With `filters` (by run, see ``LabelKeyFilter``), only the labels the rows name are kept.
    package func loadRuns(_ runIDs: [String], keeping filters: [String: LabelKeyFilter] = [:]) async -> (Planner, [String]) {
        planner(for: await readRuns(runIDs, keeping: filters))
    }

    /// A planner of runs read (``readRuns(_:)``, or by the caller and passed to
    /// ``noteRead(_:)``), with one message per run that could not be read.
    package func planner(for results: [(String, Result<CompactRunIndex, APIError>)]) -> (Planner, [String]) {
        var problems: [String] = []
        var planner = Planner(mode: configuration.mode)
        planner.conflictAdvice = configuration.conflictAdvice
        for (runID, result) in results {
            switch result {
            case .success(let labels):
                planner.addRun(runID, index: labels)
            case .failure(let error) where error.kind == .notFound:
                planner.addMissingRun(runID, advice: error.notFoundPage ? APIError.baseURLAdvice : configuration.missingRunAdvice)
            case .failure(let error):
                let reason = error.kind == .cancelled && stop.interrupt.isSet
                    ? SkipReason.interrupted.description
                    : SkipReason.cannotContinue("cannot read the labels of run \(runID): \(error)").description
                planner.addUnreadRun(runID, reason: reason)
                problems.append(reason)
            }
        }
        return (planner, problems)
    }

    /// Reads every run's labels (concurrently, through the executor), indexed as they
    /// arrive, and notes the ids read, for reconciling creates of unknown outcome. A
    /// rejected token stops the engine.
    package func readRuns(_ runIDs: [String], keeping filters: [String: LabelKeyFilter] = [:]) async -> [(String, Result<CompactRunIndex, APIError>)] {
        let client = self.client
        let executor = self.executor
        let results = await withTaskGroup(of: (String, Result<CompactRunIndex, APIError>).self) { group in
            for runID in runIDs {
                let filter = filters[runID]
                group.addTask {
                    do throws(APIError) {
                        let labels = try await executor.perform(.read) { () async throws(APIError) -> CompactRunIndex in
                            try await client.readGoldLabels(runID: runID, into: CompactRunIndex.Builder(keeping: filter)).finish()
                        }
                        return (runID, .success(labels))
                    } catch {
                        return (runID, .failure(error))
                    }
                }
            }
            var collected: [(String, Result<CompactRunIndex, APIError>)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        noteRead(results)
        return results
    }

    /// Notes runs read (by ``readRuns(_:)``, or by a caller that reads them its own way:
    /// a copy keeps of its destination only what its source does not hold): the ids read,
    /// for reconciling creates of unknown outcome. A rejected token stops the engine.
    package func noteRead(_ results: [(String, Result<CompactRunIndex, APIError>)]) {
        for (runID, result) in results {
            switch result {
            case .success(let labels):
                reconciler.noteRead(runID: runID, labels: labels.run)
            case .failure(let error):
                if error.kind == .unauthorized || error.kind == .forbidden { stop.stop(.cannotContinue(error.description)) }
            }
        }
    }

    /// Plans every row of `source` and, unless this is a dry run or `writesAllowed` is
    /// false, applies them; every outcome goes to `sink` in input order.
    package func apply<Source: LabelItemSource>(
        _ source: inout Source, planner: inout Planner, sink: any ImportSink, writesAllowed: Bool, skipReason: String? = nil
    ) async -> OutcomeCounts {
        let configuration = configuration
        return await run(sink: sink, writesAllowed: writesAllowed, skipReason: skipReason) {
            guard let item = source.next() else { return nil }
            if case .invalid = item, source.failedAsAWhole { return nil }
            switch item {
            case .row(var row, let record):
                row.runID = configuration.runID(for: row)
                return (planner.plan(row), record)
            case .unchanged(var row, let labelID, let record):
                row.runID = configuration.runID(for: row)
                return (planner.planUnchanged(row, labelID: labelID), record)
            case .invalid(let line, let problems, let record):
                let message = problems.map(\.message).joined(separator: "; ")
                return (planner.planInvalid(line: line, message: message, runID: record?.runID, outputResourceName: record?.outputResourceName), record)
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
        let queue = WorkQueue<QueuedRow, PlanKey>(capacity: concurrency * Self.queuedRowsPerWorker)
        let sending = writesAllowed && !configuration.dryRun

        await withTaskGroup(of: Void.self) { group in
            if sending {
                // Workers run where their requests' I/O runs (the client's event loop):
                // a response resumes its worker on the thread that read it.
                for worker in 0..<concurrency {
                    group.addTask(executorPreference: client.taskExecutor(worker)) {
                        var next = await queue.next()
                        while let (key, job) = next {
                            let outcome = await self.perform(job.planned, record: job.record)
                            // The outcome goes out before this worker may wait for a job.
                            await ordered.finish(outcome)
                            next = await queue.finishedThenNext(key: key)
                        }
                    }
                }
            }
            while let (planned, record) = next() {
                await ordered.admit(planned.sequence)
                let decision = RowDecision.decide(
                    planned, dryRun: configuration.dryRun, sending: sending, stopped: stop.current, notSending: skipReason)
                switch decision {
                case .queue:
                    await queue.submit(QueuedRow(planned: planned, record: record), key: planned.key)
                case .finish(let status, let reason):
                    if RowDecision.countsAsFailure(planned) { stop.countFailure() }
                    let error = reason?.description ?? planned.problem
                    await ordered.finish(RowOutcome(planned: planned, status: status, labelID: planned.labelID, error: error, record: record))
                }
            }
            queue.close()
            await group.waitForAll()
        }
        return ordered.counts
    }

    /// Why the import stopped sending before its last row, when it was not Ctrl-C (which
    /// says so itself): more failed rows than `--max-errors`, or a failure every later write
    /// would meet.
    package var stoppedBy: String? {
        switch stop.current {
        case .tooManyErrors(let budget): "more than \(CountText.count(budget, "row")) failed or were invalid (--max-errors \(budget))"
        case .cannotContinue(let why): why
        case .interrupted, .notWritten, nil: nil
        }
    }

    // MARK: Applying one row

    private func perform(_ planned: PlannedRow, record: InputRecord?) async -> RowOutcome {
        var outcome = RowOutcome(planned: planned, status: .ok, labelID: planned.labelID, error: nil, record: record)
        if planned.write == nil, let first = planned.follows {
            // Merged into the write of line `first`: ends as it did, naming the label it made.
            if let unfinished = ledger.unfinishedWrite(before: planned) {
                outcome.status = unfinished.status
                outcome.error = "its values are in the change of line \(first), which \(unfinished.status == .failed ? "failed" : "was not sent"): \(unfinished.reason)"
                if unfinished.status == .failed { stop.countFailure() }
            } else if outcome.labelID == nil {
                outcome.labelID = ledger.createdID(for: planned)
            }
            return outcome
        }
        guard let runID = planned.runID, let write = planned.write else { return outcome }
        do throws(WriteFailure) {
            try await send(write, of: planned, runID: runID, outcome: &outcome)
        } catch {
            switch error {
            case .notSent(let reason):
                outcome.status = .skipped
                outcome.error = reason.description
            case .failed(let message, _, let stopsImport):
                outcome.status = .failed
                outcome.error = message
                stop.countFailure()
                if stopsImport { stop.stop(.cannotContinue(message)) }
            }
            ledger.unfinished(planned, status: outcome.status, reason: outcome.error ?? "")
        }
        return outcome
    }

    /// Sends a row's write, recorded in the journal before it leaves and its outcome after.
    private func send(_ write: PlannedWrite, of planned: PlannedRow, runID: String, outcome: inout RowOutcome) async throws(WriteFailure) {
        if let stopped = stop.current { throw .notSent(stopped) }
        var seq: Int?
        do throws(WriteFailure) {
            switch write {
            case .create(let request):
                seq = try recordInJournal(planned, runID: runID, labelID: nil)
                let id = try await reconciler.create(request, runID: runID)
                ledger.created(id, for: planned)
                outcome.labelID = id
            case .update(let target, let request):
                let id: String
                do throws(ImportAbort) { id = try ledger.resolve(target, for: planned) } catch { throw .failed(error.message) }
                outcome.labelID = id
                seq = try recordInJournal(planned, runID: runID, labelID: id)
                do throws(APIError) {
                    _ = try await executor.perform(.update) { [client] () async throws(APIError) -> String in
                        try await client.updateGoldLabelID(runID: runID, labelID: id, request)
                    }
                } catch {
                    throw WriteFailure(error, interrupted: stop.interrupt.isSet, update: true)
                }
            }
            journalOutcome(seq, .ok, labelID: outcome.labelID, error: nil)
        } catch {
            switch error {
            case .notSent: journalOutcome(seq, .failed, labelID: nil, error: "not sent: interrupted")
            case .failed(let message, let unknown, _): journalOutcome(seq, unknown ? .unknown : .failed, labelID: nil, error: message)
            }
            throw error
        }
    }

    /// Records the write in the journal before it is sent. If the journal cannot be
    /// written, neither is the label: nothing would say what the write replaced.
    private func recordInJournal(_ planned: PlannedRow, runID: String, labelID: String?) throws(WriteFailure) -> Int? {
        guard let journal else { return nil }
        let after = planned.after ?? LabelValues()
        do {
            return try journal.recordWrite(JournalWrite(
                runID: runID, labelID: labelID, outputResourceName: planned.outputResourceName, before: planned.before, after: after, line: planned.line))
        } catch {
            stop.stop(.cannotContinue("cannot write the journal: \(error)"))
            throw .failed("not sent: cannot write the journal: \(error)")
        }
    }

    private func journalOutcome(_ seq: Int?, _ status: JournalStatus, labelID: String?, error: String?) {
        guard let seq, let journal else { return }
        journal.recordOutcome(JournalOutcome(seq: seq, status: status, labelID: labelID, error: error))
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
