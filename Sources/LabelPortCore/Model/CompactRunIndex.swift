/// Finds a ``CompactRun``'s labels by id (letter case aside, as ids are matched) and by
/// output_resource_name (exact bytes), through ``RunIndexTables``: a few bytes per label.
package struct CompactRunIndex: Sendable {
    package let run: CompactRun
    private let tables: RunIndexTables

    /// Labels whose id (letter case aside) an earlier label has: they replace it in
    /// ``index(ofID:)``.
    package var repeatedIDs: [Int] { tables.repeatedIDs }

    /// Without `byName`, only ids are indexed (``indices(named:)`` finds nothing); without
    /// `byID`, only names (``index(ofID:)`` finds nothing, ``repeatedIDs`` is empty).
    package init(_ run: CompactRun, byName: Bool = true, byID: Bool = true) {
        var tables = RunIndexTables(byName: byName, byID: byID, capacity: run.count)
        for _ in run.indices { tables.add(run) }
        tables.finish(run)
        self.init(run: run, tables: tables)
    }

    private init(run: CompactRun, tables: RunIndexTables) {
        self.run = run
        self.tables = tables
    }

    /// The label whose id is `id`, letter case aside.
    package func index(ofID id: String) -> Int? {
        var text = id
        return text.withUTF8 { index(ofID: UnsafeRawBufferPointer($0)) }
    }

    /// The label whose id is `id` (UTF-8), letter case aside.
    package func index(ofID id: UnsafeRawBufferPointer) -> Int? {
        tables.index(ofID: id, in: run)
    }

    /// The label named `name` when the run has exactly one (a name it holds several times
    /// is ambiguous).
    package func onlyIndex(named name: String) -> Int? {
        let found = indices(named: name)
        return found.count == 1 ? found[0] : nil
    }

    /// The labels named `name` (exact bytes), in answer order.
    package func indices(named name: String) -> [Int] {
        var text = name
        return text.withUTF8 { tables.indices(named: UnsafeRawBufferPointer($0), in: run) }
    }

    /// Collects a run's labels from its list answer (as ``CompactRun/Builder`` with
    /// ``CompactRun/Body/asSent``) and hashes each as it arrives, while the network is the
    /// wait: what is left when the answer ends is placing the hashes in the tables.
    /// With a filter, only the labels it keeps are collected (the rest are still read
    /// and checked).
    package struct Builder: GoldLabelCollector {
        private var run = CompactRun.Builder(body: .asSent)
        private var tables: RunIndexTables
        private let filter: LabelKeyFilter?

        package init(byName: Bool = true, byID: Bool = true, keeping filter: LabelKeyFilter? = nil) {
            tables = RunIndexTables(byName: byName, byID: byID)
            self.filter = filter?.keepsAll == true ? nil : filter
        }

        package static var takesScannedLabels: Bool { true }

        package var needsObjectValueText: Bool { run.needsObjectValueText }

        package mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) {
            if let filter {
                var name = label.outputResourceName, id = label.id
                let kept = name.withUTF8 { name in id.withUTF8 { filter.keeps(name: UnsafeRawBufferPointer(name), id: UnsafeRawBufferPointer($0)) } }
                guard kept else { return }
            }
            run.add(label, bytes: bytes)
            tables.add(run)
        }

        package mutating func add(scanned label: ScannedGoldLabel) {
            if let filter, !filter.keeps(name: label.outputResourceName, id: label.id) { return }
            run.add(scanned: label)
            tables.add(run)
        }

        package func finish() -> CompactRunIndex {
            let run = run.finish()
            var tables = tables
            tables.finish(run)
            return CompactRunIndex(run: run, tables: tables)
        }
    }
}
