/// A JSON object that remembers the order its keys were read or added in.
///
/// Import sends an object's keys in the input's order; export writes them sorted
/// (``JSONWriter``). Equality ignores order. Keys are unique: setting an existing key
/// replaces its value in place.
package struct JSONObject: Sendable {
    package private(set) var entries: [(key: String, value: JSONValue)]

    package init() { entries = [] }

    /// Builds an object from pairs; a repeated key keeps its first position and last value.
    package init(_ pairs: [(key: String, value: JSONValue)]) {
        entries = []
        entries.reserveCapacity(pairs.count)
        for pair in pairs { self[pair.key] = pair.value }
    }

    /// Builds an object from pairs known to have unique keys.
    init(uniqueEntries: [(key: String, value: JSONValue)]) {
        entries = uniqueEntries
    }

    package var count: Int { entries.count }
    package var isEmpty: Bool { entries.isEmpty }
    package var keys: [String] { entries.map(\.key) }

    package subscript(key: String) -> JSONValue? {
        get {
            entries.first { $0.key.hasSameBytes(as: key) }?.value
        }
        set {
            let index = entries.firstIndex { $0.key.hasSameBytes(as: key) }
            switch (index, newValue) {
            case let (index?, value?): entries[index].value = value
            case let (index?, nil): entries.remove(at: index)
            case let (nil, value?): entries.append((key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// The entries sorted by key, byte-wise on UTF-8: the one stable order export uses.
    package var sortedEntries: [(key: String, value: JSONValue)] {
        entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}

extension JSONObject: Equatable, Hashable {
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        let a = lhs.sortedEntries
        let b = rhs.sortedEntries
        for (x, y) in zip(a, b) {
            guard x.key.hasSameBytes(as: y.key), x.value == y.value else { return false }
        }
        return true
    }

    package func hash(into hasher: inout Hasher) {
        // Order-independent: combine per-entry hashes commutatively.
        var sum = 0
        for entry in entries {
            var h = Hasher()
            h.combine(ExactString(entry.key))
            h.combine(entry.value)
            sum = sum &+ h.finalize()
        }
        hasher.combine(entries.count)
        hasher.combine(sum)
    }
}
