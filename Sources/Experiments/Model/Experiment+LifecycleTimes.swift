import Foundation

extension Experiment {
    /// This experiment with the times its results read filled in for its status: running, it has
    /// started (at the stored `startsAt` of `previous`, else `now`); stopped, it keeps the stored
    /// start and has ended no later than `now` (the stored end, else `now`). Times the definition
    /// gives are kept, except a stopped experiment's end is never in the future.
    ///
    /// Both ways an experiment changes status apply it — the API's start and stop
    /// (`ExperimentService.transition`) and `hybridrank experiments apply` — because the results
    /// window and its CUPED pre-period are measured from `startsAt`: without one they began in 1970.
    /// Applying the same definition file again keeps the times stamped the first time.
    public func withLifecycleTimes(previous: Experiment?, now: Date) -> Experiment {
        var experiment = self
        if status != .draft, experiment.startsAt == nil {
            experiment.startsAt = previous?.startsAt ?? (status == .running ? now : nil)
        }
        if status == .stopped {
            experiment.endsAt = min(experiment.endsAt ?? previous?.endsAt ?? now, now)
        }
        return experiment
    }
}
