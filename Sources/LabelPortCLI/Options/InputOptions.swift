import ArgumentParser
import LabelPortCore

/// How to read an input file of gold labels: shared by `validate` and `import`.
struct InputOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Input format: csv, jsonl or xlsx (default: a workbook by its bytes, else from the file extension, else jsonl).",
        valueName: "csv|jsonl|xlsx"))
    var format: String?

    @Option(help: ArgumentHelp("The xlsx sheet to read (default: the first).", valueName: "NAME"))
    var sheet: String?

    @Option(help: ArgumentHelp("CSV cell separator: one character, or 'tab' (default: found from the header line: , ; tab or |).", valueName: "CHAR"))
    var delimiter: String?

    @Flag(name: .customLong("decimal-comma"), help: "Read :number cells written with a decimal comma (0,75 or 1.234,5).")
    var decimalComma = false

    @Option(
        name: .customLong("map"),
        help: ArgumentHelp(
            "Read column (or JSONL key) HEADER as FIELD: a column name, or object_value.KEY[:number|:boolean|:json] (repeatable).",
            valueName: "HEADER=FIELD"))
    var maps: [String] = []

    @Option(name: .customLong("run-id"), help: ArgumentHelp("The run for rows without a run_id.", valueName: "UUID"))
    var runID: String?

    /// Shown in the commands' help.
    static let discussion = """
        Columns (CSV header or JSONL keys): run_id, output_resource_name, text_value, object_value \
        (in CSV the object's JSON text), object_value_is_partial (true/false, any case), id. \
        account_id, created_by, created_at, updated_by and updated_at are ignored; other columns \
        are ignored with a warning. In CSV an empty cell is absent. A run_id in the row must \
        match --run-id when both are given.

        --map "HEADER=FIELD" reads a differently named column. FIELD may be object_value.KEY \
        (object_value.a.b nests) to build the object from several columns; such cells are \
        strings unless typed: :number (JSON number text, kept exactly), :boolean (true/false), \
        :json (any JSON text). Empty cells leave the key out. Headers match exactly, else \
        ignoring surrounding spaces and letter case (with a warning).

        Mapping columns, for instance:
          --map "Document=output_resource_name" --run-id RUN_UUID
          --map "Score=object_value.score:number" --decimal-comma
          --map "Label=object_value.label" --delimiter ";"
          --map "Reviewed=object_value.meta.reviewed:boolean"
        """

    func validate() throws {
        _ = try labelInputOptions()
    }

    /// The options as the core reader takes them; a `ValidationError` (exit 64) when malformed.
    func labelInputOptions() throws -> LabelInputOptions {
        var options = LabelInputOptions()
        if let format {
            guard let parsed = InputFormat(rawValue: format.lowercased()) else {
                throw ValidationError("--format \"\(format)\": use csv, jsonl or xlsx")
            }
            options.format = parsed
        }
        options.sheet = sheet
        if let delimiter {
            options.delimiter = try InputOptions.parseDelimiter(delimiter)
        }
        options.decimalComma = decimalComma
        for text in maps {
            do {
                options.mappings.append(try FieldMapping(parsing: text))
            } catch {
                throw ValidationError(error.description)
            }
        }
        var headers: Set<String> = []
        for mapping in options.mappings where !headers.insert(mapping.header).inserted {
            throw ValidationError("--map names \"\(mapping.header)\" twice")
        }
        if let runID {
            guard UUIDText.isValid(runID) else {
                throw ValidationError("--run-id \"\(runID)\" is not a UUID (8-4-4-4-12 hex digits)")
            }
            options.runID = runID
        }
        return options
    }

    static func parseDelimiter(_ text: String) throws -> UInt8 {
        if text.lowercased() == "tab" || text == "\t" || text == "\\t" { return 0x09 }
        let bytes = Array(text.utf8)
        guard bytes.count == 1 else {
            throw ValidationError("--delimiter \"\(text)\": give one ASCII character (e.g. ';' or '|') or 'tab'")
        }
        let byte = bytes[0]
        guard byte != 0x22, byte != 0x0A, byte != 0x0D, byte != 0 else {
            throw ValidationError("--delimiter cannot be a quote or a line break")
        }
        return byte
    }
}
