/// The three values of a gold label that import can set and a diff compares:
/// `text_value`, `object_value` and `object_value_is_partial`. `nil` means absent.
package struct LabelValues: Sendable, Equatable {
    package var textValue: String?
    package var objectValue: JSONObject?
    package var objectValueIsPartial: Bool?

    package init(textValue: String? = nil, objectValue: JSONObject? = nil, objectValueIsPartial: Bool? = nil) {
        self.textValue = textValue
        self.objectValue = objectValue
        self.objectValueIsPartial = objectValueIsPartial
    }

    /// The values a label holds on the server.
    package init(_ label: GoldLabel) {
        self.init(textValue: label.textValue, objectValue: label.objectValue, objectValueIsPartial: label.objectValueIsPartial)
    }
}

extension LabelValues {
    /// The values after an update giving these fields (nil: not given, left as it is).
    /// Text and object exclude each other: setting one clears the other. The sandbox
    /// applies PUTs with this rule and the import planner predicts them with it.
    package func updated(textValue text: String?, objectValue object: JSONObject?, objectValueIsPartial partial: Bool?) -> LabelValues {
        var result = self
        if let text {
            result.textValue = text
            result.objectValue = nil
        }
        if let object {
            result.objectValue = object
            result.textValue = nil
        }
        if let partial { result.objectValueIsPartial = partial }
        return result
    }
}
