/// The first line of a journal: what wrote it, against which server, when. Never the token.
package struct JournalHeader: Sendable, Equatable {
    package static let currentVersion = 1
    package var version: Int
    package var baseURL: String
    /// `import`, `apply`, `undo` or `copy`.
    package var command: String
    /// UTC, ISO 8601.
    package var startedAt: String
    /// What the command worked from (the input file, the plan, the journal undone), if anything.
    package var source: String?

    package init(version: Int = JournalHeader.currentVersion, baseURL: String, command: String, startedAt: String, source: String? = nil) {
        self.version = version
        self.baseURL = baseURL
        self.command = command
        self.startedAt = startedAt
        self.source = source
    }

    package var json: JSONObject {
        var object = JSONObject()
        object["type"] = "header"
        object["version"] = .number(JSONNumber(version))
        object["base_url"] = .string(baseURL)
        object["command"] = .string(command)
        object["started_at"] = .string(startedAt)
        if let source { object["source"] = .string(source) }
        return object
    }

    init(json object: JSONObject) throws(RecordFormatError) {
        self.init(
            version: try object.int("version"), baseURL: try object.string("base_url"), command: try object.string("command"),
            startedAt: try object.string("started_at"), source: try object.optionalString("source"))
    }
}

/// A write about to be sent: recorded (and flushed) before the request leaves.
package struct JournalWrite: Sendable, Equatable {
    package var seq: Int
    package var runID: String
    /// Nil for a create (its id is in the outcome).
    package var labelID: String?
    package var outputResourceName: String?
    /// The label's values before the write; nil for a create.
    package var before: LabelValues?
    /// The label's values once the write is applied.
    package var after: LabelValues
    /// The input line (import), plan entry or journal write (undo) it came from.
    package var line: Int?

    package init(seq: Int = 0, runID: String, labelID: String?, outputResourceName: String?, before: LabelValues?, after: LabelValues, line: Int? = nil) {
        self.seq = seq
        self.runID = runID
        self.labelID = labelID
        self.outputResourceName = outputResourceName
        self.before = before
        self.after = after
        self.line = line
    }

    package var json: JSONObject {
        var object = JSONObject()
        object["type"] = "write"
        object["seq"] = .number(JSONNumber(seq))
        object["run_id"] = .string(runID)
        object["label_id"] = labelID.map(JSONValue.string) ?? .null
        object["output_resource_name"] = outputResourceName.map(JSONValue.string) ?? .null
        object["before"] = before.map { .object($0.json) } ?? .null
        object["after"] = .object(after.json)
        if let line { object["line"] = .number(JSONNumber(line)) }
        return object
    }

    init(json object: JSONObject) throws(RecordFormatError) {
        guard let after = try object.optionalObject("after") else { throw RecordFormatError("\"after\" is missing") }
        self.init(
            seq: try object.int("seq"), runID: try object.string("run_id"), labelID: try object.optionalString("label_id"),
            outputResourceName: try object.optionalString("output_resource_name"),
            before: try object.optionalObject("before").map { object throws(RecordFormatError) in try LabelValues(json: object) },
            after: try LabelValues(json: after),
            line: try object.optionalInt("line"))
    }
}

/// How a journaled write ended.
package enum JournalStatus: String, Sendable, CaseIterable {
    /// The server answered that it applied the write.
    case ok
    /// Refused, or never sent.
    case failed
    /// Sent, with no answer that says whether it was applied.
    case unknown
}

package struct JournalOutcome: Sendable, Equatable {
    package var seq: Int
    package var status: JournalStatus
    package var labelID: String?
    package var error: String?

    package init(seq: Int, status: JournalStatus, labelID: String?, error: String? = nil) {
        self.seq = seq
        self.status = status
        self.labelID = labelID
        self.error = error
    }

    package var json: JSONObject {
        var object = JSONObject()
        object["type"] = "outcome"
        object["seq"] = .number(JSONNumber(seq))
        object["status"] = .string(status.rawValue)
        object["label_id"] = labelID.map(JSONValue.string) ?? .null
        if let error { object["error"] = .string(error) }
        return object
    }

    init(json object: JSONObject) throws(RecordFormatError) {
        let text = try object.string("status")
        guard let status = JournalStatus(rawValue: text) else { throw RecordFormatError("unknown status \"\(text)\"") }
        self.init(seq: try object.int("seq"), status: status, labelID: try object.optionalString("label_id"), error: try object.optionalString("error"))
    }
}
