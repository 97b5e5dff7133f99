import ArgumentParser
import LabelPortCore

/// Where and how export writes: shared by `export labels` and `export evaluations`.
struct ExportOutputOptions: ParsableArguments {
    @Option(name: .customLong("out"), help: ArgumentHelp("The file to write, replaced whole or not at all; - for stdout.", valueName: "FILE"))
    var out: String = "-"

    @Option(help: ArgumentHelp("csv, jsonl or xlsx (default: from --out's extension, else jsonl; a .tsv file is CSV separated by tabs).", valueName: "FORMAT"))
    var format: ExportFormat?

    @Flag(help: "CSV for Excel: a UTF-8 byte order mark and CRLF line ends.")
    var excel = false

    @Flag(help: "Log each request on standard error (method, path, status, time); for export labels --dry-run, also list every differing label and field.")
    var verbose = false

    var resolvedFormat: ExportFormat {
        format ?? ExportFormat.detect(path: out) ?? .jsonl
    }

    var toStandardOutput: Bool { out == "-" }

    /// The name to show in messages.
    var displayName: String { toStandardOutput ? "stdout" : out }

    func validate() throws {
        if excel && resolvedFormat != .csv {
            throw ValidationError("--excel writes CSV; use it with --format csv or an --out FILE ending in .csv")
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}

extension ExportOutputOptions {
    /// The encoder these options ask for; `sheetName` names an xlsx file's one sheet;
    /// `flatten`: `export labels --flatten`.
    func encoder<Record: ExportRecord>(sheetName: String, flatten: Bool = false) -> ExportEncoder<Record> {
        ExportEncoder(format: resolvedFormat, excel: excel, flatten: flatten, sheetName: sheetName, delimiter: InputFormat.defaultDelimiter(path: out))
    }
}
