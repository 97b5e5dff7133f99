@testable import LabelPortCore
import Testing

/// The streaming list reader against the whole-text parse it replaces: the same labels
/// however the answer is cut into pieces, and the same error (message and byte) for a
/// malformed answer, wherever the cut falls.
@Suite("list answer read as it arrives", .timeLimit(.minutes(3)))
struct GoldLabelListReaderTests {
    static let run = "11111111-1111-4111-8111-111111111111"

    /// Labels whose text is easy to cut badly: escapes (a quote, a backslash before a
    /// quote, `\u` pairs), multi-byte UTF-8, nesting, numbers past 2^53, whitespace.
    static let answer = """
         [ {"id":"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa","account_id":"acc","run_id":"\(run)","output_resource_name":"doc \\"1\\" \\\\","text_value":"naïve 🐱 \\ud83d\\ude00 \\\\\\"","created_at":"2024-01-01T00:00:00Z"} ,
        {"id":"bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb","account_id":"acc","run_id":"\(run)","output_resource_name":"日本語","object_value":{"big":9007199254740993,"z":123456789012345678901234567890,"a":[1.50,2E+3,-0.0,{"x":[[]]}],"é":"ü\\u0000","t":true,"n":null},"object_value_is_partial":false,"created_at":"2024-01-01T00:00:00Z","updated_at":null}
        ,{"id":"cccccccc-cccc-4ccc-8ccc-cccccccccccc","account_id":"acc","run_id":"\(run)","output_resource_name":"[]{},:","created_at":"2024-01-01T00:00:00Z","extra":[{"}":"]"}]}]\t
        """

    /// What the classic reader made of `text`: the labels, or the error it reported.
    static func whole(_ text: [UInt8]) -> Result<[GoldLabel], GoldLabelListError> {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { return .failure(.syntax(error)) }
        guard case .array(let items) = value else { return .failure(.model("expected a JSON array, found \(value.kindDescription)")) }
        var labels: [GoldLabel] = []
        for item in items {
            do { labels.append(try GoldLabel(json: item)) } catch { return .failure(.model(error.message)) }
        }
        return .success(labels)
    }

    /// `text` fed in pieces cut at `cuts`.
    static func streamed(_ text: [UInt8], cuts: [Int]) -> Result<[GoldLabel], GoldLabelListError> {
        streamed(text, cuts: cuts, into: GoldLabelArray()).map(\.labels)
    }

    /// `text` fed in pieces cut at `cuts` to `collector`.
    static func streamed<Collector: GoldLabelCollector>(_ text: [UInt8], cuts: [Int], into collector: Collector) -> Result<Collector, GoldLabelListError> {
        var reader = GoldLabelListReader()
        var collector = collector
        var start = 0
        do throws(GoldLabelListError) {
            for end in cuts + [text.count] where end >= start {
                let fed: Result<Void, GoldLabelListError> = text[start..<end].withUnsafeBytes { raw in
                    Result { () throws(GoldLabelListError) in try reader.feed(raw, into: &collector) }
                }
                try fed.get()
                start = end
            }
            try reader.finish()
            return .success(collector)
        } catch {
            return .failure(error)
        }
    }

    @Test("split at every byte boundary (and byte by byte): the same labels as one whole parse")
    func everyCut() throws {
        let text = Array(Self.answer.utf8)
        let expected = try Self.whole(text).get()
        #expect(expected.count == 3)
        #expect(expected[1].objectValue?["big"] == .number(JSONNumber("9007199254740993")!))
        for cut in 0...text.count {
            #expect(try Self.streamed(text, cuts: [cut]).get() == expected, "cut at \(cut)")
        }
        #expect(try Self.streamed(text, cuts: Array(0...text.count)).get() == expected)
    }

    @Test("an answer that starts with a UTF-8 byte order mark reads as without it, wherever it is cut")
    func byteOrderMark() throws {
        let plain = Array(Self.answer.utf8)
        let expected = try Self.whole(plain).get()
        let marked = [0xEF, 0xBB, 0xBF] + plain
        for cut in 0...6 {
            #expect(try Self.streamed(marked, cuts: [cut]).get() == expected, "cut at \(cut)")
        }
        // Only a whole mark, only at the start.
        #expect(throws: GoldLabelListError.self) { try Self.streamed([0xEF] + plain, cuts: []).get() }
        #expect(throws: GoldLabelListError.self) { try Self.streamed(Array(" ".utf8) + marked, cuts: []).get() }
    }

    static let label = #"{"id":"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa","account_id":"acc","run_id":"r","output_resource_name":"n","created_at":"t"}"#

    /// Malformed answers of every kind the array's grammar and its elements can break.
    static let malformed: [String] = [
        "", "   ", "[", "[ ", "[{", #"[{"id":"#, "[1,]", "[,]", "[1 2]", "[] []", "[]x", "]",
        "{}", #""x""#, "12", "nul", "[tru]", "[01]", "[-]", "[1.]", #"["\ud800"]"#, #"["a"#, "[\"a\\",
        "[{}]", #"[{"id":1}]"#, #"[{"a":1}}]"#, #"[{"a":1]]"#, #"[{"a":1,"a":2}]"#, "[\"\u{1}\"]",
        "[\(label),{}]", "[\(label),\(label)", "[\(label),\(label)]  x", "[{}, 1x]", "[{}, {\"a\" 1}]",
        String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
        "[" + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "]",
    ]

    @Test("a malformed answer: the same error, message and byte, wherever it is cut", arguments: malformed)
    func malformedAnswer(text: String) {
        let bytes = Array(text.utf8)
        let expected = Self.whole(bytes)
        for cut in 0...bytes.count {
            #expect(Self.streamed(bytes, cuts: [cut]) == expected, "cut at \(cut)")
        }
        #expect(Self.streamed(bytes, cuts: Array(0...bytes.count)) == expected)
    }

    /// The one known difference: a `\u` escape cut short by the string's end. The whole
    /// text's parser read past the quote ("invalid hex digit", at the quote); the element's
    /// parser stops at its end ("incomplete \u escape", at the escape). Both refuse it.
    @Test("a \\u escape cut short by the end of its string is refused")
    func shortEscape() {
        let bytes = Array(#"["\u12"]"#.utf8)
        for cut in 0...bytes.count {
            guard case .failure(.syntax(let error)) = Self.streamed(bytes, cuts: [cut]) else {
                Issue.record("not refused, cut at \(cut)")
                continue
            }
            #expect(error.description == "incomplete \\u escape in string (at byte 5)")
        }
    }

    @Test("invalid UTF-8 inside a label is reported at its byte")
    func invalidUTF8() {
        var bytes = Array("[{\"a\":\"x".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"}]".utf8)
        let expected = Self.whole(bytes)
        guard case .failure(.syntax(let error)) = expected else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(error.offset == 8)
        for cut in 0...bytes.count { #expect(Self.streamed(bytes, cuts: [cut]) == expected) }
    }
}

extension Result where Success == [GoldLabel], Failure == GoldLabelListError {
    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case let (.success(a), .success(b)): a == b
        case let (.failure(a), .failure(b)): a == b
        default: false
        }
    }
}
