/// An evaluation as the API returns it (`RunEvaluation`). Evaluations are read-only
/// through the API: there is no create and no list.
package struct Evaluation: Sendable, Equatable {
    package var id: String
    package var accountID: String
    package var runID: String
    package var outputName: String?
    package var fieldPath: String?
    package var evaluationLabelID: String
    package var value: JSONNumber
    package var createdBy: String?
    package var createdByEvaluatorID: String?
    package var createdAt: String
    package var updatedBy: String?
    package var updatedAt: String?

    package init(
        id: String, accountID: String, runID: String, outputName: String? = nil, fieldPath: String? = nil,
        evaluationLabelID: String, value: JSONNumber, createdBy: String? = nil, createdByEvaluatorID: String? = nil,
        createdAt: String, updatedBy: String? = nil, updatedAt: String? = nil
    ) {
        self.id = id
        self.accountID = accountID
        self.runID = runID
        self.outputName = outputName
        self.fieldPath = fieldPath
        self.evaluationLabelID = evaluationLabelID
        self.value = value
        self.createdBy = createdBy
        self.createdByEvaluatorID = createdByEvaluatorID
        self.createdAt = createdAt
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    /// The API's field names, in the order export writes them.
    package static let fieldNames = [
        "run_id", "id", "output_name", "field_path", "evaluation_label_id", "value", "account_id",
        "created_by", "created_by_evaluator_id", "created_at", "updated_by", "updated_at",
    ]

    package init(json: JSONValue) throws(ModelDecodingError) {
        let r = try FieldReader(json, typeName: "RunEvaluation")
        self.init(
            id: try r.requiredString("id"),
            accountID: try r.requiredString("account_id"),
            runID: try r.requiredString("run_id"),
            outputName: try r.optionalString("output_name"),
            fieldPath: try r.optionalString("field_path"),
            evaluationLabelID: try r.requiredString("evaluation_label_id"),
            value: try r.requiredNumber("value"),
            createdBy: try r.optionalString("created_by"),
            createdByEvaluatorID: try r.optionalString("created_by_evaluator_id"),
            createdAt: try r.requiredString("created_at"),
            updatedBy: try r.optionalString("updated_by"),
            updatedAt: try r.optionalString("updated_at")
        )
    }

    package var json: JSONValue {
        var w = FieldWriter()
        w.set("id", id)
        w.set("account_id", accountID)
        w.set("run_id", runID)
        w.set("output_name", outputName)
        w.set("field_path", fieldPath)
        w.set("evaluation_label_id", evaluationLabelID)
        w.set("value", value)
        w.set("created_by", createdBy)
        w.set("created_by_evaluator_id", createdByEvaluatorID)
        w.set("created_at", createdAt)
        w.set("updated_by", updatedBy)
        w.set("updated_at", updatedAt)
        return .object(w.object)
    }
}
