import ArgumentParser
import LabelPortCore

/// `labelport copy`: gold labels from one environment's runs into another's, planned and
/// applied as import does, then verified by reading the destination back.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy gold labels between runs or environments, then verify the copy.",
        discussion: """
            Each source run is read once; its labels are planned against the destination run \
            exactly as `labelport import` plans a file (upsert by output_resource_name: create \
            what is missing, update what differs, leave the rest alone; --mode create or update \
            as for import) and written with import's pacing, retries and care for creates whose \
            answer was lost. Then the destination runs are read again and every source label is \
            compared with the destination label of the same name, by meaning (ids, timestamps \
            and authors aside; labels only in the destination are not differences). Any \
            difference is listed and makes the exit status 1.

            --from and --to name profiles of the config file, used as written; a side left out \
            uses the connection from --base-url / --token-file / --profile and REFACTOR_*. \
            --dry-run writes nothing and prints the plan: the differences between the two \
            environments, field by field.

            Evaluations are not copied: the API has no way to create one.

            Ctrl-C stops taking labels and lets requests in flight finish, as for import (the \
            copy is then not verified); a second Ctrl-C quits at once (exit 130).

            Exit status: 0 copied and verified; 1 some labels failed, conflicted, were skipped \
            (also after Ctrl-C) or differ after the copy; 2 the runs file is invalid; 64 usage \
            error (a bad profile too); 130 quit by a second Ctrl-C.

            Examples:
              labelport copy --from prod --to staging --run RUN_ID
              labelport copy --from prod --to staging --run SRC_RUN=DST_RUN --dry-run
              labelport copy --from prod --runs-file runs.csv --report copy.jsonl
            """
    )

    @Option(help: ArgumentHelp("The profile to copy from (default: the connection from flags and environment).", valueName: "PROFILE"))
    var from: String?

    @Option(help: ArgumentHelp("The profile to copy to (default: the connection from flags and environment).", valueName: "PROFILE"))
    var to: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("Copy run SRC into run DST (default: the same run id) (repeatable).", valueName: "SRC[=DST]"))
    var runs: [String] = []

    @Option(name: .customLong("runs-file"), help: ArgumentHelp("A CSV or JSONL file with a run_id column and an optional dest_run_id column, or one run id a line.", valueName: "FILE"))
    var runsFile: String?

    @OptionGroup(title: "Connection (for a side without --from / --to)") var connection: ConnectionOptions
    @OptionGroup(title: "Requests") var execution: ExecutionOptionGroup

    @Option(help: ArgumentHelp("upsert, create or update.", valueName: "MODE"))
    var mode: ImportMode = .upsert

    @Flag(name: .customLong("dry-run"), help: "Write nothing: print the plan (the differences between source and destination).")
    var dryRun = false

    @Flag(help: "Print the plan (with --dry-run) or the summary as JSON on standard output.")
    var json = false

    @Option(help: ArgumentHelp("Write one JSON line per source label, in order, to this file.", valueName: "FILE"))
    var report: String?

    @Flag(help: "List every plan entry, failed row and difference (default: the first 20, then a count), and log each request.")
    var verbose = false

    @OptionGroup(title: "Journal") var journal: JournalOptions

    /// Tests: runs between the writes and the verification of each run (a seam to make
    /// the destination drift, without timing).
    @TaskLocal static var beforeVerify: (@Sendable (_ destinationRun: String) async -> Void)? = nil

    func validate() throws {
        _ = try runPairsFromFlags()
    }

    func runPairsFromFlags() throws -> [CopyRunPair] {
        try runs.map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.allSatisfy(UUIDText.isValid) else {
                throw ValidationError("--run \"\(entry)\": write it as SRC_RUN_UUID or SRC_RUN_UUID=DST_RUN_UUID")
            }
            return CopyRunPair(source: UUIDText.normalized(parts[0]), destination: UUIDText.normalized(parts.last!))
        }
    }

    func run() async throws {
        // When it runs (see ``RunTimeUsage``): a mistyped flag is named as such.
        guard !runs.isEmpty || runsFile != nil else {
            throw ValidationError("name the runs to copy: --run SRC[=DST] (repeatable) or --runs-file FILE")
        }
        try await CommandFailure.reporting { try await copy() }
    }

    private func copy() async throws {
        try OutputPaths.check(inputs: [("the runs file", runsFile)], outputs: [("--report", report)], journal: journal)
        var pairs = try runPairsFromFlags()
        if let runsFile {
            do {
                pairs += try IDsFile.readRunPairs(path: runsFile).map { CopyRunPair(source: $0.source, destination: $0.destination) }
            } catch {
                for problem in error.diagnostics { Console.current.message(problem.description) }
                throw CommandFailure("\(Formatting.count(error.diagnostics.count, "problem")) in \(runsFile); nothing was copied", exitCode: 2)
            }
        }
        var seen: Set<CopyRunPair> = []
        pairs = pairs.filter { seen.insert($0).inserted }

        let environment = ProcessEnvironment.current
        let source: ResolvedConnection
        let destination: ResolvedConnection
        let sourceOptions: ExecutionOptions
        let destinationOptions: ExecutionOptions
        do {
            source = try resolve(from, flag: "--from", environment: environment)
            // Both sides from flags and environment: resolve once (a token_command runs once).
            destination = from == nil && to == nil ? source : try resolve(to, flag: "--to", environment: environment)
            (sourceOptions, destinationOptions) = try execution.options(forSource: source, destination: destination)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        if from != nil && to != nil, !connection.givenFlags.isEmpty {
            let unused = connection.givenFlags.joined(separator: ", ")
            Console.current.message("labelport copy: warning: --from and --to name both sides, used as their profiles are written; not used: \(unused)")
        }
        var configuration = ImportConfiguration(mode: mode, dryRun: dryRun)
        configuration.missingRunAdvice = "check the destination run id (--run SRC=DST, or the runs file's dest_run_id)"
        configuration.rerunAdvice = "run the copy again"
        configuration.conflictAdvice = "not copied: labelport cannot tell which of them to update"
        let journalWriter = try (dryRun ? nil : journal.open(
            command: "copy", server: destination.server, source: "copy from \(source.server.baseURL)", console: Console.current))
        let session = CopySession(
            pairs: pairs, source: source, destination: destination, journal: journalWriter,
            sourceOptions: sourceOptions, destinationOptions: destinationOptions,
            configuration: configuration, json: json, report: report, verbose: verbose,
            beforeVerify: Self.beforeVerify)
        let status = try await session.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// A named profile as written, or the connection from flags and environment.
    private func resolve(_ name: String?, flag: String, environment: [String: String]) throws -> ResolvedConnection {
        guard let name else { return try connection.resolve(environment: environment) }
        let profile = try ProfileLoader.load(named: name, environment: environment, namedBy: flag)
        var resolved = try ResolvedConnection(profile: profile, environment: environment)
        resolved.timeout = connection.timeoutDuration  // a profile has no timeout of its own
        return resolved
    }
}

/// A source run and the destination run it is copied into.
struct CopyRunPair: Hashable, Sendable {
    var source: String
    var destination: String
}
