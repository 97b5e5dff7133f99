import ArgumentParser
import LabelPortCore

/// The plumbing both export commands share: resolve the connection before any network
/// use, open the output before the first request, run the fetches through one client
/// and one executor, commit the file only when everything went well enough, and turn
/// the outcome into messages and an exit status.
struct ExportSession {
    var connection: ConnectionOptions
    var execution: ExecutionOptionGroup
    var output: ExportOutputOptions
    var environment: [String: String] = ProcessEnvironment.current

    /// The server, token and connection settings, or a usage error (exit 64) when they are missing or refused.
    func resolveConnection() throws -> ResolvedConnection {
        do {
            return try connection.resolve(environment: environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// Runs `body` with an API call wrapper (client + shared executor) for `resolved`
    /// (from ``resolveConnection()``, once: a profile's token_command runs once).
    func withAPI<Result: Sendable>(
        _ resolved: ResolvedConnection, _ body: (API) async throws -> Result
    ) async throws -> Result {
        let options: ExecutionOptions
        var configuration: RefactorClient.Configuration
        do {
            options = try execution.options(for: resolved)
            configuration = try resolved.clientConfiguration(concurrency: options.concurrency, environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
        let executor = RequestExecutor(options: options, announce: Console.current.message)
        configuration.rateLimitObserver = { executor.observe($0) }
        if output.verbose {
            let console = Console.current
            configuration.requestLog = { console.message($0) }
        }
        return try await RefactorClient.withClient(configuration) { client in
            try await body(API(client: client, executor: executor))
        }
    }

    /// Writes through `body` to the output (an atomic file, or stdout), and commits the
    /// file when `body` returns. If `body` throws, no file is written; nor when every
    /// item was missing (a mistyped run must not replace a good backup with an empty file).
    func withOutput(_ body: (_ write: ([UInt8]) throws -> Void) async throws -> ExportOutcome) async throws -> ExportOutcome {
        if output.toStandardOutput {
            let console = Console.current
            return try await body { bytes in console.writeOutput(bytes) }
        }
        let writer: AtomicFileWriter
        do { writer = try AtomicFileWriter(path: output.out) } catch {
            throw CommandFailure("cannot write \(output.out): \(error.reason)")
        }
        do {
            let outcome = try await body { bytes in try writer.write(bytes) }
            try Task.checkCancellation()
            if outcome.records == 0 && !outcome.failures.isEmpty {
                writer.abort()
                return outcome
            }
            try writer.commit()
            return outcome
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Reports skipped items and the summary line (and, when the server refused requests
    /// with 429, the rate it allowed); exit status 1 when anything was skipped.
    func finish(_ outcome: ExportOutcome, noun: String, started: ContinuousClock.Instant, statistics: ExecutionStatistics) throws {
        let console = Console.current
        for failure in outcome.failures { console.message("error: \(failure)") }
        if let long = outcome.longCells {
            console.message(Diagnostic(file: output.displayName, line: nil, severity: .warning, message: long.description).description)
        }
        let empty = outcome.emptyTextValues
        if empty > 0, output.resolvedFormat != .jsonl {
            let message = "\(Formatting.count(empty, "label")) \(empty == 1 ? "has" : "have") an empty text_value, which a \(output.resolvedFormat == .xlsx ? "workbook" : "CSV") cell cannot hold "
                + "(an empty cell means no value): imported back, \(empty == 1 ? "it comes" : "they come") without it; export as JSONL to keep it"
            console.message(Diagnostic(file: output.displayName, line: nil, severity: .warning, message: message).description)
        }
        let elapsed = ContinuousClock.now - started
        var line = "exported \(Formatting.count(outcome.records, noun)) from \(Formatting.count(outcome.runs, "run")) to \(output.displayName) in \(Formatting.seconds(elapsed))"
        if !outcome.failures.isEmpty { line += "; \(Formatting.count(outcome.failures.count, "item")) not found" }
        if outcome.records == 0 && !outcome.failures.isEmpty && !output.toStandardOutput {
            line = "nothing exported: \(Formatting.count(outcome.failures.count, "item")) not found; \(output.out) was not written"
        }
        console.message(line)
        if let limited = ImportSummary.rateLimitLine(statistics) { console.message(limited) }
        if !outcome.failures.isEmpty { throw ExitCode(1) }
    }

    /// One API call through the executor.
    struct API: Sendable {
        let client: RefactorClient
        let executor: RequestExecutor

        /// A run's labels, compact (see ``CompactRun``).
        func readRun(runID: String, body: CompactRun.Body) async throws(APIError) -> CompactRun {
            try await executor.perform(.read, operation: "list gold labels of run \(runID)") { () async throws(APIError) -> CompactRun in
                try await client.readRun(runID: runID, body: body)
            }
        }

        /// A run's labels, each handed to a fresh `collector` as it arrives (see
        /// ``RefactorClient/readGoldLabels(runID:into:)``); a retry starts a new one.
        func readGoldLabels<Collector: GoldLabelCollector & Sendable>(runID: String, into collector: Collector) async throws(APIError) -> Collector {
            try await executor.perform(.read, operation: "list gold labels of run \(runID)") { () async throws(APIError) -> Collector in
                try await client.readGoldLabels(runID: runID, into: collector)
            }
        }

        func getGoldLabel(_ key: RecordKey) async throws(APIError) -> GoldLabel {
            try await executor.perform(.read, operation: "get gold label \(key.id) of run \(key.runID)") { () async throws(APIError) -> GoldLabel in
                try await client.getGoldLabel(runID: key.runID, labelID: key.id)
            }
        }

        func getEvaluation(_ key: RecordKey) async throws(APIError) -> Evaluation {
            try await executor.perform(.read, operation: "get evaluation \(key.id) of run \(key.runID)") { () async throws(APIError) -> Evaluation in
                try await client.getEvaluation(runID: key.runID, evaluationID: key.id)
            }
        }
    }
}

/// A failure already explained to the user: printed as `error: …`, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32 = 1
    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }
    var description: String { message }
}

extension CommandFailure {
    /// Runs a command body, printing failures as `error: …` on stderr and turning them
    /// into an exit status (API failures: 1; usage errors pass through to ArgumentParser).
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as CommandFailure {
            Console.current.message("error: \(failure.message)")
            throw ExitCode(failure.exitCode)
        } catch let error as APIError {
            Console.current.message("error: \(error)")
            throw ExitCode(1)
        } catch is CancellationError {
            Console.current.message("error: cancelled; nothing was written")
            throw ExitCode(1)
        }
    }
}
