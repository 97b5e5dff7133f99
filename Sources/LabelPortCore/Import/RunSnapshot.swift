/// What the planner knows about one run: its labels as read from the server (compact,
/// see ``CompactRunIndex``), the values this import's earlier rows planned for them, and
/// the labels it planned to create, so several rows for one label plan in order. A
/// value owned by one ``Planner``: the server's labels are shared, never changed.
struct RunSnapshot: Sendable {
    struct Entry {
        /// The id as the server wrote it (used in requests).
        var id: String
        var name: String
        var values: LabelValues
        var updatedAt: String?
    }

    let runID: String
    /// Why the run's rows cannot be applied (404, or it could not be read); nil when read.
    let unavailable: String?
    private let labels: CompactRunIndex?
    /// Values planned by earlier rows for the server's labels, by label index.
    private var planned: [Int: LabelValues] = [:]
    /// Labels planned for creation by earlier rows, by output_resource_name.
    private var pending: [ExactString: LabelValues] = [:]

    init(runID: String, labels: CompactRunIndex) {
        self.runID = runID
        self.unavailable = nil
        self.labels = labels
    }

    init(unavailableRun runID: String, reason: String) {
        self.runID = runID
        self.unavailable = reason
        self.labels = nil
    }

    /// The label with `id` (letter case aside), with the values planned for it so far.
    func entry(id: String) -> Entry? {
        guard let labels, let index = labels.index(ofID: id) else { return nil }
        let label = labels.run.label(index)
        return Entry(id: label.id, name: label.outputResourceName, values: planned[index] ?? LabelValues(label), updatedAt: label.updatedAt)
    }

    /// The output_resource_name of the server's label whose id is `id` (letter case aside)
    /// when it is not `name` (exact bytes); nil when it is, or the run holds no such label.
    func otherName(ofID id: String, than name: String) -> String? {
        guard let labels, let index = labels.index(ofID: id), !labels.run.nameBytes(index).elementsEqual(name.utf8) else { return nil }
        return labels.run.outputResourceName(index)
    }

    /// The id (as the server wrote it) of the server's label whose id is `id`, letter case aside.
    func id(matching id: String) -> String? {
        guard let labels, let index = labels.index(ofID: id) else { return nil }
        return labels.run.id(index)
    }

    /// The ids of the server's labels named `name` (exact bytes), in the answer's order.
    func ids(named name: String) -> [String] {
        guard let labels else { return [] }
        return labels.indices(named: name).map(labels.run.id)
    }

    func pendingValues(named name: String) -> LabelValues? { pending[ExactString(name)] }

    mutating func setValues(_ values: LabelValues, id: String) {
        guard let index = labels?.index(ofID: id) else { return }
        planned[index] = values
    }

    mutating func setPending(_ values: LabelValues, name: String) {
        pending[ExactString(name)] = values
    }
}

extension LabelValues {
    /// The values after applying a row: import never clears a field. An object built
    /// from key columns is merged into the label's object key by key; a whole object
    /// replaces it.
    func applying(_ row: LabelRow) -> LabelValues {
        updated(textValue: row.textValue, objectValue: objectAfter(row), objectValueIsPartial: row.objectValueIsPartial)
    }

    /// The object a row leaves: nil when the row gives none.
    func objectAfter(_ row: LabelRow) -> JSONObject? {
        guard let given = row.objectValue else { return nil }
        guard let paths = row.objectKeyPaths else { return given }
        var object = objectValue ?? JSONObject()
        for path in paths {
            if let value = given.value(at: path) { object.setValue(value, at: path) }
        }
        return object
    }

    init(_ row: LabelRow) {
        self.init(textValue: row.textValue, objectValue: row.objectValue, objectValueIsPartial: row.objectValueIsPartial)
    }
}
