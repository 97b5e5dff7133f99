/// One input row, mapped and checked: ready for the import planner.
package struct LabelRow: Sendable, Equatable {
    /// The physical line (1-based) the row starts on.
    package var line: Int
    /// Lower-cased run UUID (from the row, else `--run-id`).
    package var runID: String
    package var outputResourceName: String
    /// Lower-cased gold-label UUID, when the row names one.
    package var id: String?
    package var textValue: String?
    /// Keys in the input's order.
    package var objectValue: JSONObject?
    /// Set when `objectValue` was built from `object_value.KEY` columns (and no whole
    /// `object_value`): the key paths the row sets, merged into the label's object key by
    /// key. Nil when `objectValue` replaces the label's object.
    package var objectKeyPaths: [[String]]?
    package var objectValueIsPartial: Bool?

    package init(
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
package struct InputRecord: Sendable, Equatable {
    package enum Content: Sendable, Equatable {
        /// A CSV row's cells.
        case cells(CSVCells)
        /// A JSONL line's text, without its line ending.
        case text(String)

        /// A CSV row of these cells.
        package static func fields(_ fields: [String]) -> Content { .cells(CSVCells(fields)) }
    }

    package var line: Int
    package var content: Content
    /// For an invalid row: the run and name it gives, as far as they could be read (its
    /// report line shows them).
    package var runID: String?
    package var outputResourceName: String?

    package init(line: Int, content: Content) {
        self.line = line
        self.content = content
    }
}

/// What ``LabelInput/next()`` yields: a good row, or a row (or the file) with problems.
package enum LabelInputItem: Sendable, Equatable {
    case row(LabelRow, InputRecord)
    /// `line` is 0 for a problem with the file as a whole; the record is nil when
    /// there is no row to re-emit (a broken header, an unterminated quote at the end).
    case invalid(line: Int, [Diagnostic], InputRecord?)
    /// A row known to leave label `labelID` of its run as it is, planned without looking
    /// the label up (a copy matched it with the destination as it read it, and kept
    /// nothing of it but its id). Never read from a file.
    case unchanged(LabelRow, labelID: String, InputRecord)
}
