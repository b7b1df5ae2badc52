import Domain
import Foundation
import Testing
@testable import Experiments

struct ExperimentValidatorTests {
    let validator = ExperimentValidator()

    static func valid(key: String = "exp-1", status: ExperimentStatus = .draft, widgets: [Widget] = [.homepage]) -> Experiment {
        Experiment(
            key: key, description: "weights", widgets: widgets, status: status,
            variants: [
                ExperimentVariant(key: "control", weight: 0.5),
                ExperimentVariant(key: "treatment", weight: 0.5, parameters: VariantParameters(alpha: 0.5, beta: 0.3, gamma: 0.2)),
            ])
    }

    func fields(_ errors: [FieldError]) -> Set<String> { Set(errors.map(\.field)) }

    @Test func aValidDefinitionHasNoErrors() {
        #expect(validator.validate(Self.valid()).isEmpty)
    }

    @Test func weightsThatDoNotSumToOneNameTheVariants() {
        var e = Self.valid()
        e.variants[1].weight = 0.6
        #expect(fields(validator.validate(e)) == ["variants"])
        e.variants[1].weight = 0.5 + 5e-7
        #expect(validator.validate(e).isEmpty)
    }

    @Test func outOfRangeValuesNameTheirField() {
        var e = Self.valid()
        e.key = "bad key!"
        e.coverage = 1.5
        e.hashVersion = 3
        e.widgets = []
        e.variants[1].weight = -0.1
        e.variants[1].parameters.alpha = -1
        e.variants[0].parameters.rerankWindow = -2
        e.variants[0].parameters.rerankCombination = "multiply"
        e.variants[0].parameters.rerankBudgetMilliseconds = 0
        e.variants[0].parameters.enabledRules = ["teleport"]
        e.namespace = NamespaceRange(name: "ns", start: 0.6, end: 0.4)
        let found = fields(validator.validate(e))
        #expect(found == [
            "key", "coverage", "hash_version", "widgets", "variants[1].weight", "variants[1].parameters.alpha",
            "variants[0].parameters.rerank_window", "variants[0].parameters.rerank_combination",
            "variants[0].parameters.rerank_budget_ms", "variants[0].parameters.enabled_rules[0]", "namespace.end",
        ])
    }

    @Test func aSingleVariantAndDuplicateKeysAreRejected() {
        var e = Self.valid()
        e.variants = [ExperimentVariant(key: "only", weight: 1)]
        #expect(fields(validator.validate(e)) == ["variants"])
        e.variants = [ExperimentVariant(key: "a", weight: 0.5), ExperimentVariant(key: "a", weight: 0.5)]
        #expect(fields(validator.validate(e)) == ["variants[1].key"])
    }

    @Test func errorMessagesDoNotEchoSubmittedValues() {
        var e = Self.valid()
        e.key = "<script>alert(1)</script>"
        let errors = validator.validate(e)
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { !$0.message.contains("script") && !$0.description.contains("script") })
    }

    @Test func twoRunningExperimentsOnOneWidgetConflictUnlessTheirNamespacesAreDisjoint() {
        var a = Self.valid(key: "a", status: .running)
        var b = Self.valid(key: "b", status: .running)
        #expect(fields(validator.validate(b, among: [a])) == ["widgets"])
        // Different widgets: fine.
        b.widgets = [.cart]
        #expect(validator.validate(b, among: [a]).isEmpty)
        // Same widget, disjoint slices of one namespace: fine; overlapping: conflict.
        b.widgets = [.homepage]
        a.namespace = NamespaceRange(name: "ranking", start: 0, end: 0.5)
        b.namespace = NamespaceRange(name: "ranking", start: 0.5, end: 1)
        #expect(validator.validate(b, among: [a]).isEmpty)
        b.namespace = NamespaceRange(name: "ranking", start: 0.4, end: 1)
        #expect(fields(validator.validate(b, among: [a])) == ["widgets"])
        // A draft never conflicts.
        b.status = .draft
        #expect(validator.validate(b, among: [a]).isEmpty)
    }

    @Test func statusTransitionsFollowTheLifecycle() {
        let draft = Self.valid()
        var running = draft
        running.status = .running
        var stopped = draft
        stopped.status = .stopped
        #expect(validator.validateUpdate(from: draft, to: running, among: []).isEmpty)
        #expect(validator.validateUpdate(from: running, to: stopped, among: []).isEmpty)
        #expect(fields(validator.validateUpdate(from: stopped, to: running, among: [])) == ["status"])
        #expect(fields(validator.validateUpdate(from: running, to: draft, among: [])) == ["status"])
    }

    @Test func onlyADraftIsFreelyEditable() {
        var draft = Self.valid()
        var edited = draft
        edited.variants[1].parameters.alpha = 0.9
        #expect(validator.validateUpdate(from: draft, to: edited, among: []).isEmpty)
        draft.status = .running
        edited.status = .running
        #expect(fields(validator.validateUpdate(from: draft, to: edited, among: [])) == ["status"])
        var described = draft
        described.description = "new words"
        #expect(validator.validateUpdate(from: draft, to: described, among: []).isEmpty)
    }

    @Test func fieldErrorsEncodeAsFieldAndMessage() throws {
        let data = try JSONEncoder().encode(FieldError(field: "variants[1].weight", message: "must be between 0 and 1"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: String]
        #expect(object == ["field": "variants[1].weight", "message": "must be between 0 and 1"])
    }

    @Test func aLargeRerankWindowNeedsABudgetAndTheBudgetHasACeiling() {
        let validator = ExperimentValidator()
        func fields(_ p: VariantParameters) -> [String] { validator.validate(p, path: "parameters").map(\.field) }
        #expect(fields(VariantParameters(rerankWindow: 50)).isEmpty)
        #expect(fields(VariantParameters(rerankWindow: 200)) == ["parameters.rerank_budget_ms"])
        #expect(fields(VariantParameters(rerankWindow: 200, rerankBudgetMilliseconds: 150)).isEmpty)
        #expect(fields(VariantParameters(rerankWindow: 200, rerankBudgetMilliseconds: 60_000)) == ["parameters.rerank_budget_ms"])
        #expect(fields(VariantParameters(rerankBudgetMilliseconds: 1_000)).isEmpty)
    }
}
