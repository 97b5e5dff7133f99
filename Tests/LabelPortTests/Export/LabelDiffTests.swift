import Testing
@testable import LabelPortCore

@Suite("Label diff", .timeLimit(.minutes(10)))
struct LabelDiffTests {
    private func object(_ text: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(text) else { throw JSONSyntaxError(offset: 0, message: "not an object") }
        return object
    }

    private func diff(_ old: String, _ new: String) throws -> [FieldChange] {
        LabelDiff.changes(from: LabelValues(objectValue: try object(old)), to: LabelValues(objectValue: try object(new)))
    }

    @Test("identical values, key order and number spelling are no change")
    func sameMeaning() throws {
        #expect(try diff(#"{"a":1.0,"b":[1e2,"x"]}"#, #"{"b":[100,"x"],"a":1}"#).isEmpty)
        #expect(LabelDiff.changes(from: LabelValues(textValue: "t"), to: LabelValues(textValue: "t")).isEmpty)
    }

    @Test("a changed scalar deep inside is reported at its path")
    func deepScalar() throws {
        let changes = try diff(#"{"answer":{"tags":["a","cat"]}}"#, #"{"answer":{"tags":["a","dog"]}}"#)
        #expect(changes == [FieldChange(path: "object_value.answer.tags[1]", old: "cat", new: "dog")])
    }

    @Test("added and removed keys, in byte-wise key order")
    func addedRemoved() throws {
        let changes = try diff(#"{"b":1,"c":2}"#, #"{"a":true,"c":2}"#)
        #expect(changes == [
            FieldChange(path: "object_value.a", old: nil, new: true),
            FieldChange(path: "object_value.b", old: 1, new: nil),
        ])
    }

    @Test("keys that are not identifiers are quoted")
    func quotedKeys() throws {
        let changes = try diff(#"{"a.b":1,"x y":{"1st":2},"é":3,"_ok9":4}"#, #"{"a.b":2,"x y":{"1st":3},"é":4,"_ok9":5}"#)
        #expect(changes.map(\.path) == [
"object_value._ok9", #"object_value["a.b"]"#, #"object_value["x y"]["1st"]"#, #"object_value["é"]"#,
        ])
        let quote = try diff(#"{"say \"hi\"":1}"#, #"{"say \"hi\"":2}"#)
        #expect(quote.map(\.path) == [#"object_value["say \"hi\""]"#])
    }

    @Test("an array that grew or shrank at its end: one change per element")
    func arrayTail() throws {
        #expect(try diff(#"{"t":[1,2]}"#, #"{"t":[1,2,3,4]}"#) == [
            FieldChange(path: "object_value.t[2]", old: nil, new: 3),
            FieldChange(path: "object_value.t[3]", old: nil, new: 4),
        ])
        #expect(try diff(#"{"t":[1,2,3]}"#, #"{"t":[1]}"#) == [
            FieldChange(path: "object_value.t[1]", old: 2, new: nil),
            FieldChange(path: "object_value.t[2]", old: 3, new: nil),
        ])
    }

    @Test("any other change of array length replaces the whole array")
    func arrayShift() throws {
        #expect(try diff(#"{"t":["a","b","c"]}"#, #"{"t":["b","c"]}"#) == [
            FieldChange(path: "object_value.t", old: ["a", "b", "c"], new: ["b", "c"]),
        ])
    }

    @Test("a change of JSON type is one change")
    func typeChange() throws {
        #expect(try diff(#"{"v":{"x":1}}"#, #"{"v":[1]}"#) == [
            FieldChange(path: "object_value.v", old: ["x": 1], new: [1]),
        ])
        #expect(try diff(#"{"v":[[1,2],{"k":null}]}"#, #"{"v":[[1,3],{"k":false}]}"#).map(\.path) == [
            "object_value.v[0][1]", "object_value.v[1].k",
        ])
    }

    @Test("top-level fields: text, whole object added or removed, partial flag; in field order")
    func topLevel() throws {
        let old = LabelValues(textValue: "old", objectValue: nil, objectValueIsPartial: true)
        let new = LabelValues(textValue: nil, objectValue: try object(#"{"a":1}"#), objectValueIsPartial: nil)
        #expect(LabelDiff.changes(from: old, to: new) == [
            FieldChange(path: "text_value", old: "old", new: nil),
            FieldChange(path: "object_value", old: nil, new: ["a": 1]),
            FieldChange(path: "object_value_is_partial", old: true, new: nil),
        ])
        #expect(LabelDiff.changes(from: LabelValues(objectValueIsPartial: false), to: LabelValues(objectValueIsPartial: true))
            == [FieldChange(path: "object_value_is_partial", old: false, new: true)])
    }

    @Test("big numbers compare exactly, not through Double")
    func bigNumbers() throws {
        #expect(try diff(#"{"n":12345678901234567890}"#, #"{"n":12345678901234567891}"#).count == 1)
        #expect(try diff(#"{"n":0.1}"#, #"{"n":1e-1}"#).isEmpty)
    }

    @Test("rendering: + added, - removed, ~ changed; keys sorted; colour only when asked")
    func rendering() throws {
        let plain = DiffRenderer(color: false)
        #expect(plain.render(FieldChange(path: "object_value.answer.tags[1]", old: "cat", new: "dog"))
            == #"~ object_value.answer.tags[1]: "cat" → "dog""#)
        #expect(plain.render(FieldChange(path: "object_value.x", old: nil, new: .object(try object(#"{"b":1,"a":[0.10]}"#))))
            == #"+ object_value.x: {"a":[0.10],"b":1}"#)
        #expect(plain.render(FieldChange(path: "text_value", old: "two\nlines", new: nil)) == #"- text_value: "two\nlines""#)
        let colored = DiffRenderer(color: true).render(FieldChange(path: "text_value", old: nil, new: "x"))
        #expect(colored == "\u{1B}[32m+ text_value: \"x\"\u{1B}[0m")
        #expect(!plain.render(FieldChange(path: "a", old: 1, new: 2)).contains("\u{1B}"))
        // A value of 40,000 characters: its first 200 and its length, not the whole line.
        let long = String(repeating: "é", count: 40_000)
        #expect(plain.render(FieldChange(path: "text_value", old: nil, new: .string(long)))
            == "+ text_value: \"" + String(repeating: "é", count: 199) + "… (40,000 characters)")
        let exact = String(repeating: "x", count: 198)  // 200 with its quotes: shown whole
        #expect(plain.render(FieldChange(path: "text_value", old: nil, new: .string(exact))) == "+ text_value: \"\(exact)\"")
    }

    @Test("JSON form of a change")
    func json() {
        #expect(JSONWriter().string(FieldChange(path: "text_value", old: "a", new: "b").json)
            == #"{"path":"text_value","change":"changed","old":"a","new":"b"}"#)
        #expect(JSONWriter().string(FieldChange(path: "object_value.k", old: nil, new: 1).json)
            == #"{"path":"object_value.k","change":"added","new":1}"#)
    }
}
