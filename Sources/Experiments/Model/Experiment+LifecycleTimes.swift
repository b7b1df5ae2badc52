import Foundation

extension Experiment {
    /// This experiment with the times its results read filled in for its status: starting to run
    /// (new, or `previous` a draft), it starts `now`; already started, it keeps the stored start;
    /// stopped, it has ended no later than `now` (the stored end, else `now`). Times the definition
    /// gives are kept, except a stopped experiment's end is never in the future.
    ///
    /// Every way an experiment changes status applies it — the API's start and stop
    /// (`ExperimentService.transition`), a `PUT` that sets the status (`ExperimentService.update`)
    /// and `hybridrank experiments apply` — because the results
    /// window and its CUPED pre-period are measured from `startsAt`: without one they began in 1970.
    /// Applying the same definition file again keeps the times stamped the first time.
    public func withLifecycleTimes(previous: Experiment?, now: Date) -> Experiment {
        var experiment = self
        if status != .draft, experiment.startsAt == nil {
            if let previous, previous.status != .draft {
                // Already started: its start is what was stored (none, for one started before
                // starts were stamped; a start made up now would misdate its results).
                experiment.startsAt = previous.startsAt
            } else if status == .running {
                experiment.startsAt = now
            }
        }
        if status == .stopped {
            experiment.endsAt = min(experiment.endsAt ?? previous?.endsAt ?? now, now)
        }
        return experiment
    }
}
