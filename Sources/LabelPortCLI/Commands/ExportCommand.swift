import ArgumentParser

/// `labelport export`: write gold labels or evaluations to byte-stable JSONL, CSV or xlsx.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export gold labels or evaluations to JSONL, CSV or xlsx.",
        discussion: """
            Rows come in a stable order and JSON keys in a stable order, so exporting the \
            same data twice gives identical bytes. An --out FILE appears whole or not at all.

            Examples:
              labelport export labels --run RUN --out backup.jsonl
              labelport export labels --runs-file runs.txt --out backup.csv --excel
              labelport export labels --run RUN --out backup.jsonl --dry-run
              labelport export evaluations --ids evaluations.csv --out evaluations.jsonl
            """,
        subcommands: [ExportLabelsCommand.self, ExportEvaluationsCommand.self]
    )
}
