/// Per source label of a copy: how many destination labels bear its name, and the id of
/// the first — a few bytes a label, kept where the destination labels themselves are not.
struct CopyMatches: Sendable {
    private struct Match: Sendable {
        var idStart: UInt32 = 0
        var idLength: UInt32 = 0
        var count: UInt32 = 0
    }

    private var matches: [Match]
    /// The first ids, one after another (UTF-8, as the server wrote them).
    private var ids: [UInt8] = []

    init(sourceLabels: Int) {
        matches = [Match](repeating: Match(), count: sourceLabels)
    }

    /// Notes a destination label with id `id` matched with source label `index`; returns
    /// how many have been, this one included.
    mutating func note(_ id: UnsafeRawBufferPointer, of index: Int) -> Int {
        var match = matches[index]
        if match.count == 0 {
            match.idStart = UInt32(ids.count)
            match.idLength = UInt32(id.count)
            ids.append(contentsOf: id)
        }
        match.count += 1
        matches[index] = match
        return Int(match.count)
    }

    func count(_ index: Int) -> Int { Int(matches[index].count) }

    /// The id of the first destination label matched with source label `index` (which has one).
    func firstID(_ index: Int) -> String {
        let match = matches[index]
        return String(decoding: ids[Int(match.idStart)..<Int(match.idStart + match.idLength)], as: UTF8.self)
    }
}
