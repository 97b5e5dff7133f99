/// The labels of compact runs (read as sent) in export order, as a collection whose
/// elements are decoded when read and not kept: an xlsx or flattened export walks it
/// twice (columns, then rows) holding one decoded label at a time.
struct CompactLabels: RandomAccessCollection, Sendable {
    private let runs: [CompactRun]
    /// (run, label) in export order: runs in the order given (run_id order), each run's
    /// labels in its own export order.
    private let order: [(run: Int32, label: Int32)]

    init(_ runs: [CompactRun]) {
        self.runs = runs
        var order: [(run: Int32, label: Int32)] = []
        order.reserveCapacity(runs.reduce(0) { $0 + $1.count })
        for (r, run) in runs.enumerated() {
            for index in run.exportOrder() { order.append((Int32(r), Int32(index))) }
        }
        self.order = order
    }

    var startIndex: Int { 0 }
    var endIndex: Int { order.count }

    subscript(position: Int) -> GoldLabel {
        let (run, label) = order[position]
        return runs[Int(run)].label(Int(label))
    }
}
