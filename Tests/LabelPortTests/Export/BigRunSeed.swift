import LabelPortCore
import LabelPortSandbox

/// A deterministic seed of one big run (`BigRunSeed.runID`): the same count always gives
/// the same labels, byte for byte, so an export of it can be kept as a golden digest.
/// Values mix what is easy to get wrong: numbers past 2^53, exponents and `-0.0`, unicode
/// names and keys (byte-wise order), repeated names (ordered by id), CSV-hostile text,
/// control characters, keys that cannot be a column, all three partial states, absent
/// and null optional fields, and labels with neither value.
enum BigRunSeed {
    static let runID = "5eed0000-b16b-4000-8000-000000000001"

    /// The seed file's text for `count` labels of ``runID`` (account A).
    static func seed(count: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(count * 320)
        out.append(contentsOf: #"{"runs": [{"id": "\#(runID)", "account_id": "\#(TestSandbox.accountA)"}], "gold_labels": ["#.utf8)
        var random = SplitMix64(seed: 0x5EED_0012)
        let writer = JSONWriter()
        for index in 0..<count {
            if index > 0 { out.append(contentsOf: ",\n".utf8) }
            writer.write(.object(label(index, &random)), into: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    private static let names = ["doc", "Doc", "文書", "café", "cafe\u{301}", "invoice,\"q\"", "a b", "z", "🐱", "Ünïcode"]
    private static let words = ["naïve", "café", "🐱", "日本語", "tab\there", "quote\"d", "back\\slash", "line\nbreak", "bell\u{7}", "plain"]

    private static func label(_ index: Int, _ random: inout SplitMix64) -> JSONObject {
        var object = JSONObject()
        object["run_id"] = .string(runID)
        object["id"] = .string(uuid(&random))
        // A name pool smaller than the run: about one label in eight shares its name.
        let name = names[Int(random.next() % UInt64(names.count))] + "-" + String(random.next() % 44_000)
        object["output_resource_name"] = .string(name)
        switch random.next() % 8 {
        case 0, 1, 2:
            object["text_value"] = .string(text(&random))
        case 7:
            break  // neither value
        default:
            object["object_value"] = .object(value(&random, depth: 0))
        }
        switch random.next() % 3 {
        case 0: object["object_value_is_partial"] = .bool(true)
        case 1: object["object_value_is_partial"] = .bool(false)
        default: break
        }
        object["account_id"] = .string(TestSandbox.accountA)
        let day = 1 + index % 28, second = index % 60
        object["created_at"] = .string("2025-03-\(day < 10 ? "0" : "")\(day)T10:00:\(second < 10 ? "0" : "")\(second).123Z")
        switch random.next() % 4 {
        case 0: object["created_by"] = .null
        case 1: object["created_by"] = .string("user-\(random.next() % 9)")
        default: break
        }
        if random.next() % 3 == 0 {
            object["updated_by"] = .string("editor-\(random.next() % 5)")
            object["updated_at"] = .string("2025-04-0\(1 + index % 9)T00:00:00Z")
        }
        return object
    }

    private static func uuid(_ random: inout SplitMix64) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var a = random.next(), b = random.next()
        var bytes: [UInt8] = []
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { bytes.append(UInt8(ascii: "-")) }
            if i == 12 {
                bytes.append(UInt8(ascii: "4"))
            } else if i < 16 {
                bytes.append(hex[Int(a & 0xF)])
                a >>= 4
            } else {
                bytes.append(hex[Int(b & 0xF)])
                b >>= 4
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func text(_ random: inout SplitMix64) -> String {
        let count = Int(random.next() % 4)
        return (0...count).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
    }

    private static func number(_ random: inout SplitMix64) -> JSONNumber {
        let n = random.next()
        let literal: String
        switch n % 9 {
        case 0: literal = String(9_007_199_254_740_993 + Int(n % 1000))  // past 2^53
        case 1: literal = "123456789012345678901234567890" + String(n % 10)
        case 2: literal = "0.1"
        case 3: literal = "1e-7"
        case 4: literal = "-0.0"
        case 5: literal = "2E+3"
        case 6: literal = "1.50"
        case 7: literal = "-" + String(n % 100_000)
        default: literal = "0." + String(n % 1_000_000) + "1"
        }
        return JSONNumber(literal)!
    }

    private static let keys = ["score", "label", "tags", "é", "a.b", "", "x:y", "Zed", "nested", "total"]

    private static func value(_ random: inout SplitMix64, depth: Int) -> JSONObject {
        var object = JSONObject()
        let count = Int(random.next() % 5)
        for _ in 0..<count {
            let key = keys[Int(random.next() % UInt64(keys.count))]
            object[key] = element(&random, depth: depth)
        }
        return object
    }

    private static func element(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        switch random.next() % (depth < 2 ? 8 : 5) {
        case 0: return .number(number(&random))
        case 1: return .string(text(&random))
        case 2: return .bool(random.next() % 2 == 0)
        case 3: return random.next() % 3 == 0 ? .string("") : .null
        case 4: return .string("ü\u{0}")
        case 5: return .array((0..<Int(random.next() % 3)).map { _ in element(&random, depth: depth + 1) })
        default: return .object(value(&random, depth: depth + 1))
        }
    }
}
