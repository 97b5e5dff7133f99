/// How to read an input file: format, CSV delimiter, header mappings and a default run.
public struct LabelInputOptions: Sendable {
    /// nil: from the file's extension, else JSONL (see ``InputFormat/detect(path:)``).
    public var format: InputFormat?
    /// CSV field delimiter; nil: tab for `.tsv`, else comma.
    public var delimiter: UInt8?
    public var mappings: [FieldMapping]
    /// The run for rows that carry no `run_id`.
    public var runID: String?
    /// `:number` cells may use a decimal comma (`0,75`, `1.234,5`).
    public var decimalComma = false
    /// The xlsx sheet to read; nil: the first.
    public var sheet: String?
    /// Bytes read from the file at a time (tests use tiny chunks to split tokens).
    public var chunkSize: Int

    public static let defaultChunkSize = 256 * 1024

    public init(
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
