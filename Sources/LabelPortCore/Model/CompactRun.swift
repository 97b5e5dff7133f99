/// One run's labels as a list answer gave them, kept compact: per label its bytes (the
/// label's JSON text as the server sent it, or the row export writes for it) and the
/// fields that sort and match it (run, output_resource_name, id), in a ``ByteArena``;
/// no tree of JSON values. A label's values are decoded only when something needs
/// them (``label(_:)``). Memory is close to the answer's size, whatever the run's.
///
/// Built label by label by a ``Builder`` as the answer is read, then read-only.
package struct CompactRun: Sendable, LabelKeyBytes {
    /// What each label's bytes are.
    package enum Body: Sendable {
        /// The label's JSON text as the server sent it: ``label(_:)`` decodes it.
        case asSent
        /// The same, kept in `file` instead of memory (for an export that holds every
        /// label before its first row): memory keeps only the name and id that sort it.
        case spilled(SpillFile)
        /// The label's row as `encoder` writes it (CSV or JSONL), ready to be written.
        case row(ExportEncoder<GoldLabel>)
    }

    /// Where one label's bytes are: its body, then, unless the body holds the same bytes
    /// (it nearly always does), its output_resource_name and id (UTF-8).
    struct Record: Sendable {
        var block: UInt32
        var offset: UInt32
        var bodyLength: UInt32
        /// From `offset`.
        var nameOffset: UInt32
        var nameLength: UInt32
        var idOffset: UInt32
        var idLength: UInt32
        /// Index in ``runIDs`` of the label's own `run_id`.
        var run: UInt32

        @inline(__always)
        func name(in arena: ByteArena) -> UnsafeRawBufferPointer {
            arena.bytes(block: Int(block), offset: Int(offset + nameOffset), count: Int(nameLength))
        }

        @inline(__always)
        func id(in arena: ByteArena) -> UnsafeRawBufferPointer {
            arena.bytes(block: Int(block), offset: Int(offset + idOffset), count: Int(idLength))
        }
    }

    package let body: Body
    private let arena: ByteArena
    private let records: [Record]
    /// Where each label's body starts in the ``Body/spilled(_:)`` file (else empty).
    private let spilledAt: [Int]
    /// The `run_id`s the labels name (one, for any answer of a sane server).
    private let runIDs: [String]
    /// Labels whose `text_value` is the empty string (a CSV or xlsx cell cannot hold one).
    package private(set) var emptyTextValues = 0

    package var count: Int { records.count }
    package var isEmpty: Bool { records.isEmpty }
    package var indices: Range<Int> { records.indices }
    /// Bytes kept for the labels.
    package var storedBytes: Int { arena.storedBytes }

    /// The label's bytes (see ``Body``), when they are in memory (not ``Body/spilled(_:)``).
    @inline(__always)
    package func bodyBytes(_ index: Int) -> UnsafeRawBufferPointer {
        precondition(spilledAt.isEmpty, "a spilled run's bodies are read with label(_:)")
        let r = records[index]
        return arena.bytes(block: Int(r.block), offset: Int(r.offset), count: Int(r.bodyLength))
    }

    @inline(__always)
    func nameBytes(_ index: Int) -> UnsafeRawBufferPointer { records[index].name(in: arena) }

    @inline(__always)
    func idBytes(_ index: Int) -> UnsafeRawBufferPointer { records[index].id(in: arena) }

    package func outputResourceName(_ index: Int) -> String { String(decoding: nameBytes(index), as: UTF8.self) }
    package func id(_ index: Int) -> String { String(decoding: idBytes(index), as: UTF8.self) }
    package func runID(_ index: Int) -> String { runIDs[Int(records[index].run)] }

    /// The label, decoded from the bytes the server sent (``Body/asSent`` only). They were
    /// decoded once already when read, so this cannot fail; were it to, the label would
    /// come back with its name and id and no values.
    package func label(_ index: Int) -> GoldLabel {
        func decode(_ bytes: UnsafeRawBufferPointer) -> GoldLabel? {
            guard let value = try? JSONParser.parse(bytes) else { return nil }
            return try? GoldLabel(json: value)
        }
        let decoded: GoldLabel? = switch body {
        case .asSent: decode(bodyBytes(index))
        case .spilled(let file): file.withBytes(at: spilledAt[index], count: Int(records[index].bodyLength), decode)
        case .row: nil
        }
        return decoded ?? GoldLabel(id: id(index), accountID: "", runID: runID(index), outputResourceName: outputResourceName(index), createdAt: "")
    }

    /// Every label, decoded (for callers that need them all at once, as before).
    package var labels: [GoldLabel] { indices.map(label) }

    /// True when the labels at `a` and `b` have the same output_resource_name (exact bytes).
    package func sameName(_ a: Int, _ b: Int) -> Bool { Self.order(nameBytes(a), nameBytes(b)) == 0 }

    /// The labels' indices in export order: byte-wise by (run_id, output_resource_name, id);
    /// without `byRun`, by (output_resource_name, id).
    package func exportOrder(byRun: Bool = true) -> [Int] {
        let runRank = byRun ? Self.ranks(runIDs) : [UInt32](repeating: 0, count: runIDs.count)
        // Eight bytes of the name, big-endian, settle most comparisons in one step: the
        // eight after the part every name shares ("documents/"), which cannot order them.
        let shared = sharedNamePrefix()
        var keys: [(run: UInt32, prefix: UInt64, index: Int32)] = indices.map { i in
            let name = nameBytes(i)
            return (runRank[Int(records[i].run)], Self.prefix(UnsafeRawBufferPointer(rebasing: name[shared...])), Int32(i))
        }
        keys.sort { a, b in
            if a.run != b.run { return a.run < b.run }
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            let byName = Self.order(nameBytes(Int(a.index)), nameBytes(Int(b.index)))
            if byName != 0 { return byName < 0 }
            let byID = Self.order(idBytes(Int(a.index)), idBytes(Int(b.index)))
            return byID != 0 ? byID < 0 : a.index < b.index  // as a stable sort leaves them
        }
        return keys.map { Int($0.index) }
    }

    private static func ranks(_ runIDs: [String]) -> [UInt32] {
        var ranks = [UInt32](repeating: 0, count: runIDs.count)
        let sorted = runIDs.indices.sorted { bytewiseOrder(runIDs[$0], runIDs[$1]) < 0 }
        for (rank, index) in sorted.enumerated() { ranks[index] = UInt32(rank) }
        return ranks
    }

    /// How many leading bytes all the names share.
    private func sharedNamePrefix() -> Int {
        guard let first = indices.first else { return 0 }
        let reference = nameBytes(first)
        var shared = reference.count
        for i in indices where shared > 0 {
            let name = nameBytes(i)
            let limit = min(shared, name.count)
            if limit > 0, Platform.compareBytes(name.baseAddress!, reference.baseAddress!, limit) == 0 {
                shared = limit
                continue
            }
            var n = 0
            while n < limit, name[n] == reference[n] { n += 1 }
            shared = n
        }
        return shared
    }

    @inline(__always)
    private static func prefix(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(i < bytes.count ? bytes[i] : 0) }
        return value
    }

    /// -1, 0 or 1 comparing UTF-8 bytes (as ``bytewiseOrder(_:_:)`` compares strings).
    @inline(__always)
    static func order(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : Platform.compareBytes(a.baseAddress!, b.baseAddress!, common)
        if order != 0 { return order < 0 ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Collects a run's labels from its list answer (see ``GoldLabelListReader``).
    package struct Builder: GoldLabelCollector, LabelKeyBytes {
        package let body: Body
        private let arena = ByteArena()
        private var records: [Record] = []
        private var spilledAt: [Int] = []
        private var runIDs: [String] = []
        /// The same, as UTF-8.
        private var runIDBytes: [[UInt8]] = []
        private var scratch: [UInt8] = []
        private var emptyTextValues = 0

        package init(body: Body) {
            self.body = body
        }

        /// Labels added so far.
        package var count: Int { records.count }

        func nameBytes(_ index: Int) -> UnsafeRawBufferPointer { records[index].name(in: arena) }

        func idBytes(_ index: Int) -> UnsafeRawBufferPointer { records[index].id(in: arena) }

        package static var takesScannedLabels: Bool { true }

        /// Only a row is made from `object_value`'s canonical text; labels kept as sent
        /// are decoded from their own text when needed.
        package var needsObjectValueText: Bool {
            if case .row = body { true } else { false }
        }

        package mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) {
            var runID = label.runID, name = label.outputResourceName, id = label.id
            runID.withUTF8 { runID in
                name.withUTF8 { name in
                    id.withUTF8 { id in
                        let keys = (runID: UnsafeRawBufferPointer(runID), name: UnsafeRawBufferPointer(name), id: UnsafeRawBufferPointer(id))
                        if label.textValue?.isEmpty == true { emptyTextValues += 1 }
                        switch body {
                        case .asSent, .spilled:
                            add(body: bytes, runID: keys.runID, name: keys.name, id: keys.id)
                        case .row(let encoder):
                            scratch.removeAll(keepingCapacity: true)
                            encoder.append(label, into: &scratch)
                            scratch.withUnsafeBytes { add(body: $0, runID: keys.runID, name: keys.name, id: keys.id) }
                        }
                    }
                }
            }
        }

        package mutating func add(scanned label: ScannedGoldLabel) {
            let emptyText = label.valueText(GoldLabelScanner.textValue)?.count == 2  // ""
            switch body {
            case .asSent, .spilled:
                if emptyText { emptyTextValues += 1 }
                add(body: label.text, runID: label.runID, name: label.outputResourceName, id: label.id)
            case .row(let encoder) where encoder.format == .jsonl:
                if emptyText { emptyTextValues += 1 }
                scratch.removeAll(keepingCapacity: true)
                encoder.appendLine(into: &scratch) { index, out in
                    guard let text = label.valueText(index) else { return false }
                    out.append(contentsOf: text)
                    return true
                }
                scratch.withUnsafeBytes { add(body: $0, runID: label.runID, name: label.outputResourceName, id: label.id) }
            case .row:
                if let decoded = label.decoded() { add(decoded, bytes: label.text) }  // which counts an empty text
            }
        }

        /// Adds one label's bytes and keys (strings as Swift holds them).
        package mutating func add(body: UnsafeRawBufferPointer, runID: String, name: String, id: String) {
            var runID = runID, name = name, id = id
            runID.withUTF8 { runID in
                name.withUTF8 { name in
                    id.withUTF8 { id in
                        add(body: body, runID: UnsafeRawBufferPointer(runID), name: UnsafeRawBufferPointer(name), id: UnsafeRawBufferPointer(id))
                    }
                }
            }
        }

        /// Adds one label's bytes and keys (UTF-8). The name and id are not stored again
        /// when the body holds the same bytes (anywhere: only the bytes matter). A spilled
        /// body goes to its file, and the name and id to memory.
        package mutating func add(body: UnsafeRawBufferPointer, runID: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, id: UnsafeRawBufferPointer) {
            if case .spilled(let file) = self.body {
                spilledAt.append(file.append(body))
                addRecord(body: UnsafeRawBufferPointer(start: nil, count: 0), bodyLength: body.count, runID: runID, name: name, id: id)
            } else {
                addRecord(body: body, bodyLength: body.count, runID: runID, name: name, id: id)
            }
        }

        /// Stores `body` (empty when it is spilled) and the name and id unless `body` holds them.
        private mutating func addRecord(body: UnsafeRawBufferPointer, bodyLength: Int, runID: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, id: UnsafeRawBufferPointer) {
            let nameInBody = Self.offset(of: name, in: body)
            let idInBody = Self.offset(of: id, in: body)
            let total = body.count + (nameInBody == nil ? name.count : 0) + (idInBody == nil ? id.count : 0)
            let place = arena.reserve(total)
            var end = body.count
            if body.count > 0 { place.pointer.copyMemory(from: body.baseAddress!, byteCount: body.count) }
            func store(_ bytes: UnsafeRawBufferPointer, foundAt found: Int?) -> UInt32 {
                if let found { return UInt32(found) }
                if bytes.count > 0 { (place.pointer + end).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
                end += bytes.count
                return UInt32(end - bytes.count)
            }
            let nameOffset = store(name, foundAt: nameInBody)
            let idOffset = store(id, foundAt: idInBody)
            records.append(Record(
                block: UInt32(place.block), offset: UInt32(place.offset), bodyLength: UInt32(bodyLength),
                nameOffset: nameOffset, nameLength: UInt32(name.count), idOffset: idOffset, idLength: UInt32(id.count),
                run: run(runID)))
        }

        /// Where `bytes` are in `body`: by their address when they point into it, else by search.
        private static func offset(of bytes: UnsafeRawBufferPointer, in body: UnsafeRawBufferPointer) -> Int? {
            if let start = bytes.baseAddress, let base = body.baseAddress, start >= base, start + bytes.count <= base + body.count {
                return start - base
            }
            return Platform.find(bytes, in: body)
        }

        private mutating func run(_ runID: UnsafeRawBufferPointer) -> UInt32 {
            func same(_ known: [UInt8]) -> Bool { known.withUnsafeBytes { CompactRun.order($0, runID) == 0 } }
            if let last = runIDBytes.last, same(last) { return UInt32(runIDs.count - 1) }
            if let index = runIDBytes.firstIndex(where: same) { return UInt32(index) }
            runIDs.append(String(decoding: runID, as: UTF8.self))
            runIDBytes.append(Array(runID))
            return UInt32(runIDs.count - 1)
        }

        package func finish() -> CompactRun {
            if case .spilled(let file) = body { file.flush() }
            var run = CompactRun(body: body, arena: arena, records: records, spilledAt: spilledAt, runIDs: runIDs)
            run.emptyTextValues = emptyTextValues
            return run
        }
    }
}

extension CompactRun {
    /// Labels already decoded (tests, callers of the classic list call), kept as their
    /// JSON text.
    package init(_ labels: [GoldLabel]) {
        var builder = Builder(body: .asSent)
        var bytes: [UInt8] = []
        let writer = JSONWriter()
        for label in labels {
            bytes.removeAll(keepingCapacity: true)
            writer.write(label.json, into: &bytes)
            bytes.withUnsafeBytes { builder.add(label, bytes: $0) }
        }
        self = builder.finish()
    }
}
