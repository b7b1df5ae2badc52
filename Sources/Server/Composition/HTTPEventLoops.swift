import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The HTTP server's event-loop groups, one per thread count, created on first use and kept for
/// the life of the process, like NIO's own singleton group (which has one thread per core).
///
/// A group per application would leave its threads running after every in-process server a test
/// starts; a server never shuts its group down, so the groups are shared instead.
enum HTTPEventLoops {
    private static let groups = NIOLockedValueBox([Int: MultiThreadedEventLoopGroup]())

    /// The process-wide group with `threads` event loops (NIO's singleton when that is one per core).
    static func group(threads: Int) -> any EventLoopGroup {
        precondition(threads > 0, "an event-loop group needs a thread")
        if threads == System.coreCount { return MultiThreadedEventLoopGroup.singleton }
        return groups.withLockedValue { groups in
            if let group = groups[threads] { return group }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
            groups[threads] = group
            return group
        }
    }
}
