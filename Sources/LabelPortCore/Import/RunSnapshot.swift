/// What the planner knows about one run: its labels as read from the server, plus the
/// labels this import has planned to create, so several rows for one label plan in order.
/// A class: the planner updates it in place for every row, never copying its tables.
final class RunSnapshot {
    struct Entry {
        var name: String
        var values: LabelValues
    }

    let runID: String
    /// False when the run does not exist (404): its rows fail.
    let exists: Bool
    private(set) var labels: [String: Entry] = [:]
    private(set) var idsByName: [String: [String]] = [:]
    /// Labels planned for creation by earlier rows, by output_resource_name.
    private(set) var pending: [String: LabelValues] = [:]

    init(runID: String, labels: [GoldLabel]) {
        self.runID = runID
        self.exists = true
        for label in labels {
            self.labels[label.id] = Entry(name: label.outputResourceName, values: LabelValues(label))
            idsByName[label.outputResourceName, default: []].append(label.id)
        }
    }

    init(missingRun runID: String) {
        self.runID = runID
        self.exists = false
    }

    func entry(id: String) -> Entry? { labels[id] }
    func ids(named name: String) -> [String] { idsByName[name] ?? [] }
    func pendingValues(named name: String) -> LabelValues? { pending[name] }

    func setValues(_ values: LabelValues, id: String) {
        labels[id]?.values = values
    }

    func setPending(_ values: LabelValues, name: String) {
        pending[name] = values
    }
}

extension LabelValues {
    /// The values after applying a row: import never clears a field, and a text value and an
    /// object value exclude each other (setting one clears the other).
    func applying(_ row: LabelRow) -> LabelValues {
        var result = self
        if let text = row.textValue {
            result.textValue = text
            result.objectValue = nil
        }
        if let object = row.objectValue {
            result.objectValue = object
            result.textValue = nil
        }
        if let partial = row.objectValueIsPartial { result.objectValueIsPartial = partial }
        return result
    }

    init(_ row: LabelRow) {
        self.init(textValue: row.textValue, objectValue: row.objectValue, objectValueIsPartial: row.objectValueIsPartial)
    }
}
