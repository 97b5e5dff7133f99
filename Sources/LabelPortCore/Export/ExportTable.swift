/// One cell of an export table, typed as a spreadsheet keeps it.
package enum ExportCell: Sendable, Equatable {
    case text(String)
    case number(JSONNumber)
    case bool(Bool)

    /// The cell as CSV text.
    var csvText: String {
        switch self {
        case .text(let text): text
        case .number(let number): number.literal
        case .bool(let flag): flag ? "true" : "false"
        }
    }
}

/// Records as rows of typed cells under one header: the columns of ``ExportRecord``, or
/// with `flatten`, `object_value` spread over one column per key (``FlattenedLayout``).
struct ExportTable<Record: ExportRecord> {
    let header: [String]
    private let layout: FlattenedLayout?
    private let objectIndex: Int?
    private let json = JSONWriter(keyOrder: .sorted)

    init(records: some Sequence<Record>, flatten: Bool) {
        let objectIndex = Record.fieldNames.firstIndex(of: "object_value")
        guard flatten, let objectIndex else {
            header = Record.fieldNames
            layout = nil
            self.objectIndex = nil
            return
        }
        let layout = FlattenedLayout(objects: records.lazy.compactMap { $0.exportFields[objectIndex]?.objectValue })
        var header = Array(Record.fieldNames[..<objectIndex])
        if layout.needsObjectColumn { header.append("object_value") }
        header += layout.columns.map(\.header)
        header += Record.fieldNames[(objectIndex + 1)...]
        self.header = header
        self.layout = layout
        self.objectIndex = objectIndex
    }

    func cells(_ record: Record) -> [ExportCell?] {
        let fields = record.exportFields
        guard let layout, let objectIndex else { return fields.map(cell) }
        var cells = fields[..<objectIndex].map(cell)
        let object = fields[objectIndex]?.objectValue
        if layout.needsObjectColumn {
            cells.append(object.flatMap(layout.objectColumnValue).map { .text(json.string(.object($0))) })
        }
        if let object {
            for (column, value) in zip(layout.columns, layout.values(object)) {
                guard let value else {
                    cells.append(nil)
                    continue
                }
                cells.append(column.type == .json ? .text(json.string(value)) : cell(value))
            }
        } else {
            cells += repeatElement(nil, count: layout.columns.count)
        }
        cells += fields[(objectIndex + 1)...].map(cell)
        return cells
    }

    private func cell(_ value: JSONValue?) -> ExportCell? {
        switch value {
        case nil, .null?: nil
        case .string(let text)?: .text(text)
        case .bool(let flag)?: .bool(flag)
        case .number(let number)?: .number(number)
        case let value?: .text(json.string(value))
        }
    }
}
