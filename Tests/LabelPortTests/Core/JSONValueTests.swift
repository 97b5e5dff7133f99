import Testing
@testable import LabelPortCore

@Suite("JSON value", .timeLimit(.minutes(10)))
struct JSONValueTests {
    @Test("numbers keep their text and compare by meaning", arguments: [
        ("1", "1.0", true), ("1e2", "100", true), ("0.1", "1e-1", true), ("-0", "0", true),
        ("12345678901234567890", "12345678901234567891", false), ("1e-7", "0.0000001", true),
        ("10", "1", false), ("-1", "1", false), ("1.5", "15e-1", true),
    ])
    func numberEquality(lhs: String, rhs: String, equal: Bool) throws {
        let a = try #require(JSONNumber(lhs))
        let b = try #require(JSONNumber(rhs))
        #expect((a == b) == equal)
        if equal { #expect(a.hashValue == b.hashValue) }
        #expect(a.literal == lhs)
    }

    @Test("parse and write round-trips exact text")
    func roundTrip() throws {
        let text = #"{"b":12345678901234567890123,"a":[0.1,1e-7,-0.0,true,null],"c":{"é":"日本語 🎉","q":"\"\\\n"}}"#
        let value = try JSONParser.parse(text)
        #expect(JSONWriter().string(value) == text)
        #expect(JSONWriter(keyOrder: .sorted).string(value).hasPrefix(#"{"a":[0.1,1e-7,-0.0,true,null],"b":"#))
    }

    @Test("object equality ignores key order")
    func objectOrder() throws {
        let a = try JSONParser.parse(#"{"x":1,"y":[1.0,{"z":"w"}]}"#)
        let b = try JSONParser.parse(#"{"y":[1,{"z":"w"}],"x":1.00}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != (try JSONParser.parse(#"{"x":1,"y":[{"z":"w"},1]}"#)))
    }

    @Test("strings compare by exact code points")
    func exactStrings() {
        #expect(JSONValue.string("\u{E9}") != JSONValue.string("e\u{301}"))
    }

    @Test("syntax errors name the offset", arguments: [
        (#"{"a":1,}"#, 7, "expected a string key in double quotes, found '}'"),
        (#"{"a":01}"#, 5, "invalid number: leading zeros are not allowed"),
        (#"{"a":1,"a":2}"#, 7, "duplicate key \"a\" in object"),
        (#"[1,2"#, 4, "unexpected end of JSON text inside an array"),
        (#""abc"#, 0, "unterminated string"),
        ("{\"a\":\"\u{1}\"}", 6, "control character byte 0x1 must be escaped inside a string"),
        ("[\"ab\\ncd\u{1}\"]", 8, "control character byte 0x1 must be escaped inside a string"),
        (#"[tru]"#, 1, "invalid literal; expected 'true'"),
        (#"{"a":1} x"#, 8, "unexpected text after the JSON value"),
        (#""\ud800""#, 1, #"unpaired UTF-16 surrogate in \u escape"#),
    ])
    func syntaxErrors(text: String, offset: Int, message: String) {
        #expect(throws: JSONSyntaxError(offset: offset, message: message)) { try JSONParser.parse(text) }
    }

    @Test("a parse keeping some keys finds the same errors as a full parse", arguments: [
        #"{"a":1,}"#, #"{"a":01}"#, #"{"a":1,"a":2}"#, #"[1,2"#, #""abc"#, "{\"a\":\"\u{1}\"}", "[\"ab\\ncd\u{1}\"]",
        #"[tru]"#, #"{"a":1} x"#, #""\ud800""#, #"{"a":{"b":[1,2,{"c":nul}]}}"#, #"{"a":[1 2]}"#, #"{"a":{"b" 1}}"#,
        #"{"a":"\q"}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":1e}"#, #"{"a":[}"#,
    ])
    func selectiveParseErrors(text: String) {
        var expected: JSONSyntaxError?
        do { _ = try JSONParser.parse(text) } catch { expected = error }
        #expect(expected != nil)
        #expect(throws: expected!) {
            _ = try Array(text.utf8).withUnsafeBytes { try JSONParser.parseObject($0, keeping: ["id"]) }
        }
    }

    @Test("a parse keeping some keys builds only those, and nil for a document that is not an object")
    func selectiveParse() throws {
        func parse(_ text: String, keeping keys: [String]) throws -> JSONObject? {
            try Array(text.utf8).withUnsafeBytes { try JSONParser.parseObject($0, keeping: keys) }
        }
        let label = #"{"id":"a-1","object_value":{"tags":["x","é\u00e9",{"k":[1e5,-0.5,true,null]}]},"text_value":null,"n":12}"#
        let kept = try #require(try parse(label, keeping: ["id", "n"]))
        #expect(kept.keys == ["id", "n"])
        #expect(kept["id"] == .string("a-1"))
        #expect(kept["n"] == .number(JSONNumber(12)))
        #expect(try parse(label, keeping: ["id", "object_value", "text_value", "n"]) == (try JSONParser.parse(label)).objectValue)
        #expect(try parse(#" [1, {"id": 2}] "#, keeping: ["id"]) == nil)
        // Duplicates are refused at the top level and inside kept values, not looked for in skipped ones.
        #expect(throws: JSONSyntaxError.self) { try parse(#"{"n":1,"id":"a","n":2}"#, keeping: ["id"]) }
        #expect(throws: JSONSyntaxError.self) { try parse(#"{"id":{"a":1,"a":2}}"#, keeping: ["id"]) }
        #expect(try parse(#"{"id":"a","x":{"a":1,"a":2}}"#, keeping: ["id"])?["id"] == .string("a"))
        let badUTF8: [UInt8] = Array(#"{"id":"a","x":"ok"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: JSONSyntaxError(offset: 17, message: "invalid UTF-8 in string")) {
            try badUTF8.withUnsafeBytes { try JSONParser.parseObject($0, keeping: ["id"]) }
        }
    }

    @Test("strings with escapes between plain runs decode exactly")
    func escapedStrings() throws {
        let text = #"["x, \"y\"\nz é\u00e9\ud83d\udc4d!", "\\", "\t"]"#
        #expect(try JSONParser.parse(text) == .array([.string("x, \"y\"\nz é\u{E9}👍!"), .string("\\"), .string("\t")]))
    }

    @Test("invalid UTF-8 inside a string is located")
    func invalidUTF8() {
        let bytes: [UInt8] = Array(#"{"a":"ok"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: JSONSyntaxError(offset: 8, message: "invalid UTF-8 in string")) { try JSONParser.parse(bytes) }
    }

    @Test("nesting is limited, not a crash")
    func depthLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test("control characters are escaped on write")
    func escaping() {
        #expect(JSONWriter().string(.string("a\u{1}b\tc")) == #""a\u0001b\tc""#)
    }
}
