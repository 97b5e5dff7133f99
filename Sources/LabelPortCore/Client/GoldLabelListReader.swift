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

    package init() {}

    /// The answer's next piece; its labels go to `collector`.
    package mutating func feed(_ piece: UnsafeRawBufferPointer, into collector: inout some GoldLabelCollector) throws(GoldLabelListError) {
        var failed = decodingError
        defer { decodingError = failed }
        do throws(JSONArrayStreamError<JSONSyntaxError>) {
            try stream.feed(piece) { (bytes, offset) throws(JSONSyntaxError) in
                let value: JSONValue
                do throws(JSONSyntaxError) { value = try JSONParser.parseElement(bytes) } catch { throw error.shifted(by: offset) }
                guard failed == nil else { return }
                do throws(ModelDecodingError) {
                    collector.add(try GoldLabel(json: value), bytes: bytes)
                } catch {
                    failed = error
                }
            }
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
}

/// Keeps every label whole (the list call's classic answer, `[GoldLabel]`).
package struct GoldLabelArray: GoldLabelCollector {
    package var labels: [GoldLabel] = []
    package init() {}
    package mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) { labels.append(label) }
}
