/// One input row, mapped and checked: ready for the import planner.
public struct LabelRow: Sendable, Equatable {
    /// The physical line (1-based) the row starts on.
    public var line: Int
    /// Lower-cased run UUID (from the row, else `--run-id`).
    public var runID: String
    public var outputResourceName: String
    /// Lower-cased gold-label UUID, when the row names one.
    public var id: String?
    public var textValue: String?
    /// Keys in the input's order.
    public var objectValue: JSONObject?
    /// Set when `objectValue` was built from `object_value.KEY` columns (and no whole
    /// `object_value`): the key paths the row sets, merged into the label's object key by
    /// key. Nil when `objectValue` replaces the label's object.
    public var objectKeyPaths: [[String]]?
    public var objectValueIsPartial: Bool?

    public init(
        line: Int, runID: String, outputResourceName: String, id: String? = nil,
        textValue: String? = nil, objectValue: JSONObject? = nil, objectKeyPaths: [[String]]? = nil,
        objectValueIsPartial: Bool? = nil
    ) {
        self.line = line
        self.runID = runID
        self.outputResourceName = outputResourceName
        self.id = id
        self.textValue = textValue
        self.objectValue = objectValue
        self.objectKeyPaths = objectKeyPaths
        self.objectValueIsPartial = objectValueIsPartial
    }
}

/// A row as it was read, so a rejects file can re-emit it in the input's own format.
public struct InputRecord: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// A CSV row's cells.
        case cells(CSVCells)
        /// A JSONL line's text, without its line ending.
        case text(String)

        /// A CSV row of these cells.
        public static func fields(_ fields: [String]) -> Content { .cells(CSVCells(fields)) }
    }

    public var line: Int
    public var content: Content

    public init(line: Int, content: Content) {
        self.line = line
        self.content = content
    }
}

/// What ``LabelInput/next()`` yields: a good row, or a row (or the file) with problems.
public enum LabelInputItem: Sendable, Equatable {
    case row(LabelRow, InputRecord)
    /// `line` is 0 for a problem with the file as a whole; the record is nil when
    /// there is no row to re-emit (a broken header, an unterminated quote at the end).
    case invalid(line: Int, [Diagnostic], InputRecord?)
}
