import ArgumentParser
import LabelPortCore

/// `labelport export evaluations`: evaluations named by run and id (there is no list
/// endpoint), one GET each.
struct ExportEvaluationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluations",
        abstract: "Export evaluations, named by run and id, to JSONL, CSV or xlsx.",
        discussion: """
            The API cannot list evaluations, so name them: an --ids file (CSV, JSONL or xlsx with \
            run_id and evaluation_id or id columns; an evaluations export is itself an ids \
            file), or --run UUID --id UUID pairs, paired in order. Rows are sorted by \
            (run_id, id), columns are the API's field names, value exactly as the server \
            sent it. An evaluation the server does not have (404) is reported and makes the \
            exit status 1; the rest is still exported.

            Examples:
              labelport export evaluations --ids evaluations.csv --out evaluations.jsonl
              labelport export evaluations --run RUN --id EVAL1 --run RUN --id EVAL2
              labelport export evaluations --ids ids.xlsx --out evaluations.xlsx
            """
    )

    @Option(name: .customLong("ids"), help: ArgumentHelp("A CSV, JSONL or xlsx file with run_id and evaluation_id (or id) columns.", valueName: "FILE"))
    var idsFile: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("The run of the --id at the same position (repeatable).", valueName: "UUID"))
    var runs: [String] = []

    @Option(name: .customLong("id"), help: ArgumentHelp("An evaluation of the --run at the same position (repeatable).", valueName: "UUID"))
    var ids: [String] = []

    @OptionGroup var output: ExportOutputOptions

    /// Not in the help: `export labels --flatten` given here by habit gets a word, not "unknown option".
    @Flag(help: .hidden)
    var flatten = false
    @OptionGroup(title: "Requests") var execution: ExecutionOptionGroup
    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    func validate() throws {
        if flatten {
            throw ValidationError("--flatten spreads a gold label's object_value over columns; evaluations have none: leave it out")
        }
        guard runs.count == ids.count else {
            throw ValidationError("--run and --id come in pairs: got \(runs.count) --run and \(ids.count) --id")
        }
        for value in runs + ids where !UUIDText.isValid(value) {
            throw ValidationError("\(value) is not a UUID")
        }
    }

    func run() async throws {
        try await run(session: ExportSession(connection: connection, execution: execution, output: output))
    }

    func run(session: ExportSession) async throws {
        // When it runs (see ``RunTimeUsage``): a mistyped flag is named as such.
        guard idsFile != nil || !ids.isEmpty else {
            throw ValidationError("name the evaluations: --ids FILE, or --run UUID --id UUID pairs")
        }
        try OutputPaths.check(inputs: [("the ids file", idsFile)], outputs: [("--out", output.out)])
        let started = ContinuousClock.now
        let resolved = try session.resolveConnection()
        try await CommandFailure.reporting {
            var keys = zip(runs, ids).map { RecordKey(runID: $0, id: $1) }
            if let idsFile { keys += try ExportFileInput.readKeys(idsFile, idColumns: ["evaluation_id", "id"]) }
            let exporter = EvaluationExporter(encoder: output.encoder(sheetName: "evaluations"), window: execution.concurrency * 4)
            let (outcome, statistics) = try await session.withAPI(resolved) { api in
                let outcome = try await session.withOutput { write in
                    try await exporter.export(keys, fetch: api.getEvaluation, write: write)
                }
                return (outcome, api.executor.statistics)
            }
            try session.finish(outcome, noun: "evaluation", started: started, statistics: statistics)
        }
    }
}
