// TEMPORARY: minimal stand-ins for types being built on the readers, exec and export
// branches, so the import engine compiles before they land. Deleted at merge.

public struct LabelRow: Sendable, Equatable {
    public var line: Int
    public var runID: String
    public var outputResourceName: String
    public var id: String?
    public var textValue: String?
    public var objectValue: JSONObject?
    public var objectValueIsPartial: Bool?
    public init(line: Int, runID: String, outputResourceName: String, id: String? = nil, textValue: String? = nil, objectValue: JSONObject? = nil, objectValueIsPartial: Bool? = nil) {
        self.line = line; self.runID = runID; self.outputResourceName = outputResourceName; self.id = id
        self.textValue = textValue; self.objectValue = objectValue; self.objectValueIsPartial = objectValueIsPartial
    }
}

public struct LabelValues: Sendable, Equatable {
    public var textValue: String?
    public var objectValue: JSONObject?
    public var objectValueIsPartial: Bool?
    public init(textValue: String? = nil, objectValue: JSONObject? = nil, objectValueIsPartial: Bool? = nil) {
        self.textValue = textValue; self.objectValue = objectValue; self.objectValueIsPartial = objectValueIsPartial
    }
}

public struct FieldChange: Sendable, Equatable {
    public var path: String
    public var old: JSONValue?
    public var new: JSONValue?
    public var json: JSONValue {
        var o = JSONObject()
        o["path"] = .string(path)
        o["old"] = old ?? .null
        o["new"] = new ?? .null
        return .object(o)
    }
}

public enum LabelDiff {
    public static func changes(from old: LabelValues, to new: LabelValues) -> [FieldChange] {
        var result: [FieldChange] = []
        if old.textValue.map(JSONValue.string) != new.textValue.map(JSONValue.string) {
            result.append(FieldChange(path: "text_value", old: old.textValue.map(JSONValue.string), new: new.textValue.map(JSONValue.string)))
        }
        if old.objectValue.map(JSONValue.object) != new.objectValue.map(JSONValue.object) {
            result.append(FieldChange(path: "object_value", old: old.objectValue.map(JSONValue.object), new: new.objectValue.map(JSONValue.object)))
        }
        if old.objectValueIsPartial != new.objectValueIsPartial {
            result.append(FieldChange(path: "object_value_is_partial", old: old.objectValueIsPartial.map(JSONValue.bool), new: new.objectValueIsPartial.map(JSONValue.bool)))
        }
        return result
    }
}

public struct DiffRenderer: Sendable {
    public var color: Bool
    public init(color: Bool) { self.color = color }
    public func render(_ change: FieldChange) -> String {
        "\(change.path): \(change.old.map { "\($0)" } ?? "(absent)") → \(change.new.map { "\($0)" } ?? "(absent)")"
    }
}

public struct ExecutionOptions: Sendable {
    public var concurrency: Int
    public var rate: Double?
    public var burst: Int?
    public var retries: Int
    public init(concurrency: Int = 8, rate: Double? = nil, burst: Int? = nil, retries: Int = 5) {
        self.concurrency = concurrency; self.rate = rate; self.burst = burst; self.retries = retries
    }
}

public enum RequestKind: Sendable { case read, update, create }

public struct ExecutionStatistics: Sendable { public var requests = 0; public var retries = 0 }

public final class RequestExecutor: Sendable {
    public let options: ExecutionOptions
    public init(options: ExecutionOptions, clock: any Clock<Duration> = ContinuousClock()) { self.options = options }
    public func perform<T: Sendable>(_ kind: RequestKind, _ body: @Sendable () async throws(APIError) -> T) async throws(APIError) -> T {
        try await body()
    }
    public var statistics: ExecutionStatistics { ExecutionStatistics() }
}

public struct InputRecord: Sendable {
    public var line: Int
}

public enum LabelInputItem: Sendable {
    case row(LabelRow, InputRecord)
    case invalid(line: Int, [Diagnostic], InputRecord?)
}
