/// The three values of a gold label that import can set and a diff compares:
/// `text_value`, `object_value` and `object_value_is_partial`. `nil` means absent.
public struct LabelValues: Sendable, Equatable {
    public var textValue: String?
    public var objectValue: JSONObject?
    public var objectValueIsPartial: Bool?

    public init(textValue: String? = nil, objectValue: JSONObject? = nil, objectValueIsPartial: Bool? = nil) {
        self.textValue = textValue
        self.objectValue = objectValue
        self.objectValueIsPartial = objectValueIsPartial
    }

    /// The values a label holds on the server.
    public init(_ label: GoldLabel) {
        self.init(textValue: label.textValue, objectValue: label.objectValue, objectValueIsPartial: label.objectValueIsPartial)
    }
}
