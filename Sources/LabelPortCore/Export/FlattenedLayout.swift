/// The `--flatten` columns for a set of objects: each key (nested keys as dotted paths)
/// its own `object_value.KEY[:TYPE]` column, typed so that import reads the value back
/// exactly. Values an empty cell cannot carry (`""`, `null`, `{}`, arrays) and keys whose
/// type varies are `:json`; keys that cannot be a column name (empty, or holding `.` or
/// `:`) stay in an `object_value` JSON column, which also carries an empty object.
struct FlattenedLayout: Sendable {
    struct Column: Sendable, Equatable {
        var path: [String]
        var type: CellType

        var header: String {
            "object_value." + path.joined(separator: ".") + (type == .string ? "" : ":" + type.rawValue)
        }
    }

    /// Key columns, sorted byte-wise by header.
    private(set) var columns: [Column] = []
    /// Whether some object needs the `object_value` JSON column.
    private(set) var needsObjectColumn = false

    private struct Kinds: OptionSet {
        let rawValue: UInt8
        static let string = Kinds(rawValue: 1)
        static let number = Kinds(rawValue: 2)
        static let boolean = Kinds(rawValue: 4)
        static let json = Kinds(rawValue: 8)
        static let object = Kinds(rawValue: 16)
        /// An object holding a key that cannot be a column name: kept whole as `:json`.
        static let opaque = Kinds(rawValue: 32)
    }

    init(objects: some Sequence<JSONObject>) {
        var kinds: [[String]: Kinds] = [:]
        for object in objects {
            if object.count == 0 { needsObjectColumn = true }
            for (key, value) in object.entries {
                if Self.isColumnKey(key) {
                    Self.collect(value, at: [key], into: &kinds)
                } else {
                    needsObjectColumn = true
                }
            }
        }
        var leaves: Set<[String]> = []
        for (path, kind) in kinds {
            let isContainer = kind == .object
            if !isContainer { leaves.insert(path) }
        }
        for (path, kind) in kinds where kind != .object {
            // A path under another leaf is carried by that leaf's JSON.
            if (1..<path.count).contains(where: { leaves.contains(Array(path.prefix($0))) }) { continue }
            let type: CellType
            switch kind {
            case .string: type = .string
            case .number: type = .number
            case .boolean: type = .boolean
            default: type = .json
            }
            columns.append(Column(path: path, type: type))
        }
        columns.sort { bytewiseOrder($0.header, $1.header) < 0 }
    }

    static func isColumnKey(_ key: String) -> Bool {
        !key.isEmpty && !key.utf8.contains(UInt8(ascii: ".")) && !key.utf8.contains(UInt8(ascii: ":"))
    }

    private static func collect(_ value: JSONValue, at path: [String], into kinds: inout [[String]: Kinds]) {
        switch value {
        case .string(let text):
            // "" has no cell of its own, and a CSV cell cannot hold NUL: both as JSON text.
            kinds[path, default: []].insert(text.isEmpty || text.utf8.contains(0) ? .json : .string)
        case .number: kinds[path, default: []].insert(.number)
        case .bool: kinds[path, default: []].insert(.boolean)
        case .null, .array: kinds[path, default: []].insert(.json)
        case .object(let object):
            if object.count == 0 || object.entries.contains(where: { !isColumnKey($0.key) }) {
                kinds[path, default: []].insert(object.count == 0 ? .json : .opaque)
                return
            }
            kinds[path, default: []].insert(.object)
            for (key, inner) in object.entries { collect(inner, at: path + [key], into: &kinds) }
        }
    }

    /// What the `object_value` JSON column holds for `object`: the keys no column carries
    /// (an empty object when the object is empty); nil when the columns carry it all.
    func objectColumnValue(_ object: JSONObject) -> JSONObject? {
        if object.count == 0 { return object }
        let rest = object.entries.filter { !Self.isColumnKey($0.key) }
        return rest.isEmpty ? nil : JSONObject(uniqueEntries: rest)
    }

    /// The value of each key column for `object` (nil: the key is absent).
    func values(_ object: JSONObject) -> [JSONValue?] {
        columns.map { column in
            var current: JSONValue = .object(object)
            for key in column.path {
                guard case .object(let inner) = current, let next = inner[key] else { return nil }
                current = next
            }
            return current
        }
    }
}
