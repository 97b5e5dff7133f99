/// Reads the answer of `GET /v1/run/{id}/gold-labels` piece by piece as it arrives:
/// each label is parsed (strictly, numbers exact), decoded and handed to a
/// ``GoldLabelCollector`` with its bytes as sent, then dropped; only what the collector
/// keeps stays in memory.
///
/// Checks as a whole-answer parse does, with the same messages and byte offsets: a
/// syntax error anywhere wins over a label that does not decode (the first such label
/// is reported only once the whole answer is known to be valid JSON), so the caller
/// learns that the answer is bad only at the end, and uses nothing it collected.
package struct GoldLabelListReader {
    private var stream = JSONArrayStream()
    private var decodingError: ModelDecodingError?
    /// Reads labels without building them, for collectors that take them so (nil while lent out).
    private var scanner: GoldLabelScanner? = GoldLabelScanner()

    package init() {}

    /// The answer's next piece; its labels go to `collector`.
    package mutating func feed<Collector: GoldLabelCollector>(_ piece: UnsafeRawBufferPointer, into collector: inout Collector) throws(GoldLabelListError) {
        var failed = decodingError
        var scanner = self.scanner ?? GoldLabelScanner()
        scanner.writesObjectValue = collector.needsObjectValueText
        self.scanner = nil
        defer {
            decodingError = failed
            self.scanner = scanner
        }
        do throws(JSONArrayStreamError<JSONSyntaxError>) {
            try stream.feed(piece, element: { (bytes, offset) throws(JSONSyntaxError) in
                // The fast path (for a label cut across pieces); one it leaves (rare) is parsed
                // and decoded below.
                if Collector.takesScannedLabels, failed == nil, scanner.scan(bytes, { collector.add(scanned: $0) }) != nil { return }
                let value: JSONValue
                do throws(JSONSyntaxError) { value = try JSONParser.parseElement(bytes) } catch { throw error.shifted(by: offset) }
                guard failed == nil else { return }
                do throws(ModelDecodingError) {
                    collector.add(try GoldLabel(json: value), bytes: bytes)
                } catch {
                    failed = error
                }
            }, object: { rest, _ in
                // The fast path for a label whole in this piece: read where it lies.
                guard Collector.takesScannedLabels, failed == nil else { return nil }
                return scanner.scanPrefix(rest) { collector.add(scanned: $0) }
            })
        } catch {
            switch error {
            case .syntax(let syntax), .element(let syntax): throw .syntax(syntax)
            }
        }
    }

    /// The answer has ended: throws unless it was a whole list of labels.
    package mutating func finish() throws(GoldLabelListError) {
        let notArray: JSONValue?
        do throws(JSONSyntaxError) { notArray = try stream.finish() } catch { throw .syntax(error) }
        if let notArray { throw .model("expected a JSON array, found \(notArray.kindDescription)") }
        if let decodingError { throw .model(decodingError.message) }
    }
}

/// Why a list answer was refused: not JSON (with the byte), or not a list of labels.
package enum GoldLabelListError: Error, Equatable {
    case syntax(JSONSyntaxError)
    case model(String)

    /// The detail of the `invalidResponse` error the client reports.
    package var detail: String {
        switch self {
        case .syntax(let error): "body is not valid JSON: \(error)"
        case .model(let message): message
        }
    }
}

/// Keeps what a caller needs of each label of a run's list answer, as it is read.
package protocol GoldLabelCollector: Sendable {
    /// `label`, decoded from `bytes`, its JSON text as the server sent it.
    mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer)
    /// True when the collector takes labels read without building them
    /// (``add(scanned:)``): what a big run's export and plan keep of a label.
    static var takesScannedLabels: Bool { get }
    /// A label read without building it (``GoldLabelScanner``); only called when
    /// ``takesScannedLabels``.
    mutating func add(scanned label: ScannedGoldLabel)
    /// True when ``add(scanned:)`` reads the canonical text of `object_value`
    /// (``ScannedGoldLabel/valueText(_:)``); else the scanner only checks it.
    var needsObjectValueText: Bool { get }
}

extension GoldLabelCollector {
    package static var takesScannedLabels: Bool { false }
    package var needsObjectValueText: Bool { true }
    package mutating func add(scanned label: ScannedGoldLabel) {
        if let decoded = label.decoded() { add(decoded, bytes: label.text) }
    }
}

/// Keeps every label whole (the list call's classic answer, `[GoldLabel]`).
package struct GoldLabelArray: GoldLabelCollector {
    package var labels: [GoldLabel] = []
    package init() {}
    package mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) { labels.append(label) }
}
