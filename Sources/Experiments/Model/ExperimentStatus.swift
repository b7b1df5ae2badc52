/// The lifecycle of an experiment: `draft → running → stopped`.
///
/// Only drafts are freely editable; a running experiment may only be stopped (and have its
/// description or end time changed); a stopped one is frozen so its results stay meaningful.
public enum ExperimentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case running
    case stopped

    /// Whether `self → next` is an allowed transition (staying put is always allowed).
    public func canTransition(to next: ExperimentStatus) -> Bool {
        switch (self, next) {
        case (.draft, .draft), (.running, .running), (.stopped, .stopped): return true
        case (.draft, .running), (.running, .stopped), (.draft, .stopped): return true
        default: return false
        }
    }
}
