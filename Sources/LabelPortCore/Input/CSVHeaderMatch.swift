/// Header names that name a `--map` header or a contract column only when surrounding
/// spaces and letter case are ignored (`Document ` for `--map Document=…`,
/// `Output_Resource_Name`). Such a match is used with a warning; two headers matching
/// one target that way are an error naming both.
struct CSVHeaderMatch {
    enum Target {
        case mapping(FieldMapping)
        case column(TargetField, CellType)

        var name: String {
            switch self {
            case .mapping(let mapping): "--map \"\(mapping.header)\""
            case .column(let field, let type): field.description + (type == .string ? "" : ":\(type.rawValue)")
            }
        }
    }

    /// By header index: the target of a header that matches only loosely.
    private(set) var loose: [Int: Target] = [:]
    /// `--map` headers matched loosely by some header.
    private(set) var looselyMatched: Set<String> = []
    /// Headers that match one target loosely: messages for the header's problems.
    private(set) var problems: [String] = []
    /// What those ambiguous headers would fill, and their `--map` headers: not also
    /// reported as missing.
    private(set) var ambiguousFields: Set<TargetField> = []
    private(set) var ambiguousMappings: Set<String> = []
    let names: [String]

    init(names: [String], mappings: [FieldMapping]) {
        self.names = names
        let exact = Set(names)
        var mappingsByKey: [String: FieldMapping] = [:]
        for mapping in mappings where !exact.contains(mapping.header) {
            mappingsByKey[CSVHeaderMatch.key(mapping.header)] = mapping
        }
        let mappedExactly = Set(mappings.map(\.header))
        var byTarget: [String: [Int]] = [:]
        var targets: [String: Target] = [:]
        for (index, name) in names.enumerated() where !name.isEmpty && !mappedExactly.contains(name) && TargetField(name: name) == nil {
            let target: Target
            if let mapping = mappingsByKey[CSVHeaderMatch.key(name)] {
                target = .mapping(mapping)
            } else if let (field, type) = CSVHeaderMatch.looseColumn(name) {
                target = .column(field, type)
            } else {
                continue
            }
            byTarget[target.name, default: []].append(index)
            targets[target.name] = target
        }
        for (targetName, indices) in byTarget.sorted(by: { $0.value[0] < $1.value[0] }) {
            guard let target = targets[targetName] else { continue }
            if indices.count > 1 {
                let shown = indices.map { "\"\(names[$0])\"" }.joined(separator: " and ")
                problems.append("columns \(shown) both match \(targetName) when spaces and letter case are ignored: rename one of them")
                switch target {
                case .mapping(let mapping):
                    ambiguousFields.insert(mapping.field)
                    ambiguousMappings.insert(mapping.header)
                case .column(let field, _): ambiguousFields.insert(field)
                }
                continue
            }
            loose[indices[0]] = target
            if case .mapping(let mapping) = target { looselyMatched.insert(mapping.header) }
        }
    }

    /// A contract column (with its type, for `object_value.KEY:TYPE`) a header names once
    /// spaces around it (and, outside an `object_value.KEY`'s key, letter case) are ignored.
    static func looseColumn(_ name: String) -> (TargetField, CellType)? {
        let trimmed = name.trimmingWhitespace()
        if let column = FieldMapping.column(named: trimmed) { return column }
        let prefix = "object_value."
        if trimmed.lowercased().hasPrefix(prefix) {
            return FieldMapping.column(named: prefix + String(trimmed.dropFirst(prefix.count)))
        }
        return FieldMapping.column(named: trimmed.lowercased())
    }

    /// How headers compare loosely: surrounding spaces removed, lower-cased.
    static func key(_ name: String) -> String { name.trimmingWhitespace().lowercased() }


    /// `the file's columns are "A", "B" (closest: "A")`, for a `--map` header the file
    /// lacks (`of`: what the names are, for JSONL `the first line's keys`).
    func listing(closestTo wanted: String, of what: String = "the file's columns") -> String {
        let shown = names.filter { !$0.isEmpty }
        guard !shown.isEmpty else { return "the file's header has no column names" }
        let limit = 30
        var text = what + " are " + shown.prefix(limit).map { "\"\($0)\"" }.joined(separator: ", ")
        if shown.count > limit { text += " and \(shown.count - limit) more" }
        let target = CSVHeaderMatch.key(wanted)
        if let closest = shown.min(by: { CSVHeaderMatch.distance(CSVHeaderMatch.key($0), target) < CSVHeaderMatch.distance(CSVHeaderMatch.key($1), target) }) {
            text += " (closest: \"\(closest)\")"
        }
        return text
    }

    /// Edit distance (insertions, deletions, substitutions) between two strings' characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
