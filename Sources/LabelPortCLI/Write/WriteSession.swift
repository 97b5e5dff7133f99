import ArgumentParser
import LabelPortCore

/// What `apply` and `undo` share with import: the connection, one request executor,
/// Ctrl-C handling and the progress line, an ``ImportEngine`` (with its journal) and the summary.
struct WriteSession {
    let executor: RequestExecutor
    let interrupts = WriteInterrupts()
    var interrupt: InterruptFlag { interrupts.flag }
    let startedAt = ContinuousClock.now

    init(execution: ExecutionOptions) {
        executor = RequestExecutor(options: execution, announce: Console.current.message)
    }

    /// The client's settings and the request options, the profile's `concurrency` and
    /// `rate` applying where the flags do not say (a usage error, exit 64, when the
    /// connection is missing or refused). `verbose`: each request is logged on stderr
    /// (method, path, status, time).
    static func connect(
        _ connection: ConnectionOptions, execution: ExecutionOptionGroup, verbose: Bool
    ) throws -> (client: RefactorClient.Configuration, execution: ExecutionOptions) {
        do {
            let environment = ProcessEnvironment.current
            let resolved = try connection.resolve(environment: environment)
            let options = try execution.options(for: resolved)
            var configuration = try resolved.clientConfiguration(concurrency: options.concurrency, environment: environment)
            if verbose {
                let console = Console.current
                configuration.requestLog = { console.message($0) }
            }
            return (configuration, options)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// A plan or journal made for another server is a usage error naming both URLs.
    static func requireSameServer(_ recorded: String, _ server: ServerAddress, what: String) throws {
        let normalized = (try? ServerAddress(recorded, allowInsecureHTTP: true).baseURL) ?? recorded
        guard normalized == server.baseURL else {
            throw ValidationError("\(what) was made for \(recorded), not for \(server.baseURL): pass --base-url \(recorded) to use it there")
        }
    }

    /// Runs `body` with a client and an engine whose writes go to `journal`; Ctrl-C stops
    /// taking new writes while this runs, as for import (``WriteInterrupts``).
    func withEngine<Result: Sendable>(
        client configuration: RefactorClient.Configuration, mode: ImportMode, journal: JournalWriter?, console: Console,
        _ body: (ImportEngine) async throws -> Result
    ) async throws -> Result {
        let interrupt = interrupts.flag
        let executor = executor
        let signals = interrupts.watch([executor], console: console)
        defer { signals.cancel() }
        var configuration = configuration
        configuration.rateLimitObserver = { executor.observe($0) }
        return try await RefactorClient.withClient(configuration) { client in
            let engine = ImportEngine(
                configuration: ImportConfiguration(mode: mode), client: client, executor: executor, interrupt: interrupt, journal: journal)
            return try await body(engine)
        }
    }

    /// Carries out `rows` with `engine`, their outcomes going to `outputs` (through
    /// `sink` when given, which must pass them on to `outputs`), with import's progress
    /// line on a terminal; a Ctrl-C flushes `outputs`.
    func applyPlanned(
        _ rows: [PlannedRow], with engine: ImportEngine, outputs: ImportOutputs, sink: (any ImportSink)? = nil, console: Console
    ) async -> OutcomeCounts {
        interrupts.outputs.set(outputs)
        let tally = RowTally(passingTo: sink ?? outputs, expecting: rows.count)
        let executor = executor
        let progress = ProgressLine.startOnTerminal(rows: tally, statistics: { executor.statistics }, console: console)
        let counts = await engine.applyPlanned(rows, sink: tally)
        await progress?.stop()
        return counts
    }

    /// Each run's labels; the runs that could not be read are in the second list as messages
    /// (a run the server does not have, 404, reads as empty when `missingIsEmpty`).
    static func read(_ runIDs: [String], with engine: ImportEngine, missingIsEmpty: Bool) async -> ([String: [GoldLabel]], [String]) {
        var labels: [String: [GoldLabel]] = [:]
        var problems: [String] = []
        for (runID, result) in await engine.readRuns(runIDs) {
            switch result {
            case .success(let list): labels[runID] = list.run.labels
            case .failure(let error) where error.kind == .notFound && missingIsEmpty: labels[runID] = []
            case .failure(let error): problems.append("cannot read the labels of run \(runID): \(error)")
            }
        }
        return (labels, problems.sorted())
    }

    func summary(_ counts: OutcomeCounts, runs: Int, dryRun: Bool = false) -> ImportSummary {
        let statistics = executor.statistics
        var summary = ImportSummary(
            counts: counts, runs: runs, requests: statistics.requestsSent, retries: statistics.retries,
            elapsedSeconds: (ContinuousClock.now - startedAt).inSeconds, dryRun: dryRun, interrupted: interrupt.isSet, invalidInput: false)
        summary.noteExecution(statistics)
        return summary
    }

    /// The summary's line naming the journal, when the run wrote one.
    static func journalLine(_ journal: JournalWriter?) -> String? {
        guard let journal, journal.wasWritten else { return nil }
        return "journal: \(journal.path) (take it back with labelport undo \(journal.path))"
    }
}
