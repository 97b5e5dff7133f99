/// Field-by-field differences between two labels' values, shared by import's dry-run
/// plan and export's dry-run diff.
///
/// Values compare by meaning (``JSONValue`` equality: key order and number spelling
/// are not changes). Each change is reported at the deepest point where the values
/// differ:
/// - a key present on one side only: one `added` / `removed` change for that key;
/// - objects on both sides: compared key by key (keys in byte-wise order);
/// - arrays of the same length: compared element by element;
/// - an array that only grew at its end or only lost its tail: one change per element
///   added or removed (`tags[2]`);
/// - any other change of length (insertions, deletions in the middle): one `changed`
///   for the whole array, since element-wise changes after a shift would mislead;
/// - different JSON types, or different scalars: one `changed` at that path.
///
/// Changes come in field order: `text_value`, `object_value…`, `object_value_is_partial`.
package enum LabelDiff {
    package static func changes(from old: LabelValues, to new: LabelValues) -> [FieldChange] {
        var changes: [FieldChange] = []
        let oldText = old.textValue.map(JSONValue.string)
        let newText = new.textValue.map(JSONValue.string)
        if oldText != newText {
            changes.append(FieldChange(path: "text_value", old: oldText, new: newText))
        }
        switch (old.objectValue, new.objectValue) {
        case (nil, nil):
            break
        case let (a?, b?):
            compareObjects(a, b, at: "object_value", into: &changes)
        case let (a, b):
            changes.append(FieldChange(path: "object_value", old: a.map(JSONValue.object), new: b.map(JSONValue.object)))
        }
        let oldPartial = old.objectValueIsPartial.map(JSONValue.bool)
        let newPartial = new.objectValueIsPartial.map(JSONValue.bool)
        if oldPartial != newPartial {
            changes.append(FieldChange(path: "object_value_is_partial", old: oldPartial, new: newPartial))
        }
        return changes
    }

    /// The changes from `old` to `new` at and below `path` (exposed for tests and for
    /// diffing other JSON values the same way).
    package static func changes(from old: JSONValue, to new: JSONValue, at path: String) -> [FieldChange] {
        var changes: [FieldChange] = []
        compare(old, new, at: path, into: &changes)
        return changes
    }

    private static func compare(_ old: JSONValue, _ new: JSONValue, at path: String, into changes: inout [FieldChange]) {
        switch (old, new) {
        case let (.object(a), .object(b)):
            compareObjects(a, b, at: path, into: &changes)
        case let (.array(a), .array(b)):
            compareArrays(a, b, at: path, into: &changes)
        default:
            if old != new { changes.append(FieldChange(path: path, old: old, new: new)) }
        }
    }

    private static func compareObjects(_ old: JSONObject, _ new: JSONObject, at path: String, into changes: inout [FieldChange]) {
        if old == new { return }
        // Walk the union of keys in byte-wise order, merging the two sorted lists.
        let a = old.sortedEntries
        let b = new.sortedEntries
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].key.utf8.lexicographicallyPrecedes(b[j].key.utf8)) {
                changes.append(FieldChange(path: JSONPath.appending(key: a[i].key, to: path), old: a[i].value, new: nil))
                i += 1
            } else if i == a.count || b[j].key.utf8.lexicographicallyPrecedes(a[i].key.utf8) {
                changes.append(FieldChange(path: JSONPath.appending(key: b[j].key, to: path), old: nil, new: b[j].value))
                j += 1
            } else {
                compare(a[i].value, b[j].value, at: JSONPath.appending(key: a[i].key, to: path), into: &changes)
                i += 1
                j += 1
            }
        }
    }

    private static func compareArrays(_ old: [JSONValue], _ new: [JSONValue], at path: String, into changes: inout [FieldChange]) {
        if old == new { return }
        let common = min(old.count, new.count)
        let sharedPrefixEqual = old.count == new.count || old[..<common] == new[..<common]
        guard sharedPrefixEqual else {
            changes.append(FieldChange(path: path, old: .array(old), new: .array(new)))
            return
        }
        for index in 0..<common {
            compare(old[index], new[index], at: JSONPath.appending(index: index, to: path), into: &changes)
        }
        for index in common..<old.count {
            changes.append(FieldChange(path: JSONPath.appending(index: index, to: path), old: old[index], new: nil))
        }
        for index in common..<new.count {
            changes.append(FieldChange(path: JSONPath.appending(index: index, to: path), old: nil, new: new[index]))
        }
    }
}
