/// What the planner knows about one run: its labels as read from the server, plus the
/// labels this import has planned to create, so several rows for one label plan in order.
/// A class: the planner updates it in place for every row, never copying its tables.
final class RunSnapshot {
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
    /// By lower-cased id: a row's id matches whatever case the server uses.
    private var labels: [String: Entry] = [:]
    /// Names compare by exact bytes, not Unicode equivalence: "é" and "e\u{301}" differ.
    private var idsByName: [ExactString: [String]] = [:]
    /// Labels planned for creation by earlier rows, by output_resource_name.
    private var pending: [ExactString: LabelValues] = [:]

    init(runID: String, labels: [GoldLabel]) {
        self.runID = runID
        self.unavailable = nil
        for label in labels {
            self.labels[label.id.lowercased()] = Entry(id: label.id, name: label.outputResourceName, values: LabelValues(label), updatedAt: label.updatedAt)
            idsByName[ExactString(label.outputResourceName), default: []].append(label.id)
        }
    }

    init(unavailableRun runID: String, reason: String) {
        self.runID = runID
        self.unavailable = reason
    }

    func entry(id: String) -> Entry? { labels[id.lowercased()] }
    func ids(named name: String) -> [String] { idsByName[ExactString(name)] ?? [] }
    func pendingValues(named name: String) -> LabelValues? { pending[ExactString(name)] }

    func setValues(_ values: LabelValues, id: String) {
        labels[id.lowercased()]?.values = values
    }

    func setPending(_ values: LabelValues, name: String) {
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
