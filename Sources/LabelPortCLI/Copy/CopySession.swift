import LabelPortCore

/// Carries out `labelport copy`: for each run pair, read the source run once, plan its
/// labels against the destination run with import's planner, apply them with import's
/// engine, then read the destination back and compare. One report, plan and summary for
/// the whole copy, as import writes them.
struct CopySession {
    var pairs: [CopyRunPair]
    var source: ResolvedConnection
    var destination: ResolvedConnection
    /// Where each write to the destination is recorded before it is sent (`undo` reads it).
    var journal: JournalWriter?
    var sourceOptions: ExecutionOptions
    var destinationOptions: ExecutionOptions
    var configuration: ImportConfiguration
    var json: Bool
    var report: String?
    /// `--verbose`: every plan entry, failed row and difference listed, each request logged.
    var verbose = false
    var beforeVerify: (@Sendable (String) async -> Void)?

    /// Differences listed on the terminal before `… and N more`.
    static let listed = 20

    /// Runs the copy and returns the exit status.
    func run() async throws -> Int32 {
        let startedAt = ContinuousClock.now
        let console = Console.current
        let reads = RequestExecutor(options: sourceOptions, announce: { console.message("source: \($0)") })
        let writes = RequestExecutor(options: destinationOptions, announce: { console.message("destination: \($0)") })
        let environment = ProcessEnvironment.current
        // Read before the signals are watched: a CA file that is a FIFO without a writer
        // blocks, and Ctrl-C or SIGTERM must still end the process then.
        var sourceConfiguration = try source.clientConfiguration(concurrency: sourceOptions.concurrency, environment: environment)
        sourceConfiguration.rateLimitObserver = { reads.observe($0) }
        var destinationConfiguration = try destination.clientConfiguration(concurrency: destinationOptions.concurrency, environment: environment)
        destinationConfiguration.rateLimitObserver = { writes.observe($0) }
        // Ctrl-C: send nothing new; requests in flight finish (as for import).
        let interrupts = WriteInterrupts()
        let signals = interrupts.watch([reads, writes], console: console)
        defer { signals.cancel() }
        if verbose {
            sourceConfiguration.requestLog = { console.message("source " + $0) }
            destinationConfiguration.requestLog = { console.message("destination " + $0) }
        }
        return try await RefactorClient.withClient(sourceConfiguration) { sourceClient in
            try await RefactorClient.withClient(destinationConfiguration) { destinationClient in
                try await copy(from: sourceClient, to: destinationClient, reads: reads, writes: writes, interrupts: interrupts, startedAt: startedAt)
            }
        }
    }

    private func copy(
        from sourceClient: RefactorClient, to destinationClient: RefactorClient,
        reads: RequestExecutor, writes: RequestExecutor, interrupts: WriteInterrupts, startedAt: ContinuousClock.Instant
    ) async throws -> Int32 {
        let console = Console.current
        let interrupt = interrupts.flag
        let renderer = PlanRenderer(color: !json && console.outputIsTerminal, rowName: "source label")
        let outputs = try ImportOutputs(
            reportPath: report, rejectsPath: nil, recordWriter: RecordWriter(format: .jsonl, header: nil),
            spoolPlan: configuration.dryRun, planAsJSON: json, renderer: renderer, rowLocation: .label, verbose: verbose)
        interrupts.outputs.set(outputs)
        // The progress line's total grows as each source run is read (a label, a row).
        let tally = RowTally(passingTo: outputs, expecting: 0)
        let progress = configuration.dryRun ? nil : ProgressLine.startOnTerminal(
            rows: tally, statistics: { writes.statistics }, console: console)
        var counts = OutcomeCounts()
        var differences: [CopyDifference] = []
        var problems: [String] = []
        var checked = 0
        // A destination run that several source runs are copied into is verified once all
        // of them are written: a name two of them hold is written by each, the last stays.
        let shared = Dictionary(grouping: pairs, by: \.destination).filter { $0.value.count > 1 }
        for (destinationRun, into) in shared.sorted(by: { $0.key < $1.key }) {
            console.message(
                "labelport copy: warning: runs \(into.map(\.source).joined(separator: ", ")) are all copied into run \(destinationRun): "
                    + "a name several of them hold is written by each in turn, the last one's values stay, and the verification lists the others"
                    + (configuration.dryRun ? " (this plan takes each against the run as the copy of those before it leaves it)" : ""))
        }
        // The dry run plans each source run against the destination as the copy of the
        // ones before it would leave it.
        let overlays = configuration.dryRun ? shared.mapValues { _ in CopyOverlay() } : [:]
        var deferred: [(CopyRunPair, CompactRunIndex)] = []
        for pair in pairs {
            if interrupt.isSet {
                problems.append("not attempted: run \(pair.source) → \(pair.destination): the copy was interrupted")
                continue
            }
            // The source run, compact (its labels' values, names and ids), read once.
            let sourceLabels: CompactRun
            do throws(APIError) {
                sourceLabels = try await reads.perform(.read) { () async throws(APIError) -> CompactRun in
                    try await sourceClient.readGoldLabels(runID: pair.source, into: StoredLabels.Collector()).finish()
                }
            } catch {
                problems.append("cannot read source run \(pair.source) at \(source.server): \(error)")
                continue
            }
            // Indexed by name once: the plan and the verification match destination labels with it.
            let sourceIndex = CompactRunIndex(sourceLabels, byID: false)
            tally.expect(more: sourceLabels.count)
            let overlay = overlays[pair.destination]
            let (runCounts, unreadable) = await plan(
                sourceIndex, into: pair.destination, overlay: overlay, client: destinationClient, writes: writes, interrupt: interrupt,
                outputs: overlay.map { CopyOverlay.Recorder($0, passingTo: tally, sourceRun: pair.source, destinationRun: pair.destination) } ?? tally)
            problems += unreadable
            counts.merge(runCounts)
            if configuration.dryRun {
                // What the verification would list whatever the copy writes: source labels
                // sharing a name, and partial flags the API cannot set back to null (the
                // destination read once more, as the verification reads it).
                problems += CopyVerifier.ambiguousSources(sourceIndex, sourceRun: pair.source, destinationRun: pair.destination)
                    .flatMap { $0.lines(DiffRenderer(color: false)) }
                if unreadable.isEmpty {
                    var now: [CopyDifference] = []
                    var read = 0
                    var failures: [String] = []
                    await verify(pair, sourceIndex, with: destinationClient, writes: writes, into: &now, checked: &read, problems: &failures)
                    problems += now.filter(\.partialFlagCannotBeCleared).map(\.partialFlagLine) + failures
                }
            }
            guard !configuration.dryRun, !interrupt.isSet, unreadable.isEmpty else { continue }
            if shared[pair.destination] != nil {
                deferred.append((pair, sourceIndex))
                continue
            }
            await verify(pair, sourceIndex, with: destinationClient, writes: writes, into: &differences, checked: &checked, problems: &problems)
        }
        for (pair, sourceIndex) in deferred where !interrupt.isSet {
            await verify(pair, sourceIndex, with: destinationClient, writes: writes, into: &differences, checked: &checked, problems: &problems)
        }

        await progress?.stop()
        let read = reads.statistics
        let written = writes.statistics
        var summary = ImportSummary(
            counts: counts, runs: pairs.count, requests: read.requestsSent + written.requestsSent, retries: read.retries + written.retries,
            elapsedSeconds: (ContinuousClock.now - startedAt).inSeconds, dryRun: configuration.dryRun,
            interrupted: interrupt.isSet, invalidInput: false)
        summary.noteExecution(read, written)
        let verification = verificationJSON(checked: checked, differences: differences)
        var summaryJSON = summary.json
        if case .object(var object) = summaryJSON, !configuration.dryRun {
            object["verify"] = verification
            object["problems"] = .array(problems.map(JSONValue.string))
            summaryJSON = .object(object)
        }
        try await outputs.finish(
            planHeader: configuration.dryRun ? renderer.header(counts, runs: pairs.count, dryRun: true) : nil,
            summaryJSON: summaryJSON, unchanged: counts.count(.unchanged), to: console)
        for line in await outputs.failedRowLines(hint: "--report FILE or --verbose lists them all") { console.message(line) }
        for problem in problems { console.message("labelport copy: \(problem)") }
        if json && !configuration.dryRun {
            console.output(JSONWriter().string(summaryJSON) + "\n")
        }
        for line in summary.humanLines { console.message(line) }
        try journal?.close()
        if let journal, journal.wasWritten { console.message("journal: \(journal.path) (take it back with labelport undo \(journal.path))") }
        // Nothing checked because no destination could be read: the problems above say so.
        if !configuration.dryRun && !interrupt.isSet && (checked > 0 || problems.isEmpty) {
            for line in verificationLines(checked: checked, differences: differences) { console.message(line) }
        }
        var status = summary.exitStatus
        if status == 0 && (!differences.isEmpty || !problems.isEmpty) { status = 1 }
        return status
    }

    /// Verifies a pair: the destination as it is now, against the source as it was read,
    /// label by label as its answer arrives (the destination run is not kept).
    private func verify(
        _ pair: CopyRunPair, _ sourceIndex: CompactRunIndex, with client: RefactorClient, writes: RequestExecutor,
        into differences: inout [CopyDifference], checked: inout Int, problems: inout [String]
    ) async {
        await beforeVerify?(pair.destination)
        let verifier = CopyVerifier(source: sourceIndex, sourceRun: pair.source, destinationRun: pair.destination)
        do throws(APIError) {
            let verified = try await writes.perform(.read) { () async throws(APIError) -> CopyVerifier in
                try await client.readGoldLabels(runID: pair.destination, into: verifier)
            }
            differences += verified.finish()
            checked += sourceIndex.run.count
        } catch {
            problems.append("cannot verify run \(pair.destination) at \(destination.server): \(error)")
        }
    }

    /// Plans `source` into `destinationRun` with import's planner and applies it with
    /// import's engine. The destination run is read against the source: of the labels
    /// it already holds as they are copied only the ids are kept (``CopyDestination``),
    /// and all of it is released when this returns.
    private func plan(
        _ source: CompactRunIndex, into destinationRun: String, overlay: CopyOverlay?, client: RefactorClient, writes: RequestExecutor,
        interrupt: InterruptFlag, outputs: any ImportSink
    ) async -> (OutcomeCounts, [String]) {
        let engine = ImportEngine(configuration: configuration, client: client, executor: writes, interrupt: interrupt, journal: journal)
        let empty = CopyDestination(source: source, mode: configuration.mode)
        var destination: CopyDestination?
        let read: Result<CompactRunIndex, APIError>
        do throws(APIError) {
            let collected = try await writes.perform(.read) { () async throws(APIError) -> CopyDestination in
                guard let overlay, !overlay.isEmpty else { return try await client.readGoldLabels(runID: destinationRun, into: empty) }
                return try await client.readGoldLabels(runID: destinationRun, into: overlay.reading(into: empty)).finish()
            }
            destination = collected
            read = .success(CompactRunIndex(collected.finish()))
        } catch {
            read = .failure(error)
        }
        engine.noteRead([(destinationRun, read)])
        var (planner, unreadable) = engine.planner(for: [(destinationRun, read)])
        var rows = CopyRows(source: source.run, destinationRun: destinationRun, destination: destination)
        planner.repeatedLabels = rows.repeatedLabels
        // Source labels sharing a name are one label by name in the destination: their rows
        // are merged into one write, as an import merges a file's rows (a re-run writes nothing).
        planner.repeatedRows = RepeatedRows(
            open: { [rows] in rows },  // a fresh pass: the rows not yet read
            labels: planner.repeatedLabels ?? [], rowsWithIDs: false, configuration: configuration, planner: planner)
        let counts = await engine.apply(&rows, planner: &planner, sink: outputs, writesAllowed: true)
        return (counts, unreadable)
    }

    private func verificationLines(checked: Int, differences: [CopyDifference]) -> [String] {
        if differences.isEmpty {
            return ["verified: \(Formatting.count(checked, "label")) in the destination \(checked == 1 ? "matches" : "match") the source"]
        }
        let renderer = DiffRenderer(color: false)
        var lines = ["verify: \(Formatting.count(differences.count, "difference")) between the source and the destination (of \(Formatting.count(checked, "label")) checked):"]
        let shown = verbose ? differences.count : Self.listed
        for difference in differences.prefix(shown) { lines += CappedList.entry(difference.lines(renderer), verbose: verbose).map { "  " + $0 } }
        if differences.count > shown {
            lines.append("  … and \(CountText.grouped(differences.count - shown)) more (--verbose or --json lists them all)")
        }
        return lines
    }

    private func verificationJSON(checked: Int, differences: [CopyDifference]) -> JSONValue {
        var object = JSONObject()
        object["checked"] = .number(JSONNumber(checked))
        object["identical"] = .bool(differences.isEmpty)
        object["differences"] = .array(differences.map(\.json))
        return .object(object)
    }
}
