import ArgumentParser
import Foundation
import LabelPortCore

/// `labelport export labels`: every gold label of some runs, or just the labels an ids
/// file names; or, with `--dry-run`, what changed on the server since an earlier export.
struct ExportLabelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Export the gold labels of runs to JSONL, CSV or xlsx.",
        discussion: """
            Rows are sorted by (run_id, output_resource_name, id); JSON keys come in column \
            order and object_value keys sorted, numbers exactly as the server sent them. \
            Runs are fetched concurrently; a run or label the server does not have (404) \
            is reported and makes the exit status 1, the rest is still exported. Any other \
            failure writes no file. The file is the input format of `labelport import`.

            --dry-run compares an earlier export (--out FILE) with the server now: labels \
            added, removed and changed, matched by id, changed ones field by field. It \
            writes nothing; exit status 0 when they are the same, 1 when they differ. It \
            compares the runs given, or else every run in the file.

            Examples:
              labelport export labels --run RUN --run RUN2 --out backup.jsonl
              labelport export labels --runs-file runs.txt --out backup.csv --excel
              labelport export labels --run RUN --out review.xlsx --flatten
              labelport export labels --ids some-labels.csv --format csv > labels.csv
              labelport export labels --out backup.jsonl --dry-run
              labelport export labels --out backup.jsonl --dry-run --json
            """
    )

    @Option(name: .customLong("run"), help: ArgumentHelp("A run whose labels to export (repeatable).", valueName: "UUID"))
    var runs: [String] = []

    @Option(name: .customLong("runs-file"), help: ArgumentHelp("Runs to export: one UUID a line, or a CSV/JSONL file with a run_id column.", valueName: "FILE"))
    var runsFile: String?

    @Option(name: .customLong("ids"), help: ArgumentHelp("Just these labels: a CSV/JSONL file with run_id and id columns.", valueName: "FILE"))
    var idsFile: String?

    @OptionGroup var output: ExportOutputOptions

    @Flag(help: "CSV and xlsx: each object_value key in its own object_value.KEY[:TYPE] column, read back by import without --map.")
    var flatten = false

    @Flag(name: .customLong("dry-run"), help: "Write nothing: show how the server differs from the existing --out FILE.")
    var dryRun = false

    @Flag(help: "With --dry-run: print the differences as one JSON document.")
    var json = false

    @OptionGroup(title: "Requests") var execution: ExecutionOptionGroup
    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    func validate() throws {
        if flatten && output.resolvedFormat == .jsonl {
            throw ValidationError("--flatten is for CSV and xlsx (JSONL keeps object_value whole); use --format csv or xlsx")
        }
        for run in runs where !UUIDText.isValid(run) {
            throw ValidationError("--run \(run) is not a UUID")
        }
        if idsFile != nil && (!runs.isEmpty || runsFile != nil) {
            throw ValidationError("--ids names labels of their own runs; do not combine it with --run or --runs-file")
        }
        if dryRun {
            guard !output.toStandardOutput else { throw ValidationError("--dry-run compares with an existing file: pass --out FILE") }
            guard idsFile == nil else { throw ValidationError("--dry-run compares whole runs; it does not take --ids") }
        } else {
            if json { throw ValidationError("--json goes with --dry-run") }
        }
    }

    /// Checked when the command runs (see ``RunTimeUsage``), so that a mistyped flag is
    /// named as such, not as a missing one.
    func checkSomethingToExport() throws {
        guard dryRun || idsFile != nil || !runs.isEmpty || runsFile != nil else {
            throw ValidationError("name what to export: --run UUID, --runs-file FILE or --ids FILE")
        }
    }

    func run() async throws {
        let session = ExportSession(connection: connection, execution: execution, output: output)
        try await run(session: session)
    }

    func run(session: ExportSession) async throws {
        try checkSomethingToExport()
        if !dryRun {
            try OutputPaths.check(inputs: [("the runs file", runsFile), ("the ids file", idsFile)], outputs: [("--out", output.out)])
        }
        let started = ContinuousClock.now
        let resolved = try session.resolveConnection()
        try await CommandFailure.reporting {
            if dryRun && !FileManager.default.fileExists(atPath: output.out) {
                throw CommandFailure(
                    "\(output.out): no such file: --dry-run compares the server with an earlier export; leave out --dry-run to write one", exitCode: 2)
            }
            var runIDs = runs
            if let runsFile { runIDs += try ExportFileInput.readRunIDs(runsFile) }
            if dryRun {
                let dryRun = ExportDryRun(path: output.out, format: output.resolvedFormat, runIDs: runIDs, json: json, verbose: output.verbose, window: execution.concurrency)
                try await session.withAPI(resolved) { api in try await dryRun.run(api: api) }
                return
            }
            let keys = try idsFile.map { try ExportFileInput.readKeys($0, idColumns: ["id"]) }
            let exporter = LabelExporter(encoder: output.encoder(sheetName: "labels", flatten: flatten), window: execution.concurrency)
            let (outcome, statistics) = try await session.withAPI(resolved) { api in
                let outcome = try await session.withOutput { write in
                    if let keys {
                        return try await exporter.exportLabels(keys, fetch: api.getGoldLabel, write: write)
                    }
                    return try await exporter.exportRuns(runIDs, fetch: api.readRun, write: write)
                }
                return (outcome, api.executor.statistics)
            }
            try session.finish(outcome, noun: "label", started: started, statistics: statistics)
        }
    }
}
