extension JSONObject {
    /// The value at a key path (`["a", "b"]` is `a.b`), or nil when any step is missing
    /// or not an object.
    package func value(at path: [String]) -> JSONValue? {
        guard let first = path.first else { return nil }
        guard path.count > 1 else { return self[first] }
        guard case .object(let inner)? = self[first] else { return nil }
        return inner.value(at: Array(path.dropFirst()))
    }

    /// Sets the value at a key path, making the objects on the way (a step that holds
    /// something else is replaced by an object). New keys go last, in order.
    package mutating func setValue(_ value: JSONValue, at path: [String]) {
        guard let first = path.first else { return }
        guard path.count > 1 else {
            self[first] = value
            return
        }
        var inner: JSONObject
        if case .object(let existing)? = self[first] { inner = existing } else { inner = JSONObject() }
        inner.setValue(value, at: Array(path.dropFirst()))
        self[first] = .object(inner)
    }
}
