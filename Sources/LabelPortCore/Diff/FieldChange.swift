/// One difference between two labels' values, at the deepest point where they differ:
/// `text_value`, `object_value_is_partial`, or a JSON path inside `object_value`
/// such as `object_value.answer.tags[1]` or `object_value["a.b"]`.
package struct FieldChange: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// Absent before, present now.
        case added
        /// Present before, absent now.
        case removed
        /// Present in both, with different values (or different JSON types).
        case changed
    }

    package var path: String
    /// The value before; `nil` when it was absent.
    package var old: JSONValue?
    /// The value after; `nil` when it is absent.
    package var new: JSONValue?

    package init(path: String, old: JSONValue?, new: JSONValue?) {
        self.path = path
        self.old = old
        self.new = new
    }

    package var kind: Kind {
        switch (old, new) {
        case (nil, _): .added
        case (_, nil): .removed
        default: .changed
        }
    }

    /// The change for `--json` output:
    /// `{"path": …, "change": "added|removed|changed", "old": …, "new": …}`,
    /// with `old` / `new` left out when absent.
    package var json: JSONValue {
        var object = JSONObject()
        object["path"] = .string(path)
        object["change"] = .string(kind.rawValue)
        if let old { object["old"] = old }
        if let new { object["new"] = new }
        return .object(object)
    }
}
