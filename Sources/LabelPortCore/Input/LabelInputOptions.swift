/// How to read an input file: format, CSV delimiter, header mappings and a default run.
package struct LabelInputOptions: Sendable {
    /// nil: from the file's extension, else JSONL (see ``InputFormat/detect(path:)``).
    package var format: InputFormat?
    /// CSV field delimiter; nil: tab for `.tsv`, else comma.
    package var delimiter: UInt8?
    package var mappings: [FieldMapping]
    /// The run for rows that carry no `run_id`.
    package var runID: String?
    /// `:number` cells may use a decimal comma (`0,75`, `1.234,5`).
    package var decimalComma = false
    /// The xlsx sheet to read; nil: the first.
    package var sheet: String?
    /// Bytes read from the file at a time (tests use tiny chunks to split tokens).
    package var chunkSize: Int

    package static let defaultChunkSize = 256 * 1024

    package init(
        format: InputFormat? = nil, delimiter: UInt8? = nil, mappings: [FieldMapping] = [],
        runID: String? = nil, sheet: String? = nil, chunkSize: Int = LabelInputOptions.defaultChunkSize
    ) {
        self.format = format
        self.delimiter = delimiter
        self.mappings = mappings
        self.runID = runID
        self.sheet = sheet
        self.chunkSize = max(1, chunkSize)
    }
}
